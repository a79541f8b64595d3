/**
 * The capture benchmarks need the real extension host: this starts a real VS Code (code-server in
 * headless Chromium, the integration tests' runtime) on a fresh git workspace with the extension
 * loaded, runs bench/captureHost.ts inside it, and prints what it prints.
 *
 *   npm run compile && npm run build && node out/bench/capture.js
 *
 * Exits non-zero when the host run fails (a target missed is reported, not an error).
 */
import * as path from 'node:path';
import { launchWorkbench } from '../test/ui/codeServer';

/** Runs the in-host capture benchmarks; resolves with the extension host's exit code. */
export async function runCaptureBenchmarks(print: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<number> {
  let finish: (code: number) => void = () => undefined;
  const finished = new Promise<number>((resolve) => (finish = resolve));
  const workbench = await launchWorkbench({
    extensionTestsPath: path.join(__dirname, 'captureHost.js'),
    // Only the benchmark's own output: the workbench's chatter goes to stderr lines we drop.
    onLog: (_type, line) => {
      if (!/^(Resolving|Resolved|Creating a socket|Updating additional|\[|getaddrinfo|ENOTFOUND|Canceled)/.test(line)) print(line);
    },
    onExit: (code) => finish(code),
  });
  try {
    return await finished;
  } finally {
    await workbench.close();
  }
}

if (require.main === module) {
  runCaptureBenchmarks().then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`capture benchmark failed: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exit(1);
    },
  );
}
