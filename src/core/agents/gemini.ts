// Gemini CLI: https://geminicli.com/docs/hooks/reference (BeforeTool / AfterTool; write_file and replace).
import { Agent } from './agent';
import { baseEvent, isObject, optString, phaseOf, replacement, reqString } from './payload';

export const gemini: Agent<'gemini'> = {
  name: 'gemini',
  label: 'Gemini CLI',
  parse(p) {
    const phase = phaseOf(optString(p, 'hook_event_name'), 'BeforeTool', 'AfterTool');
    const tool = optString(p, 'tool_name') ?? '';
    const e = baseEvent('gemini', p, phase ?? 'post', tool);
    if (!phase) return e;
    const input = isObject(p.tool_input) ? p.tool_input : {};
    if (tool === 'write_file') {
      e.files = [{ path: reqString(input, 'file_path', 'tool_input'), content: reqString(input, 'content', 'tool_input'), edits: [] }];
    } else if (tool === 'replace' || tool === 'edit') {
      const many = input.allow_multiple === true || (typeof input.expected_replacements === 'number' && input.expected_replacements > 1);
      e.files = [{ path: reqString(input, 'file_path', 'tool_input'), edits: [replacement(input, 'old_string', 'new_string', 'tool_input', many)] }];
    }
    return e;
  },
  hooks: { file: '.gemini/settings.json', shape: 'groups', events: ['BeforeTool', 'AfterTool'], matcher: 'write_file|replace|run_shell_command', name: 'ai-provenance' },
};
