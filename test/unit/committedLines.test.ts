/** The working tree's committed, unreviewed AI lines (store/committedLines.ts), in real clones with real notes. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { NOTES_REF } from '../../src/core/note';
import { hashText } from '../../src/core/text';
import { CommittedLines, CommittedRun, NoteBlobCache, readUnreviewedNotes, withoutLines } from '../../src/store/committedLines';
import { reviewCommitted } from '../../src/store/history';
import { TempRepo } from '../cli/helpers';
import { addNote, addRawNote, commitFile, head, numbered } from '../cli/noteHelpers';
import { BareRemote, cloneOf, installHooks } from '../cli/shareHelpers';

/** [path, from, to, commit] of each run, for compact assertions. */
const brief = (runs: CommittedRun[]): [string, number, number, string][] => runs.map((r) => [r.path, r.from, r.to, r.commit]);

describe('committed, unreviewed AI lines of the working tree', function () {
  this.timeout(60_000);
  const repos: TempRepo[] = [];
  const repo = (): TempRepo => {
    const r = new TempRepo('aip-committed-');
    repos.push(r);
    return r;
  };
  afterEach(() => {
    for (const r of repos.splice(0)) r.dispose();
  });

  it("finds a teammate's pushed AI lines in a clone with no marker of them; a review recorded in the note removes them and verify passes", async () => {
    const remote = new BareRemote();
    try {
      const mate = cloneOf(remote, 'mate@example.com');
      repos.push(mate);
      mate.write('src/app.ts', numbered('line', 6));
      mate.commitAll('base');
      mate.git('push', '-q', 'origin', 'main');
      const me = cloneOf(remote, 'me@example.com');
      repos.push(me);
      installHooks(mate);
      installHooks(me);
      const base = head(me);

      // The teammate's agent writes two lines; the hooks write the note and push it with the branch.
      const lines = numbered('line', 6).split('\n');
      lines.splice(2, 0, 'const fromAgent = 1;', 'const alsoAgent = 2;');
      mate.write('src/app.ts', lines.join('\n'));
      assert.equal(mate.cli(['mark', 'src/app.ts:3-4', '--source', 'agent', '--tool', 'codex']).code, 0);
      mate.commitAll('agent lines');
      const commit = head(mate);
      const pushed = mate.tryGit('push', '-q', 'origin', 'main');
      assert.equal(pushed.code, 0, pushed.stderr);

      const pulled = me.tryGit('pull', '-q', '--ff-only');
      assert.equal(pulled.code, 0, pulled.stderr);
      assert.deepEqual(me.regions(), [], 'this clone has no marker of the lines');
      const lines_ = new CommittedLines(me.root);
      const scan = await lines_.scan();
      assert.deepEqual(scan.runs, [
        { path: 'src/app.ts', from: 3, to: 4, commit, region: scan.runs[0]?.region, source: 'agent', tool: 'codex', model: null, author: 'mate@example.com', createdAt: scan.runs[0]?.createdAt },
      ]);
      assert.ok(!Number.isNaN(Date.parse(scan.runs[0].createdAt)));
      assert.deepEqual([scan.files, scan.skipped, scan.blamed, scan.unreadable.length, scan.failed.length], [1, 0, 1, 0, 0]);
      assert.equal(me.cli(['verify', `${base}..HEAD`]).code, 1, 'verify fails on them');

      assert.equal((await reviewCommitted(me.root, 'src/app.ts', { from: 3, to: 4 }, 'Me <me@example.com>')).length, 1);
      const after = await lines_.scan();
      assert.deepEqual([after.runs, after.files, after.blamed], [[], 0, 0], 'no note holds the file unreviewed any more');
      const verified = me.cli(['verify', `${base}..HEAD`]);
      assert.equal(verified.code, 0, verified.stdout + verified.stderr);
    } finally {
      remote.dispose();
    }
  });

  it('splits runs where a line was changed in the working tree and per note region; reviewed regions and human lines are left out', async () => {
    const r = repo();
    commitFile(r, 'a.ts', numbered('a', 8));
    const c1 = commitFile(r, 'a.ts', numbered('a', 8).replace('a 2\n', 'AI 2\n'));
    addNote(r, c1, [{ path: 'a.ts', from: 2, to: 2, tool: 'copilot' }]);
    const c2 = commitFile(r, 'a.ts', r.read('a.ts').replace('a 4\na 5\na 6\na 7\n', 'B 4\nB 5\nB 6\nB 7\n'));
    // Two regions of one commit side by side, and a reviewed one.
    addNote(r, c2, [
      { path: 'a.ts', from: 4, to: 5, source: 'chat', tool: 'claude-code' },
      { path: 'a.ts', from: 6, to: 6, source: 'chat', tool: 'claude-code' },
      { path: 'a.ts', from: 7, to: 7, reviewedBy: 'Rev <rev@example.com>' },
    ]);
    // A human edit of line 5, not committed: that line is nobody's AI line any more.
    r.write('a.ts', r.read('a.ts').replace('B 5\n', 'human 5\n'));
    const scan = await new CommittedLines(r.root).scan();
    assert.deepEqual(brief(scan.runs), [
      ['a.ts', 2, 2, c1],
      ['a.ts', 4, 4, c2],
      ['a.ts', 6, 6, c2],
    ]);
    assert.deepEqual(scan.runs.map((x) => [x.source, x.tool]), [['inline', 'copilot'], ['chat', 'claude-code'], ['chat', 'claude-code']]);
  });

  it('blames again only what may have changed: a file whose note changed, a saved file, files new commits touched; everything after a checkout', async () => {
    const r = repo();
    commitFile(r, 'a.ts', numbered('a', 3));
    commitFile(r, 'b.ts', numbered('b', 3));
    const c = commitFile(r, 'a.ts', 'AI\n' + numbered('a', 3));
    addNote(r, c, [{ path: 'a.ts', from: 1, to: 1 }]);
    const d = commitFile(r, 'b.ts', 'AI\n' + numbered('b', 3));
    addNote(r, d, [{ path: 'b.ts', from: 1, to: 1 }]);
    const lines = new CommittedLines(r.root);
    const blamedAndRuns = async (): Promise<[number, ReturnType<typeof brief>]> => {
      const scan = await lines.scan();
      return [scan.blamed, brief(scan.runs)];
    };
    assert.deepEqual([(await lines.scan()).blamed, (await lines.scan()).blamed], [2, 0]);
    // A second AI line in a.ts (HEAD moves); then a review of it changes only a.ts's notes.
    const e = commitFile(r, 'a.ts', 'AI\nAI too\n' + numbered('a', 3));
    addNote(r, e, [{ path: 'a.ts', from: 2, to: 2 }]);
    let scan = await lines.scan();
    assert.deepEqual([scan.blamed, brief(scan.runs)], [1, [['a.ts', 1, 1, c], ['a.ts', 2, 2, e], ['b.ts', 1, 1, d]]], 'HEAD moved forward by a commit of a.ts');
    await reviewCommitted(r.root, 'a.ts', { from: 2, to: 2 }, 'Rev <rev@example.com>');
    scan = await lines.scan();
    assert.deepEqual([scan.blamed, brief(scan.runs)], [1, [['a.ts', 1, 1, c], ['b.ts', 1, 1, d]]]);
    await reviewCommitted(r.root, 'a.ts', undefined, 'Rev <rev@example.com>');
    scan = await lines.scan();
    assert.deepEqual([scan.blamed, brief(scan.runs)], [0, [['b.ts', 1, 1, d]]]);
    assert.deepEqual([...lines.candidates], ['b.ts'], 'a reviewed file is no candidate any more');
    // Saved with a line above: the run moves down.
    r.write('b.ts', 'top\n' + r.read('b.ts'));
    scan = await lines.scan();
    assert.deepEqual([scan.blamed, brief(scan.runs)], [1, [['b.ts', 2, 2, d]]]);
    // HEAD moves forward: only what the new commits touched is blamed again.
    commitFile(r, 'b.ts', r.read('b.ts'), 'b.ts as saved');
    assert.deepEqual(await blamedAndRuns(), [1, [['b.ts', 2, 2, d]]]);
    const e2 = commitFile(r, 'a.ts', 'AI again\n' + numbered('a', 3));
    addNote(r, e2, [{ path: 'a.ts', from: 1, to: 1 }]);
    scan = await lines.scan();
    assert.deepEqual([scan.blamed, brief(scan.runs)], [1, [['a.ts', 1, 1, e2], ['b.ts', 2, 2, d]]], 'a.ts: a new note and a new commit; b.ts untouched');
    // HEAD moves elsewhere (a reset): every candidate again; a.ts stays one, named by the note of the commit reset away.
    r.git('reset', '-q', '--hard', 'HEAD~1');
    assert.deepEqual(await blamedAndRuns(), [2, [['b.ts', 2, 2, d]]]);
    commitFile(r, 'c.ts', 'human\n');
    assert.equal((await lines.scan()).blamed, 0, 'a commit of another file');
    r.git('checkout', '-q', 'HEAD~1');
    assert.equal((await lines.scan()).blamed, 2, 'a checkout of an older commit: every candidate');
    assert.equal((await lines.scan(true)).blamed, 2, 'asked for everything');
  });

  it('looks at most maxFiles files, in path order, and counts the rest; skips files gone from the working tree', async () => {
    const r = repo();
    for (const name of ['c.ts', 'a.ts', 'b.ts', 'gone.ts']) r.write(name, numbered(name, 2));
    r.commitAll('four files');
    const c = head(r);
    addNote(r, c, ['c.ts', 'a.ts', 'b.ts', 'gone.ts'].map((p) => ({ path: p, from: 1, to: 1 })));
    fs.rmSync(r.path('gone.ts'));
    const scan = await new CommittedLines(r.root, { maxFiles: 2 }).scan();
    assert.deepEqual(brief(scan.runs), [['a.ts', 1, 1, c], ['b.ts', 1, 1, c]]);
    assert.deepEqual([scan.files, scan.skipped], [2, 1]);
  });

  it('a file renamed after its note was written is not found (it is looked for under the note\'s path)', async () => {
    const r = repo();
    const c = commitFile(r, 'old.ts', numbered('x', 3));
    addNote(r, c, [{ path: 'old.ts', from: 2, to: 2 }]);
    r.git('mv', 'old.ts', 'new.ts');
    r.commitAll('rename');
    assert.deepEqual((await new CommittedLines(r.root).scan()).runs, []);
  });

  it('leaves out a note it cannot read and names it; reads the others', async () => {
    const r = repo();
    const c1 = commitFile(r, 'a.ts', numbered('a', 2));
    addNote(r, c1, [{ path: 'a.ts', from: 1, to: 2 }]);
    const c2 = commitFile(r, 'b.ts', numbered('b', 2));
    addRawNote(r, c2, '{"version": 99, "writer": "future", "files": {}}');
    const scan = await new CommittedLines(r.root).scan();
    assert.deepEqual(brief(scan.runs), [['a.ts', 1, 2, c1]]);
    assert.deepEqual(scan.unreadable.map((e) => [e.commit, e.newer]), [[c2, true]]);
  });

  it('gives nothing in a repository without commits or without notes', async () => {
    const r = repo();
    assert.deepEqual(await new CommittedLines(r.root).scan(), { runs: [], files: 0, skipped: 0, blamed: 0, unreadable: [], failed: [] });
    commitFile(r, 'a.ts', 'x\n');
    assert.deepEqual((await new CommittedLines(r.root).scan()).runs, []);
  });

  it('reads notes fanned out into folders, and only the blobs it has not read before', async () => {
    const r = repo();
    // 300 commits and their notes in two fast-import streams: git fans the notes tree out past 255 notes.
    const n = 300;
    let stream = '';
    for (let i = 1; i <= n; i++) {
      const text = `v${i}\n`;
      stream += `commit refs/heads/main\ncommitter Dev <dev@example.com> ${1700000000 + i} +0000\ndata 2\nc\nM 644 inline f${i}.ts\ndata ${text.length}\n${text}\n`;
    }
    r.tryGitInput(['fast-import', '--quiet'], stream + 'done\n');
    r.git('reset', '-q', '--hard');
    const commits = r.git('rev-list', '--reverse', 'main').trim().split('\n');
    assert.equal(commits.length, n);
    const note = (i: number, reviewed: boolean): string => {
      const hash = hashText(`v${i}`);
      const region = { id: `r${i}`, from: 1, to: 1, source: 'inline', tool: 'copilot', author: 'dev@example.com', createdAt: '2026-01-01T00:00:00.000Z', hash, lines: [hash], reviews: reviewed ? [{ by: 'Rev', at: '2026-01-02T00:00:00.000Z', hash }] : [] };
      return JSON.stringify({ version: 1, writer: 'test', files: { [`f${i}.ts`]: [region] } });
    };
    let notes = `commit ${NOTES_REF}\ncommitter Dev <dev@example.com> 1800000000 +0000\ndata 2\nn\n`;
    // Every note reviewed but the last three.
    commits.forEach((c, i) => {
      const text = note(i + 1, i < n - 3);
      notes += `N inline ${c}\ndata ${Buffer.byteLength(text)}\n${text}\n`;
    });
    r.tryGitInput(['fast-import', '--quiet'], notes + 'done\n');
    assert.match(r.git('ls-tree', NOTES_REF), /^040000 tree [0-9a-f]+\t[0-9a-f]{2}$/m, 'the notes tree is fanned out');
    const cache: NoteBlobCache = new Map();
    const read = await readUnreviewedNotes(r.root, cache);
    assert.deepEqual([...read.paths.keys()].sort(), [`f${n - 2}.ts`, `f${n - 1}.ts`, `f${n}.ts`]);
    assert.deepEqual([...read.notes.keys()].sort(), commits.slice(n - 3).sort());
    assert.equal(cache.size, n, 'every blob read is remembered');
    assert.deepEqual(brief((await new CommittedLines(r.root).scan()).runs), [
      [`f${n - 2}.ts`, 1, 1, commits[n - 3]],
      [`f${n - 1}.ts`, 1, 1, commits[n - 2]],
      [`f${n}.ts`, 1, 1, commits[n - 1]],
    ]);
    // A remembered blob is not read again: what the cache says of it stands.
    const firstBlob = r.git('notes', `--ref=${NOTES_REF}`, 'list', commits[0]).trim();
    const [stale] = read.notes.get(commits[n - 1])!.files[`f${n}.ts`];
    cache.set(firstBlob, { 'f1.ts': [stale] });
    assert.ok((await readUnreviewedNotes(r.root, cache)).paths.has('f1.ts'));
  });

  it('withoutLines cuts runs around lines listed elsewhere, and drops runs covered whole', () => {
    const run = (from: number, to: number): CommittedRun => ({ path: 'a.ts', from, to, commit: 'c', region: 'r', source: 'agent', tool: null, model: null, author: 'a', createdAt: '2026-01-01T00:00:00.000Z' });
    const lines = (runs: CommittedRun[]): [number, number][] => runs.map((r) => [r.from, r.to]);
    assert.deepEqual(lines(withoutLines([run(1, 10)], [])), [[1, 10]]);
    assert.deepEqual(lines(withoutLines([run(1, 10)], [{ from: 4, to: 5 }, { from: 9, to: 12 }])), [[1, 3], [6, 8]]);
    assert.deepEqual(lines(withoutLines([run(3, 4), run(8, 8)], [{ from: 1, to: 4 }])), [[8, 8]]);
    assert.deepEqual(lines(withoutLines([run(3, 4)], [{ from: 1, to: 2 }, { from: 5, to: 6 }])), [[3, 4]]);
    assert.deepEqual(withoutLines([run(2, 3)], [{ from: 3, to: 3 }])[0], run(2, 2), 'the rest of the run is kept as it was');
  });
});
