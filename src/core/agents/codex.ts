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
    file: '.codex/hooks.json',
    shape: 'groups',
    events: ['PreToolUse', 'PostToolUse'],
    matcher: 'apply_patch|Bash',
    note: 'Codex runs a new project hook only after you trust it: review it with /hooks in Codex.',
  },
};
