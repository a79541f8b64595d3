/**
 * The note the pre-commit gate prepares (`pending-note` in the store) and post-commit stores: taken
 * only for exactly the commit it was built for, never when anything it was built from changed, and
 * the same bytes post-commit writes when it builds the note itself.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NOTES_REF } from '../../src/core/note';
import { hashText } from '../../src/core/text';
import { TempRepo } from './helpers';

describe('CLI: the note prepared by the gate (pending-note)', function () {
  this.timeout(60_000);
  let repo: TempRepo;
  beforeEach(() => {
    repo = new TempRepo('aip-pending-');
    // Unreviewed AI lines only warn, so commits go through the gate and it prepares their notes.
    repo.write('.ai-provenance.json', '{ "unreviewed": "warn" }\n');
    repo.write('a.txt', 'a\nb\nc\nd\n');
    repo.write('old.txt', 'one\ntwo\nthree\nfour\nfive\nsix\n');
    repo.commitAll('base');
    assert.equal(repo.cli(['hook', 'install']).code, 0);
  });
  afterEach(() => repo.dispose());

  const pendingFile = (): string => path.join(repo.storeDir(), 'pending-note');
  const noteText = (rev = 'HEAD'): string => repo.git('notes', `--ref=${NOTES_REF}`, 'show', rev);
  const commit = (...args: string[]): void => {
    const r = repo.tryGit('commit', '-q', ...args);
    assert.equal(r.code, 0, r.stderr);
    const other = r.stderr.split('\n').filter((l) => l && !/^AI Provenance warning: /.test(l) && !/^\S+:\d+(-\d+)? {2}\S+$/.test(l));
    assert.deepEqual(other, [], 'nothing on stderr but the gate\'s warning');
  };

  /** The note post-commit builds itself for HEAD (no prepared note there), as stored. */
  const builtNote = (): string => {
    assert.ok(!fs.existsSync(pendingFile()));
    repo.git('notes', `--ref=${NOTES_REF}`, 'remove', 'HEAD');
    const r = repo.cli(['hook', 'run', 'post-commit']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    return noteText();
  };

  const pending = (): { blob: string; markers: Record<string, string> } => JSON.parse(fs.readFileSync(pendingFile(), 'utf8'));
  const rewritePending = (change: Record<string, unknown>): void => fs.writeFileSync(pendingFile(), JSON.stringify({ ...pending(), ...change }));
  /** Makes the prepared note another one, as well formed: `edit` of its text, written as a blob of its own. */
  const tamper = (edit: (text: string) => string): void => {
    const text = edit(repo.git('cat-file', 'blob', pending().blob));
    const blob = repo.tryGitInput(['hash-object', '-w', '--stdin'], text).stdout.trim();
    rewritePending({ blob });
  };
  const SENTINEL = 'prepared-by-the-gate';
  const markerName = (): string => `${hashText('a.txt')}.json`;
  const markPrepared = (): void => tamper((text) => text.replaceAll('"tool":"copilot"', `"tool":"${SENTINEL}"`));

  /** A commit's worth of changes: AI lines reviewed and not, a new file, a rename, an ignored file, a partly staged file. */
  const stageMixedChange = (): void => {
    repo.write('a.txt', 'a\nai one\nai two\nb\nc\nd\nai three\n');
    repo.cli(['mark', 'a.txt:2-3', '--tool', 'copilot']);
    repo.cli(['review', 'a.txt:2-3']);
    repo.cli(['mark', 'a.txt:7', '--tool', 'copilot']);
    repo.write('new.txt', 'human\nai new\n');
    repo.cli(['mark', 'new.txt:2', '--tool', 'copilot', '--source', 'agent']);
    repo.git('mv', 'old.txt', 'moved.txt');
    repo.write('moved.txt', 'one\ntwo\nthree\nfour\nfive\nsix\nai moved\n');
    repo.cli(['mark', 'moved.txt:7', '--tool', 'copilot']);
    repo.write('package-lock.json', '{}\n');
    repo.cli(['mark', 'package-lock.json', '--tool', 'copilot']);
    repo.git('add', '-A');
    // Staged without its last AI line: the note must describe what is committed.
    repo.write('new.txt', 'human\nai new\nai unstaged\n');
    repo.cli(['mark', 'new.txt:3', '--tool', 'copilot']);
  };

  it('a commit through the gate stores the prepared note: byte for byte the note post-commit builds itself', () => {
    stageMixedChange();
    // A pre-commit hook chained after ours keeps a copy of what the gate prepared.
    const copy = path.join(repo.root, '.git', 'prepared-copy');
    fs.writeFileSync(path.join(repo.root, '.git', 'hooks', 'pre-commit.ai-provenance-previous'), `#!/bin/sh\ncp "$(git rev-parse --git-path ai-provenance)/pending-note" '${copy}'\n`, { mode: 0o755 });
    commit('-m', 'mixed');
    const prepared = JSON.parse(fs.readFileSync(copy, 'utf8'));
    const stored = noteText();
    assert.equal(repo.git('notes', `--ref=${NOTES_REF}`, 'list', 'HEAD').trim(), prepared.blob, 'the prepared blob is the note');
    assert.ok(!fs.existsSync(pendingFile()), 'post-commit took it');
    const files = JSON.parse(stored).files;
    assert.deepEqual(Object.keys(files), ['a.txt', 'moved.txt', 'new.txt']);
    assert.deepEqual(files['a.txt'].map((r: { from: number; to: number; reviews: unknown[] }) => [r.from, r.to, r.reviews.length]), [[2, 3, 1], [7, 7, 0]]);
    assert.deepEqual(files['new.txt'].map((r: { from: number; to: number }) => [r.from, r.to]), [[2, 2]]);
    assert.equal(builtNote(), stored);
  });

  it('is what post-commit stores even after --no-verify, when it was prepared for exactly that commit', () => {
    stageMixedChange();
    assert.equal(repo.cli(['check', '--staged', '--quiet']).code, 0);
    markPrepared();
    commit('--no-verify', '-m', 'mixed');
    assert.match(noteText(), new RegExp(SENTINEL), 'the prepared note was stored, not rebuilt');
  });

  it('is ignored for a commit of another tree (the index changed after the check) and for --amend (another parent)', () => {
    stageMixedChange();
    assert.equal(repo.cli(['check', '--staged', '--quiet']).code, 0);
    markPrepared();
    repo.git('add', 'new.txt');
    commit('--no-verify', '-m', 'more staged than checked');
    const stored = noteText();
    assert.doesNotMatch(stored, new RegExp(SENTINEL));
    assert.deepEqual(JSON.parse(stored).files['new.txt'].map((r: { from: number; to: number }) => [r.from, r.to]), [[2, 2], [3, 3]]);
    assert.equal(builtNote(), stored);

    // Amending: the gate diffs against HEAD, the amended commit's parent is HEAD's parent.
    repo.write('a.txt', repo.read('a.txt') + 'ai four\n');
    repo.cli(['mark', 'a.txt:8', '--tool', 'copilot']);
    repo.git('add', 'a.txt');
    assert.equal(repo.cli(['check', '--staged', '--quiet']).code, 0);
    markPrepared();
    commit('--amend', '--no-verify', '-m', 'amended');
    assert.doesNotMatch(noteText(), new RegExp(SENTINEL));
    assert.deepEqual(JSON.parse(noteText()).files['a.txt'].map((r: { from: number; to: number }) => [r.from, r.to]), [[2, 3], [7, 8]]);
  });

  it('is ignored when a marker file changed after the check (a review in between): the note has the review', () => {
    stageMixedChange();
    assert.equal(repo.cli(['check', '--staged', '--quiet']).code, 0);
    markPrepared();
    assert.equal(repo.cli(['review', 'a.txt:7']).code, 0);
    commit('--no-verify', '-m', 'reviewed after the check');
    const stored = noteText();
    assert.doesNotMatch(stored, new RegExp(SENTINEL));
    assert.equal(JSON.parse(stored).files['a.txt'][1].reviews.length, 1);
    assert.equal(builtNote(), stored);
  });

  it('is ignored when a file without markers at the check has some by the commit', () => {
    repo.write('a.txt', 'a\nb\nc\nd\nlater ai\n');
    repo.git('add', 'a.txt');
    assert.equal(repo.cli(['check', '--staged', '--quiet']).code, 0);
    assert.deepEqual(JSON.parse(fs.readFileSync(pendingFile(), 'utf8').split('\n', 1)[0]).markers[markerName()], 'absent');
    repo.cli(['mark', 'a.txt:5', '--tool', 'copilot']);
    commit('--no-verify', '-m', 'marked after the check');
    assert.deepEqual(JSON.parse(noteText()).files['a.txt'].map((r: { from: number }) => r.from), [5]);
  });
  it('is ignored when the policy changed after the check', () => {
    stageMixedChange();
    assert.equal(repo.cli(['check', '--staged', '--quiet']).code, 0);
    markPrepared();
    repo.write('.ai-provenance.json', '{ "unreviewed": "warn", "ignore": ["new.txt"] }\n');
    commit('--no-verify', '-m', 'policy changed');
    const stored = noteText();
    assert.doesNotMatch(stored, new RegExp(SENTINEL));
    assert.deepEqual(Object.keys(JSON.parse(stored).files), ['a.txt', 'moved.txt']);
  });

  it('a damaged or foreign pending file is ignored and the note is still right', () => {
    const damages: [string, () => void][] = [
      ['cut short', () => fs.writeFileSync(pendingFile(), fs.readFileSync(pendingFile(), 'utf8').slice(0, -20))],
      ['naming a blob the repository does not have', () => rewritePending({ blob: '0123456789abcdef0123456789abcdef01234567' })],
      ['naming a blob by something that is no object id', () => rewritePending({ blob: 'HEAD:a.txt' })],
      ['a note instead of the pending file', () => fs.writeFileSync(pendingFile(), '{"version":1,"writer":"x","files":{}}')],
      ['not JSON', () => fs.writeFileSync(pendingFile(), '{"format":1,\n{}')],
      ['a marker named by a path outside the store', () => rewritePending({ markers: { ...pending().markers, '../../a.txt': 'absent' } })],
      ['a folder', () => {
        fs.rmSync(pendingFile());
        fs.mkdirSync(pendingFile());
      }],
    ];
    for (const [what, damage] of damages) {
      repo.write('a.txt', repo.read('a.txt') + `ai ${what}\n`);
      const line = repo.read('a.txt').split('\n').length - 1;
      repo.cli(['mark', `a.txt:${line}`, '--tool', 'copilot']);
      repo.git('add', 'a.txt');
      assert.equal(repo.cli(['check', '--staged', '--quiet']).code, 0, what);
      damage();
      commit('--no-verify', '-m', what);
      const stored = noteText();
      assert.doesNotMatch(stored, new RegExp(SENTINEL), what);
      assert.deepEqual(JSON.parse(stored).files['a.txt'].map((r: { from: number }) => r.from), [line], what);
      fs.rmSync(pendingFile(), { recursive: true, force: true });
      assert.equal(builtNote(), stored, what);
    }
  });

  it('merged with a note the commit has already, as post-commit merges its own', () => {
    stageMixedChange();
    commit('-m', 'mixed');
    const made = repo.git('rev-parse', 'HEAD').trim();
    // The same commit again (HEAD back on its parent, the same index), its note now holding a review by someone else.
    const note = JSON.parse(noteText());
    note.files['a.txt'][1].reviews.push({ by: 'Other <other@example.com>', at: '2026-01-03T00:00:00.000Z', hash: note.files['a.txt'][1].hash });
    const other = JSON.stringify(note);
    repo.git('notes', `--ref=${NOTES_REF}`, 'add', '-f', '-m', other, made);
    repo.git('update-ref', 'HEAD', 'HEAD^');
    assert.equal(repo.cli(['check', '--staged', '--quiet']).code, 0);
    repo.git('update-ref', 'HEAD', made);
    assert.ok(fs.existsSync(pendingFile()));
    assert.equal(repo.cli(['hook', 'run', 'post-commit']).stderr, '');
    const merged = noteText();
    assert.deepEqual(JSON.parse(merged).files['a.txt'][1].reviews.map((r: { by: string }) => r.by), ['Other <other@example.com>']);
    repo.git('notes', `--ref=${NOTES_REF}`, 'add', '-f', '-m', other, made);
    assert.equal(repo.cli(['hook', 'run', 'post-commit']).stderr, '');
    assert.equal(noteText(), merged, 'the same merge as post-commit building the note itself');
  });

  it('nothing is prepared when the gate blocks, nor when a new file could still take the markers of a file that is gone', () => {
    repo.write('.ai-provenance.json', '{}\n');
    repo.commitAll('policy blocks');
    repo.write('a.txt', 'a\nb\nai\n');
    repo.cli(['mark', 'a.txt:3']);
    repo.git('add', 'a.txt');
    assert.equal(repo.cli(['check', '--staged', '--quiet']).code, 1);
    assert.ok(!fs.existsSync(pendingFile()), 'a blocked commit is not made');
    repo.cli(['review', 'a.txt:3']);
    assert.equal(repo.cli(['check', '--staged', '--quiet']).code, 0);
    assert.ok(fs.existsSync(pendingFile()));
    // Markers of a file deleted while nothing watched, and a new file without markers staged.
    repo.write('gone.txt', 'x\ny\n');
    repo.cli(['mark', 'gone.txt:1-2', '--tool', 'copilot']);
    fs.rmSync(repo.path('gone.txt'));
    repo.write('fresh.txt', 'something else entirely\n');
    repo.git('add', 'fresh.txt');
    assert.equal(repo.cli(['check', '--staged', '--quiet']).code, 0);
    assert.ok(!fs.existsSync(pendingFile()));
    commit('-m', 'with a new file');
    assert.deepEqual(Object.keys(JSON.parse(noteText()).files), ['a.txt']);
  });
});
