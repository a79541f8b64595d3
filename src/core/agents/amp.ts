// Amp: plugins are TypeScript modules in .amp/plugins/ (https://ampcode.com/manual#plugins: `amp.on("tool.call")`
// before a tool runs, `amp.on("tool.result")` after, each event with `tool`, `input`, `toolUseID`, `thread.id`,
// and `status` on the result). Our plugin passes them on as `{ hook, cwd, tool, toolUseID, thread, input, status }`.
import { Agent } from './agent';
import { anyString, optionalReplacement, pathUnder } from './fields';
import { AgentEvent, FileChange, isObject, Json, optString } from './payload';
import { pluginSource } from './plugin';

const TOOLS = ['edit_file', 'create_file'];

function filesOf(tool: string, input: Json): FileChange[] {
  const path = pathUnder(input, ['path', 'file_path'], 'input');
  if (tool === 'create_file') {
    const content = anyString(input, ['content'], 'input');
    return [{ path, ...(content !== undefined ? { content } : {}), edits: [] }];
  }
  if (tool !== 'edit_file') return [];
  // The snapshot taken at tool.call tells what changed when the input names no old and new text.
  const edit = optionalReplacement(input, ['old_str'], ['new_str'], 'input', input.replace_all === true);
  return [{ path, edits: edit ? [edit] : [] }];
}

export const amp: Agent<'amp'> = {
  name: 'amp',
  label: 'Amp',
  parse(p) {
    const hook = optString(p, 'hook');
    const phase = hook === 'tool.call' ? 'pre' : hook === 'tool.result' ? 'post' : undefined;
    const tool = optString(p, 'tool') ?? '';
    const e: AgentEvent = {
      agent: 'amp',
      phase: phase ?? 'post',
      tool,
      session: optString(p, 'thread'),
      toolUseId: optString(p, 'toolUseID'),
      cwd: optString(p, 'cwd'),
      files: [],
    };
    if (!phase || (phase === 'post' && p.status !== undefined && p.status !== 'done')) return e;
    if (isObject(p.input) && TOOLS.includes(tool)) e.files = filesOf(tool, p.input);
    return e;
  },
  hooks: {
    file: '.amp/plugins/ai-provenance.ts',
    shape: 'file',
    events: ['tool.call', 'tool.result'],
    render: (command) =>
      pluginSource(
        {
          agent: 'amp',
          label: 'Amp',
          tools: TOOLS,
          // Earlier Amp releases load a plugin only with this line first; later ones ignore it.
          preamble: ['// @i-know-the-amp-plugin-api-is-wip-and-very-experimental-right-now'],
          body: [
            'export default function (amp) {',
            '  // Returns nothing: the tool call goes through Amp\'s own permission rules untouched.',
            '  amp.on("tool.call", async (event) => {',
            '    if (!TOOLS.has(event.tool)) return;',
            '    await record({ hook: "tool.call", cwd: process.cwd(), tool: event.tool, toolUseID: event.toolUseID, thread: event.thread?.id, input: event.input });',
            '  });',
            '  amp.on("tool.result", async (event) => {',
            '    if (!TOOLS.has(event.tool)) return;',
            '    await record({ hook: "tool.result", cwd: process.cwd(), tool: event.tool, toolUseID: event.toolUseID, thread: event.thread?.id, input: event.input, status: event.status });',
            '  });',
            '}',
          ],
        },
        command,
      ),
    note: 'Amp loads plugins when it starts; in a running Amp, run "plugins: reload" from the command palette.',
  },
};
