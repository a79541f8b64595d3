// Codex: https://developers.openai.com/codex/hooks (apply_patch carries the patch in tool_input.command).
import { Agent } from './agent';
import { parsePatch, patchText } from './patch';
import { baseEvent, optString, phaseOf } from './payload';

export const codex: Agent<'codex'> = {
  name: 'codex',
  label: 'Codex CLI',
  parse(p) {
    const phase = phaseOf(optString(p, 'hook_event_name'), 'PreToolUse', 'PostToolUse');
    const tool = optString(p, 'tool_name') ?? '';
    const e = baseEvent('codex', p, phase ?? 'post', tool);
    if (phase && tool === 'apply_patch') e.files = parsePatch(patchText(p.tool_input));
    return e;
  },
  hooks: {
    // The user's hooks.json in CODEX_HOME, for every repository: a project hook would have every teammate's Codex ask to trust it (src/store/agentConfig.ts).
    file: '.codex/hooks.json',
    location: 'home',
    homeEnv: 'CODEX_HOME',
    formerFiles: ['.codex/hooks.json'],
    trust: 'codex',
    shape: 'groups',
    events: ['PreToolUse', 'PostToolUse'],
    matcher: 'apply_patch|Bash',
    note: 'In your own Codex config: Codex\'s edits are recorded in every repository on this machine.',
  },
};
