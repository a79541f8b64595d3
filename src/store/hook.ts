/**
 * The git pre-commit hook: install, uninstall, status. Shared by the CLI and the extension's
 * commands. Hook managers (husky, lefthook, the pre-commit framework) own their files; for them we
 * only say which line to add.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writeAtomic } from './atomicWrite';
import { getConfig, gitPath } from './git';
import { installShareHooks, uninstallShareHooks } from './shareHookFiles';
import { WARN_POLICY_COPY } from './repository';

const MARK = '# ai-provenance pre-commit hook';
const PREVIOUS = 'pre-commit.ai-provenance-previous';

export type HookManager = 'husky' | 'lefthook' | 'pre-commit';

export type HookState =
  | { kind: 'installed'; hookFile: string; chained: boolean; node: string; cli: string }
  | { kind: 'missing'; hookFile: string }
  | { kind: 'foreign'; hookFile: string }
  | { kind: 'managed'; manager: HookManager; integrated: boolean; instructions: string };

/** Which Node and CLI the hook runs (src/store/runtime.ts decides). */
export interface HookPaths {
  /** Absolute path of the Node binary the hook should run (recorded at install time). */
  node: string;
  /** Absolute path of the bundled CLI. */
  cli: string;
}

export async function hooksDir(root: string): Promise<string> {
  return gitPath(root, 'hooks');
}

/** Which hook manager, if any, owns this repository's hooks. */
export async function detectManager(root: string, dir: string): Promise<HookManager | undefined> {
  const hooksPath = await getConfig(root, 'core.hooksPath');
  if (hooksPath && /(^|\/)\.husky(\/|$)/.test(hooksPath)) return 'husky';
  const exists = async (p: string): Promise<boolean> => fs.access(path.join(root, p)).then(() => true, () => false);
  for (const f of ['lefthook.yml', 'lefthook.yaml', '.lefthook.yml', '.lefthook.yaml', 'lefthook.json', 'lefthook.toml']) {
    if (await exists(f)) return 'lefthook';
  }
  if (await exists('.pre-commit-config.yaml')) return 'pre-commit';
  const current = await readIfExists(path.join(dir, 'pre-commit'));
  if (current?.includes('lefthook')) return 'lefthook';
  if (current?.includes('pre-commit.com') || current?.includes('pre_commit')) return 'pre-commit';
  if (current?.includes('husky')) return 'husky';
  return undefined;
}

const CHECK_LINE = 'npx --no-install ai-provenance check --staged';

function managerInstructions(manager: HookManager): string {
  switch (manager) {
    case 'husky':
      return `husky manages this repository's hooks. Add this line to .husky/pre-commit:\n\n  ${CHECK_LINE}\n`;
    case 'lefthook':
      return `lefthook manages this repository's hooks. Add this to lefthook.yml:\n\npre-commit:\n  commands:\n    ai-provenance:\n      run: ${CHECK_LINE}\n`;
    case 'pre-commit':
      return [
        'The pre-commit framework manages this repository\'s hooks. Add this to .pre-commit-config.yaml:',
        '',
        '- repo: local',
        '  hooks:',
        '    - id: ai-provenance',
        '      name: AI Provenance',
        `      entry: ${CHECK_LINE}`,
        '      language: system',
        '      pass_filenames: false',
        '',
      ].join('\n');
  }
}

async function managerIntegrated(root: string, manager: HookManager): Promise<boolean> {
  const files =
    manager === 'husky' ? ['.husky/pre-commit'] : manager === 'lefthook' ? ['lefthook.yml', 'lefthook.yaml', '.lefthook.yml', '.lefthook.yaml', 'lefthook.json', 'lefthook.toml'] : ['.pre-commit-config.yaml'];
  for (const f of files) {
    if ((await readIfExists(path.join(root, f)))?.includes('ai-provenance')) return true;
  }
  return false;
}

export async function hookStatus(root: string): Promise<HookState> {
  const dir = await hooksDir(root);
  const hookFile = path.join(dir, 'pre-commit');
  const current = await readIfExists(hookFile);
  if (current?.includes(MARK)) {
    const chained = await readIfExists(path.join(dir, PREVIOUS)) !== undefined;
    return { kind: 'installed', hookFile, chained, node: field(current, 'AIP_NODE'), cli: field(current, 'AIP_CLI') };
  }
  const manager = await detectManager(root, dir);
  if (manager) return { kind: 'managed', manager, integrated: await managerIntegrated(root, manager), instructions: managerInstructions(manager) };
  return current === undefined ? { kind: 'missing', hookFile } : { kind: 'foreign', hookFile };
}

/**
 * Installs our hook. An existing foreign hook is kept beside it and run after our check. Running
 * it again only refreshes the recorded paths.
 */
export async function installHook(root: string, paths: HookPaths): Promise<HookState> {
  const dir = await hooksDir(root);
  const manager = await detectManager(root, dir);
  const hookFile = path.join(dir, 'pre-commit');
  const current = await readIfExists(hookFile);
  if (manager && !current?.includes(MARK)) {
    return { kind: 'managed', manager, integrated: await managerIntegrated(root, manager), instructions: managerInstructions(manager) };
  }
  await fs.mkdir(dir, { recursive: true });
  if (current !== undefined && !current.includes(MARK)) await keepPrevious(dir, hookFile, current);
  // A hook that is there keeps its permissions (a user's 0700, say), but must stay runnable.
  await writeAtomic(hookFile, hookScript(paths), { mode: 0o755, executable: true });
  await installShareHooks(root, dir, paths);
  return hookStatus(root);
}

/**
 * Saves the foreign hook we replace as the one ours runs after its check. When one is saved already
 * (another tool replaced our hook since we were installed), that older one is not overwritten: it
 * moves to `<PREVIOUS>.1` (or the next free number), since the hook that was in effect just now is
 * the one to keep running and to put back on uninstall, and the user's first hook must not be lost.
 */
async function keepPrevious(dir: string, hookFile: string, current: string): Promise<void> {
  const previous = path.join(dir, PREVIOUS);
  const saved = await readIfExists(previous);
  if (saved !== undefined && saved !== current) {
    let n = 1;
    while ((await readIfExists(`${previous}.${n}`)) !== undefined) n++;
    await fs.rename(previous, `${previous}.${n}`);
  }
  await fs.rename(hookFile, previous);
}

/** Removes our hook and puts back whatever was there before (older saved hooks stay where they are). */
export async function uninstallHook(root: string): Promise<HookState> {
  const dir = await hooksDir(root);
  const hookFile = path.join(dir, 'pre-commit');
  const current = await readIfExists(hookFile);
  if (current?.includes(MARK)) {
    await fs.rm(hookFile, { force: true });
    const previous = path.join(dir, PREVIOUS);
    if (await readIfExists(previous) !== undefined) await fs.rename(previous, hookFile);
  }
  await uninstallShareHooks(root, dir);
  return hookStatus(root);
}

function field(script: string, name: string): string {
  const m = new RegExp(`^${name}='([^']*)'`, 'm').exec(script);
  return m ? m[1] : '';
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The hook itself: plain sh, needs no VS Code, finds Node at the recorded path first, then on PATH. */
export function hookScript(paths: HookPaths): string {
  return `#!/bin/sh
${MARK}
# Installed by \`ai-provenance hook install\`; \`ai-provenance hook uninstall\` restores the previous hook.
AIP_NODE=${shellQuote(paths.node)}
AIP_CLI=${shellQuote(paths.cli)}

hooks_dir=$(dirname "$0")
if [ -x "$AIP_NODE" ]; then
  node="$AIP_NODE"
elif command -v node >/dev/null 2>&1; then
  node=node
else
  node=
fi

if [ -f "$AIP_CLI" ] && [ -n "$node" ]; then
  # The recorded Node may be VS Code's own Electron (where no other Node was found), which runs
  # a script only with ELECTRON_RUN_AS_NODE set; a real Node ignores it.
  ELECTRON_RUN_AS_NODE=1 "$node" "$AIP_CLI" check --staged --quiet 1>&2
  status=$?
elif command -v ai-provenance >/dev/null 2>&1; then
  ai-provenance check --staged --quiet 1>&2
  status=$?
else
  # Without Node the policy cannot be parsed, so it warns only when it is byte for byte the copy the
  # CLI kept after finding it valid with "onError": "warn"; anything else (an edited or invalid
  # policy, no copy yet) blocks.
  store=$(git rev-parse --git-path ai-provenance 2>/dev/null)
  if [ -n "$store" ] && [ -f .ai-provenance.json ] && cmp -s .ai-provenance.json "$store/${WARN_POLICY_COPY}" 2>/dev/null; then
    echo "AI Provenance could not check this commit: Node.js or the ai-provenance CLI was not found (looked for $AIP_NODE and $AIP_CLI); the repository policy says warn, so the commit goes ahead." >&2
    status=0
  else
    echo "AI Provenance blocked this commit: Node.js or the ai-provenance CLI was not found (looked for $AIP_NODE and $AIP_CLI); run 'ai-provenance hook install' again." >&2
    status=2
  fi
fi

if [ "$status" -ne 0 ]; then
  echo "(git commit --no-verify skips this check; ai-provenance check still finds the code.)" >&2
  exit "$status"
fi

if [ -x "$hooks_dir/${PREVIOUS}" ]; then
  exec "$hooks_dir/${PREVIOUS}" "$@"
fi
exit 0
`;
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}
