/**
 * `ai-provenance agents install|uninstall|status`: puts our hook into (or takes it out of) the
 * project configuration of coding agents that run in a terminal, so the lines they write are
 * recorded by `ai-provenance record`. Exit codes: 0 done (for status: every agent asked about is
 * installed), 1 status found one not installed, 2 an error (nothing was written).
 */
import { Agent, agentNamed, AGENT_NAMES, AGENTS } from '../../core/agents';
import { AgentConfigError, agentHookStatus, AgentHookState, installAgentHooks, uninstallAgentHooks } from '../../store/agentConfig';
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
    // __filename is the bundle itself, dist/cli.js: what the hooks will run.
    const runtime = hookRuntime(__filename, 'cli');
    try {
      if (action === 'status') {
        let missing = 0;
        for (const agent of agents) {
          const state = await agentHookStatus(repo.root, agent, runtime);
          if (state.kind !== 'installed') missing++;
          io.out(`${agent.name.padEnd(12)}${describeState(agent, state)}\n`);
        }
        return missing ? 1 : 0;
      }
      for (const agent of agents) {
        const spec = agent.hooks;
        if (action === 'install') {
          const { changed } = await installAgentHooks(repo.root, agent, runtime);
          io.out(`${changed ? 'Installed' : 'Already installed:'} the ${agent.name} hooks in ${spec.file} (${spec.events.join(', ')}).\n`);
          if (spec.note) io.out(`  ${spec.note}\n`);
        } else {
          const { changed } = await uninstallAgentHooks(repo.root, agent, runtime);
          io.out(changed ? `Removed the ${agent.name} hooks from ${spec.file}.\n` : `No ${agent.name} hook to remove in ${spec.file}.\n`);
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
    case 'outdated':
      return `outdated in ${state.file}: ${state.found.length < agent.hooks.events.length ? `only ${state.found.join(', ')}` : 'it runs another copy of the CLI'} (run: ai-provenance agents install ${agent.name})`;
    case 'invalid':
      return `cannot tell: ${state.error}`;
  }
}
