// Claude Code: https://code.claude.com/docs/en/hooks (PreToolUse / PostToolUse, matcher Write|Edit|MultiEdit|NotebookEdit|Bash;
// Bash runs a shell command); tool inputs and results as the Agent SDK's sdk-tools.d.ts declares them
// (FileEditOutput, FileWriteOutput, NotebookEditInput/Output).
import { Agent } from './agent';
import { baseEvent, claudeTool, FileChange, foreignHost, isObject, Json, NotebookCellEdit, objectField, optString, PayloadError, phaseOf, reqString } from './payload';

const CELL_MODES: readonly NotebookCellEdit['mode'][] = ['replace', 'insert', 'delete'];

export const claudeCode: Agent<'claude-code'> = {
  name: 'claude-code',
  label: 'Claude Code',
  parse(p) {
    const phase = phaseOf(optString(p, 'hook_event_name'), 'PreToolUse', 'PostToolUse');
    const tool = optString(p, 'tool_name') ?? '';
    const e = baseEvent('claude-code', p, phase ?? 'post', tool);
    // VS Code and Cursor also run the hooks of .claude/settings.json, with their own payloads and
    // tools; their edits are recorded by their own hooks (or the editor), never twice.
    if (!phase || foreignHost(p)) return e;
    e.files = tool === 'NotebookEdit' ? notebookEdit(p) : claudeTool(tool, p);
    return e;
  },
  hooks: {
    // The project's personal settings, this clone's alone (src/store/agentConfig.ts says why).
    file: '.claude/settings.local.json',
    personal: true,
    formerFiles: ['.claude/settings.json'],
    shape: 'groups', events: ['PreToolUse', 'PostToolUse'], matcher: 'Write|Edit|MultiEdit|NotebookEdit|Bash',
  },
};

/** NotebookEdit: one cell of a .ipynb replaced, inserted or deleted (tool_input.new_source; the result's old_source and original_file). */
function notebookEdit(p: Json): FileChange[] {
  const input = objectField(p, 'tool_input');
  const path = reqString(input, 'notebook_path', 'tool_input');
  const mode = input.edit_mode ?? 'replace';
  if (!CELL_MODES.includes(mode as NotebookCellEdit['mode'])) throw new PayloadError(`tool_input.edit_mode is not one of ${CELL_MODES.join(', ')}`);
  const response = isObject(p.tool_response) ? p.tool_response : undefined;
  if (typeof response?.error === 'string' && response.error !== '') return [];
  const cell: NotebookCellEdit = { mode: mode as NotebookCellEdit['mode'], source: mode === 'delete' ? '' : reqString(input, 'new_source', 'tool_input') };
  const cellId = optString(input, 'cell_id');
  if (cellId) cell.cellId = cellId;
  if (typeof response?.old_source === 'string') cell.oldSource = response.old_source;
  const change: FileChange = { path, edits: [], cell };
  if (typeof response?.original_file === 'string') change.original = response.original_file;
  return [change];
}
