import { hookStatus, HookState, installHook, uninstallHook } from '../../store/hook';
import { Repository } from '../../store/repository';
import { hookRuntime } from '../../store/runtime';
import { UsageError } from '../args';
import { Command, Io } from '../command';
import { runShareHook, ShareHookName } from '../../store/shareHooks';

export const hookCommand: Command = {
  usage: 'ai-provenance hook install | uninstall | status',
  summary: 'manage the git pre-commit hook that runs `check --staged`',
  flags: {},
  async run(args, io) {
    const [action, ...rest] = args.positionals;
    if (action === 'run') return runHook(rest, io);
    if (rest.length || !['install', 'uninstall', 'status'].includes(action)) throw new UsageError('expected one of: install, uninstall, status');
    const repo = await Repository.open(io.cwd);
    let state: HookState;
    // __filename is the bundle itself, dist/cli.js, wherever it was started from (a PATH link, npx).
    if (action === 'install') state = await installHook(repo.root, hookRuntime(__filename, 'cli'));
    else if (action === 'uninstall') state = await uninstallHook(repo.root);
    else state = await hookStatus(repo.root);
    io.out(describeHook(state, action) + '\n');
    if (action === 'status') return state.kind === 'installed' || (state.kind === 'managed' && state.integrated) ? 0 : 1;
    return 0;
  },
};

function describeHook(state: HookState, action: string): string {
  switch (state.kind) {
    case 'installed':
      return `${action === 'install' ? 'Installed' : 'Installed:'} ${state.hookFile}${state.chained ? ' (the previous pre-commit hook runs after the check)' : ''}; Node: ${state.node}.`;
    case 'missing':
      return action === 'uninstall' ? `Uninstalled; no pre-commit hook is left at ${state.hookFile}.` : `Not installed (no hook at ${state.hookFile}). Run: ai-provenance hook install`;
    case 'foreign':
      return action === 'uninstall' ? `Uninstalled; the previous hook is back at ${state.hookFile}.` : `Not installed: ${state.hookFile} is another tool's hook. Run: ai-provenance hook install (it keeps that hook and runs it after the check).`;
    case 'managed':
      return state.integrated ? `${state.manager} manages the hooks and already runs ai-provenance.` : state.instructions.trimEnd();
  }
}

const SHARE_HOOKS: readonly ShareHookName[] = ['post-rewrite', 'post-merge', 'pre-push', 'post-commit'];
const isShareHook = (name: string | undefined): name is ShareHookName => SHARE_HOOKS.some((h) => h === name);

/** `hook run <name> [args]`, what the installed hook scripts call; never fails the git operation. */
async function runHook([name, ...hookArgs]: string[], io: Io): Promise<number> {
  if (!isShareHook(name)) throw new UsageError(`unknown hook "${name}"`);
  let lines: string[];
  try {
    const repo = await Repository.open(io.cwd);
    const stdin = name === 'post-rewrite' || name === 'pre-push' ? await io.stdin() : '';
    lines = await runShareHook(repo.root, name, hookArgs, stdin);
  } catch (e) {
    lines = [`AI Provenance ${name} hook failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`];
  }
  for (const line of lines) io.err(line + '\n');
  return 0;
}
