// CodeBuddy Code (Tencent): hooks in .codebuddy/settings.json, "fully compatible with the Claude Code hooks
// specification": the same events, payloads and exit codes (https://www.codebuddy.ai/docs/zh/cli/hooks), and
// Claude Code's Write / Edit / MultiEdit tool inputs.
import { Agent } from './agent';
import { claudeCode } from './claudeCode';

export const codebuddy: Agent<'codebuddy'> = {
  name: 'codebuddy',
  label: 'CodeBuddy Code',
  parse: (p) => ({ ...claudeCode.parse(p), agent: 'codebuddy' }),
  hooks: {
    // The project's personal settings, as Claude Code's settings.local.json: CodeBuddy reads its hooks there too.
    file: '.codebuddy/settings.local.json',
    personal: true,
    shape: 'groups',
    events: ['PreToolUse', 'PostToolUse'],
    matcher: 'Write|Edit|MultiEdit',
    note: 'CodeBuddy applies hooks changed outside it once you review them in /hooks.',
  },
};
