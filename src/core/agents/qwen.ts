// Qwen Code: hooks in .qwen/settings.json, Claude Code's shape (PreToolUse / PostToolUse with `tool_name`,
// `tool_input`, `tool_use_id`, `session_id`, `cwd`; QwenLM/qwen-code docs/users/features/hooks.md). Its tools
// (packages/core/src/tools/tool-names.ts): write_file `{ file_path, content }`, edit `{ file_path, old_string,
// new_string, replace_all, modified_by_user, ai_proposed_content }` (earlier named replace; WriteFile and Edit
// are their display names).
import { Agent } from './agent';
import { anyString, optionalReplacement, pathUnder } from './fields';
import { baseEvent, isObject, optString, PayloadError, phaseOf } from './payload';

const WRITE = new Set(['write_file', 'WriteFile']);
const EDIT = new Set(['edit', 'replace', 'Edit']);

export const qwen: Agent<'qwen'> = {
  name: 'qwen',
  label: 'Qwen Code',
  parse(p) {
    const phase = phaseOf(optString(p, 'hook_event_name'), 'PreToolUse', 'PostToolUse');
    const tool = optString(p, 'tool_name') ?? '';
    const e = baseEvent('qwen', p, phase ?? 'post', tool);
    if (!phase || !isObject(p.tool_input)) return e;
    const input = p.tool_input;
    if (WRITE.has(tool)) {
      e.files = [{ path: pathUnder(input, ['file_path'], 'tool_input'), content: anyString(input, ['content'], 'tool_input') ?? '', edits: [] }];
    } else if (EDIT.has(tool)) {
      const edit = optionalReplacement(input, ['old_string'], ['new_string'], 'tool_input', input.replace_all === true);
      if (!edit) throw new PayloadError('tool_input.new_string is missing');
      e.files = [{ path: pathUnder(input, ['file_path'], 'tool_input'), edits: [edit] }];
    }
    // As in Gemini CLI, which Qwen Code descends from: when the user modified the proposal, the params
    // hold the user's text and ai_proposed_content the model's; only the model's lines are the agent's.
    if (e.files.length && input.modified_by_user === true) {
      e.files[0].userModified = true;
      if (typeof input.ai_proposed_content === 'string') e.files[0].proposal = input.ai_proposed_content;
    }
    return e;
  },
  hooks: {
    file: '.qwen/settings.json',
    shape: 'groups',
    events: ['PreToolUse', 'PostToolUse'],
    matcher: 'write_file|edit|replace|WriteFile|Edit',
    note: 'Qwen Code runs project hooks only in a trusted folder.',
  },
};
