import * as assert from 'node:assert/strict';
import { AGENTS, fileMark, parseAgentPayload, PayloadError } from '../../src/core/agents';
import { objectOrJson, searchReplaceEdits } from '../../src/core/agents/fields';

const parse = (agent: Parameters<typeof parseAgentPayload>[0], payload: unknown) => parseAgentPayload(agent, JSON.stringify(payload));

describe('agent payloads beyond the first five', () => {
  describe('searchReplaceEdits (Cline replace_in_file)', () => {
    it('reads the current and the legacy markers, several blocks in order, blank lines kept', () => {
      const diff = ['------- SEARCH', 'a', '', 'b', '=======', 'A', '+++++++ REPLACE', '<<<<<<< SEARCH', 'c', '=======', '', '>>>>>>> REPLACE'].join('\n');
      assert.deepEqual(searchReplaceEdits(diff, 'd'), [
        { oldText: 'a\n\nb', newText: 'A' },
        { oldText: 'c', newText: '' },
      ]);
    });

    it('refuses a diff without a whole block', () => {
      assert.throws(() => searchReplaceEdits('------- SEARCH\na\n=======\nb\n', 'parameters.diff'), /parameters\.diff holds no SEARCH\/REPLACE block/);
    });
  });

  it('objectOrJson reads an object or the JSON text of one, and names the field otherwise', () => {
    assert.deepEqual(objectOrJson('{"a":1}', 'toolArgs'), { a: 1 });
    assert.deepEqual(objectOrJson(undefined, 'toolArgs'), {});
    assert.throws(() => objectOrJson('[1]', 'toolArgs'), /toolArgs is not an object/);
    assert.throws(() => objectOrJson('{', 'toolArgs'), /toolArgs is not a JSON object/);
  });

  it("cline: the editor's insert_line comes as a string in parameters and as a number from the SDK", () => {
    const viaParameters = parse('cline', { hookName: 'PostToolUse', postToolUse: { toolName: 'editor', parameters: { path: 'a.ts', new_text: 'x', insert_line: '3' }, success: true } });
    const viaSdk = parse('cline', { hookName: 'tool_call', tool_call: { id: 'c1', name: 'editor', input: { path: 'a.ts', new_text: 'x', insert_line: 3 } } });
    assert.deepEqual(viaParameters.files, [{ path: 'a.ts', edits: [{ oldText: '', newText: 'x', line: 3 }] }]);
    assert.deepEqual(viaSdk.files, viaParameters.files);
    assert.equal(viaSdk.phase, 'pre');
    assert.equal(viaSdk.toolUseId, 'c1');
    // No old text and no line: the editor wrote the whole file.
    assert.deepEqual(parse('cline', { hookName: 'PostToolUse', postToolUse: { toolName: 'editor', parameters: { path: 'a.ts', new_text: 'x\n' } } }).files, [{ path: 'a.ts', content: 'x\n', edits: [] }]);
    assert.deepEqual(parse('cline', { hookName: 'TaskStart', taskStart: {} }).files, []);
  });

  it('kiro: fs_write create, str_replace, insert, append; other tools and commands', () => {
    const fsWrite = (tool_input: unknown) => parse('kiro', { hook_event_name: 'postToolUse', cwd: '/r', tool_name: 'fs_write', tool_input }).files;
    assert.deepEqual(fsWrite({ command: 'create', path: 'a', file_text: 'x\n' }), [{ path: 'a', content: 'x\n', edits: [] }]);
    assert.deepEqual(fsWrite({ command: 'str_replace', path: 'a', old_str: 'x', new_str: 'y' }), [{ path: 'a', edits: [{ oldText: 'x', newText: 'y' }] }]);
    assert.deepEqual(fsWrite({ command: 'insert', path: 'a', insert_line: 0, new_str: 'y' }), [{ path: 'a', edits: [{ oldText: '', newText: 'y', line: 1 }] }]);
    assert.deepEqual(fsWrite({ command: 'append', path: 'a', new_str: 'y' }), [{ path: 'a', edits: [{ oldText: '', newText: 'y', line: Number.MAX_SAFE_INTEGER }] }]);
    assert.throws(() => fsWrite({ command: 'rename', path: 'a' }), /tool_input\.command "rename"/);
    assert.deepEqual(parse('kiro', { hook_event_name: 'preToolUse', tool_name: 'fs_read', tool_input: { operations: [] } }).files, []);
  });

  it('copilot-cli: without an event name, the tool result tells after from before', () => {
    const args = { path: 'a', old_str: 'x', new_str: 'y' };
    assert.equal(parse('copilot-cli', { toolName: 'edit', toolArgs: args }).phase, 'pre');
    assert.equal(parse('copilot-cli', { toolName: 'edit', toolArgs: args, toolResult: { resultType: 'success' } }).phase, 'post');
    assert.deepEqual(parse('copilot-cli', { toolName: 'edit', toolArgs: args, toolResult: { resultType: 'failure' } }).files, []);
    assert.throws(() => parse('copilot-cli', { toolName: 'edit', toolArgs: { path: 'a', old_str: 'x' } }), /toolArgs\.new_str is missing/);
  });

  it('opencode: multiedit gathers its edits; patch reads patchText; unknown hooks are ignored', () => {
    const multi = parse('opencode', {
      hook: 'tool.execute.after', tool: 'multiedit',
      args: { filePath: 'a', edits: [{ oldString: 'x', newString: 'y' }, { oldString: 'p', newString: 'q', replaceAll: true }] },
    });
    assert.deepEqual(multi.files, [{ path: 'a', edits: [{ oldText: 'x', newText: 'y' }, { oldText: 'p', newText: 'q', all: true }] }]);
    const patch = parse('opencode', { hook: 'tool.execute.before', tool: 'apply_patch', args: { patchText: '*** Begin Patch\n*** Add File: b.ts\n+x\n*** End Patch' } });
    assert.deepEqual(patch.files, [{ path: 'b.ts', edits: [], created: true, content: 'x\n' }]);
    assert.deepEqual(parse('opencode', { hook: 'chat.message', tool: 'edit' }).files, []);
  });

  it('each agent stamps its own name, even those reading another agent\'s payload shape', () => {
    assert.equal(parse('codebuddy', { hook_event_name: 'PostToolUse', tool_name: 'Write', tool_input: { file_path: 'a', content: 'x' } }).agent, 'codebuddy');
    assert.equal(parse('tabnine', { hook_event_name: 'AfterTool', tool_name: 'write_file', tool_input: { file_path: 'a', content: 'x' } }).agent, 'tabnine');
  });

  it('errors are PayloadErrors that name the field', () => {
    assert.throws(() => parse('windsurf', { agent_action_name: 'post_write_code', tool_info: { edits: [] } }), PayloadError);
    assert.throws(() => parse('droid', { hook_event_name: 'PostToolUse', tool_name: 'Edit', tool_input: { file_path: 'a', old_str: 'x' } }), /tool_input\.new_str is missing/);
    assert.throws(() => parse('pi', { hook: 'tool_result', toolName: 'edit', input: { oldText: 'x', newText: 'y' } }), /input names no file/);
  });

  it('every hook file an agent writes whole carries its mark, and its text runs the command it was given', () => {
    for (const agent of AGENTS) {
      const render = agent.hooks.render;
      if (agent.hooks.shape !== 'file') {
        assert.equal(render, undefined, agent.name);
        continue;
      }
      assert.ok(render, agent.name);
      const text = render('run-the-recorder --agent x');
      assert.ok(text.includes(fileMark(agent.name)), agent.name);
      assert.ok(text.includes('run-the-recorder --agent x'), agent.name);
    }
  });
});
