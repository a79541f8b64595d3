// Kiro (IDE 1.x and CLI v3): hook files .kiro/hooks/*.json, `{ version: "v1", hooks: [{ trigger: "PreToolUse", matcher,
// action: { type: "command", command } }] }` (https://kiro.dev/docs/cli/v3/hooks/). The command gets
// `{ hook_event_name, cwd, tool_name, tool_input, tool_response }` on stdin (https://kiro.dev/docs/cli/hooks, and the
// fs_write tool's input in aws/amazon-q-developer-cli crates/chat-cli/src/cli/chat/tools/fs_write.rs).
import { Agent } from './agent';
import { anyString, optionalReplacement, pathUnder } from './fields';
import { AgentEvent, FileChange, isObject, Json, optString, PayloadError } from './payload';

/** fs_write: `command` create / str_replace / insert / append, with `path`, `file_text`, `old_str`, `new_str`, `insert_line`. */
function fsWrite(input: Json): FileChange[] {
  const where = 'tool_input';
  const path = pathUnder(input, ['path'], where);
  const command = anyString(input, ['command'], where);
  const newText = anyString(input, ['new_str'], where);
  switch (command) {
    case 'create':
      return [{ path, content: anyString(input, ['file_text'], where) ?? newText ?? '', edits: [] }];
    case 'str_replace': {
      const edit = optionalReplacement(input, ['old_str'], ['new_str'], where);
      if (!edit) throw new PayloadError('tool_input.new_str is missing');
      return [{ path, edits: [edit] }];
    }
    case 'insert':
    case 'append': {
      if (newText === undefined) throw new PayloadError('tool_input.new_str is missing');
      // Inserted after line insert_line (0: at the top); appended text is found from the end.
      const line = command === 'insert' ? Number(input.insert_line) + 1 : Number.MAX_SAFE_INTEGER;
      return [{ path, edits: [{ oldText: '', newText, ...(Number.isFinite(line) ? { line } : {}) }] }];
    }
    default:
      throw new PayloadError(`tool_input.command ${JSON.stringify(command)} is not one of create, str_replace, insert, append`);
  }
}

export const kiro: Agent<'kiro'> = {
  name: 'kiro',
  label: 'Kiro',
  parse(p) {
    // The CLI wrote preToolUse before v3; the v3 and IDE 1.x hook files say PreToolUse.
    const event = (optString(p, 'hook_event_name') ?? '').toLowerCase();
    const phase = event === 'pretooluse' ? 'pre' : event === 'posttooluse' ? 'post' : undefined;
    const tool = optString(p, 'tool_name') ?? '';
    const e: AgentEvent = {
      agent: 'kiro',
      phase: phase ?? 'post',
      tool,
      session: optString(p, 'session_id'),
      toolUseId: optString(p, 'tool_use_id'),
      cwd: optString(p, 'cwd'),
      files: [],
    };
    const response = isObject(p.tool_response) ? p.tool_response : undefined;
    if (!phase || response?.success === false) return e;
    if ((tool === 'fs_write' || tool === 'write') && isObject(p.tool_input)) e.files = fsWrite(p.tool_input);
    return e;
  },
  hooks: {
    file: '.kiro/hooks/ai-provenance.json',
    shape: 'kiro',
    events: ['PreToolUse', 'PostToolUse'],
    matcher: 'fs_write|write',
    name: 'ai-provenance',
    timeout: 30,
    note: 'Kiro IDE 1.x and Kiro CLI 3 read .kiro/hooks/; Kiro CLI 2 reads hooks only from an agent config in .kiro/agents/.',
  },
};
