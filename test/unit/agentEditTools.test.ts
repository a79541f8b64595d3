import * as assert from 'node:assert/strict';
import { linesWritten, parseAgentPayload } from '../../src/core/agents';
import { cellLines } from '../../src/core/agents/notebook';
import { FileChange } from '../../src/core/agents/payload';
import { undoTolerantly } from '../../src/core/agents/written';

const parse = (agent: Parameters<typeof parseAgentPayload>[0], payload: object) => parseAgentPayload(agent, JSON.stringify(payload));

describe('agent edit tools', () => {
  describe('undoTolerantly: an edit a formatter reflowed', () => {
    it('is found by its lines, whitespace aside, and its context lines keep the file version', () => {
      const edit = { oldText: 'if (a) {\n  go();', newText: 'if (a) {\n  ready();\n  go();' };
      const after = 'start();\nif (a) {\n\tready( );\n\tgo();\n}\n';
      const r = undoTolerantly(after, [edit]);
      assert.deepEqual(r, { before: 'start();\nif (a) {\n\tgo();\n}\n', missed: 0, loose: 1 });
    });

    it('finds a single-line edit inside a longer line, and keeps the line endings', () => {
      const r = undoTolerantly('a\r\nlet  x =  f(1) ;\r\nb\r\n', [{ oldText: 'f(0)', newText: 'f(1)' }]);
      assert.equal(r.missed, 0);
      assert.equal(r.loose, 0, 'still an exact substring');
      const reflowed = undoTolerantly('a\r\nlet x = f( 1 );\r\nb\r\n', [{ oldText: 'f(0)', newText: 'f(1)' }]);
      assert.deepEqual(reflowed, { before: 'a\r\nf(0)\r\nb\r\n', missed: 0, loose: 1 });
    });

    it('never guesses between two equal places, unless the edit says where (line hint) or replaced all', () => {
      const after = 'x  =  1\ny\nx = 1\n';
      assert.equal(undoTolerantly(after, [{ oldText: 'x = 0', newText: 'x=1' }]).missed, 1);
      assert.equal(undoTolerantly(after, [{ oldText: 'x = 0', newText: 'x=1', line: 3 }]).before, 'x  =  1\ny\nx = 0\n');
      assert.equal(undoTolerantly(after, [{ oldText: 'x = 0', newText: 'x=1', all: true }]).before, 'x = 0\ny\nx = 0\n');
    });

    it('counts what it cannot find: an edit whose text the formatter changed beyond whitespace', () => {
      assert.deepEqual(undoTolerantly('s = "a"\n', [{ oldText: 's = 0', newText: "s = 'a'" }]), { before: 's = "a"\n', missed: 1, loose: 0 });
    });
  });

  describe('linesWritten', () => {
    const edit = (oldText: string, newText: string): FileChange => ({ path: 'f', edits: [{ oldText, newText }] });

    it('with a snapshot the formatter drifted from, keeps only lines matching text the tool wrote', () => {
      const snapshot = { content: "import x from 'x';\nkeep();\n" };
      const after = 'import x from "x";\nkeep();\nadded( );\n';
      const w = linesWritten({ path: 'f', edits: [], content: "import x from 'x';\nkeep();\nadded();\n" }, snapshot, after);
      assert.deepEqual(w, { ranges: [{ from: 3, to: 3 }] });
    });

    it('a user-modified edit keeps the lines the model proposed; blank lines only between kept lines', () => {
      const change = { ...edit('a', 'one\n\ntwo\nmine\nthree'), userModified: true, proposal: 'one\n\ntwo\nthree' };
      assert.deepEqual(linesWritten(change, undefined, 'x\none\n\ntwo\nmine\nthree\n').ranges, [
        { from: 2, to: 4 },
        { from: 6, to: 6 },
      ]);
    });

    it("a pre-tool proposal that differs from what was written is the user's change, even with no flag", () => {
      const w = linesWritten(edit('a', 'b1\nB2'), { content: 'a\n', proposal: 'b1\nb2' }, 'b1\nB2\n');
      assert.deepEqual(w.ranges, [{ from: 1, to: 1 }]);
      assert.deepEqual(linesWritten(edit('a', 'b1\nb2'), { content: 'a\n', proposal: 'b1\nb2' }, 'b1\nb2\n').ranges, [{ from: 1, to: 2 }]);
    });

    it('userModified with no proposal anywhere records nothing', () => {
      assert.match(linesWritten({ ...edit('a', 'b'), userModified: true }, undefined, 'b\n').problem ?? '', /before accepting/);
    });
  });

  describe('notebooks (cellLines)', () => {
    const nb = (sources: (string[] | string)[]): string =>
      JSON.stringify({ cells: sources.map((source, i) => ({ cell_type: 'code', id: `c${i}`, metadata: {}, outputs: [], source })), metadata: {}, nbformat: 4, nbformat_minor: 5 }, null, 1) + '\n';

    it('maps source line k to the file line of the k-th string', () => {
      const after = nb([['a\n', 'b'], ['x\n', 'y\n', 'z']]);
      const lines = after.split('\n');
      const r = cellLines(after, { mode: 'replace', source: 'x\ny\nz', oldSource: 'x\nz', cellId: 'c1' });
      assert.ok('ranges' in r);
      assert.equal(r.ranges.length, 1);
      assert.equal(lines[r.ranges[0].from - 1].trim(), '"y\\n",');
      assert.equal(r.ranges[0].to, r.ranges[0].from);
    });

    it('tells two cells of the same source apart by the id (or cell-N index) the tool named', () => {
      const after = nb([['same'], ['same']]);
      const byId = cellLines(after, { mode: 'replace', source: 'same', cellId: 'c1' });
      const byIndex = cellLines(after, { mode: 'replace', source: 'same', cellId: 'cell-1' });
      const unnamed = cellLines(after, { mode: 'replace', source: 'same' });
      assert.ok('ranges' in byId && 'ranges' in byIndex);
      assert.deepEqual(byId.ranges, byIndex.ranges);
      assert.ok(byId.ranges[0].from > after.split('\n').findIndex((l) => l.includes('"same"')) + 1, 'the second cell');
      assert.match('problem' in unnamed ? unnamed.problem : '', /more than once/);
    });

    it("reads the old source from the notebook before, and says when the file is not a notebook or lacks the cell", () => {
      const before = nb([['a\n', 'b']]);
      const after = nb([['a\n', 'b\n', 'c']]);
      const r = cellLines(after, { mode: 'replace', source: 'a\nb\nc', cellId: 'c0' }, before);
      assert.ok('ranges' in r);
      assert.equal(after.split('\n')[r.ranges[0].from - 1].trim(), '"c"');
      assert.deepEqual(cellLines('not json', { mode: 'insert', source: 'x' }), { problem: '{file} is not a notebook (no JSON "cells" list)' });
      assert.match(JSON.stringify(cellLines(after, { mode: 'insert', source: 'gone' })), /is not in \{file\}/);
    });
  });

  describe('parsers', () => {
    it('claude-code: NotebookEdit, a staged edit, userModified, and a Write whose old content was too large', () => {
      const nbEdit = parse('claude-code', {
        hook_event_name: 'PostToolUse', tool_name: 'NotebookEdit',
        tool_input: { notebook_path: '/r/n.ipynb', cell_id: 'c1', new_source: 'x', edit_mode: 'insert' },
        tool_response: { old_source: '', original_file: '{}' },
      });
      assert.deepEqual(nbEdit.files, [{ path: '/r/n.ipynb', edits: [], original: '{}', cell: { mode: 'insert', source: 'x', cellId: 'c1', oldSource: '' } }]);
      assert.throws(() => parse('claude-code', { tool_name: 'NotebookEdit', tool_input: { notebook_path: 'n', new_source: 'x', edit_mode: 'move' } }), /edit_mode/);
      const staged = parse('claude-code', { tool_name: 'Edit', tool_input: { file_path: 'f', old_string: 'a', new_string: 'b' }, tool_response: { staged: true } });
      assert.deepEqual(staged.files, []);
      const modified = parse('claude-code', {
        tool_name: 'Edit', tool_input: { file_path: 'f', old_string: 'a', new_string: 'b' },
        tool_response: { oldString: 'a', newString: 'c', userModified: true, replaceAll: false, originalFile: 'a\n' },
      });
      assert.deepEqual(modified.files, [{ path: 'f', edits: [{ oldText: 'a', newText: 'c' }], userModified: true, original: 'a\n', proposal: 'b' }]);
      const large = parse('claude-code', { tool_name: 'Write', tool_input: { file_path: 'f', content: 'x' }, tool_response: { type: 'update', originalFile: null } });
      assert.equal('original' in large.files[0], false);
    });

    it('claude-code: payloads from VS Code and Cursor running .claude/settings.json are not its own', () => {
      const vscode = { hookEventName: 'PostToolUse', sessionId: 's', tool_name: 'Write', tool_input: { file_path: 'f', content: 'x' } };
      const cursor = { hook_event_name: 'PostToolUse', conversation_id: 'c', workspace_roots: ['/r'], tool_name: 'Write', tool_input: { file_path: 'f' } };
      assert.deepEqual(parse('claude-code', vscode).files, []);
      assert.deepEqual(parse('claude-code', cursor).files, []);
      assert.equal(parse('claude-code', { ...vscode, hook_event_name: 'PostToolUse', hookEventName: undefined, sessionId: undefined }).files.length, 1);
    });

    it('copilot: Copilot CLI camelCase (no event name: a result means post) and snake_case payloads', () => {
      const pre = parse('copilot', { sessionId: 's', cwd: '/r', toolName: 'create', toolArgs: '{"path":"/r/a.ts","file_text":"x\\n"}' });
      assert.equal(pre.phase, 'pre');
      assert.deepEqual(pre.files, [{ path: '/r/a.ts', edits: [], created: true, content: 'x\n' }]);
      const post = parse('copilot', { sessionId: 's', toolName: 'edit', toolArgs: { path: 'a', old_str: 'o', new_str: 'n' }, toolResult: { resultType: 'success' } });
      assert.equal(post.phase, 'post');
      assert.equal(post.session, 's');
      assert.deepEqual(post.files[0].edits, [{ oldText: 'o', newText: 'n' }]);
      const failed = parse('copilot', { hook_event_name: 'PostToolUse', tool_name: 'edit', tool_input: { path: 'a', old_str: 'o', new_str: 'n' }, tool_result: { result_type: 'failure' } });
      assert.deepEqual(failed.files, []);
      assert.throws(() => parse('copilot', { hookEventName: 'PostToolUse', tool_name: 'create_file', tool_input: { filePath: 'a', content: 3 } }), /content is not a string/);
    });

    it('cursor: preToolUse names the files (no tool_use_id, so afterFileEdit finds the snapshot); postToolUse records nothing', () => {
      const base = { conversation_id: 'c', workspace_roots: ['/a', '/b'], tool_use_id: 't' };
      const pre = parse('cursor', { ...base, hook_event_name: 'preToolUse', tool_name: 'ApplyPatch', tool_input: { patch: '*** Begin Patch\n*** Update File: /b/x.ts\n@@\n-a\n+b\n*** Delete File: /b/y.ts\n*** End Patch\n' } });
      assert.deepEqual({ phase: pre.phase, toolUseId: pre.toolUseId, cwd: pre.cwd, files: pre.files }, { phase: 'pre', toolUseId: undefined, cwd: '/b', files: [{ path: '/b/x.ts', edits: [] }] });
      assert.deepEqual(parse('cursor', { ...base, hook_event_name: 'preToolUse', tool_name: 'Shell', tool_input: { command: 'ls' } }).files, []);
      assert.deepEqual(parse('cursor', { ...base, hook_event_name: 'postToolUse', tool_name: 'Write', tool_input: { file_path: '/a/f' } }).files, []);
      assert.throws(() => parse('cursor', { ...base, hook_event_name: 'preToolUse', tool_name: 'Write', tool_input: {} }), /names no file/);
    });

    it('gemini: modified_by_user with the proposal in ai_proposed_content', () => {
      const e = parse('gemini', {
        hook_event_name: 'AfterTool', tool_name: 'write_file',
        tool_input: { file_path: 'f', content: 'mine\n', ai_proposed_content: 'model\n', modified_by_user: true },
      });
      assert.deepEqual(e.files, [{ path: 'f', content: 'mine\n', edits: [], userModified: true, proposal: 'model\n' }]);
    });
  });
});
