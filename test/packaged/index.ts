// Entry point for the packaged-extension tests (scripts/run-integration.mjs, step "packaged"):
// the .vsix built by `npm run package` is installed into code-server, which opens a folder that is
// not a git repository, in Restricted Mode; the extension under development is only an empty
// probe (test/packaged/probe), so everything of AI Provenance comes from the installed package.
import { runTestsIn } from '../integration/index';

export function run(): Promise<void> {
  return runTestsIn(__dirname);
}
