import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { blameFile, IncrementalBlameParser, parseBlameIncremental, UNCOMMITTED, unquoteGitPath } from '../../src/store/blame';
import { workingProvenance } from '../../src/store/history';
import { hashText } from '../../src/core/text';

describe('blame: git blame --porcelain parsed', () => {
  let root: string;
  const g = (...args: string[]): string =>
    execFileSync('git', args, { cwd: root, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: root, GIT_DIR: undefined, GIT_INDEX_FILE: undefined } });
  const write = (rel: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  const commit = (msg: string): string => {
    g('add', '-A');
    g('commit', '-q', '-m', msg);
    return g('rev-parse', 'HEAD').trim();
  };
  beforeEach(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aip-blame-')));
    g('init', '-q', '-b', 'main');
    g('config', 'user.email', 'dev@example.com');
    g('config', 'user.name', 'Dev');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('gives runs with the commit, the final and original line and path, across a rename', async () => {
    const lines = Array.from({ length: 10 }, (_, i) => `line ${i + 1}`);
    write('old.ts', lines.join('\n') + '\n');
    const c1 = commit('first');
    g('mv', 'old.ts', 'new.ts');
    write('new.ts', ['zero', ...lines.slice(0, 9), 'TEN'].join('\n') + '\n');
    const c2 = commit('second');
    const runs = await blameFile(root, 'new.ts', { rev: 'HEAD' });
    assert.deepEqual(runs.map((r) => [r.commit, r.line, r.count, r.origLine, r.origPath, r.boundary]), [
      [c2, 1, 1, 1, 'new.ts', false],
      [c1, 2, 9, 1, 'old.ts', false],
      [c2, 11, 1, 11, 'new.ts', false],
    ]);
  });

  it('marks lines from before the range as boundary; a root commit inside the range is not a boundary', async () => {
    write('a.ts', 'base\n');
    const c1 = commit('root');
    write('a.ts', 'base\nadded\n');
    const c2 = commit('second');
    const limited = await blameFile(root, 'a.ts', { rev: c2, exclude: c1 });
    assert.deepEqual(limited.map((r) => [r.commit, r.line, r.boundary]), [[c1, 1, true], [c2, 2, false]]);
    const whole = await blameFile(root, 'a.ts', { rev: c2 });
    assert.deepEqual(whole.map((r) => [r.commit, r.boundary]), [[c1, false], [c2, false]]);
  });

  it('blames the working tree (uncommitted lines) and limits to lines', async () => {
    write('a.ts', 'a\nb\nc\n');
    const c1 = commit('one');
    write('a.ts', 'a\nB!\nc\n');
    const runs = await blameFile(root, 'a.ts', { lines: { from: 2, to: 3 } });
    assert.deepEqual(runs.map((r) => [r.commit, r.line, r.count]), [[UNCOMMITTED, 2, 1], [c1, 3, 1]]);
  });

  it('reads quoted file names (a path with a tab, a quote, non-ASCII)', async () => {
    const name = 'dir/we\tird "é".ts';
    write(name, 'x\n');
    commit('odd');
    const [run] = await blameFile(root, name, { rev: 'HEAD' });
    assert.equal(run.origPath, name);
    assert.equal(unquoteGitPath('"a\\303\\251\\\\b\\"c\\td"'), 'aé\\b"c\td');
    assert.equal(unquoteGitPath('plain name'), 'plain name');
  });

  it("traces an editor's unsaved text (--contents) to the commit and its note: what the hover shows", async () => {
    write('a.ts', 'a\nb\n');
    commit('human');
    write('a.ts', 'a\nAI line\nb\n');
    const c2 = commit('ai');
    const region = { id: 'r1', from: 2, to: 2, source: 'agent', tool: 'codex', author: 'dev@example.com', createdAt: '2026-11-20T10:00:00.000Z', hash: hashText('AI line'), lines: [hashText('AI line')], reviews: [] };
    g('notes', '--ref=ai-provenance', 'add', '-m', JSON.stringify({ version: 1, writer: 'test', files: { 'a.ts': [region] } }), c2);
    // Unsaved: a line typed above moves the AI line to line 3; the typed line is not committed.
    const unsaved = 'typed\na\nAI line\nb\n';
    const [moved] = await workingProvenance(root, 'a.ts', { lines: { from: 3, to: 3 }, contents: unsaved });
    assert.deepEqual([moved.commit, moved.origLine, moved.ai, moved.tool, moved.reviewed], [c2, 2, true, 'codex', false]);
    const [typed] = await workingProvenance(root, 'a.ts', { lines: { from: 1, to: 1 }, contents: unsaved });
    assert.deepEqual([typed.commit, typed.ai], [null, false]);
    const [human] = await workingProvenance(root, 'a.ts', { lines: { from: 1, to: 1 } });
    assert.deepEqual([human.noted, human.ai], [false, false], 'the first commit carries no note');
    assert.deepEqual(await workingProvenance(root, 'untracked.ts', { lines: { from: 1, to: 1 }, contents: 'x\n' }), [], 'a file HEAD does not hold has no history');
  });

  it('reads incremental output: entries in any order, sorted and joined, details once per commit, quoted file names', () => {
    const c = 'c'.repeat(40);
    const d = 'd'.repeat(40);
    const text = [
      `${d} 5 3 1`, 'author D', 'summary filename x.ts', 'boundary', 'filename "q\\tq.ts"',
      `${c} 1 1 2`, 'author C', 'summary first', 'previous 0123 a.ts', 'filename a.ts',
      `${c} 3 4 1`, 'filename a.ts',
      `${c} 4 5 1`, 'filename a.ts',
    ].join('\n') + '\n';
    const heard: string[] = [];
    const parser = new IncrementalBlameParser((commit) => heard.push(commit));
    // Split mid-line, as a pipe does.
    parser.push(Buffer.from(text.slice(0, 57)));
    parser.push(Buffer.from(text.slice(57)));
    assert.deepEqual(heard, [d, c], 'each commit once, as it first appears');
    assert.deepEqual(
      parser.end().map((r) => [r.commit[0], r.line, r.count, r.origLine, r.origPath, r.boundary]),
      [['c', 1, 2, 1, 'a.ts', false], ['d', 3, 1, 5, 'q\tq.ts', true], ['c', 4, 2, 3, 'a.ts', false]],
    );
    assert.throws(() => parseBlameIncremental(Buffer.from(`${c} 1 1 1\nauthor C\n`)), /without a file name/);
    assert.throws(() => parseBlameIncremental(Buffer.from('not blame\n')), /unexpected line/);
  });
});
