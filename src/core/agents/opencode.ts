// OpenCode: plugins are modules in .opencode/plugins/ (anomalyco/opencode, packages/plugin/src/index.ts: the
// "tool.execute.before" hook gets `{ tool, sessionID, callID }` and `{ args }`, "tool.execute.after" gets
// `{ tool, sessionID, callID, args }` and `{ title, output, metadata }`). Our plugin passes them on as
// `{ hook, cwd, tool, sessionID, callID, args, metadata }`. Tools: packages/opencode/src/tool/{edit,write,apply_patch}.ts.
import { Agent } from './agent';
import { anyString, objectOrJson, optionalReplacement, pathUnder } from './fields';
import { parsePatch } from './patch';
import { AgentEvent, arrayField, FileChange, isObject, Json, optString, PayloadError } from './payload';
import { pluginSource } from './plugin';

const TOOLS = ['edit', 'write', 'multiedit', 'patch', 'apply_patch'];

function filesOf(tool: string, args: Json, metadata: Json | undefined): FileChange[] {
  const where = 'args';
  if (tool === 'write') return [{ path: pathUnder(args, ['filePath'], where), content: anyString(args, ['content'], where) ?? '', edits: [] }];
  if (tool === 'patch' || tool === 'apply_patch') {
    const text = anyString(args, ['patchText'], where);
    if (text === undefined) throw new PayloadError('args.patchText is missing');
    return parsePatch(text);
  }
  if (tool !== 'edit' && tool !== 'multiedit') return [];
  const path = pathUnder(args, ['filePath'], where);
  const change: FileChange = { path, edits: [] };
  const items = tool === 'edit' ? [args] : arrayField(args, 'edits', where);
  for (const [i, item] of items.entries()) {
    if (!isObject(item)) throw new PayloadError(`args.edits[${i}] is not an object`);
    const edit = optionalReplacement(item, ['oldString'], ['newString'], tool === 'edit' ? where : `args.edits[${i}]`, item.replaceAll === true);
    if (edit) change.edits.push(edit);
  }
  // OpenCode matches oldString loosely (trimmed lines, indentation); the file it started from is exact.
  const diff = metadata && isObject(metadata.filediff) ? metadata.filediff : undefined;
  if (tool === 'edit' && diff && typeof diff.before === 'string') change.original = diff.before;
  return [change];
}

export const opencode: Agent<'opencode'> = {
  name: 'opencode',
  label: 'OpenCode',
  parse(p) {
    const hook = optString(p, 'hook');
    const phase = hook === 'tool.execute.before' ? 'pre' : hook === 'tool.execute.after' ? 'post' : undefined;
    const tool = optString(p, 'tool') ?? '';
    const e: AgentEvent = {
      agent: 'opencode',
      phase: phase ?? 'post',
      tool,
      session: optString(p, 'sessionID'),
      toolUseId: optString(p, 'callID'),
      cwd: optString(p, 'cwd'),
      files: [],
    };
    if (!phase) return e;
    e.files = filesOf(tool, objectOrJson(p.args, 'args'), isObject(p.metadata) ? p.metadata : undefined);
    return e;
  },
  hooks: {
    file: '.opencode/plugins/ai-provenance.js',
    shape: 'file',
    events: ['tool.execute.before', 'tool.execute.after'],
    render: (command) =>
      pluginSource(
        {
          agent: 'opencode',
          label: 'OpenCode',
          tools: TOOLS,
          body: [
            '// Older OpenCode passes no args to tool.execute.after: those of the call are kept from before.',
            'const argsOf = new Map();',
            '',
            'export const AiProvenance = async ({ directory }) => ({',
            '  "tool.execute.before": async (input, output) => {',
            '    if (!TOOLS.has(input.tool)) return;',
            '    argsOf.set(input.callID, output.args);',
            '    await record({ hook: "tool.execute.before", cwd: directory, tool: input.tool, sessionID: input.sessionID, callID: input.callID, args: output.args }, directory);',
            '  },',
            '  "tool.execute.after": async (input, output) => {',
            '    if (!TOOLS.has(input.tool)) return;',
            '    const args = input.args ?? argsOf.get(input.callID);',
            '    argsOf.delete(input.callID);',
            '    await record({ hook: "tool.execute.after", cwd: directory, tool: input.tool, sessionID: input.sessionID, callID: input.callID, args, metadata: output?.metadata }, directory);',
            '  },',
            '});',
          ],
        },
        command,
      ),
    note: 'OpenCode loads the plugin when it starts; restart a running OpenCode.',
  },
};
