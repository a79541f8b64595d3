// Windsurf (Cascade hooks): https://docs.windsurf.com/windsurf/cascade/hooks (pre_write_code / post_write_code,
// `tool_info: { file_path, edits: [{ old_string, new_string }] }`, trajectory_id for the conversation).
import { Agent } from './agent';
import { AgentEvent, arrayField, isObject, objectField, optString, PayloadError, replacement, reqString } from './payload';

export const windsurf: Agent<'windsurf'> = {
  name: 'windsurf',
  label: 'Windsurf (Cascade)',
  parse(p) {
    const action = optString(p, 'agent_action_name') ?? '';
    const phase = action === 'pre_write_code' ? 'pre' : action === 'post_write_code' ? 'post' : undefined;
    const e: AgentEvent = {
      agent: 'windsurf',
      phase: phase ?? 'post',
      tool: action,
      session: optString(p, 'trajectory_id'),
      model: optString(p, 'model_name'),
      // One write's pre and post hooks run in the same turn, one after the other: the turn pairs them.
      toolUseId: optString(p, 'execution_id'),
      files: [],
    };
    if (!phase) return e;
    const info = objectField(p, 'tool_info');
    const edits = arrayField(info, 'edits', 'tool_info').map((ed, i) => {
      if (!isObject(ed)) throw new PayloadError(`tool_info.edits[${i}] is not an object`);
      return replacement(ed, 'old_string', 'new_string', `tool_info.edits[${i}]`, false);
    });
    e.files = [{ path: reqString(info, 'file_path', 'tool_info'), edits }];
    return e;
  },
  hooks: {
    file: '.windsurf/hooks.json',
    shape: 'commands',
    events: ['pre_write_code', 'post_write_code'],
  },
};
