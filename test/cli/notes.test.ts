/** The post-commit hook writes a provenance note for every commit (real repositories, the bundled CLI). */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { hashText } from '../../src/core/text';
import { TempRepo } from './helpers';

interface NoteJson {
  version: number;
  writer: string;
  files: Record<string, { id: string; from: number; to: number; source: string; tool: string | null; hash: string; lines: string[]; reviews: { by: string; at: string; hash: string }[] }[]>;
}

describe('CLI: a note for every commit (post-commit)', function () {
  this.timeout(60_000);
  let repo: TempRepo;
  beforeEach(() => {
    repo = new TempRepo('aip-notes-');
    repo.write('a.txt', 'a\nb\n');
    repo.commitAll('base');
    assert.equal(repo.cli(['hook', 'install']).code, 0);
  });
  afterEach(() => repo.dispose());

  const note = (rev = 'HEAD'): NoteJson => JSON.parse(repo.git('notes', '--ref=ai-provenance', 'show', rev));
  const commit = (...args: string[]): void => {
    const r = repo.tryGit('commit', '-q', ...args);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '', 'the hooks print nothing when all is well');
  };

  it('a commit with AI lines: their range, hashes of the committed lines, source, tool, and the review as Name <email>', () => {
    repo.write('a.txt', 'a\nb\nai one\nai two\n');
    repo.cli(['mark', 'a.txt:3-4', '--source', 'inline', '--tool', 'copilot']);
    repo.cli(['review', 'a.txt:3-4']);
    repo.git('add', 'a.txt');
    commit('-m', 'ai');
    const n = note();
    assert.equal(n.version, 1);
    assert.match(n.writer, /^ai-provenance /);
    assert.deepEqual(Object.keys(n.files), ['a.txt']);
    const [r] = n.files['a.txt'];
    assert.deepEqual([r.from, r.to, r.source, r.tool], [3, 4, 'inline', 'copilot']);
    assert.deepEqual(r.lines, [hashText('ai one'), hashText('ai two')]);
    assert.equal(r.hash, hashText('ai one\nai two'));
    assert.equal(r.reviews.length, 1);
    assert.equal(r.reviews[0].by, 'Dev <dev@example.com>');
    assert.equal(r.reviews[0].hash, r.hash, 'the review counts for these lines');
  });

  it('a commit without AI lines gets a note with no files', () => {
    repo.write('a.txt', 'a\nb\nhuman\n');
    repo.git('add', 'a.txt');
    commit('-m', 'human');
    assert.deepEqual(note().files, {});
  });

  it('a --no-verify commit gets its note, recording the unreviewed lines', () => {
    repo.write('a.txt', 'a\nb\nai\n');
    repo.cli(['mark', 'a.txt:3']);
    repo.git('add', 'a.txt');
    assert.notEqual(repo.tryGit('commit', '-q', '-m', 'blocked').code, 0, 'the gate blocks it');
    commit('--no-verify', '-m', 'skipped the gate');
    const [r] = note().files['a.txt'];
    assert.deepEqual([r.from, r.to, r.reviews], [3, 3, []]);
  });

  it('only the lines this commit added or changed: AI lines committed before are not repeated', () => {
    repo.write('a.txt', 'a\nb\nai one\n');
    repo.cli(['mark', 'a.txt:3']);
    repo.git('add', 'a.txt');
    commit('--no-verify', '-m', 'first');
    repo.write('a.txt', 'a\nb\nai one\nhuman\nai two\n');
    repo.cli(['mark', 'a.txt:5']);
    repo.git('add', 'a.txt');
    commit('--no-verify', '-m', 'second');
    assert.deepEqual(note().files['a.txt'].map((r) => [r.from, r.to]), [[5, 5]]);
    assert.deepEqual(note('HEAD~1').files['a.txt'].map((r) => [r.from, r.to]), [[3, 3]]);
  });

  it('a partially staged file: the note describes what was committed, not the working tree', () => {
    repo.write('a.txt', 'a\nb\nai one\n');
    repo.git('add', 'a.txt');
    repo.write('a.txt', 'a\nb\nai one\nai two\n');
    repo.cli(['mark', 'a.txt:3-4']);
    commit('--no-verify', '-m', 'part');
    const [r] = note().files['a.txt'];
    assert.deepEqual([r.from, r.to, r.lines], [3, 3, [hashText('ai one')]]);
    assert.equal(repo.read('a.txt'), 'a\nb\nai one\nai two\n');
  });

  it('a rename that moves AI lines: the note names the new path and the lines where they now are', () => {
    repo.write('a.txt', 'a\nb\nc\nd\nai one\nai two\n');
    repo.cli(['mark', 'a.txt:5-6']);
    repo.git('add', 'a.txt');
    commit('--no-verify', '-m', 'ai');
    const id = note().files['a.txt'][0].id;
    repo.git('mv', 'a.txt', 'b.txt');
    repo.write('b.txt', 'ai one\nai two\na\nb\nc\nd\n');
    repo.git('add', 'b.txt');
    commit('--no-verify', '-m', 'move');
    assert.match(repo.git('show', '--stat', '-M', '--format=', 'HEAD'), /a\.txt => b\.txt/, 'git sees a rename');
    const n = note();
    assert.deepEqual(Object.keys(n.files), ['b.txt']);
    assert.deepEqual(n.files['b.txt'].map((r) => [r.id, r.from, r.to]), [[id, 1, 2]]);
  });

  it('the root commit: every AI line of every file; policy-ignored files are left out', () => {
    const fresh = new TempRepo('aip-notes-root-');
    try {
      fresh.cli(['hook', 'install']);
      fresh.write('x.txt', 'ai\nhuman\n');
      fresh.write('package-lock.json', '{}\n');
      fresh.cli(['mark', 'x.txt:1']);
      fresh.cli(['mark', 'package-lock.json']);
      fresh.git('add', '-A');
      const r = fresh.tryGit('commit', '-q', '--no-verify', '-m', 'root');
      assert.equal(r.code, 0, r.stderr);
      const n: NoteJson = JSON.parse(fresh.git('notes', '--ref=ai-provenance', 'show', 'HEAD'));
      assert.deepEqual(Object.keys(n.files), ['x.txt']);
      assert.deepEqual(n.files['x.txt'].map((x) => [x.from, x.to]), [[1, 1]]);
    } finally {
      fresh.dispose();
    }
  });

  it('never fails the commit: an error is one line on stderr and the commit is made', () => {
    // A notes ref that is not ours (a blob): the note cannot be written.
    repo.git('update-ref', 'refs/notes/ai-provenance', repo.git('hash-object', '-w', 'a.txt').trim());
    repo.write('a.txt', 'a\nb\nc\n');
    repo.git('add', 'a.txt');
    const r = repo.tryGit('commit', '-q', '-m', 'still made');
    assert.equal(r.code, 0);
    assert.equal(repo.git('log', '-1', '--format=%s'), 'still made\n');
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], /^AI Provenance \(post-commit\) did not finish: .*not a notes commit/);
  });
});

describe('CLI: hooks installed together, chained, restored', function () {
  this.timeout(60_000);
  let repo: TempRepo;
  beforeEach(() => {
    repo = new TempRepo('aip-hooks-');
    repo.write('a.txt', 'a\n');
    repo.commitAll('base');
  });
  afterEach(() => repo.dispose());
  const hook = (name: string): string => path.join(repo.root, '.git', 'hooks', name);

  it('chains an existing post-commit hook (it runs after ours, with its arguments), is idempotent, and uninstall restores every hook', () => {
    const post = '#!/bin/sh\necho "post ran $# $(git notes --ref=ai-provenance list HEAD)" > post-ran.txt\n';
    const pre = '#!/bin/sh\necho pre > pre-ran.txt\n';
    fs.writeFileSync(hook('post-commit'), post, { mode: 0o755 });
    fs.writeFileSync(hook('pre-commit'), pre, { mode: 0o755 });
    const status = repo.cli(['hook', 'status']);
    assert.equal(status.code, 1);
    assert.match(status.stdout, /pre-commit: another tool's hook.*\n.*post-commit: another tool's hook/);
    assert.equal(repo.cli(['hook', 'install']).code, 0);
    assert.equal(repo.cli(['hook', 'install']).code, 0);
    assert.equal(fs.readFileSync(hook('post-commit.ai-provenance-previous'), 'utf8'), post);
    assert.match(repo.cli(['hook', 'status']).stdout, /pre-commit: installed \(the previous hook runs after it\)\n {2}post-commit: installed \(the previous hook runs after it\)/);
    repo.write('a.txt', 'a\nb\n');
    repo.git('add', 'a.txt');
    const r = repo.tryGit('commit', '-q', '-m', 'two');
    assert.equal(r.code, 0, r.stderr);
    assert.ok(fs.existsSync(repo.path('pre-ran.txt')));
    // The previous post-commit hook ran after ours: the note was there already.
    assert.match(repo.read('post-ran.txt'), /^post ran 0 [0-9a-f]{40}\n$/);
    assert.match(repo.cli(['hook', 'uninstall']).stdout, /previous hook is back/);
    assert.equal(fs.readFileSync(hook('post-commit'), 'utf8'), post);
    assert.equal(fs.readFileSync(hook('pre-commit'), 'utf8'), pre);
    assert.deepEqual(fs.readdirSync(path.dirname(hook('x'))).filter((f) => f.includes('ai-provenance')), []);
  });

  it('uninstall without earlier hooks leaves none; a 0.1 install (pre-commit only) is reported and completed by install', () => {
    repo.cli(['hook', 'install']);
    assert.ok(fs.existsSync(hook('post-commit')));
    fs.rmSync(hook('post-commit'));
    const status = repo.cli(['hook', 'status']);
    assert.equal(status.code, 1);
    assert.match(status.stdout, /pre-commit: installed\n {2}post-commit: not installed/);
    repo.cli(['hook', 'install']);
    assert.equal(repo.cli(['hook', 'status']).code, 0);
    repo.cli(['hook', 'uninstall']);
    assert.ok(!fs.existsSync(hook('pre-commit')) && !fs.existsSync(hook('post-commit')));
  });

  it('hook managers: husky and lefthook get the post-commit line too, and their files are left alone', () => {
    repo.write('.husky/pre-commit', 'npm test\n');
    repo.git('config', 'core.hooksPath', '.husky/_');
    const husky = repo.cli(['hook', 'install']).stdout;
    assert.match(husky, /\.husky\/pre-commit:\s+npx --no-install ai-provenance check --staged/);
    assert.match(husky, /\.husky\/post-commit:\s+npx --no-install ai-provenance hook run post-commit/);
    assert.ok(!fs.existsSync(repo.path('.husky/post-commit')));
    repo.git('config', '--unset', 'core.hooksPath');
    fs.rmSync(repo.path('.husky'), { recursive: true });

    repo.write('lefthook.yml', 'pre-commit:\n  commands: {}\n');
    const lefthook = repo.cli(['hook', 'install']).stdout;
    assert.match(lefthook, /post-commit:\n {2}commands:\n {4}ai-provenance:\n {6}run: npx --no-install ai-provenance hook run post-commit/);
    assert.equal(repo.read('lefthook.yml'), 'pre-commit:\n  commands: {}\n');
    assert.ok(!fs.existsSync(hook('post-commit')));
  });

  it('the post-commit line a hook manager runs writes the note', () => {
    repo.write('a.txt', 'a\nai\n');
    repo.cli(['mark', 'a.txt:2']);
    repo.commitAll('by hand');
    const r = repo.cli(['hook', 'run', 'post-commit']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(repo.git('notes', '--ref=ai-provenance', 'show', 'HEAD')).files['a.txt'].map((x: { from: number }) => x.from), [2]);
    assert.equal(repo.cli(['hook', 'run', 'no-such-hook']).code, 2);
  });
});
