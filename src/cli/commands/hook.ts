import { hookStatus, HookState, installHook, OneHookState, uninstallHook } from '../../store/hook';
import { locate } from '../../store/git';
import { hookRuntime } from '../../store/runtime';
import { UsageError } from '../args';
import { Command } from '../command';
import { runHook } from './hookRun';

export const hookCommand: Command = {
  usage: 'ai-provenance hook install | uninstall | status | run <hook> [args]',
  summary: 'manage the git hooks: pre-commit runs `check --staged`, post-commit writes the commit\'s provenance note',
  flags: {},
  async run(args, io) {
    const [action, ...rest] = args.positionals;
    if (action === 'run') return runHook(rest[0], rest.slice(1), io);
    if (rest.length || !['install', 'uninstall', 'status'].includes(action)) throw new UsageError('expected one of: install, uninstall, status');
    const repo = await locate(io.cwd);
    let state: HookState;
    // __filename is the bundle itself, dist/cli.js, wherever it was started from (a PATH link, npx).
    if (action === 'install') state = await installHook(repo.root, hookRuntime(__filename, 'cli'));
    else if (action === 'uninstall') state = await uninstallHook(repo.root);
    else state = await hookStatus(repo.root);
    io.out(describeHook(state, action) + '\n');
    if (action === 'status' || state.kind !== 'managed') io.out(state.hooks.map((h) => `  ${describeOne(h)}\n`).join(''));
    if (action === 'status') return state.kind === 'installed' || (state.kind === 'managed' && state.integrated) ? 0 : 1;
    return 0;
  },
};

function describeOne(h: OneHookState): string {
  switch (h.kind) {
    case 'installed':
      return `${h.name}: installed${h.chained ? ' (the previous hook runs after it)' : ''}`;
    case 'missing':
      return `${h.name}: not installed`;
    case 'foreign':
      return `${h.name}: another tool's hook (install keeps it and runs it after ours)`;
    case 'managed':
      return `${h.name}: ${h.integrated ? 'run by the hook manager' : 'not yet in the hook manager\'s configuration'}`;
  }
}

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
