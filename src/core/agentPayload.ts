/**
 * Agent hook payloads: what Claude Code, Cursor, Codex, VS Code's agent hooks (Copilot) and Gemini
 * CLI send on stdin when one of their tools is about to change or has changed files, reduced to one
 * shape. Pure: the caller reads stdin and the files.
 */

export const AGENTS = ['claude-code', 'cursor', 'codex', 'copilot', 'gemini'] as const;
export type AgentName = (typeof AGENTS)[number];

export function isAgent(value: unknown): value is AgentName {
  return typeof value === 'string' && (AGENTS as readonly string[]).includes(value);
}

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
}

export interface AgentEvent {
  agent: AgentName;
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
}

type Json = Record<string, unknown>;

/**
 * Parses one hook payload. Throws PayloadError when it is not JSON or a field that matters has the
 * wrong type; returns an event with no files for tools and events that change no file.
 */
export function parseAgentPayload(agent: AgentName, text: string): AgentEvent {
  if (text.trim() === '') throw new PayloadError('the hook payload on stdin is empty');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new PayloadError(`the hook payload on stdin is not valid JSON (${(e as Error).message})`);
  }
  if (!isObject(parsed)) throw new PayloadError('the hook payload on stdin is not a JSON object');
  switch (agent) {
    case 'claude-code':
      return claudeCode(parsed);
    case 'cursor':
      return cursor(parsed);
    case 'codex':
      return codex(parsed);
    case 'copilot':
      return copilot(parsed);
    case 'gemini':
      return gemini(parsed);
  }
}

function base(agent: AgentName, p: Json, phase: 'pre' | 'post', tool: string): AgentEvent {
  return {
    agent,
    phase,
    tool,
    session: optString(p, 'session_id') ?? optString(p, 'sessionId'),
    model: optString(p, 'model'),
    toolUseId: optString(p, 'tool_use_id'),
    cwd: optString(p, 'cwd'),
    files: [],
  };
}

/** PreToolUse/PostToolUse as Claude Code, Codex and VS Code name them; a missing name means after (a post-only hook). */
function phaseOf(name: string | undefined, pre: string, post: string): 'pre' | 'post' | undefined {
  if (name === undefined || name === post) return 'post';
  if (name === pre) return 'pre';
  return undefined;
}

// Claude Code: https://docs.anthropic.com/en/docs/claude-code/hooks (PreToolUse / PostToolUse, matcher Write|Edit|MultiEdit).
function claudeCode(p: Json): AgentEvent {
  const event = optString(p, 'hook_event_name');
  const phase = phaseOf(event, 'PreToolUse', 'PostToolUse');
  const tool = optString(p, 'tool_name') ?? '';
  const e = base('claude-code', p, phase ?? 'post', tool);
  if (!phase) return e;
  e.files = claudeTool(tool, p);
  return e;
}

/** Write / Edit / MultiEdit inputs; VS Code also sends these names when it runs hooks from Claude's settings files. */
function claudeTool(tool: string, p: Json): FileChange[] {
  if (tool !== 'Write' && tool !== 'Edit' && tool !== 'MultiEdit') return [];
  const input = objectField(p, 'tool_input');
  const path = reqString(input, 'file_path', 'tool_input');
  const change: FileChange = { path, edits: [] };
  const response = isObject(p.tool_response) ? p.tool_response : undefined;
  // Claude Code's own tool result carries the file as the tool found it; the best "before" there is.
  if (response && (typeof response.originalFile === 'string' || response.originalFile === null)) change.original = response.originalFile;
  if (tool === 'Write') {
    change.content = reqString(input, 'content', 'tool_input');
    if (response?.type === 'create') change.created = true;
  } else if (tool === 'Edit') {
    change.edits.push(replacement(input, 'old_string', 'new_string', 'tool_input', input.replace_all === true));
  } else {
    const edits = input.edits;
    if (!Array.isArray(edits)) throw new PayloadError('tool_input.edits is not an array');
    for (const [i, ed] of edits.entries()) {
      if (!isObject(ed)) throw new PayloadError(`tool_input.edits[${i}] is not an object`);
      change.edits.push(replacement(ed, 'old_string', 'new_string', `tool_input.edits[${i}]`, ed.replace_all === true));
    }
  }
  return [change];
}

// Cursor: https://cursor.com/docs/agent/hooks (afterFileEdit; afterTabFileEdit adds a range per edit).
function cursor(p: Json): AgentEvent {
  const event = optString(p, 'hook_event_name') ?? 'afterFileEdit';
  const e: AgentEvent = {
    ...base('cursor', p, 'post', event),
    session: optString(p, 'conversation_id') ?? optString(p, 'session_id'),
    cwd: Array.isArray(p.workspace_roots) && typeof p.workspace_roots[0] === 'string' ? p.workspace_roots[0] : optString(p, 'cwd'),
  };
  if (event !== 'afterFileEdit' && event !== 'afterTabFileEdit') return e;
  e.inline = event === 'afterTabFileEdit';
  const path = reqString(p, 'file_path', 'payload');
  const edits = p.edits ?? [];
  if (!Array.isArray(edits)) throw new PayloadError('edits is not an array');
  const change: FileChange = { path, edits: [] };
  for (const [i, ed] of edits.entries()) {
    if (!isObject(ed)) throw new PayloadError(`edits[${i}] is not an object`);
    const edit = replacement(ed, 'old_string', 'new_string', `edits[${i}]`, false);
    const range = isObject(ed.range) ? ed.range : undefined;
    if (range && typeof range.start_line_number === 'number') edit.line = range.start_line_number;
    change.edits.push(edit);
  }
  e.files = [change];
  return e;
}

// Codex: https://developers.openai.com/codex/hooks (apply_patch carries the patch in tool_input.command).
function codex(p: Json): AgentEvent {
  const phase = phaseOf(optString(p, 'hook_event_name'), 'PreToolUse', 'PostToolUse');
  const tool = optString(p, 'tool_name') ?? '';
  const e = base('codex', p, phase ?? 'post', tool);
  if (!phase || tool !== 'apply_patch') return e;
  e.files = parsePatch(patchText(p.tool_input));
  return e;
}

function patchText(input: unknown): string {
  if (typeof input === 'string') return input;
  if (isObject(input)) {
    for (const key of ['command', 'patch', 'input']) {
      const v = input[key];
      if (typeof v === 'string') return v;
      // Older Codex builds sent the shell form: ["apply_patch", "<patch>"].
      if (Array.isArray(v)) {
        const found = v.find((x): x is string => typeof x === 'string' && x.includes('*** Begin Patch'));
        if (found) return found;
      }
    }
  }
  throw new PayloadError('tool_input carries no patch (expected tool_input.command)');
}

// VS Code agent hooks: https://code.visualstudio.com/docs/copilot/customization/hooks (tool_name, tool_input, tool_use_id).
// PostToolUse fires before the user clicks Keep or Undo; an Undo puts the old text back on disk, and
// re-anchoring then drops the markers whose lines are gone, so nothing needs doing here.
const COPILOT_WRITE = new Set(['create_file']);
const COPILOT_REPLACE = new Set(['replace_string_in_file', 'edit_file']);
const COPILOT_SNAPSHOT_ONLY = new Set(['insert_edit_into_file', 'editFiles', 'edit_notebook_file']);

function copilot(p: Json): AgentEvent {
  const phase = phaseOf(optString(p, 'hookEventName') ?? optString(p, 'hook_event_name'), 'PreToolUse', 'PostToolUse');
  const tool = optString(p, 'tool_name') ?? '';
  const e = base('copilot', p, phase ?? 'post', tool);
  if (!phase) return e;
  const input = isObject(p.tool_input) ? p.tool_input : {};
  if (COPILOT_WRITE.has(tool)) {
    e.files = [{ path: filePathOf(input), content: reqString(input, 'content', 'tool_input'), edits: [], created: true }];
  } else if (COPILOT_REPLACE.has(tool)) {
    e.files = [{ path: filePathOf(input), edits: [replacement(input, 'oldString', 'newString', 'tool_input', false)] }];
  } else if (tool === 'multi_replace_string_in_file') {
    const list = input.replacements;
    if (!Array.isArray(list)) throw new PayloadError('tool_input.replacements is not an array');
    const byPath = new Map<string, FileChange>();
    for (const [i, r] of list.entries()) {
      if (!isObject(r)) throw new PayloadError(`tool_input.replacements[${i}] is not an object`);
      const path = filePathOf(r);
      let change = byPath.get(path);
      if (!change) byPath.set(path, (change = { path, edits: [] }));
      change.edits.push(replacement(r, 'oldString', 'newString', `tool_input.replacements[${i}]`, false));
    }
    e.files = [...byPath.values()];
  } else if (tool === 'apply_patch') {
    e.files = parsePatch(patchText(input));
  } else if (COPILOT_SNAPSHOT_ONLY.has(tool)) {
    // These say which files but not what changed: only a PreToolUse snapshot tells.
    const files = Array.isArray(input.files) ? input.files : [input];
    e.files = files.map((f) => ({ path: typeof f === 'string' ? f : filePathOf(isObject(f) ? f : {}), edits: [] }));
  } else {
    e.files = claudeTool(tool, p);
  }
  return e;
}

// Gemini CLI: https://geminicli.com/docs/hooks/reference (BeforeTool / AfterTool; write_file and replace).
function gemini(p: Json): AgentEvent {
  const phase = phaseOf(optString(p, 'hook_event_name'), 'BeforeTool', 'AfterTool');
  const tool = optString(p, 'tool_name') ?? '';
  const e = base('gemini', p, phase ?? 'post', tool);
  if (!phase) return e;
  const input = isObject(p.tool_input) ? p.tool_input : {};
  if (tool === 'write_file') {
    e.files = [{ path: reqString(input, 'file_path', 'tool_input'), content: reqString(input, 'content', 'tool_input'), edits: [] }];
  } else if (tool === 'replace' || tool === 'edit') {
    const many = input.allow_multiple === true || (typeof input.expected_replacements === 'number' && input.expected_replacements > 1);
    e.files = [{ path: reqString(input, 'file_path', 'tool_input'), edits: [replacement(input, 'old_string', 'new_string', 'tool_input', many)] }];
  }
  return e;
}

/**
 * The files a patch touches, in Codex's envelope (`*** Begin Patch`, `*** Add/Update/Delete File:`,
 * `*** Move to:`, `@@` hunks of ` `/`-`/`+` lines) or as a unified diff (`--- a/…`, `+++ b/…`,
 * `@@ -l,n +l,n @@`). Each hunk becomes one whole-line edit from its old lines to its new lines.
 */
export function parsePatch(text: string): FileChange[] {
  const files: FileChange[] = [];
  let file: FileChange | undefined;
  let added: string[] | undefined; // lines of an Add File
  let oldLines: string[] = [];
  let newLines: string[] = [];
  let hint: number | undefined;
  let unifiedOld: string | undefined;
  // In a unified diff the hunk header counts its lines, so a removed "-- comment" is not taken for a "--- file" header.
  const envelope = /^\*\*\* Begin Patch/m.test(text);
  let remaining = 0;

  const flushHunk = (): void => {
    if (file && !added && (oldLines.length || newLines.length)) {
      file.edits.push({ oldText: oldLines.join('\n'), newText: newLines.join('\n'), wholeLines: true, ...(hint ? { line: hint } : {}) });
    }
    oldLines = [];
    newLines = [];
    hint = undefined;
  };
  const flushFile = (): void => {
    flushHunk();
    if (file && added) file.content = added.length ? added.join('\n') + '\n' : '';
    added = undefined;
    file = undefined;
  };
  const start = (change: FileChange): void => {
    flushFile();
    file = change;
    files.push(change);
  };

  for (const line of text.split(/\r?\n/)) {
    let m: RegExpExecArray | null;
    if ((m = /^\*\*\* Add File: (.+)$/.exec(line))) {
      start({ path: m[1].trim(), edits: [], created: true });
      added = [];
    } else if ((m = /^\*\*\* Update File: (.+)$/.exec(line))) {
      start({ path: m[1].trim(), edits: [] });
    } else if ((m = /^\*\*\* Delete File: (.+)$/.exec(line))) {
      start({ path: m[1].trim(), edits: [], deleted: true });
    } else if ((m = /^\*\*\* Move to: (.+)$/.exec(line))) {
      if (file) {
        file.movedFrom = file.path;
        file.path = m[1].trim();
      }
    } else if (/^\*\*\* (Begin Patch|End Patch|End of File)/.test(line) || /^(diff --git|index |new file mode|deleted file mode|similarity index|rename (from|to) )/.test(line)) {
      continue;
    } else if (!envelope && remaining <= 0 && (m = /^--- (?:a\/)?(.+?)\s*$/.exec(line))) {
      flushFile();
      unifiedOld = m[1];
    } else if ((m = /^\+\+\+ (?:b\/)?(.+?)\s*$/.exec(line)) && unifiedOld !== undefined) {
      if (m[1] === '/dev/null') start({ path: unifiedOld, edits: [], deleted: true });
      else start({ path: m[1], edits: [], ...(unifiedOld === '/dev/null' ? { created: true } : {}) });
      unifiedOld = undefined;
    } else if (line.startsWith('@@')) {
      flushHunk();
      const u = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))?/.exec(line);
      if (u) {
        hint = Number(u[2]);
        remaining = Number(u[1] ?? 1) + Number(u[3] ?? 1);
      }
    } else if (file && added) {
      if (line.startsWith('+')) added.push(line.slice(1));
    } else if (file && !file.deleted) {
      if (line.startsWith('+')) {
        newLines.push(line.slice(1));
        remaining -= 1;
      } else if (line.startsWith('-')) {
        oldLines.push(line.slice(1));
        remaining -= 1;
      } else if (line.startsWith(' ')) {
        oldLines.push(line.slice(1));
        newLines.push(line.slice(1));
        remaining -= 2;
      }
    }
  }
  flushFile();
  if (files.length === 0) throw new PayloadError('the patch names no file (expected "*** Update File: <path>" or a unified diff)');
  return files;
}

function replacement(o: Json, oldKey: string, newKey: string, where: string, all: boolean): TextEdit {
  const oldText = o[oldKey] ?? '';
  const newText = o[newKey];
  if (typeof oldText !== 'string') throw new PayloadError(`${where}.${oldKey} is not a string`);
  if (typeof newText !== 'string') throw new PayloadError(`${where}.${newKey} is missing or not a string`);
  return all ? { oldText, newText, all } : { oldText, newText };
}

function filePathOf(o: Json): string {
  for (const key of ['filePath', 'file_path', 'path']) if (typeof o[key] === 'string' && o[key] !== '') return o[key] as string;
  throw new PayloadError('tool_input names no file (expected filePath)');
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function objectField(o: Json, key: string): Json {
  const v = o[key];
  if (!isObject(v)) throw new PayloadError(`${key} is missing or not an object`);
  return v;
}

function reqString(o: Json, key: string, where: string): string {
  const v = o[key];
  if (typeof v !== 'string' || (key.endsWith('path') && v === '')) throw new PayloadError(`${where}.${key} is missing or not a string`);
  return v;
}

function optString(o: Json, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}
