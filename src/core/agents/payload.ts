/**
 * What every agent's hook payload is reduced to, and the careful readers the agents' parsers share.
 * Pure: the caller reads stdin and the files. Foreign JSON is checked field by field; an error
 * names the field.
 */

/** The payload cannot be understood: not JSON, or a documented field has the wrong type. */
export class PayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadError';
  }
}

/** One replacement a tool made: `oldText` became `newText` (every occurrence when `all`). */
export interface TextEdit {
  oldText: string;
  newText: string;
  all?: boolean;
  /** 1-based line near which the edit happened, when the agent says so; breaks ties between equal candidates. */
  line?: number;
  /** Patch hunks are whole lines: `newText` only matches at line boundaries. */
  wholeLines?: boolean;
}

/** What a tool did to one file, as far as its payload tells. */
export interface FileChange {
  /** As the agent named it: absolute, or relative to the event's `cwd`. */
  path: string;
  /** The whole new content, when the tool wrote the file (Write, write_file, create_file, a patch's Add File). */
  content?: string;
  /** The replacements, in the order the tool applied them. */
  edits: TextEdit[];
  /** The file's content before the tool ran, when the payload carries it (`null`: it did not exist). */
  original?: string | null;
  /** The tool created the file, so it was empty before. */
  created?: boolean;
  /** The tool deleted the file. */
  deleted?: boolean;
  /** The path it had before the tool moved it (a patch's Move to). */
  movedFrom?: string;
  /**
   * The user changed the tool's proposal before accepting it (Claude Code's `userModified`,
   * Gemini CLI's `modified_by_user`): only the lines the model proposed are the agent's.
   */
  userModified?: boolean;
  /** What the model proposed (its new text), when the payload carries it apart from what was written. */
  proposal?: string;
  /** A notebook tool wrote one cell's source (Claude Code's NotebookEdit). */
  cell?: NotebookCellEdit;
}

/** One cell a notebook tool replaced, inserted or deleted; see ./notebook.ts for how it maps to file lines. */
export interface NotebookCellEdit {
  mode: 'replace' | 'insert' | 'delete';
  /** The cell's new source. */
  source: string;
  /** The cell's source before, when the payload carries it (`old_source`). */
  oldSource?: string;
  /** The cell the tool named: the edited cell, or for an insert the one the new cell follows. */
  cellId?: string;
}

export interface AgentEvent {
  /** The agent's registry name (src/core/agents/index.ts). */
  agent: string;
  /** Before the tool runs (take a snapshot) or after it ran (record what changed). */
  phase: 'pre' | 'post';
  /** The agent's name for the tool or event, for messages. */
  tool: string;
  /** Cursor Tab is an inline completion, not an agent: its text is recorded as `inline`. */
  inline?: boolean;
  session?: string;
  model?: string;
  toolUseId?: string;
  /** Where relative paths start: the payload's cwd (Cursor: the first workspace root). */
  cwd?: string;
  /** Empty when the tool changes no file (a read, a shell command): nothing to record. */
  files: FileChange[];
  /** The tool runs a shell command: what it changed is found by comparing the repository before and after it (store/shellSnapshot.ts). */
  shell?: boolean;
}

/**
 * The agents' shell tools, by the name their hook payloads give them: Claude Code's and Codex's
 * `Bash`, Gemini CLI's `run_shell_command`, VS Code's `run_in_terminal`, Cursor's `Shell`, and
 * Copilot CLI's `bash` and `powershell`.
 */
export const SHELL_TOOLS: ReadonlySet<string> = new Set(['Bash', 'run_shell_command', 'run_in_terminal', 'Shell', 'bash', 'powershell']);

export type Json = Record<string, unknown>;

/** The event fields most agents share, with no files yet. */
export function baseEvent(agent: string, p: Json, phase: 'pre' | 'post', tool: string): AgentEvent {
  return {
    agent,
    phase,
    tool,
    session: optString(p, 'session_id') ?? optString(p, 'sessionId'),
    model: optString(p, 'model'),
    toolUseId: optString(p, 'tool_use_id'),
    cwd: optString(p, 'cwd'),
    files: [],
    ...(SHELL_TOOLS.has(tool) ? { shell: true } : {}),
  };
}

/** PreToolUse/PostToolUse as Claude Code, Codex and VS Code name them; a missing name means after (a post-only hook). */
export function phaseOf(name: string | undefined, pre: string, post: string): 'pre' | 'post' | undefined {
  if (name === undefined || name === post) return 'post';
  if (name === pre) return 'pre';
  return undefined;
}

/**
 * Claude Code's Write / Edit / MultiEdit inputs. The tool result (`tool_response`) says what was
 * written, which differs from `tool_input` when the user changed the proposal in the permission
 * dialog (`userModified`); its `originalFile` is the file as the tool found it.
 */
export function claudeTool(tool: string, p: Json): FileChange[] {
  if (tool !== 'Write' && tool !== 'Edit' && tool !== 'MultiEdit') return [];
  const input = objectField(p, 'tool_input');
  const path = reqString(input, 'file_path', 'tool_input');
  const change: FileChange = { path, edits: [] };
  const response = isObject(p.tool_response) ? p.tool_response : undefined;
  // Held for the machine owner's review instead of written: the file is unchanged.
  if (response?.staged === true) return [];
  if (response?.userModified === true) change.userModified = true;
  const original = response?.originalFile;
  // A Write's originalFile is null for a new file, and also for an update whose old content was too large to include.
  if (typeof original === 'string' || (original === null && !(tool === 'Write' && response?.type === 'update'))) change.original = original;
  if (tool === 'Write') {
    const proposed = reqString(input, 'content', 'tool_input');
    change.content = typeof response?.content === 'string' ? response.content : proposed;
    if (change.content !== proposed) change.proposal = proposed;
    if (response?.type === 'create') change.created = true;
  } else if (tool === 'Edit') {
    const proposed = replacement(input, 'old_string', 'new_string', 'tool_input', input.replace_all === true);
    const written = typeof response?.newString === 'string' ? replacement(response, 'oldString', 'newString', 'tool_response', response.replaceAll === true) : proposed;
    change.edits.push(written);
    if (written.newText !== proposed.newText) change.proposal = proposed.newText;
  } else {
    for (const [i, ed] of reqArray(input, 'edits', 'tool_input').entries()) {
      if (!isObject(ed)) throw new PayloadError(`tool_input.edits[${i}] is not an object`);
      change.edits.push(replacement(ed, 'old_string', 'new_string', `tool_input.edits[${i}]`, ed.replace_all === true));
    }
  }
  return [change];
}

/**
 * Which other program sent a payload to a hook configured for one agent, from the payload's shape:
 * VS Code runs the hooks of `.claude/settings.json` (camelCase `hookEventName`, `sessionId`), and so
 * does Cursor with third-party hooks enabled (`conversation_id`, `workspace_roots`, `cursor_version`).
 */
export function foreignHost(p: Json): 'vscode' | 'cursor' | 'copilot-cli' | undefined {
  if (p.cursor_version !== undefined || p.workspace_roots !== undefined || p.conversation_id !== undefined) return 'cursor';
  if (p.hook_event_name === undefined && (p.hookEventName !== undefined || p.sessionId !== undefined)) return 'vscode';
  if (p.toolName !== undefined || p.toolArgs !== undefined) return 'copilot-cli';
  return undefined;
}

export function replacement(o: Json, oldKey: string, newKey: string, where: string, all: boolean): TextEdit {
  const oldText = o[oldKey] ?? '';
  const newText = o[newKey];
  if (typeof oldText !== 'string') throw new PayloadError(`${where}.${oldKey} is not a string`);
  if (typeof newText !== 'string') throw new PayloadError(`${where}.${newKey} is missing or not a string`);
  return all ? { oldText, newText, all } : { oldText, newText };
}

/** VS Code's tools name their file under one of several keys. */
export function filePathOf(o: Json): string {
  for (const key of ['filePath', 'file_path', 'path']) {
    const v = o[key];
    if (typeof v === 'string' && v !== '') return v;
  }
  throw new PayloadError('tool_input names no file (expected filePath)');
}

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function objectField(o: Json, key: string): Json {
  const v = o[key];
  if (!isObject(v)) throw new PayloadError(`${key} is missing or not an object`);
  return v;
}

/** An optional list: absent is empty, anything but an array is an error naming the field. */
export function arrayField(o: Json, key: string, where?: string): unknown[] {
  const v = o[key] ?? [];
  if (!Array.isArray(v)) throw new PayloadError(`${where ? `${where}.` : ''}${key} is not an array`);
  return v;
}

/** A list the payload must carry. */
export function reqArray(o: Json, key: string, where: string): unknown[] {
  const v = o[key];
  if (!Array.isArray(v)) throw new PayloadError(`${where}.${key} is not an array`);
  return v;
}

export function reqString(o: Json, key: string, where: string): string {
  const v = o[key];
  if (typeof v !== 'string' || (key.endsWith('path') && v === '')) throw new PayloadError(`${where}.${key} is missing or not a string`);
  return v;
}

export function optString(o: Json, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}
