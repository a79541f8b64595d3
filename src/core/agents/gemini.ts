// Gemini CLI: https://geminicli.com/docs/hooks/reference (BeforeTool / AfterTool; write_file and replace);
// the tools' params (modified_by_user, ai_proposed_content) in packages/core/src/tools/edit.ts and write-file.ts of google-gemini/gemini-cli.
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
    // "Modify with external editor": the params now hold the user's text, and ai_proposed_content the
    // model's (for replace, only its new_string). An accept in the IDE's diff view rewrites
    // old_string/new_string to the whole file without a flag; the BeforeTool snapshot's proposal tells that apart.
    if (e.files.length && input.modified_by_user === true) {
      e.files[0].userModified = true;
      if (typeof input.ai_proposed_content === 'string') e.files[0].proposal = input.ai_proposed_content;
    }
    return e;
  },
  hooks: { file: '.gemini/settings.json', shape: 'groups', events: ['BeforeTool', 'AfterTool'], matcher: 'write_file|replace|run_shell_command', name: 'ai-provenance' },
};
