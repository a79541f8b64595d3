import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAgentPayload } from '../../src/core/agents';
import { createRegion, lineSpan } from '../../src/core/regions';
import { headMovedByCommand, MAX_MOVE_PAIRS, ShellFile, shellEdits, unclaimedLines } from '../../src/core/shellEdits';
import { LineIndex } from '../../src/core/text';
import * as os from 'node:os';
import { SnapshotStore } from '../../src/store/agentSnapshots';
import { cleanupShellSnapshots, parseStatus, SHELL_SNAPSHOT_MAX_AGE_MS } from '../../src/store/shellSnapshot';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/agents');

const text = (...lines: string[]): string => lines.map((l) => `${l}\n`).join('');

describe('shell edits', () => {
  describe('shellEdits', () => {
    it('credits only the lines a file did not hold before', () => {
      const files: ShellFile[] = [{ path: 'a.ts', before: text('one', 'two', 'three'), after: text('one', 'TWO', 'three', 'four') }];
      assert.deepEqual(shellEdits(files), [{ path: 'a.ts', lines: [{ from: 2, to: 2 }, { from: 4, to: 4 }] }]);
    });

    it('credits every line of a new file, nothing of a gone, unchanged or unknown one', () => {
      const files: ShellFile[] = [
        { path: 'new.ts', before: '', after: text('x', '', 'y') },
        { path: 'gone.ts', before: '', after: undefined },
        { path: 'same.ts', before: text('s'), after: text('s') },
        { path: 'binary-before.ts', before: undefined, after: text('z') },
      ];
      assert.deepEqual(shellEdits(files), [{ path: 'new.ts', lines: [{ from: 1, to: 3 }] }]);
    });

    it('leaves a file that git put back to what HEAD or the index held', () => {
      const head = text('a', 'b');
      const files: ShellFile[] = [{ path: 'a.ts', before: text('a', 'user', 'b'), after: head.replace(/\n/g, '\r\n'), gitTexts: [head] }];
      assert.deepEqual(shellEdits(files), []);
    });

    it('follows a file the command moved: only what changed in it is credited', () => {
      const body = text('l1', 'l2', 'l3', 'l4');
      const files: ShellFile[] = [
        { path: 'old.ts', before: body, after: undefined },
        { path: 'new.ts', before: '', after: body + text('added') },
        { path: 'other.ts', before: '', after: text('unrelated') },
      ];
      assert.deepEqual(shellEdits(files), [
        { path: 'new.ts', movedFrom: 'old.ts', lines: [{ from: 5, to: 5 }] },
        { path: 'other.ts', lines: [{ from: 1, to: 1 }] },
      ]);
    });

    it('does not take a move when two removed files resemble the new one alike, or none enough', () => {
      const body = text('a', 'b', 'c', 'd');
      const tied: ShellFile[] = [
        { path: 'x.ts', before: body, after: undefined },
        { path: 'y.ts', before: body, after: undefined },
        { path: 'z.ts', before: '', after: body },
      ];
      assert.deepEqual(shellEdits(tied), [{ path: 'z.ts', lines: [{ from: 1, to: 4 }] }]);
      const unlike: ShellFile[] = [
        { path: 'x.ts', before: text('a', 'b', 'c', 'd'), after: undefined },
        { path: 'z.ts', before: '', after: text('a', 'p', 'q', 'r') },
      ];
      assert.deepEqual(shellEdits(unlike), [{ path: 'z.ts', lines: [{ from: 1, to: 4 }] }]);
    });

    it('stops looking for moves when the pairs are too many', () => {
      const n = Math.ceil(Math.sqrt(MAX_MOVE_PAIRS)) + 1;
      const files: ShellFile[] = [];
      for (let i = 0; i < n; i++) files.push({ path: `old${i}.ts`, before: text(`v${i}`, 'shared'), after: undefined });
      for (let i = 0; i < n; i++) files.push({ path: `new${i}.ts`, before: '', after: text(`v${i}`, 'shared') });
      assert.ok(shellEdits(files).every((e) => e.movedFrom === undefined));
    });
  });

  describe('unclaimedLines', () => {
    const content = text('1', '2', '3', '4', '5', '6');
    const index = new LineIndex(content);
    const since = '2026-11-26T10:00:00.000Z';
    it('leaves out the lines a region created since the snapshot covers, and keeps older claims', () => {
      const regions = [
        createRegion({ ...lineSpan(index, 2, 3), source: 'agent', tool: 'gemini', createdAt: '2026-11-26T10:00:01.000Z' }),
        createRegion({ ...lineSpan(index, 5, 5), source: 'agent', tool: 'codex', createdAt: '2026-11-26T09:00:00.000Z' }),
      ];
      assert.deepEqual(unclaimedLines([{ from: 1, to: 6 }], regions, since, index), [{ from: 1, to: 1 }, { from: 4, to: 6 }]);
      assert.deepEqual(unclaimedLines([{ from: 2, to: 3 }], regions, since, index), []);
    });
  });

  describe('headMovedByCommand', () => {
    const start = Date.parse('2026-11-26T10:00:00.500Z');
    it('is true only when every commit HEAD gained was made since the command started', () => {
      const s = Math.floor(start / 1000);
      assert.equal(headMovedByCommand([s, s + 3], start), true);
      assert.equal(headMovedByCommand([s + 1, s - 3600], start), false, 'an older commit: checkout, pull, merge, rebase');
      assert.equal(headMovedByCommand([], start), false, 'HEAD moved back: reset');
    });
  });

  describe('parseStatus', () => {
    it('reads HEAD and the changed, unmerged and untracked entries, paths with spaces included', () => {
      const oid = 'a'.repeat(40);
      const out = [
        `# branch.oid ${oid}`,
        '# branch.head main',
        `1 .M N... 100644 100644 100644 ${'1'.repeat(40)} ${'2'.repeat(40)} src/a file.ts`,
        `1 D. N... 100644 000000 000000 ${'3'.repeat(40)} ${'0'.repeat(40)} gone.ts`,
        `2 R. N... 100644 100644 100644 ${'4'.repeat(40)} ${'4'.repeat(40)} R100 new.ts`,
        'old.ts',
        `u UU N... 100644 100644 100644 100644 ${'5'.repeat(40)} ${'6'.repeat(40)} ${'7'.repeat(40)} both.ts`,
        '? notes/to do.md',
        '',
      ].join('\0');
      assert.deepEqual(parseStatus(out), {
        head: oid,
        entries: [
          { kind: '1', xy: '.M', worktreeMode: '100644', headBlob: '1'.repeat(40), indexBlob: '2'.repeat(40), path: 'src/a file.ts' },
          { kind: '1', xy: 'D.', worktreeMode: '000000', headBlob: '3'.repeat(40), indexBlob: '0'.repeat(40), path: 'gone.ts' },
          { kind: '1', xy: 'R.', worktreeMode: '100644', headBlob: '4'.repeat(40), indexBlob: '4'.repeat(40), path: 'new.ts' },
          { kind: 'u', xy: 'UU', worktreeMode: '100644', path: 'both.ts' },
          { kind: '?', xy: '??', path: 'notes/to do.md' },
        ],
      });
      assert.equal(parseStatus('# branch.oid (initial)\0').head, null);
    });
  });

  describe('shell tool payloads', () => {
    const cases: [string, string, string][] = [
      ['claude-code', 'claude-code/pre-bash.json', 'claude-code/post-bash.json'],
      ['codex', 'codex/pre-bash.json', 'codex/post-bash.json'],
      ['gemini', 'gemini/before-run_shell_command.json', 'gemini/after-run_shell_command.json'],
      ['copilot', 'copilot/pre-run_in_terminal.json', 'copilot/post-run_in_terminal.json'],
      ['copilot', 'copilot/cli-pre-bash.json', 'copilot/cli-post-bash.json'],
    ];
    for (const [agent, pre, post] of cases) {
      it(`${agent} (${path.basename(pre)}): its shell tool parses to a shell call, before and after`, () => {
        const read = (f: string) => parseAgentPayload(agent as never, fs.readFileSync(path.join(FIXTURES, f), 'utf8'));
        const [p, q] = [read(pre), read(post)];
        assert.deepEqual([p.phase, p.shell, p.files], ['pre', true, []]);
        assert.deepEqual([q.phase, q.shell, q.files], ['post', true, []]);
        assert.equal(p.toolUseId, q.toolUseId);
        assert.equal(p.session, q.session);
      });
    }

    it('an edit tool is no shell call', () => {
      const e = parseAgentPayload('claude-code', fs.readFileSync(path.join(FIXTURES, 'claude-code/post-edit.json'), 'utf8'));
      assert.equal(e.shell, undefined);
    });
  });

  describe('left-over snapshots', () => {
    let dir: string;
    beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aip-shell-snap-'))));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('a shell snapshot goes with its kept index once that is older than the limit; a recent one stays', async () => {
      for (const f of ['a.json', 'a.index', 'b.json', 'b.index']) fs.writeFileSync(path.join(dir, f), '{}');
      const store = new SnapshotStore(dir);
      await cleanupShellSnapshots(store, SHELL_SNAPSHOT_MAX_AGE_MS, Date.now() + 1000);
      assert.deepEqual(fs.readdirSync(dir).sort(), ['a.index', 'a.json', 'b.index', 'b.json']);
      await cleanupShellSnapshots(store, SHELL_SNAPSHOT_MAX_AGE_MS, Date.now() + SHELL_SNAPSHOT_MAX_AGE_MS + 1000);
      assert.deepEqual(fs.readdirSync(dir), []);
    });

    it("the edit snapshots' clean-up leaves a kept index alone, whose time is the index's last write", async () => {
      const index = path.join(dir, 'c.index');
      fs.writeFileSync(index, 'DIRC');
      const old = new Date(Date.now() - 7 * 24 * 3600 * 1000);
      fs.utimesSync(index, old, old);
      fs.writeFileSync(path.join(dir, 'old.json'), '{}');
      fs.utimesSync(path.join(dir, 'old.json'), old, old);
      assert.equal(await new SnapshotStore(dir).cleanup(), 1);
      assert.deepEqual(fs.readdirSync(dir), ['c.index']);
    });
  });
});
