// Factory Droid: https://docs.factory.ai/reference/hooks-reference (PreToolUse / PostToolUse in .factory/settings.json,
// `{ session_id, cwd, hook_event_name, tool_name: "Create", tool_input: { file_path, content } }`). Earlier
// releases sent the same fields in camelCase (hookEventName, sessionId, toolName, toolInput).
import { Agent } from './agent';
import { anyString, optionalReplacement, pathUnder } from './fields';
import { parsePatch, patchText } from './patch';
import { AgentEvent, arrayField, FileChange, isObject, Json, optString, PayloadError, phaseOf } from './payload';

const OLD = ['old_str', 'old_string', 'oldStr'];
const NEW = ['new_str', 'new_string', 'newStr'];

function filesOf(tool: string, input: Json): FileChange[] {
  const where = 'tool_input';
  if (tool === 'ApplyPatch') return parsePatch(patchText(input));
  if (tool !== 'Create' && tool !== 'Edit' && tool !== 'MultiEdit') return [];
  const path = pathUnder(input, ['file_path', 'filePath', 'path'], where);
  if (tool === 'Create') return [{ path, content: anyString(input, ['content'], where) ?? '', edits: [] }];
  const items = tool === 'Edit' ? [input] : arrayField(input, 'edits', where);
  const change: FileChange = { path, edits: [] };
  for (const [i, item] of items.entries()) {
    if (!isObject(item)) throw new PayloadError(`tool_input.edits[${i}] is not an object`);
    const edit = optionalReplacement(item, OLD, NEW, tool === 'Edit' ? where : `tool_input.edits[${i}]`, item.replace_all === true);
    if (!edit) throw new PayloadError(`${tool === 'Edit' ? where : `tool_input.edits[${i}]`}.new_str is missing`);
    change.edits.push(edit);
  }
  return [change];
}

export const droid: Agent<'droid'> = {
  name: 'droid',
  label: 'Factory Droid',
  parse(p) {
    const phase = phaseOf(optString(p, 'hook_event_name') ?? optString(p, 'hookEventName'), 'PreToolUse', 'PostToolUse');
    const tool = optString(p, 'tool_name') ?? optString(p, 'toolName') ?? '';
    const e: AgentEvent = {
      agent: 'droid',
      phase: phase ?? 'post',
      tool,
      session: optString(p, 'session_id') ?? optString(p, 'sessionId'),
      toolUseId: optString(p, 'tool_use_id') ?? optString(p, 'toolUseId'),
      cwd: optString(p, 'cwd'),
      files: [],
    };
    const input = p.tool_input ?? p.toolInput;
    if (phase && isObject(input)) e.files = filesOf(tool, input);
    return e;
  },
  hooks: {
    file: '.factory/settings.json',
    shape: 'groups',
    events: ['PreToolUse', 'PostToolUse'],
    matcher: 'Create|Edit|MultiEdit|ApplyPatch',
    note: 'Droid reads these hooks only while .factory/hooks.json does not exist; with one, move them there (/hooks in Droid).',
  },
};
