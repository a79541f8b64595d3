/**
 * The hook files of rewrites and sharing (post-rewrite, post-merge, pre-push, post-commit): each
 * runs `ai-provenance hook run <name>` with git's arguments and stdin, never fails the git
 * operation because of us, and chains the hook that was there before (kept beside it, run with
 * the same arguments and stdin, put back by uninstall). A pre-push hook that was there runs first
 * and can still stop the push; the notes are pushed only when the push goes ahead.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writeAtomic } from './atomicWrite';
import { addFetchRefspecs, removeFetchRefspecs } from './share';

export const SHARE_HOOK_FILES = ['post-commit', 'post-rewrite', 'post-merge', 'pre-push'] as const;

const markOf = (name: string): string => `# ai-provenance ${name} hook`;
const previousOf = (name: string): string => `${name}.ai-provenance-previous`;

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The script of one hook. */
export function shareHookScript(name: string, paths: { node: string; cli: string }): string {
  const withStdin = name === 'post-rewrite' || name === 'pre-push';
  const previous = previousOf(name);
  const ours = `ELECTRON_RUN_AS_NODE=1 "$node" "$AIP_CLI" hook run ${name} "$@"${withStdin ? ' <"$input"' : ' </dev/null'}`;
  return `#!/bin/sh
${markOf(name)}
# Installed by \`ai-provenance hook install\`; \`ai-provenance hook uninstall\` restores the previous hook.
AIP_NODE=${shellQuote(paths.node)}
AIP_CLI=${shellQuote(paths.cli)}

hooks_dir=$(dirname "$0")
if [ -x "$AIP_NODE" ]; then node="$AIP_NODE"; elif command -v node >/dev/null 2>&1; then node=node; else node=; fi
${withStdin ? 'input=$(mktemp "${TMPDIR:-/tmp}/aip-hook.XXXXXX") || exit 0\ntrap \'rm -f "$input"\' EXIT\ncat >"$input"\n' : ''}
run_ours() {
  if [ -n "$node" ] && [ -f "$AIP_CLI" ]; then ${ours}; fi
  return 0
}
${
  name === 'pre-push'
    ? `if [ -x "$hooks_dir/${previous}" ]; then
  "$hooks_dir/${previous}" "$@" <"$input" || exit $?
fi
run_ours "$@"
exit 0
`
    : `run_ours "$@"
if [ -x "$hooks_dir/${previous}" ]; then
  "$hooks_dir/${previous}" "$@"${withStdin ? ' <"$input"' : ''}
  exit $?
fi
exit 0
`
}`;
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Installs (or refreshes) the hook files and the notes fetch refspec of every remote. */
export async function installShareHooks(root: string, dir: string, paths: { node: string; cli: string }): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  for (const name of SHARE_HOOK_FILES) {
    const file = path.join(dir, name);
    const current = await readIfExists(file);
    if (current !== undefined && !current.includes(markOf(name))) {
      const previous = path.join(dir, previousOf(name));
      if ((await readIfExists(previous)) !== undefined) {
        let n = 1;
        while ((await readIfExists(`${previous}.${n}`)) !== undefined) n++;
        await fs.rename(previous, `${previous}.${n}`);
      }
      await fs.rename(file, previous);
    }
    await writeAtomic(file, shareHookScript(name, paths), { mode: 0o755, executable: true });
  }
  await addFetchRefspecs(root);
}

/** Removes our hook files (putting back the ones they chained) and our fetch refspecs. */
export async function uninstallShareHooks(root: string, dir: string): Promise<void> {
  for (const name of SHARE_HOOK_FILES) {
    const file = path.join(dir, name);
    if (!(await readIfExists(file))?.includes(markOf(name))) continue;
    await fs.rm(file, { force: true });
    const previous = path.join(dir, previousOf(name));
    if ((await readIfExists(previous)) !== undefined) await fs.rename(previous, file);
  }
  await removeFetchRefspecs(root);
}

/** Which of our hook files are installed. */
export async function shareHooksInstalled(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of SHARE_HOOK_FILES) if ((await readIfExists(path.join(dir, name)))?.includes(markOf(name))) out.push(name);
  return out;
}
