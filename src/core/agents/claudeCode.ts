// Claude Code: https://docs.anthropic.com/en/docs/claude-code/hooks (PreToolUse / PostToolUse, matcher Write|Edit|MultiEdit|Bash; Bash runs a shell command).
import { Agent } from './agent';
import { baseEvent, claudeTool, optString, phaseOf } from './payload';

export const claudeCode: Agent<'claude-code'> = {
  name: 'claude-code',
  label: 'Claude Code',
  parse(p) {
    const phase = phaseOf(optString(p, 'hook_event_name'), 'PreToolUse', 'PostToolUse');
    const tool = optString(p, 'tool_name') ?? '';
    const e = baseEvent('claude-code', p, phase ?? 'post', tool);
    if (phase) e.files = claudeTool(tool, p);
    return e;
  },
  hooks: { file: '.claude/settings.json', shape: 'groups', events: ['PreToolUse', 'PostToolUse'], matcher: 'Write|Edit|MultiEdit|Bash' },
};
