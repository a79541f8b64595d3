import * as assert from 'node:assert/strict';
import { applyEdits, changedLines, undoEdits } from '../../src/core/agentDiff';
import { AGENT_NAMES, agentNamed, AGENTS, parseAgentPayload, parsePatch, PayloadError } from '../../src/core/agents';

describe('agent payloads', () => {
  describe('parseAgentPayload', () => {
    it('reads phase, session, tool use id and the edit from Claude Code', () => {
      const e = parseAgentPayload('claude-code', JSON.stringify({
        session_id: 's1', cwd: '/r', hook_event_name: 'PreToolUse', tool_name: 'Edit', tool_use_id: 't1',
        tool_input: { file_path: '/r/a.ts', old_string: 'a', new_string: 'b', replace_all: true },
      }));
      assert.deepEqual(e, {
        agent: 'claude-code', phase: 'pre', tool: 'Edit', session: 's1', model: undefined, toolUseId: 't1', cwd: '/r',
        files: [{ path: '/r/a.ts', edits: [{ oldText: 'a', newText: 'b', all: true }] }],
      });
    });

    it("uses Claude Code's originalFile when the tool result carries it", () => {
      const e = parseAgentPayload('claude-code', JSON.stringify({
        hook_event_name: 'PostToolUse', tool_name: 'Write', tool_input: { file_path: 'a', content: 'x\n' },
        tool_response: { type: 'update', filePath: 'a', content: 'x\n', originalFile: 'y\n' },
      }));
      assert.equal(e.files[0].original, 'y\n');
    });

    it('ignores other events and tools', () => {
      assert.deepEqual(parseAgentPayload('claude-code', '{"hook_event_name":"Stop"}').files, []);
      assert.deepEqual(parseAgentPayload('gemini', '{"hook_event_name":"AfterTool","tool_name":"read_file","tool_input":{"file_path":"a"}}').files, []);
      assert.deepEqual(parseAgentPayload('copilot', '{"hookEventName":"PostToolUse","tool_name":"read_file","tool_input":{"filePath":"a"}}').files, []);
      assert.deepEqual(parseAgentPayload('codex', '{"hook_event_name":"PostToolUse","tool_name":"Bash","tool_input":{"command":"ls"}}').files, []);
    });

    it('refuses what is not a JSON object, and documented fields of the wrong type', () => {
      assert.throws(() => parseAgentPayload('cursor', '[1]'), PayloadError);
      assert.throws(() => parseAgentPayload('cursor', '{"file_path":"a","edits":{}}'), /edits is not an array/);
      assert.throws(() => parseAgentPayload('claude-code', '{"tool_name":"Edit","tool_input":{"old_string":"a","new_string":"b"}}'), /file_path/);
      assert.throws(() => parseAgentPayload('codex', '{"tool_name":"apply_patch","tool_input":{}}'), /no patch/);
    });

    it('takes a Cursor Tab edit range as the line hint', () => {
      const e = parseAgentPayload('cursor', JSON.stringify({
        hook_event_name: 'afterTabFileEdit', conversation_id: 'c', workspace_roots: ['/w'], file_path: '/w/a',
        edits: [{ old_string: 'x', new_string: 'y', range: { start_line_number: 3, start_column: 1, end_line_number: 3, end_column: 2 } }],
      }));
      assert.equal(e.inline, true);
      assert.equal(e.session, 'c');
      assert.equal(e.cwd, '/w');
      assert.deepEqual(e.files[0].edits, [{ oldText: 'x', newText: 'y', line: 3 }]);
    });
  });

  describe('parsePatch', () => {
    it("reads Codex's envelope: update with move, add, delete", () => {
      const files = parsePatch([
        '*** Begin Patch',
        '*** Update File: src/a.ts',
        '*** Move to: src/b.ts',
        '@@ function f() {',
        ' keep',
        '-old',
        '+new',
        '+more',
        '*** End of File',
        '*** Add File: src/c.ts',
        '+hello',
        '*** Delete File: src/d.ts',
        '*** End Patch',
      ].join('\n'));
      assert.deepEqual(files, [
        { path: 'src/b.ts', movedFrom: 'src/a.ts', edits: [{ oldText: 'keep\nold', newText: 'keep\nnew\nmore', wholeLines: true }] },
        { path: 'src/c.ts', created: true, edits: [], content: 'hello\n' },
        { path: 'src/d.ts', deleted: true, edits: [] },
      ]);
    });

    it('reads a unified diff, and a removed "-- comment" line is not a file header', () => {
      const files = parsePatch(['diff --git a/q.sql b/q.sql', '--- a/q.sql', '+++ b/q.sql', '@@ -1,2 +1,2 @@', '-select 0;', '+select 1;', ' -- end'].join('\n'));
      assert.equal(files.length, 1);
      assert.equal(files[0].path, 'q.sql');
      assert.deepEqual(files[0].edits, [{ oldText: 'select 0;\n-- end', newText: 'select 1;\n-- end', wholeLines: true, line: 1 }]);
      // Here "--- " starts a removed line "-- x" inside a hunk whose counts are not exhausted.
      const tricky = parsePatch(['--- a/q.sql', '+++ b/q.sql', '@@ -1,1 +1,1 @@', '--- x', '+-- y'].join('\n'));
      assert.deepEqual(tricky[0].edits[0], { oldText: '-- x', newText: '-- y', wholeLines: true, line: 1 });
    });

    it('refuses a patch that names no file', () => {
      assert.throws(() => parsePatch('nothing here'), PayloadError);
    });
  });

  describe('undoEdits / applyEdits / changedLines', () => {
    it('undoes edits last to first and round-trips with applyEdits', () => {
      const before = 'a\nb\nc\n';
      const edits = [{ oldText: 'b', newText: 'B1\nB2' }, { oldText: 'c', newText: 'C' }];
      const after = applyEdits(before, edits)!;
      assert.equal(after, 'a\nB1\nB2\nC\n');
      assert.deepEqual(undoEdits(after, edits), { before, missed: 0 });
      assert.deepEqual(changedLines(before, after), [{ from: 2, to: 4 }]);
    });

    it('undoes, among equal new texts, the one nearest the line hint, else the first', () => {
      const after = 'x = 1\ny\nx = 1\n';
      assert.equal(undoEdits(after, [{ oldText: 'x = 0', newText: 'x = 1' }]).before, 'x = 0\ny\nx = 1\n');
      const hinted = undoEdits(after, [{ oldText: 'x = 0', newText: 'x = 1', line: 3 }]);
      assert.equal(hinted.before, 'x = 1\ny\nx = 0\n');
    });

    it('matches CRLF files with LF edit strings', () => {
      const after = 'a\r\nB1\r\nB2\r\nc\r\n';
      assert.deepEqual(undoEdits(after, [{ oldText: 'b', newText: 'B1\nB2' }]), { before: 'a\r\nb\r\nc\r\n', missed: 0 });
    });

    it('counts edits it cannot find, but not pure deletions', () => {
      assert.equal(undoEdits('a\n', [{ oldText: 'x', newText: 'zzz' }]).missed, 1);
      assert.equal(undoEdits('a\n', [{ oldText: 'x', newText: '' }]).missed, 0);
    });

    it('leaves out blank lines at the ends of a run, blank-only runs and the final empty line', () => {
      assert.deepEqual(changedLines('a\n', 'a\n\n\nb\n'), [{ from: 4, to: 4 }]);
      assert.deepEqual(changedLines('a\nz\n', 'a\n\nz\n'), []);
      assert.deepEqual(changedLines('a\nz\n', 'a\nb\n\nc\nz\n'), [{ from: 2, to: 4 }]);
      assert.deepEqual(changedLines('', 'x\ny\n'), [{ from: 1, to: 2 }]);
      assert.deepEqual(changedLines('same\n', 'same\n'), []);
    });
  });
});

describe('the agent registry', () => {
  it('one entry per agent: distinct names, labels and config files, each with its events', () => {
    assert.deepEqual(AGENT_NAMES, [
      'claude-code', 'cursor', 'codex', 'copilot', 'gemini',
      'cline', 'windsurf', 'kiro', 'opencode', 'amp', 'droid', 'qwen', 'copilot-cli', 'codebuddy', 'tabnine', 'pi',
    ]);
    assert.equal(new Set(AGENTS.map((a) => a.label)).size, AGENTS.length);
    assert.equal(new Set(AGENTS.map((a) => a.hooks.file)).size, AGENTS.length);
    for (const agent of AGENTS) {
      assert.equal(agentNamed(agent.name), agent);
      assert.ok(agent.hooks.events.length > 0, agent.name);
      assert.deepEqual(parseAgentPayload(agent.name, '{"hook_event_name": "Stop"}').agent, agent.name, 'each parser stamps its own name');
    }
    assert.equal(agentNamed('aider'), undefined);
    assert.equal(agentNamed('toString'), undefined);
  });
});
