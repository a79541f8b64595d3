import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NOTES_REF } from '../../src/core/note';
import { TempRepo } from './helpers';
import { addNote, addRawNote, commitFile, head, numbered, readNote } from './noteHelpers';

interface VerifyJson {
  ok: boolean;
  unreviewed: { path: string; from: number; to: number; source: string; tool: string | null; commit: string }[];
  commitsWithoutNote: string[];
  ignored: { path: string; from: number; to: number }[];
}

describe('CLI: verify <base>..<head>', () => {
  let repo: TempRepo;
  let base: string;
  beforeEach(() => {
    repo = new TempRepo();
    base = commitFile(repo, 'a.ts', numbered('line', 8), 'base');
    // The notes ref exists, as in any repository where the hook ran.
    addNote(repo, base, []);
  });
  afterEach(() => repo.dispose());

  const verify = (range = `${base}..HEAD`, env?: NodeJS.ProcessEnv) => {
    const text = repo.cli(['verify', range], { env });
    const json = repo.cli(['verify', range, '--json'], { env });
    assert.equal(json.code, text.code, `--json exits as the text form does: ${json.stderr}`);
    return { code: text.code, lines: text.stdout.trimEnd().split('\n'), stderr: text.stderr, json: (json.code === 2 ? undefined : JSON.parse(json.stdout)) as VerifyJson };
  };

  it('fails on an unreviewed AI line the range adds, naming path:from-to, source and commit; passes after review, with the note changed in place', () => {
    const c1 = commitFile(repo, 'a.ts', 'line 1\nline 2\nAI one\nAI two\n' + numbered('line', 6, 3), 'ai change');
    addNote(repo, c1, [{ path: 'a.ts', from: 3, to: 4, source: 'inline', tool: 'copilot' }]);
    const c2 = commitFile(repo, 'b.ts', 'human\n', 'human change');
    addNote(repo, c2, []);

    const failed = verify();
    assert.equal(failed.code, 1);
    assert.equal(
      failed.lines[0],
      'AI Provenance: this range fails verification: 2 unreviewed AI lines in 1 file, first at a.ts:3-4. To pass, review the lines (ai-provenance review) and push the notes (ai-provenance notes push).',
    );
    assert.deepEqual(failed.lines.slice(1), [`a.ts:3-4  inline  ${c1.slice(0, 12)}`]);
    assert.deepEqual(failed.json.unreviewed, [{ path: 'a.ts', from: 3, to: 4, source: 'inline', tool: 'copilot', commit: c1 }]);
    assert.equal(failed.json.ok, false);

    const before = head(repo);
    const reviewed = repo.cli(['review', 'a.ts:4']);
    assert.equal(reviewed.code, 0, reviewed.stderr);
    assert.match(reviewed.stdout, /Marked 1 region reviewed/);
    assert.equal(head(repo), before, 'no history was rewritten');
    const [review] = readNote(repo, c1)!.files['a.ts'][0].reviews;
    assert.equal(review.by, 'Dev <dev@example.com>');
    assert.equal(review.hash, readNote(repo, c1)!.files['a.ts'][0].hash);

    const passed = verify();
    assert.equal(passed.code, 0, passed.lines.join('\n'));
    assert.equal(passed.lines[0], 'AI Provenance: every AI line this range adds is reviewed.');
    assert.deepEqual(passed.json, { ...passed.json, ok: true, unreviewed: [], commitsWithoutNote: [] });
  });

  it('judges the lines as head has them: AI lines moved by later commits keep their commit; lines replaced later are the later commit\'s', () => {
    const c1 = commitFile(repo, 'a.ts', numbered('line', 8) + 'AI 1\nAI 2\nAI 3\n', 'ai');
    addNote(repo, c1, [{ path: 'a.ts', from: 9, to: 11 }]);
    // A human inserts two lines on top and rewrites the middle AI line.
    const c2 = commitFile(repo, 'a.ts', 'top 1\ntop 2\n' + numbered('line', 8) + 'AI 1\nhuman 2\nAI 3\n', 'human');
    addNote(repo, c2, []);
    const r = verify();
    assert.equal(r.code, 1);
    assert.deepEqual(r.json.unreviewed.map((u) => [u.path, u.from, u.to, u.commit]), [['a.ts', 11, 11, c1], ['a.ts', 13, 13, c1]]);
    // Lines before the range are never judged, even when a note of theirs is unreviewed.
    assert.equal(verify(`${c2}..HEAD`).code, 0);
  });

  it('follows lines through a rename to the note of the commit that wrote them', () => {
    const c1 = commitFile(repo, 'old.ts', numbered('AI', 10), 'ai');
    addNote(repo, c1, [{ path: 'old.ts', from: 1, to: 10, tool: 'claude-code', source: 'agent' }]);
    repo.git('mv', 'old.ts', 'new.ts');
    const c2 = commitFile(repo, 'new.ts', numbered('AI', 10) + 'human\n', 'rename');
    addNote(repo, c2, []);
    const r = verify();
    assert.deepEqual(r.json.unreviewed, [{ path: 'new.ts', from: 1, to: 10, source: 'agent', tool: 'claude-code', commit: c1 }]);
  });

  it('over a range with merges, credits the lines a merge brings to the branch commits that wrote them', () => {
    // feature: an AI commit; main moves on with a human commit and an unreviewed AI commit; feature merges main.
    repo.git('checkout', '-q', '-b', 'feature');
    const f1 = commitFile(repo, 'f.ts', numbered('AI feature', 3), 'feature ai');
    addNote(repo, f1, [{ path: 'f.ts', from: 1, to: 3 }]);
    repo.git('checkout', '-q', 'main');
    const m1 = commitFile(repo, 'm.ts', numbered('AI main', 2), 'main ai');
    addNote(repo, m1, [{ path: 'm.ts', from: 1, to: 2 }]);
    repo.git('checkout', '-q', 'feature');
    repo.git('merge', '-q', '--no-edit', '--no-verify', 'main');
    // A topic branch with AI lines, merged into feature with --no-ff.
    repo.git('checkout', '-q', '-b', 'topic');
    const t1 = commitFile(repo, 't.ts', 'human\nAI topic\n', 'topic ai');
    addNote(repo, t1, [{ path: 't.ts', from: 2, to: 2, source: 'chat' }]);
    repo.git('checkout', '-q', 'feature');
    repo.git('merge', '-q', '--no-ff', '--no-edit', '--no-verify', 'topic');

    const r = verify('main..feature');
    assert.equal(r.code, 1);
    // m.ts came from main (the base): not the range's. f.ts and t.ts are credited to their commits.
    assert.deepEqual(r.json.unreviewed.map((u) => [u.path, u.from, u.to, u.source, u.commit]), [['f.ts', 1, 3, 'inline', f1], ['t.ts', 2, 2, 'chat', t1]]);
    // The merges carry no note and wrote no line: even requireNotes does not ask one of them.
    repo.git('checkout', '-q', 'main');
    const policyBase = commitFile(repo, '.ai-provenance.json', '{"requireNotes": true}\n', 'policy');
    addNote(repo, policyBase, []);
    assert.deepEqual(verify(`${policyBase}..feature`).json.commitsWithoutNote, []);
    // Once reviewed on feature, the range passes.
    repo.git('checkout', '-q', 'feature');
    assert.equal(repo.cli(['review', 'f.ts']).code, 0);
    assert.equal(repo.cli(['review', 't.ts:2']).code, 0);
    assert.equal(verify('main..feature').code, 0);
  });

  it('a merge that resolves a conflict wrote those lines itself: they are judged by its note', () => {
    repo.git('checkout', '-q', '-b', 'feature');
    const f1 = commitFile(repo, 'a.ts', 'feature\n' + numbered('line', 7, 2), 'feature');
    addNote(repo, f1, []);
    repo.git('checkout', '-q', 'main');
    const m1 = commitFile(repo, 'a.ts', 'main\n' + numbered('line', 7, 2), 'main');
    addNote(repo, m1, []);
    repo.git('checkout', '-q', 'feature');
    assert.notEqual(repo.tryGit('merge', '-q', '--no-edit', 'main').code, 0, 'the merge conflicts');
    repo.write('a.ts', 'AI resolution\n' + numbered('line', 7, 2));
    repo.commitAll('merge main');
    const merge = head(repo);
    assert.equal(verify('main..feature').code, 0, 'a merge without a note: nothing is known to be AI');
    addNote(repo, merge, [{ path: 'a.ts', from: 1, to: 1, source: 'chat' }]);
    assert.deepEqual(verify('main..feature').json.unreviewed.map((u) => [u.path, u.from, u.commit]), [['a.ts', 1, merge]]);
  });

  it('policy requireNotes (at the base) fails commits without a note, naming them; off by default', () => {
    const p = commitFile(repo, '.ai-provenance.json', '{"requireNotes": true}\n', 'policy');
    addNote(repo, p, []);
    const noted = commitFile(repo, 'b.ts', 'human\n', 'with the tool');
    addNote(repo, noted, []);
    const bare = commitFile(repo, 'c.ts', 'no tool here\n', 'without the tool');
    const r = verify(`${p}..HEAD`);
    assert.equal(r.code, 1);
    assert.match(r.lines[0], /^AI Provenance: this range fails verification: 1 commit without a provenance note \(the policy requires notes\), first [0-9a-f]{12}\./);
    assert.deepEqual(r.lines.slice(1), [`commit ${bare.slice(0, 12)} has no provenance note`]);
    assert.deepEqual(r.json.commitsWithoutNote, [bare]);
    // The default policy: a commit without a note passes (the base here has no policy file).
    assert.equal(verify(`${base}..${bare}`).code, 0);
  });

  it('respects the ignores of the base\'s policy, and a range cannot loosen its own gate', () => {
    const p = commitFile(repo, '.ai-provenance.json', '{"ignore": ["gen/**"]}\n', 'policy');
    addNote(repo, p, []);
    const c1 = commitFile(repo, 'gen/api.ts', 'generated by AI\n', 'generated');
    addNote(repo, c1, [{ path: 'gen/api.ts', from: 1, to: 1 }]);
    const ok = verify(`${p}..HEAD`);
    assert.equal(ok.code, 0);
    assert.deepEqual(ok.json.ignored.map((i) => [i.path, i.from, i.to]), [['gen/api.ts', 1, 1]]);
    // The range itself ignores everything: its base's policy still judges it.
    const c2 = commitFile(repo, 'x.ts', 'AI\n', 'ai');
    addNote(repo, c2, [{ path: 'x.ts', from: 1, to: 1 }]);
    const loosen = commitFile(repo, '.ai-provenance.json', '{"ignore": ["**"]}\n', 'loosen');
    addNote(repo, loosen, []);
    assert.deepEqual(verify(`${p}..HEAD`).json.unreviewed.map((u) => u.path), ['x.ts']);
  });

  it('reviewing a committed line records it only where the region is unchanged in the working tree', () => {
    const c1 = commitFile(repo, 'a.ts', 'AI 1\nAI 2\n' + numbered('line', 8), 'ai');
    addNote(repo, c1, [{ path: 'a.ts', from: 1, to: 2 }]);
    // An uncommitted edit inside the region: the reviewer is not looking at the committed text.
    repo.write('a.ts', 'AI 1 edited\nAI 2\n' + numbered('line', 8));
    assert.equal(repo.cli(['review', 'a.ts:1-2']).code, 0);
    assert.deepEqual(readNote(repo, c1)!.files['a.ts'][0].reviews, [], 'nothing recorded in the note');
    assert.equal(verify().code, 1);
    // Back to the committed text, the review is recorded.
    repo.git('checkout', '--', 'a.ts');
    assert.equal(repo.cli(['review', '--all']).code, 0);
    assert.equal(readNote(repo, c1)!.files['a.ts'][0].reviews.length, 1);
    assert.equal(verify().code, 0);
  });

  it('review --all finds committed AI lines whose file a later commit renamed', () => {
    const c1 = commitFile(repo, 'a.ts', 'AI 1\nAI 2\n' + numbered('line', 8), 'ai');
    addNote(repo, c1, [{ path: 'a.ts', from: 1, to: 2 }]);
    repo.git('mv', 'a.ts', 'b.ts');
    repo.git('commit', '-q', '--no-verify', '-m', 'rename');
    addNote(repo, head(repo), []);
    assert.equal(verify().code, 1);
    assert.equal(repo.cli(['review', '--all']).code, 0);
    assert.equal(readNote(repo, c1)!.files['a.ts'][0].reviews.length, 1, 'the review is in the note of the commit that wrote the lines');
    assert.equal(verify().code, 0);
  });

  it('a region partly rewritten by a later commit is recorded reviewed for what is left of it', () => {
    const c1 = commitFile(repo, 'a.ts', 'AI 1\nAI 2\nAI 3\n' + numbered('line', 8), 'ai');
    addNote(repo, c1, [{ path: 'a.ts', from: 1, to: 3 }]);
    const c2 = commitFile(repo, 'a.ts', 'AI 1\nhuman 2\nAI 3\n' + numbered('line', 8), 'human');
    addNote(repo, c2, []);
    assert.deepEqual(verify().json.unreviewed.map((u) => [u.from, u.to]), [[1, 1], [3, 3]]);
    assert.equal(repo.cli(['review', 'a.ts:3']).code, 0);
    assert.equal(verify().code, 0);
  });

  describe('fails closed with exit 2 and writes nothing', () => {
    let c1: string;
    beforeEach(() => {
      c1 = commitFile(repo, 'a.ts', 'AI\n' + numbered('line', 8), 'ai');
      addNote(repo, c1, [{ path: 'a.ts', from: 1, to: 1 }]);
    });

    /** Refs, the working tree and the store, to compare before and after. */
    const state = (r: TempRepo = repo): string => r.git('for-each-ref') + r.git('status', '--porcelain', '--ignored') + String(fs.existsSync(path.join(r.root, '.git', 'ai-provenance')));

    const fails = (pattern: RegExp, range = `${base}..HEAD`, r: TempRepo = repo): void => {
      const before = state(r);
      for (const args of [['verify', range], ['verify', range, '--json']]) {
        const out = r.cli(args);
        assert.equal(out.code, 2, `${args.join(' ')}: ${out.stdout}${out.stderr}`);
        assert.match(out.stderr, pattern);
        assert.doesNotMatch(out.stderr, /unexpected error|    at /, 'a message, not a stack');
      }
      assert.equal(state(r), before);
    };

    it('a corrupt note, naming the commit', () => {
      addRawNote(repo, c1, '{"version": 1, "writer": "x", "files": {"a.ts": [{"id": 5}]}}');
      fails(new RegExp(`note of commit ${c1.slice(0, 12)} cannot be read: "files\\["a.ts"\\]\\[0\\]\\.id"`));
      addRawNote(repo, c1, '{"version": 1, "wri');
      fails(/not valid JSON/);
    });

    it('a note from a newer version', () => {
      addRawNote(repo, c1, '{"version": 2, "writer": "ai-provenance 9.0.0", "files": {}}');
      fails(/written by a newer AI Provenance/);
    });

    it('a notes ref that is not ours (plain text notes)', () => {
      repo.git('notes', `--ref=${NOTES_REF}`, 'add', '-f', '-m', 'Reviewed-by: someone', c1);
      fails(/cannot be read: not valid JSON/);
    });

    it('a clone without the notes ref, saying how to fetch it', () => {
      repo.git('update-ref', '-d', NOTES_REF);
      fails(/no AI Provenance notes \(refs\/notes\/ai-provenance\).*git fetch origin refs\/notes\/ai-provenance:refs\/notes\/ai-provenance/);
    });

    it('a range that does not resolve, or is no range', () => {
      fails(/"nope" is not a commit in this repository/, 'nope..HEAD');
      fails(/"HEAD~9" is not a commit/, 'HEAD~9..HEAD');
      fails(/is not a range; write <base>\.\.<head>/, 'HEAD');
    });

    it('a shallow clone missing the base, or cut off inside the range, saying what depth to fetch', () => {
      const clone = new TempRepo('aip-shallow-');
      try {
        clone.git('remote', 'add', 'origin', `file://${repo.root}`);
        clone.git('fetch', '-q', '--depth=1', 'origin', 'main', `${NOTES_REF}:${NOTES_REF}`);
        clone.git('checkout', '-q', '-b', 'main', 'FETCH_HEAD');
        assert.equal(clone.git('rev-parse', '--is-shallow-repository').trim(), 'true');
        fails(/"HEAD~1" is not a commit in this clone, which is shallow.*fetch-depth: 0/, 'HEAD~1..HEAD', clone);
        // The base fetched alone (depth 1): it resolves, but history between is missing.
        clone.git('fetch', '-q', '--depth=1', 'origin', base);
        fails(/shallow and its history stops at [0-9a-f]{12}, inside the range .*--deepen/, `${base}..HEAD`, clone);
        // Deepened, it verifies.
        clone.git('fetch', '-q', '--deepen=1', 'origin', 'main');
        assert.equal(clone.cli(['verify', `${base}..HEAD`]).code, 1);
      } finally {
        clone.dispose();
      }
    });
  });
});
