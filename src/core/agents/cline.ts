// Cline: hook scripts named after their event in .clinerules/hooks/ (cline/cline: .clinerules/hooks/README.md,
// apps/vscode/proto/cline/hooks.proto, sdk/packages/core/src/hooks/hook-file-hooks.ts). The payload carries
// `preToolUse` / `postToolUse: { toolName, parameters }`, whose parameters are strings; the SDK runtime adds
// `tool_call` / `tool_result: { id, name, input }` with the tool's input as it was.
import { Agent, fileMark } from './agent';
import { anyString, objectOrJson, optionalReplacement, pathUnder, searchReplaceEdits } from './fields';
import { parsePatch, patchText } from './patch';
import { AgentEvent, FileChange, isObject, Json, optString, PayloadError } from './payload';

function filesOf(tool: string, input: Json): FileChange[] {
  const where = 'parameters';
  if (tool === 'write_to_file') {
    return [{ path: pathUnder(input, ['path'], where), content: anyString(input, ['content'], where) ?? '', edits: [] }];
  }
  if (tool === 'replace_in_file') {
    const diff = anyString(input, ['diff'], where);
    if (diff === undefined) throw new PayloadError('parameters.diff is missing');
    return [{ path: pathUnder(input, ['path'], where), edits: searchReplaceEdits(diff, 'parameters.diff') }];
  }
  if (tool === 'editor') {
    const path = pathUnder(input, ['path'], where);
    const newText = anyString(input, ['new_text'], where);
    if (newText === undefined) throw new PayloadError('parameters.new_text is missing');
    const insertAt = Number(input.insert_line ?? NaN);
    if (Number.isInteger(insertAt) && insertAt > 0) return [{ path, edits: [{ oldText: '', newText, line: insertAt }] }];
    const edit = optionalReplacement(input, ['old_text'], ['new_text'], where);
    // No old text: the editor creates the file with new_text (or inserts, said above).
    if (!edit || edit.oldText === '') return [{ path, content: newText, edits: [] }];
    return [{ path, edits: [edit] }];
  }
  if (tool === 'apply_patch') return parsePatch(patchText(input));
  return [];
}

export const cline: Agent<'cline'> = {
  name: 'cline',
  label: 'Cline',
  parse(p) {
    const hook = optString(p, 'hookName');
    const pre = isObject(p.preToolUse) ? p.preToolUse : undefined;
    const post = isObject(p.postToolUse) ? p.postToolUse : undefined;
    const phase = pre || hook === 'PreToolUse' || hook === 'tool_call' ? 'pre' : post || hook === 'PostToolUse' || hook === 'tool_result' ? 'post' : undefined;
    // The SDK's raw call beats the string-valued parameters (a number stays a number there).
    const call = isObject(p.tool_call) ? p.tool_call : isObject(p.tool_result) ? p.tool_result : undefined;
    const data = pre ?? post ?? {};
    const tool = optString(data, 'toolName') ?? (call && optString(call, 'name')) ?? '';
    const roots = p.workspaceRoots;
    const model = isObject(p.model) ? optString(p.model, 'slug') : undefined;
    const e: AgentEvent = {
      agent: 'cline',
      phase: phase ?? 'post',
      tool,
      session: optString(p, 'taskId'),
      model,
      toolUseId: call && optString(call, 'id'),
      cwd: Array.isArray(roots) && typeof roots[0] === 'string' ? roots[0] : undefined,
      files: [],
    };
    // A tool that failed wrote nothing we should credit.
    if (!phase || (post && post.success === false)) return e;
    const input = call && isObject(call.input) ? call.input : objectOrJson(data.parameters, 'parameters');
    e.files = filesOf(tool, input);
    return e;
  },
  hooks: {
    file: '.clinerules/hooks/{event}',
    shape: 'file',
    events: ['PreToolUse', 'PostToolUse'],
    executable: true,
    render: (command) =>
      [
        '#!/bin/sh',
        `# ${fileMark('cline')}: records the lines Cline's tools write, with \`ai-provenance record\`.`,
        '# Written by `ai-provenance agents install cline`; `ai-provenance agents uninstall cline` removes it.',
        command,
        "# Cline reads its answer on stdout; this one lets the tool run, whatever the recorder said.",
        `echo '{"cancel": false}'`,
        '',
      ].join('\n'),
    note: "Cline runs hooks only with Settings > Features > Enable Hooks checked; on Windows it wants PreToolUse.ps1, which is not written.",
  },
};
