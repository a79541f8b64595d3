// VS Code agent hooks: https://code.visualstudio.com/docs/copilot/customization/hooks (tool_name, tool_input, tool_use_id).
// PostToolUse fires before the user clicks Keep or Undo; an Undo puts the old text back on disk, and
// re-anchoring then drops the markers whose lines are gone, so nothing needs doing here.
import { Agent } from './agent';
import { parsePatch, patchText } from './patch';
import { baseEvent, claudeTool, FileChange, filePathOf, isObject, optString, PayloadError, phaseOf, replacement, reqArray, reqString } from './payload';

const WRITE = new Set(['create_file']);
const REPLACE = new Set(['replace_string_in_file', 'edit_file']);
const SNAPSHOT_ONLY = new Set(['insert_edit_into_file', 'editFiles', 'edit_notebook_file']);

export const copilot: Agent<'copilot'> = {
  name: 'copilot',
  label: 'VS Code agent hooks (Copilot)',
  parse(p) {
    const phase = phaseOf(optString(p, 'hookEventName') ?? optString(p, 'hook_event_name'), 'PreToolUse', 'PostToolUse');
    const tool = optString(p, 'tool_name') ?? '';
    const e = baseEvent('copilot', p, phase ?? 'post', tool);
    if (!phase) return e;
    const input = isObject(p.tool_input) ? p.tool_input : {};
    if (WRITE.has(tool)) {
      e.files = [{ path: filePathOf(input), content: reqString(input, 'content', 'tool_input'), edits: [], created: true }];
    } else if (REPLACE.has(tool)) {
      e.files = [{ path: filePathOf(input), edits: [replacement(input, 'oldString', 'newString', 'tool_input', false)] }];
    } else if (tool === 'multi_replace_string_in_file') {
      const byPath = new Map<string, FileChange>();
      for (const [i, r] of reqArray(input, 'replacements', 'tool_input').entries()) {
        if (!isObject(r)) throw new PayloadError(`tool_input.replacements[${i}] is not an object`);
        const path = filePathOf(r);
        let change = byPath.get(path);
        if (!change) byPath.set(path, (change = { path, edits: [] }));
        change.edits.push(replacement(r, 'oldString', 'newString', `tool_input.replacements[${i}]`, false));
      }
      e.files = [...byPath.values()];
    } else if (tool === 'apply_patch') {
      e.files = parsePatch(patchText(input));
    } else if (SNAPSHOT_ONLY.has(tool)) {
      // These say which files but not what changed: only a PreToolUse snapshot tells.
      const files = Array.isArray(input.files) ? input.files : [input];
      e.files = files.map((f) => ({ path: typeof f === 'string' ? f : filePathOf(isObject(f) ? f : {}), edits: [] }));
    } else {
      e.files = claudeTool(tool, p);
    }
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
