// The hooks of .github/hooks/*.json, as three programs send them:
// - VS Code agent hooks: https://code.visualstudio.com/docs/copilot/customization/hooks
//   (hookEventName, sessionId, tool_name, tool_input, tool_use_id, tool_response);
// - Copilot CLI and the Copilot cloud agent, https://docs.github.com/en/copilot/reference/copilot-cli-reference/cli-hooks-reference:
//   PascalCase events get snake_case fields (hook_event_name, session_id, tool_name, tool_input, tool_result),
//   camelCase events get camelCase ones (sessionId, toolName, toolArgs, toolResult); tools `edit`, `create`, `apply_patch`.
// PostToolUse fires before the user clicks Keep or Undo in VS Code; an Undo puts the old text back on
// disk, and re-anchoring then drops the markers whose lines are gone, so nothing needs doing here.
import { Agent } from './agent';
import { parsePatch, patchText } from './patch';
import { AgentEvent, baseEvent, claudeTool, FileChange, filePathOf, isObject, Json, optString, PayloadError, phaseOf, replacement, reqArray } from './payload';

const REPLACE = new Set(['replace_string_in_file', 'edit_file']);
const SNAPSHOT_ONLY = new Set(['insert_edit_into_file', 'editFiles', 'edit_notebook_file']);

export const copilot: Agent<'copilot'> = {
  name: 'copilot',
  label: 'VS Code agent hooks (Copilot)',
  parse(p) {
    const camel = p.toolName !== undefined || p.toolArgs !== undefined;
    const named = optString(p, 'hookEventName') ?? optString(p, 'hook_event_name');
    // Copilot CLI's camelCase payloads carry no event name: only the post-tool one has a result.
    const phase = camel && named === undefined ? (p.toolResult === undefined ? 'pre' : 'post') : phaseOf(named, 'PreToolUse', 'PostToolUse');
    const tool = optString(p, 'tool_name') ?? optString(p, 'toolName') ?? '';
    const e: AgentEvent = { ...baseEvent('copilot', p, phase ?? 'post', tool), toolUseId: optString(p, 'tool_use_id') ?? optString(p, 'toolUseId') };
    if (!phase || (phase === 'post' && failed(p))) return e;
    e.files = filesOf(tool, camel ? argsOf(p.toolArgs) : p.tool_input, p);
    return e;
  },
  hooks: {
    file: '.github/hooks/ai-provenance.json',
    shape: 'flat',
    // VS Code agent hooks have no matcher: the recorder ignores tools that write no file.
    events: ['PreToolUse', 'PostToolUse'],
    timeout: 30,
    note: 'VS Code agent hooks are a preview feature; VS Code loads .github/hooks/*.json when agent hooks are enabled.',
  },
};

/** A tool call the CLI reports as failed or denied changed nothing. */
function failed(p: Json): boolean {
  const result = isObject(p.tool_result) ? p.tool_result : isObject(p.toolResult) ? p.toolResult : undefined;
  const type = result && (optString(result, 'result_type') ?? optString(result, 'resultType'));
  return type !== undefined && type !== 'success';
}

/** Copilot CLI's camelCase toolArgs: a JSON string for `edit`/`create`, a raw patch for `apply_patch`, or an object. */
function argsOf(args: unknown): unknown {
  if (typeof args !== 'string') return args;
  try {
    return JSON.parse(args) as unknown;
  } catch {
    return args;
  }
}

function filesOf(tool: string, raw: unknown, p: Json): FileChange[] {
  // A patch as the whole input (Copilot CLI's apply_patch, and the Claude-style names of newer builds).
  if (typeof raw === 'string') return raw.includes('*** Begin Patch') || /^(---|diff --git) /m.test(raw) ? parsePatch(raw) : [];
  const input = isObject(raw) ? raw : {};
  if (tool === 'create_file' || tool === 'create') {
    // create_file may come without its content: the file is new, so every line is the tool's.
    const content = input.content ?? input.file_text;
    if (content !== undefined && typeof content !== 'string') throw new PayloadError(`tool_input.${input.content !== undefined ? 'content' : 'file_text'} is not a string`);
    return [{ path: filePathOf(input), edits: [], created: true, ...(content !== undefined ? { content } : {}) }];
  }
  if (tool === 'edit') return [{ path: filePathOf(input), edits: [replacement(input, 'old_str', 'new_str', 'tool_input', false)] }];
  if (REPLACE.has(tool)) return [{ path: filePathOf(input), edits: [replacement(input, 'oldString', 'newString', 'tool_input', false)] }];
  if (tool === 'multi_replace_string_in_file') {
    const byPath = new Map<string, FileChange>();
    for (const [i, r] of reqArray(input, 'replacements', 'tool_input').entries()) {
      if (!isObject(r)) throw new PayloadError(`tool_input.replacements[${i}] is not an object`);
      const path = filePathOf(r);
      let change = byPath.get(path);
      if (!change) byPath.set(path, (change = { path, edits: [] }));
      change.edits.push(replacement(r, 'oldString', 'newString', `tool_input.replacements[${i}]`, false));
    }
    return [...byPath.values()];
  }
  if (tool === 'apply_patch') return parsePatch(patchText(input));
  if (SNAPSHOT_ONLY.has(tool)) {
    // These say which files but not what changed: only a PreToolUse snapshot tells.
    const files = Array.isArray(input.files) ? input.files : [input];
    return files.map((f) => ({ path: typeof f === 'string' ? f : filePathOf(isObject(f) ? f : {}), edits: [] }));
  }
  return claudeTool(tool, { ...p, tool_input: input });
}
