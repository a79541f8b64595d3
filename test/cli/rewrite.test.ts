import * as assert from 'node:assert/strict';
import { TempRepo } from './helpers';
import { aiCommit, installHooks, noteSpans, spans } from './shareHelpers';

const BASE = ['import a;', '', 'function f() {', '  return 1;', '}', '', 'function g() {', '  return 2;', '}', ''].join('\n');
const lines = (...ls: string[]): string => ls.join('\n') + '\n';

describe('CLI: history rewrites keep provenance, re-anchored', function () {
  this.timeout(60000);
  let repo: TempRepo;
  beforeEach(() => {
    repo = new TempRepo();
    repo.write('a.ts', BASE);
    repo.commitAll('base');
    installHooks(repo);
  });
  afterEach(() => repo.dispose());

  it('amend: the amended commit gets the note, re-anchored below a line added on top, reviews still valid', () => {
    repo.write('a.ts', BASE.replace('function g() {', 'function g() {\n  const ai = compute();\n  log(ai);'));
    aiCommit(repo, 'ai', [{ path: 'a.ts', from: 8, to: 9, id: 'x', reviewedBy: 'Dev <dev@example.com>' }]);
    repo.write('a.ts', '// header\n' + repo.read('a.ts'));
    repo.git('add', 'a.ts');
    const r = repo.tryGit('commit', '-q', '--amend', '--no-verify', '-m', 'ai, amended');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '', 'the hooks say nothing when all is well');
    const note = noteSpans(repo, 'HEAD');
    assert.deepEqual(note?.map((s) => [s.path, s.from, s.to, s.id, s.reviewed]), [['a.ts', 9, 10, 'x', true]]);
  });

  it('rebase onto an upstream that moved the lines: the regions are at the new line numbers', () => {
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write('a.ts', BASE.replace('  return 2;', '  return 2;\n  // AI one\n  // AI two'));
    aiCommit(repo, 'ai', [{ path: 'a.ts', from: 9, to: 10, id: 'x' }]);
    repo.git('checkout', '-q', 'main');
    repo.write('a.ts', lines('// license', '// more license', '// and more') + BASE);
    repo.commitAll('upstream moves everything down by 3');
    repo.git('checkout', '-q', 'feature');
    const r = repo.tryGit('rebase', '-q', 'main');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(repo.read('a.ts').split('\n')[11], '  // AI one');
    assert.deepEqual(spans(repo, 'HEAD'), [['a.ts', 12, 13, 'x']]);
  });

  it('interactive squash of two AI commits: one note with both', () => {
    repo.write('a.ts', BASE.replace('  return 1;', '  return 1; // AI first'));
    aiCommit(repo, 'first', [{ path: 'a.ts', from: 4, to: 4, id: 'one' }]);
    repo.write('a.ts', repo.read('a.ts').replace('  return 2;', '  return 2; // AI second'));
    repo.write('b.ts', lines('AI b1', 'AI b2'));
    aiCommit(repo, 'second', [{ path: 'a.ts', from: 8, to: 8, id: 'two' }, { path: 'b.ts', from: 1, to: 2, id: 'three' }]);
    const r = repo.tryGit('-c', 'sequence.editor=sed -i -e "2s/^pick/squash/"', '-c', 'core.editor=true', 'rebase', '-q', '-i', 'HEAD~2');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(repo.git('rev-list', '--count', 'HEAD').trim(), '2', 'squashed into one');
    assert.deepEqual(spans(repo, 'HEAD'), [['a.ts', 4, 4, 'one'], ['a.ts', 8, 8, 'two'], ['b.ts', 1, 2, 'three']]);
  });

  it('reorder and fixup: each commit keeps its own lines, wherever they are now', () => {
    repo.write('a.ts', BASE.replace('  return 1;', '  return 1;\n  // AI in f'));
    aiCommit(repo, 'f', [{ path: 'a.ts', from: 5, to: 5, id: 'f' }]);
    repo.write('a.ts', repo.read('a.ts').replace('  return 2;', '  return 2;\n  // AI in g'));
    aiCommit(repo, 'g', [{ path: 'a.ts', from: 10, to: 10, id: 'g' }]);
    repo.write('c.ts', lines('human', 'AI fix'));
    aiCommit(repo, 'fix for f', [{ path: 'c.ts', from: 2, to: 2, id: 'fix' }]);
    // New order: g, f + fixup of "fix for f".
    const editor = `sed -i -e '1{h;d}' -e '2{G}' -e '3s/^pick/fixup/'`;
    const r = repo.tryGit('-c', `sequence.editor=${editor}`, 'rebase', '-q', '-i', 'HEAD~3');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(repo.git('log', '--format=%s', '-2').trim().split('\n'), ['f', 'g']);
    assert.deepEqual(spans(repo, 'HEAD~1'), [['a.ts', 9, 9, 'g']], 'g first now: its line is one higher');
    assert.deepEqual(spans(repo, 'HEAD'), [['a.ts', 5, 5, 'f'], ['c.ts', 2, 2, 'fix']]);
  });

  it('cherry-pick: the picked commit gets its source\'s note at the lines where they landed', () => {
    repo.git('checkout', '-q', '-b', 'side');
    repo.write('a.ts', BASE.replace('  return 2;', '  return 2; // AI'));
    const source = aiCommit(repo, 'ai', [{ path: 'a.ts', from: 8, to: 8, id: 'x', reviewedBy: 'Rev <rev@example.com>' }]);
    repo.git('checkout', '-q', 'main');
    repo.write('a.ts', lines('// one', '// two') + BASE);
    repo.commitAll('main moved');
    const r = repo.tryGit('cherry-pick', source);
    assert.equal(r.code, 0, r.stderr);
    const note = noteSpans(repo, 'HEAD');
    assert.deepEqual(note?.map((s) => [s.path, s.from, s.to, s.id, s.reviewed, s.reviewers]), [['a.ts', 10, 10, 'x', true, ['Rev <rev@example.com>']]]);
  });

  it('merge --squash then commit: the squashed branch\'s notes go to the new commit', () => {
    repo.git('checkout', '-q', '-b', 'topic');
    repo.write('a.ts', BASE.replace('  return 1;', '  return 1; // AI'));
    aiCommit(repo, 't1', [{ path: 'a.ts', from: 4, to: 4, id: 't1' }]);
    repo.write('n.ts', lines('x', 'AI n'));
    aiCommit(repo, 't2', [{ path: 'n.ts', from: 2, to: 2, id: 't2' }]);
    repo.git('checkout', '-q', 'main');
    repo.write('a.ts', lines('// moved') + BASE);
    repo.commitAll('main moved');
    assert.equal(repo.tryGit('merge', '-q', '--squash', 'topic').code, 0);
    const r = repo.tryGit('commit', '-q', '--no-verify', '-m', 'squashed topic');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(spans(repo, 'HEAD'), [['a.ts', 5, 5, 't1'], ['n.ts', 2, 2, 't2']]);
    // The record of the squash is used once: a later commit on top gets nothing of it.
    repo.write('n.ts', lines('x', 'AI n', 'human'));
    repo.commitAll('later');
    assert.deepEqual(spans(repo, 'HEAD'), [], 'its own note, from post-commit, says no AI lines');
  });

  it('a host\'s squash merge made with commit-tree gets the range\'s provenance from notes carry', () => {
    repo.git('checkout', '-q', '-b', 'pr');
    repo.write('a.ts', BASE.replace('  return 1;', '  return 1; // AI kept'));
    aiCommit(repo, 'p1', [{ path: 'a.ts', from: 4, to: 4, id: 'kept', reviewedBy: 'Rev <rev@example.com>' }]);
    repo.write('a.ts', repo.read('a.ts').replace('  return 2;', '  return 2; // AI then edited by hand'));
    aiCommit(repo, 'p2', [{ path: 'a.ts', from: 8, to: 8, id: 'edited' }]);
    repo.write('a.ts', repo.read('a.ts').replace('// AI then edited by hand', '// edited by hand'));
    repo.commitAll('p3 human');
    const base = repo.git('merge-base', 'main', 'pr').trim();
    const squash = repo.git('commit-tree', 'pr^{tree}', '-p', 'main', '-m', 'Squash merge of pr (#1)').trim();
    repo.git('update-ref', 'refs/heads/main', squash);
    const r = repo.cli(['notes', 'carry', `${base}..pr`, 'main']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Carried 1 AI region \(1 line\) from 3 noted commits of .* to [0-9a-f]{12}\.$/m);
    const note = noteSpans(repo, squash);
    assert.deepEqual(note?.map((s) => [s.path, s.from, s.to, s.id, s.reviewed]), [['a.ts', 4, 4, 'kept', true]], 'the line edited by hand is not AI');
  });

  it('notes carry: a range that does not resolve is exit 2 with the revision named, nothing written', () => {
    const r = repo.cli(['notes', 'carry', 'nope..HEAD', 'HEAD']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /"nope" does not name a commit/);
    assert.equal(repo.cli(['notes', 'carry', 'HEAD', 'HEAD']).code, 2);
    assert.equal(repo.tryGit('rev-parse', '-q', '--verify', 'refs/notes/ai-provenance').code, 1);
  });

  it('a corrupt note among the rewritten commits: one line on stderr, the rebase itself succeeds', () => {
    repo.write('a.ts', BASE + 'AI\n');
    aiCommit(repo, 'ai', []);
    repo.git('notes', '--ref=refs/notes/ai-provenance', 'add', '-f', '-m', '{not json', 'HEAD');
    repo.write('a.ts', '// top\n' + repo.read('a.ts'));
    repo.git('add', 'a.ts');
    const r = repo.tryGit('commit', '-q', '--amend', '--no-verify', '-m', 'amended');
    assert.equal(r.code, 0);
    assert.match(r.stderr, /^AI Provenance could not carry the notes of the rewritten commits: the AI Provenance note of commit [0-9a-f]{12} cannot be read: not valid JSON/m);
  });
});
