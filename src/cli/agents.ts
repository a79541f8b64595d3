/**
 * `ai-provenance agents install|uninstall|status`: puts our hook into (or takes it out of) the
 * project configuration of coding agents that run in a terminal, so the lines they write are
 * recorded by `ai-provenance record`. Exit codes: 0 done (for status: every agent asked about is
 * installed), 1 status found one not installed, 2 an error (nothing was written).
 */
import * as path from 'node:path';
import { AgentName, AGENTS, isAgent } from '../core/agentPayload';
import { AGENT_HOOKS, AgentConfigError, agentHookStatus, AgentHookState, HookRunner, installAgentHooks, uninstallAgentHooks } from '../store/agentConfig';
import { Repository } from '../store/repository';
import { UsageError } from './args';
import type { Command } from './main';

export const agentsCommand: Command = {
  usage: `ai-provenance agents install|uninstall <agent>... | status [<agent>...]`,
  summary: `add or remove the hooks that record what coding agents write (${AGENTS.join(', ')})`,
  flags: {},
  async run(args, io) {
    const [action, ...names] = args.positionals;
    if (!['install', 'uninstall', 'status'].includes(action)) throw new UsageError('expected one of: install, uninstall, status');
    if (action !== 'status' && names.length === 0) throw new UsageError(`name the agent(s): ${AGENTS.join(', ')}`);
    const unknown = names.find((n) => !isAgent(n));
    if (unknown) throw new UsageError(`unknown agent "${unknown}"; one of ${AGENTS.join(', ')}`);
    const agents = (names.length ? [...new Set(names)] : [...AGENTS]) as AgentName[];
    const repo = await Repository.open(io.cwd);
    const runner = cliRunner();
    try {
      if (action === 'status') {
        let missing = 0;
        for (const agent of agents) {
          const state = await agentHookStatus(repo.root, agent, runner);
          if (state.kind !== 'installed') missing++;
          io.out(`${agent.padEnd(12)}${describeState(agent, state)}\n`);
        }
        return missing ? 1 : 0;
      }
      for (const agent of agents) {
        const spec = AGENT_HOOKS[agent];
        if (action === 'install') {
          const { changed } = await installAgentHooks(repo.root, agent, runner);
          io.out(`${changed ? 'Installed' : 'Already installed:'} the ${agent} hooks in ${spec.file} (${spec.events.join(', ')}).\n`);
          if (spec.note) io.out(`  ${spec.note}\n`);
        } else {
          const { changed } = await uninstallAgentHooks(repo.root, agent, runner);
          io.out(changed ? `Removed the ${agent} hooks from ${spec.file}.\n` : `No ${agent} hook to remove in ${spec.file}.\n`);
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

/** This very CLI, run by this very Node: what the hooks will call. */
export function cliRunner(): HookRunner {
  return { node: process.execPath, cli: path.resolve(process.argv[1] ?? __filename) };
}

function describeState(agent: AgentName, state: AgentHookState): string {
  switch (state.kind) {
    case 'installed':
      return `installed in ${state.file}`;
    case 'missing':
      return `not installed (run: ai-provenance agents install ${agent})`;
    case 'outdated':
      return `outdated in ${state.file}: ${state.found.length < AGENT_HOOKS[agent].events.length ? `only ${state.found.join(', ')}` : 'it runs another copy of the CLI'} (run: ai-provenance agents install ${agent})`;
    case 'invalid':
      return `cannot tell: ${state.error}`;
  }
}
