// Cursor: https://cursor.com/docs/agent/hooks (afterFileEdit; afterTabFileEdit adds a range per edit;
// preToolUse / postToolUse with tool_name, tool_input, tool_use_id, cwd).
import { Agent } from './agent';
import { parsePatch, patchText } from './patch';
import { AgentEvent, arrayField, baseEvent, FileChange, isObject, Json, optString, PayloadError, replacement, reqString } from './payload';

/** Cursor's agent tools that write files, as preToolUse names them. */
const EDIT_TOOLS = new Set(['Write', 'StrReplace', 'MultiEdit', 'Edit', 'EditNotebook', 'ApplyPatch']);

export const cursor: Agent<'cursor'> = {
  name: 'cursor',
  label: 'Cursor',
  parse(p) {
    const event = optString(p, 'hook_event_name') ?? 'afterFileEdit';
    const e: AgentEvent = {
      ...baseEvent('cursor', p, event === 'preToolUse' ? 'pre' : 'post', event),
      session: optString(p, 'conversation_id') ?? optString(p, 'session_id'),
    };
    if (event === 'preToolUse') {
      e.tool = optString(p, 'tool_name') ?? event;
      // afterFileEdit, which records the edit, carries no tool_use_id: the snapshot is keyed without it.
      e.toolUseId = undefined;
      e.files = EDIT_TOOLS.has(e.tool) ? toolFiles(e.tool, p) : [];
      e.cwd = rootOf(p, e.files[0]?.path);
      return e;
    }
    // postToolUse: afterFileEdit, which Cursor sends for the same edit, carries the edits themselves.
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
    e.cwd = rootOf(p, change.path);
    return e;
  },
  hooks: {
    file: '.cursor/hooks.json',
    shape: 'cursor',
    // Without preToolUse the payload's old_string/new_string rebuild what was there.
    events: ['afterFileEdit', 'afterTabFileEdit'],
  },
};

/** The files a file-writing tool names, for the pre-tool snapshot: paths only, the edits come with afterFileEdit. */
function toolFiles(tool: string, p: Json): FileChange[] {
  const input = isObject(p.tool_input) ? p.tool_input : {};
  if (tool === 'ApplyPatch') {
    return parsePatch(patchText(typeof p.tool_input === 'string' ? p.tool_input : input))
      .filter((f) => !f.deleted)
      .map((f) => ({ path: f.movedFrom ?? f.path, edits: [] }));
  }
  for (const key of ['file_path', 'path', 'target_file', 'filePath', 'target_notebook']) {
    const v = input[key];
    if (typeof v === 'string' && v !== '') return [{ path: v, edits: [] }];
  }
  throw new PayloadError('tool_input names no file (expected tool_input.file_path)');
}

/** Where relative paths start: the workspace root holding the file, else the payload's cwd, else the first root. */
function rootOf(p: Json, file: string | undefined): string | undefined {
  const roots = Array.isArray(p.workspace_roots) ? p.workspace_roots.filter((r): r is string => typeof r === 'string' && r !== '') : [];
  const holding = file === undefined ? undefined : roots.find((r) => file === r || file.startsWith(r.endsWith('/') || r.endsWith('\\') ? r : `${r}/`) || file.startsWith(`${r}\\`));
  return holding ?? optString(p, 'cwd') ?? roots[0];
}
