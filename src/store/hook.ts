/**
 * The git hooks we install (HOOKS: pre-commit, post-commit, ...): install, uninstall, status, each
 * chained to the hook it replaced. Shared by the CLI and the extension's commands. Hook managers (husky, lefthook, the pre-commit framework) own their files; for them we
 * only say which line to add.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writeAtomic } from './atomicWrite';
import { getConfig, gitPath } from './git';
import { addFetchRefspecs, removeFetchRefspecs } from './share';
import { WARN_POLICY_COPY } from '../core/policyFile';
import { PENDING_FILE } from '../core/trailers';

/** One git hook we install: what runs in it, and whether it may stop the git operation. */
export interface HookSpec {
  /** The git hook's name (the file in the hooks directory). */
  name: string;
  /** A blocking hook's failure stops the git operation (pre-commit); a non-blocking one never does (post-*). */
  blocking: boolean;
  /** git passes data on stdin (pre-push, post-rewrite): the script keeps it for our CLI and the chained hook. */
  stdin: boolean;
  /** The CLI arguments the hook runs (git's hook arguments follow). */
  args: string[];
  /** What the hook is for, in a few words (status output). */
  purpose: string;
  /** The line a hook manager's configuration needs to run it. */
  managerLine: string;
  /**
   * The hook that was there runs before ours, and its failure stops the git operation (pre-push:
   * the user's checks may still refuse the push, and the notes go only with a push that happens).
   */
  previousFirst?: boolean;
  /**
   * A shell test that a non-blocking hook checks before starting Node: our CLI runs only when it
   * holds (a cheap look that spares every commit a Node start when there is nothing to do). The
   * hook it replaced runs either way.
   */
  guard?: string;
}

/** Every hook `hook install` installs, in the order status reports them. Add an entry to add a hook. */
export const HOOKS: readonly HookSpec[] = [
  { name: 'pre-commit', blocking: true, stdin: false, args: ['check', '--staged', '--quiet'], purpose: 'the commit gate', managerLine: 'npx --no-install ai-provenance check --staged' },
  { name: 'post-commit', blocking: false, stdin: false, args: ['hook', 'run', 'post-commit'], purpose: 'writes the commit\'s provenance note', managerLine: 'npx --no-install ai-provenance hook run post-commit' },
  { name: 'post-rewrite', blocking: false, stdin: true, args: ['hook', 'run', 'post-rewrite'], purpose: 'carries notes through amend and rebase', managerLine: 'npx --no-install ai-provenance hook run post-rewrite' },
  { name: 'post-merge', blocking: false, stdin: false, args: ['hook', 'run', 'post-merge'], purpose: 'merges fetched notes; carries notes to squash merges', managerLine: 'npx --no-install ai-provenance hook run post-merge' },
  { name: 'pre-push', blocking: false, stdin: true, previousFirst: true, args: ['hook', 'run', 'pre-push'], purpose: 'pushes the notes with the branches', managerLine: 'npx --no-install ai-provenance hook run pre-push' },
  // Only a policy that mentions the value can ask for trailers; the store holds a file only while trailers wait for the editor.
  { name: 'prepare-commit-msg', blocking: false, stdin: false, args: ['hook', 'run', 'prepare-commit-msg'], purpose: 'adds Assisted-by trailers (policy "trailers")', managerLine: 'npx --no-install ai-provenance hook run prepare-commit-msg', guard: 'grep -qs assisted-by .ai-provenance.json' },
  { name: 'commit-msg', blocking: false, stdin: false, args: ['hook', 'run', 'commit-msg'], purpose: 'adds Assisted-by trailers to a message written in the editor', managerLine: 'npx --no-install ai-provenance hook run commit-msg', guard: `[ -f "$(git rev-parse --git-path ai-provenance/${PENDING_FILE})" ]` },
];

export function hookSpec(name: string): HookSpec | undefined {
  return HOOKS.find((h) => h.name === name);
}

const PRE_COMMIT = HOOKS[0];

function mark(spec: HookSpec): string {
  return `# ai-provenance ${spec.name} hook`;
}

function previousName(spec: HookSpec): string {
  return `${spec.name}.ai-provenance-previous`;
}

export type HookManager = 'husky' | 'lefthook' | 'pre-commit';


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

function managerInstructions(manager: HookManager): string {
  switch (manager) {
    case 'husky':
      return HOOKS.flatMap((h, i) => [`${i === 0 ? "husky manages this repository's hooks. Add this line to" : 'and this line to'} .husky/${h.name}:`, '', `  ${h.managerLine}`, '']).join('\n');
    case 'lefthook':
      return ["lefthook manages this repository's hooks. Add this to lefthook.yml:", '', ...HOOKS.flatMap((h) => [`${h.name}:`, '  commands:', '    ai-provenance:', `      run: ${h.managerLine}`]), ''].join('\n');
    case 'pre-commit':
      return [
        "The pre-commit framework manages this repository's hooks. Add this to .pre-commit-config.yaml:",
        '',
        '- repo: local',
        '  hooks:',
        ...HOOKS.flatMap((h) => [
          `    - id: ai-provenance-${h.name}`,
          `      name: AI Provenance (${h.purpose})`,
          `      entry: ${h.managerLine}`,
          '      language: system',
          '      pass_filenames: false',
          ...(h.name === 'pre-commit' ? [] : ['      always_run: true', `      stages: [${h.name}]`]),
        ]),
        '',
        `and run: pre-commit install ${HOOKS.map((h) => `--hook-type ${h.name}`).join(' ')}`,
        '',
      ].join('\n');
  }
}

/** Whether the manager's configuration runs this hook's line. */
async function managerIntegrated(root: string, manager: HookManager, spec: HookSpec): Promise<boolean> {
  const files =
    manager === 'husky' ? [`.husky/${spec.name}`] : manager === 'lefthook' ? ['lefthook.yml', 'lefthook.yaml', '.lefthook.yml', '.lefthook.yaml', 'lefthook.json', 'lefthook.toml'] : ['.pre-commit-config.yaml'];
  const needle = spec.managerLine.replace('npx --no-install ', '');
  for (const f of files) {
    if ((await readIfExists(path.join(root, f)))?.includes(needle)) return true;
  }
  return false;
}

/** The state of one of our hooks in the hooks directory. */
export type OneHookState =
  | { name: string; kind: 'installed'; hookFile: string; chained: boolean; node: string; cli: string }
  | { name: string; kind: 'missing'; hookFile: string }
  | { name: string; kind: 'foreign'; hookFile: string }
  | { name: string; kind: 'managed'; integrated: boolean };

/**
 * All our hooks at once. `kind` sums them up for callers that ask one question (is it installed?):
 * `installed` when every hook is, otherwise the first hook that is not decides, and `hookFile`
 * names that hook. `hooks` has each one.
 */
export type HookState = (
  | { kind: 'installed'; hookFile: string; chained: boolean; node: string; cli: string }
  | { kind: 'missing'; hookFile: string }
  | { kind: 'foreign'; hookFile: string }
  | { kind: 'managed'; manager: HookManager; integrated: boolean; instructions: string }
) & { hooks: OneHookState[] };

async function oneStatus(dir: string, spec: HookSpec): Promise<OneHookState> {
  const hookFile = path.join(dir, spec.name);
  const current = await readIfExists(hookFile);
  if (current?.includes(mark(spec))) {
    const chained = (await readIfExists(path.join(dir, previousName(spec)))) !== undefined;
    return { name: spec.name, kind: 'installed', hookFile, chained, node: field(current, 'AIP_NODE'), cli: field(current, 'AIP_CLI') };
  }
  return current === undefined ? { name: spec.name, kind: 'missing', hookFile } : { name: spec.name, kind: 'foreign', hookFile };
}

export async function hookStatus(root: string): Promise<HookState> {
  const dir = await hooksDir(root);
  const manager = await detectManager(root, dir);
  const hooks: OneHookState[] = [];
  for (const spec of HOOKS) {
    const state = await oneStatus(dir, spec);
    // A manager owns the files; ours count only where they are there already (installed before the manager came).
    hooks.push(manager && state.kind !== 'installed' ? { name: spec.name, kind: 'managed', integrated: await managerIntegrated(root, manager, spec) } : state);
  }
  if (manager && hooks.some((h) => h.kind === 'managed')) {
    return { kind: 'managed', manager, integrated: hooks.every((h) => h.kind === 'installed' || (h.kind === 'managed' && h.integrated)), instructions: managerInstructions(manager), hooks };
  }
  const first = hooks.find((h) => h.kind !== 'installed');
  if (first?.kind === 'missing' || first?.kind === 'foreign') return { kind: first.kind, hookFile: first.hookFile, hooks };
  const pre = hooks.find((h) => h.name === PRE_COMMIT.name);
  const chained = hooks.some((h) => h.kind === 'installed' && h.chained);
  return pre?.kind === 'installed' ? { kind: 'installed', hookFile: pre.hookFile, chained, node: pre.node, cli: pre.cli, hooks } : { kind: 'missing', hookFile: path.join(dir, PRE_COMMIT.name), hooks };
}

/**
 * Installs every hook of HOOKS. An existing foreign hook is kept beside ours and run after it.
 * Running it again only refreshes the recorded paths (and adds hooks a newer version brought).
 * Where a hook manager owns the hooks, nothing is written: the state carries its instructions.
 */
export async function installHook(root: string, paths: HookPaths): Promise<HookState> {
  const dir = await hooksDir(root);
  const manager = await detectManager(root, dir);
  for (const spec of HOOKS) {
    const hookFile = path.join(dir, spec.name);
    const current = await readIfExists(hookFile);
    if (manager && !current?.includes(mark(spec))) continue;
    await fs.mkdir(dir, { recursive: true });
    if (current !== undefined && !current.includes(mark(spec))) await keepPrevious(dir, spec, hookFile, current);
    // A hook that is there keeps its permissions (a user's 0700, say), but must stay runnable.
    await writeAtomic(hookFile, hookScript(paths, spec), { mode: 0o755, executable: true });
  }
  // `git fetch` brings teammates' notes only in a clone where the hooks are ours to install.
  if (!manager) await addFetchRefspecs(root);
  return hookStatus(root);
}

/**
 * Saves the foreign hook we replace as the one ours runs after its check. When one is saved already
 * (another tool replaced our hook since we were installed), that older one is not overwritten: it
 * moves to `<previous>.1` (or the next free number), since the hook that was in effect just now is
 * the one to keep running and to put back on uninstall, and the user's first hook must not be lost.
 */
async function keepPrevious(dir: string, spec: HookSpec, hookFile: string, current: string): Promise<void> {
  const previous = path.join(dir, previousName(spec));
  const saved = await readIfExists(previous);
  if (saved !== undefined && saved !== current) {
    let n = 1;
    while ((await readIfExists(`${previous}.${n}`)) !== undefined) n++;
    await fs.rename(previous, `${previous}.${n}`);
  }
  await fs.rename(hookFile, previous);
}

/** Removes our hooks and puts back whatever was there before each (older saved hooks stay where they are). */
export async function uninstallHook(root: string): Promise<HookState> {
  const dir = await hooksDir(root);
  for (const spec of HOOKS) {
    const hookFile = path.join(dir, spec.name);
    const current = await readIfExists(hookFile);
    if (!current?.includes(mark(spec))) continue;
    await fs.rm(hookFile, { force: true });
    const previous = path.join(dir, previousName(spec));
    if ((await readIfExists(previous)) !== undefined) await fs.rename(previous, hookFile);
  }
  await removeFetchRefspecs(root);
  return hookStatus(root);
}

function field(script: string, name: string): string {
  const m = new RegExp(`^${name}='([^']*)'`, 'm').exec(script);
  return m ? m[1] : '';
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * A hook script: plain sh, needs no VS Code, finds Node at the recorded path first, then on PATH,
 * runs our CLI with git's arguments, then the hook it replaced (with the same arguments and stdin).
 * A blocking hook stops the operation when the CLI fails (and then does not run the previous hook);
 * a non-blocking one reports a failure on one line and always goes on.
 */
export function hookScript(paths: HookPaths, spec: HookSpec = PRE_COMMIT): string {
  const args = spec.args.join(' ');
  const previous = previousName(spec);
  const head = `#!/bin/sh
${mark(spec)}
# Installed by \`ai-provenance hook install\`; \`ai-provenance hook uninstall\` restores the previous hook.
AIP_NODE=${shellQuote(paths.node)}
AIP_CLI=${shellQuote(paths.cli)}

# Where this script is, without a subshell and a dirname process (git names hooks by a path).
case $0 in */*) hooks_dir=\${0%/*} ;; *) hooks_dir=. ;; esac
if [ -x "$AIP_NODE" ]; then
  node="$AIP_NODE"
elif command -v node >/dev/null 2>&1; then
  node=node
else
  node=
fi
`;
  // git's stdin is read once: kept in a file for our CLI and the previous hook alike.
  const input = spec.stdin
    ? `
input=$(mktemp "\${TMPDIR:-/tmp}/ai-provenance-hook.XXXXXX") || exit ${spec.blocking ? 2 : 0}
trap 'rm -f "$input"' EXIT
cat > "$input"
`
    : '';
  const from = spec.stdin ? '< "$input"' : '</dev/null';
  const chain = spec.stdin
    ? `if [ -x "$hooks_dir/${previous}" ]; then
  "$hooks_dir/${previous}" "$@" < "$input"
  exit $?
fi
exit 0
`
    : `if [ -x "$hooks_dir/${previous}" ]; then
  exec "$hooks_dir/${previous}" "$@"
fi
exit 0
`;
  if (spec.previousFirst) {
    return `${head}${input}
if [ -x "$hooks_dir/${previous}" ]; then
  "$hooks_dir/${previous}" "$@" ${from} || exit $?
fi
if [ -f "$AIP_CLI" ] && [ -n "$node" ]; then
  ELECTRON_RUN_AS_NODE=1 "$node" "$AIP_CLI" ${args} "$@" ${from} 1>&2
elif command -v ai-provenance >/dev/null 2>&1; then
  ai-provenance ${args} "$@" ${from} 1>&2
fi
# Ours never stops the operation.
exit 0
`;
  }
  if (!spec.blocking) {
    const run = `if [ -f "$AIP_CLI" ] && [ -n "$node" ]; then
  # The recorded Node may be VS Code's own Electron (where no other Node was found), which runs
  # a script only with ELECTRON_RUN_AS_NODE set; a real Node ignores it.
  ELECTRON_RUN_AS_NODE=1 "$node" "$AIP_CLI" ${args} "$@" ${from} 1>&2
elif command -v ai-provenance >/dev/null 2>&1; then
  ai-provenance ${args} "$@" ${from} 1>&2
else
  echo "AI Provenance (${spec.name}): Node.js or the ai-provenance CLI was not found (looked for $AIP_NODE and $AIP_CLI); run 'ai-provenance hook install' again." >&2
fi`;
    return `${head}${input}
${spec.guard ? `if ${spec.guard}; then\n${run.replace(/^/gm, '  ')}\nfi` : run}
# This hook never fails the git operation.

${chain}`;
  }
  return `${head}${input}
if [ -f "$AIP_CLI" ] && [ -n "$node" ]; then
  # The recorded Node may be VS Code's own Electron (where no other Node was found), which runs
  # a script only with ELECTRON_RUN_AS_NODE set; a real Node ignores it.
  ELECTRON_RUN_AS_NODE=1 "$node" "$AIP_CLI" ${args} "$@" ${from} 1>&2
  status=$?
elif command -v ai-provenance >/dev/null 2>&1; then
  ai-provenance ${args} "$@" ${from} 1>&2
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
  echo "(git commit --no-verify skips this check, not the record: the commit's note still lists these lines, and ai-provenance verify in CI fails on them.)" >&2
  exit "$status"
fi

${chain}`;
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}
