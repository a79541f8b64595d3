/**
 * `ai-provenance agents install|uninstall|status`: puts our hook into (or takes it out of) the
 * configuration of coding agents that run in a terminal, so the lines they write are recorded by
 * `ai-provenance record`, and points this machine's resolver (`~/.ai-provenance/hook`) at this CLI.
 * What goes where, and why, is in src/store/agentConfig.ts. Exit codes: 0 done (for status: every
 * agent asked about is installed), 1 status found one not installed, stale or waiting for approval,
 * 2 an error (nothing was written).
 */
import { Agent, agentNamed, AGENT_NAMES, AGENTS } from '../../core/agents';
import { VERSION } from '../../core/version';
import { AgentConfigError, agentHookStatus, AgentHookState, HookContext, installAgentHooks, uninstallAgentHooks } from '../../store/agentConfig';
import { Repository } from '../../store/repository';
import { hookRuntime } from '../../store/runtime';
import { UsageError } from '../args';
import { Command } from '../command';

export const agentsCommand: Command = {
  usage: `ai-provenance agents install|uninstall <agent>... | status [<agent>...]`,
  summary: `add or remove the hooks that record what coding agents write (${AGENT_NAMES.join(', ')})`,
  flags: {},
  async run(args, io) {
    const [action, ...names] = args.positionals;
    if (!['install', 'uninstall', 'status'].includes(action)) throw new UsageError('expected one of: install, uninstall, status');
    if (action !== 'status' && names.length === 0) throw new UsageError(`name the agent(s): ${AGENT_NAMES.join(', ')}`);
    const agents: Agent[] = [];
    for (const name of new Set(names)) {
      const agent = agentNamed(name);
      if (!agent) throw new UsageError(`unknown agent "${name}"; one of ${AGENT_NAMES.join(', ')}`);
      agents.push(agent);
    }
    if (agents.length === 0) agents.push(...AGENTS);
    const repo = await Repository.open(io.cwd);
    // __filename is the bundle itself, dist/cli.js: what the resolver will run.
    const ctx: HookContext = { runtime: hookRuntime(__filename, 'cli'), version: VERSION };
    try {
      if (action === 'status') {
        let notReady = 0;
        for (const agent of agents) {
          const state = await agentHookStatus(repo.root, agent, ctx);
          if (state.kind !== 'installed') notReady++;
          io.out(`${agent.name.padEnd(12)}${describeState(agent, state)}\n`);
        }
        return notReady ? 1 : 0;
      }
      for (const agent of agents) {
        const spec = agent.hooks;
        if (action === 'install') {
          const { state, changed, moved } = await installAgentHooks(repo.root, agent, ctx);
          io.out(`${changed ? 'Installed' : 'Already installed:'} the ${agent.name} hooks in ${state.file} (${spec.events.join(', ')}).\n`);
          for (const from of moved) io.out(`  Moved out of ${from}, where an earlier version put them with this machine's paths.\n`);
          if (spec.note) io.out(`  ${spec.note}\n`);
          if (state.kind === 'needs-approval') io.out(`  Needs approval in the agent: ${state.problems.join('; ')}.\n`);
        } else {
          const { state, changed } = await uninstallAgentHooks(repo.root, agent, ctx);
          io.out(changed ? `Removed the ${agent.name} hooks from ${state.file}.\n` : `No ${agent.name} hook to remove in ${state.file}.\n`);
        }
      }
      return 0;
    } catch (e) {
      if (!(e instanceof AgentConfigError)) throw e;
      io.err(`ai-provenance agents: ${e.message}\n`);
      return 2;
    }
  },
};

function describeState(agent: Agent, state: AgentHookState): string {
  switch (state.kind) {
    case 'installed':
      return `installed in ${state.file}`;
    case 'missing':
      return `not installed (run: ai-provenance agents install ${agent.name})`;
    case 'stale':
      return `stale in ${state.file}: ${state.problems.join('; ')} (run: ai-provenance agents install ${agent.name})`;
    case 'needs-approval':
      return `needs approval in the agent, in ${state.file}: ${state.problems.join('; ')}`;
    case 'invalid':
      return `cannot tell: ${state.error}`;
  }
}
