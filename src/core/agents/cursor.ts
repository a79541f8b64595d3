// Cursor: https://cursor.com/docs/agent/hooks (afterFileEdit; afterTabFileEdit adds a range per edit).
import { Agent } from './agent';
import { AgentEvent, arrayField, baseEvent, FileChange, isObject, optString, PayloadError, replacement, reqString } from './payload';

export const cursor: Agent<'cursor'> = {
  name: 'cursor',
  label: 'Cursor',
  parse(p) {
    const event = optString(p, 'hook_event_name') ?? 'afterFileEdit';
    const roots = p.workspace_roots;
    const e: AgentEvent = {
      ...baseEvent('cursor', p, 'post', event),
      session: optString(p, 'conversation_id') ?? optString(p, 'session_id'),
      cwd: Array.isArray(roots) && typeof roots[0] === 'string' ? roots[0] : optString(p, 'cwd'),
    };
    if (event !== 'afterFileEdit' && event !== 'afterTabFileEdit') return e;
    e.inline = event === 'afterTabFileEdit';
    const change: FileChange = { path: reqString(p, 'file_path', 'payload'), edits: [] };
    for (const [i, ed] of arrayField(p, 'edits').entries()) {
      if (!isObject(ed)) throw new PayloadError(`edits[${i}] is not an object`);
      const edit = replacement(ed, 'old_string', 'new_string', `edits[${i}]`, false);
      const range = isObject(ed.range) ? ed.range : undefined;
      if (range && typeof range.start_line_number === 'number') edit.line = range.start_line_number;
      change.edits.push(edit);
    }
    e.files = [change];
    return e;
  },
  hooks: {
    file: '.cursor/hooks.json',
    shape: 'cursor',
    // Cursor offers no pre-edit hook with the file: the payload's old_string/new_string rebuild what was there.
    events: ['afterFileEdit', 'afterTabFileEdit'],
  },
};
