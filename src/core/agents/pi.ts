// Pi (badlogic/pi-mono): extensions are modules in .pi/extensions/ (packages/coding-agent/docs/extensions.md:
// `pi.on("tool_call")` before a tool runs, `pi.on("tool_result")` after, with `toolName`, `toolCallId`, `input`,
// `isError`, and `ctx.cwd`). Our extension passes them on as `{ hook, cwd, toolName, toolCallId, input, isError }`.
// Tools: packages/coding-agent/src/core/tools/edit.ts `{ path, oldText, newText }`, write.ts `{ path, content }`.
import { Agent } from './agent';
import { anyString, optionalReplacement, pathUnder } from './fields';
import { AgentEvent, FileChange, isObject, Json, optString, PayloadError } from './payload';
import { pluginSource } from './plugin';

const TOOLS = ['edit', 'write'];

function filesOf(tool: string, input: Json): FileChange[] {
  const path = pathUnder(input, ['path'], 'input');
  if (tool === 'write') return [{ path, content: anyString(input, ['content'], 'input') ?? '', edits: [] }];
  const edit = optionalReplacement(input, ['oldText'], ['newText'], 'input');
  if (!edit) throw new PayloadError('input.newText is missing');
  return [{ path, edits: [edit] }];
}

export const pi: Agent<'pi'> = {
  name: 'pi',
  label: 'Pi',
  parse(p) {
    const hook = optString(p, 'hook');
    const phase = hook === 'tool_call' ? 'pre' : hook === 'tool_result' ? 'post' : undefined;
    const tool = optString(p, 'toolName') ?? '';
    const e: AgentEvent = { agent: 'pi', phase: phase ?? 'post', tool, toolUseId: optString(p, 'toolCallId'), cwd: optString(p, 'cwd'), files: [] };
    if (!phase || p.isError === true) return e;
    if (isObject(p.input) && TOOLS.includes(tool)) e.files = filesOf(tool, p.input);
    return e;
  },
  hooks: {
    file: '.pi/extensions/ai-provenance.ts',
    shape: 'file',
    events: ['tool_call', 'tool_result'],
    render: (command) =>
      pluginSource(
        {
          agent: 'pi',
          label: 'Pi',
          tools: TOOLS,
          body: [
            'export default function (pi) {',
            '  // Returns nothing: the tool call is not blocked.',
            '  pi.on("tool_call", async (event, ctx) => {',
            '    if (!TOOLS.has(event.toolName)) return;',
            '    await record({ hook: "tool_call", cwd: ctx.cwd, toolName: event.toolName, toolCallId: event.toolCallId, input: event.input }, ctx.cwd);',
            '  });',
            '  pi.on("tool_result", async (event, ctx) => {',
            '    if (!TOOLS.has(event.toolName)) return;',
            '    await record({ hook: "tool_result", cwd: ctx.cwd, toolName: event.toolName, toolCallId: event.toolCallId, input: event.input, isError: event.isError }, ctx.cwd);',
            '  });',
            '}',
          ],
        },
        command,
      ),
    note: 'Pi loads extensions when it starts; restart a running pi.',
  },
};
