// GitHub Copilot CLI (and Copilot's cloud agent): .github/hooks/*.json, `{ version: 1, hooks: { preToolUse:
// [{ type: "command", bash, powershell, timeoutSec }] } }`; camelCase events send `{ sessionId, timestamp, cwd,
// toolName, toolArgs }`, postToolUse adds `toolResult` (github/docs content/copilot/reference/copilot-cli-reference/
// cli-hooks-reference.md). Tools: create `{ path, file_text }`, edit `{ path, old_str, new_str }`.
import { Agent } from './agent';
import { anyString, objectOrJson, optionalReplacement, pathUnder } from './fields';
import { AgentEvent, isObject, optString, PayloadError } from './payload';

export const copilotCli: Agent<'copilot-cli'> = {
  name: 'copilot-cli',
  label: 'GitHub Copilot CLI',
  parse(p) {
    // The camelCase payloads name no event: only postToolUse carries the tool's result.
    const event = optString(p, 'hook_event_name') ?? optString(p, 'hookEventName');
    const result = p.toolResult ?? p.tool_result;
    const phase = event ? (/^pretooluse$/i.test(event) ? 'pre' : /^posttooluse$/i.test(event) ? 'post' : undefined) : result === undefined ? 'pre' : 'post';
    const tool = optString(p, 'toolName') ?? optString(p, 'tool_name') ?? '';
    const e: AgentEvent = {
      agent: 'copilot-cli',
      phase: phase ?? 'post',
      tool,
      session: optString(p, 'sessionId') ?? optString(p, 'session_id'),
      cwd: optString(p, 'cwd'),
      files: [],
    };
    const outcome = isObject(result) ? (result.resultType ?? result.result_type) : undefined;
    if (!phase || (outcome !== undefined && outcome !== 'success')) return e;
    if (tool !== 'create' && tool !== 'edit') return e;
    const args = objectOrJson(p.toolArgs ?? p.tool_input, 'toolArgs');
    const path = pathUnder(args, ['path', 'file_path', 'filePath'], 'toolArgs');
    if (tool === 'create') {
      e.files = [{ path, content: anyString(args, ['file_text', 'content'], 'toolArgs') ?? '', edits: [], created: true }];
    } else {
      const edit = optionalReplacement(args, ['old_str', 'old_string'], ['new_str', 'new_string'], 'toolArgs');
      if (!edit) throw new PayloadError('toolArgs.new_str is missing');
      e.files = [{ path, edits: [edit] }];
    }
    return e;
  },
  hooks: {
    file: '.github/hooks/ai-provenance-cli.json',
    shape: 'copilot-cli',
    events: ['preToolUse', 'postToolUse'],
    timeout: 30,
    note: 'Copilot CLI also reads the VS Code agent hooks file (agents install copilot); install one of the two, not both.',
  },
};
