/** `ai-provenance blame` in real repositories, with notes written by the real hooks (the bundled CLI). */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { cleanEnv, CLI, TempRepo } from './helpers';
import { head } from './noteHelpers';

interface BlameLine {
  line: number;
  commit: string | null;
  ai: boolean;
  source: string | null;
  tool: string | null;
  model: string | null;
  reviewed: boolean;
  reviewer: string | null;
}

/** What a line should say: the commit that wrote it (by name, null if uncommitted) and, when AI, with what and who reviewed it. */
interface Truth {
  text: string;
  commit: string | null;
  ai?: { source: string; tool: string | null; model?: string; reviewer?: string };
}

const REVIEWER = 'Dev <dev@example.com>';

describe('CLI: blame <path>', function () {
  this.timeout(120_000);
  let repo: TempRepo;
  beforeEach(() => {
    repo = new TempRepo('aip-blame-');
  });
  afterEach(() => repo.dispose());

  const blame = (rel: string, ...flags: string[]): BlameLine[] => {
    const r = repo.cli(['blame', ...flags, rel, '--json']);
    assert.equal(r.code, 0, r.stderr);
    return (JSON.parse(r.stdout) as { lines: BlameLine[] }).lines;
  };
  const commit = (message: string, ...args: string[]): string => {
    repo.git('add', '-A');
    const r = repo.tryGit('commit', '-q', '--no-verify', '-m', message, ...args);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '', 'the hooks say nothing when all is well');
    return head(repo);
  };
  const mark = (target: string, source: string, tool: string, model?: string): void => {
    const r = repo.cli(['mark', target, '--source', source, '--tool', tool, ...(model ? ['--model', model] : [])]);
    assert.equal(r.code, 0, r.stderr);
  };
  const write = (rel: string, truth: Truth[]): void => repo.write(rel, truth.map((t) => t.text).join('\n') + '\n');
  /** Compares blame line by line with the truth; commit names are looked up in `ids`. */
  const check = (rel: string, truth: Truth[], ids: Record<string, string>, ...flags: string[]): void => {
    assert.equal(repo.read(rel), truth.map((t) => t.text).join('\n') + '\n', 'the file holds what the truth describes');
    const got = blame(rel, ...flags);
    assert.equal(got.length, truth.length);
    truth.forEach((t, i) => {
      const want: BlameLine = {
        line: i + 1,
        commit: t.commit === null ? null : ids[t.commit],
        ai: t.ai !== undefined,
        source: t.ai?.source ?? null,
        tool: t.ai?.tool ?? null,
        model: t.ai?.model ?? null,
        reviewed: t.ai?.reviewer !== undefined,
        reviewer: t.ai?.reviewer ?? null,
      };
      assert.deepEqual(got[i], want, `line ${i + 1} (${t.text}), commit ${t.commit}`);
    });
  };

  it('matches the known truth line by line through AI, human and mixed commits, a later review, a rename, a rebase, lines moved and copied, and uncommitted edits', () => {
    const ids: Record<string, string> = {};
    // The first commit is made before the hooks: it carries no note, so none of its lines is AI.
    let a: Truth[] = [
      { text: '// header of a.ts', commit: 'base' },
      { text: 'export function base(): number {', commit: 'base' },
      { text: '  return 0;', commit: 'base' },
      { text: '}', commit: 'base' },
    ];
    write('a.ts', a);
    ids.base = commit('base');
    assert.equal(repo.cli(['hook', 'install']).code, 0);

    // AI: a whole function from a completion, not reviewed when committed (it is, later).
    const copilot = { source: 'inline', tool: 'copilot', model: 'gpt-4o' };
    a = [
      ...a,
      { text: 'export function alpha(): number {', commit: 'ai', ai: copilot },
      { text: '  const first = computeAlpha(1, 2);', commit: 'ai', ai: copilot },
      { text: '  const second = computeAlpha(3, 4);', commit: 'ai', ai: copilot },
      { text: '  return first + second;', commit: 'ai', ai: copilot },
      { text: '}', commit: 'ai', ai: copilot },
    ];
    write('a.ts', a);
    mark('a.ts:5-9', 'inline', 'copilot', 'gpt-4o');
    ids.ai = commit('ai');

    // Human: a line on top, and one AI line rewritten by hand (it becomes this commit's, human).
    a = [a[0], { text: '// a human remark', commit: 'human' }, ...a.slice(1)];
    a[7] = { text: '  const second = computeAlpha(3, 5); // tuned by hand', commit: 'human' };
    write('a.ts', a);
    ids.human = commit('human');

    // Mixed: an agent's function and a human comment in one commit.
    const agent = { source: 'agent', tool: 'claude-code' };
    a = [
      ...a,
      { text: 'export function beta(): string {', commit: 'mixed', ai: agent },
      { text: '  return describeBeta("a long enough line for git");', commit: 'mixed', ai: agent },
      { text: '}', commit: 'mixed', ai: agent },
      { text: '// beta is tested elsewhere (by hand)', commit: 'mixed' },
    ];
    write('a.ts', a);
    mark('a.ts:11-13', 'agent', 'claude-code');
    ids.mixed = commit('mixed');
    check('a.ts', a, ids);

    // Reviewed later: the review lands in the notes of the commits that wrote the lines.
    assert.equal(repo.cli(['review', 'a.ts:6-10']).code, 0);
    for (const t of a) if (t.commit === 'ai' && t.ai) t.ai = { ...t.ai, reviewer: REVIEWER };
    check('a.ts', a, ids);

    // Renamed: blame follows the file to the commits (and notes) that wrote its lines under the old name.
    repo.git('mv', 'a.ts', 'b.ts');
    ids.rename = commit('rename');
    check('b.ts', a, ids);

    // Rebased: a feature commit with AI lines is replayed onto a main that moved on.
    repo.git('checkout', '-q', '-b', 'feature');
    const chat = { source: 'chat', tool: 'copilot' };
    let b = [...a, { text: 'export const gamma = () => computeGamma("from the chat");', commit: 'feature', ai: chat }];
    write('b.ts', b);
    mark('b.ts:15', 'chat', 'copilot');
    commit('feature');
    repo.git('checkout', '-q', 'main');
    b = [{ text: '// SPDX-License-Identifier: MIT', commit: 'upstream' }, ...a];
    write('b.ts', b);
    ids.upstream = commit('upstream');
    repo.git('checkout', '-q', 'feature');
    const rebased = repo.tryGit('rebase', '-q', 'main');
    assert.equal(rebased.code, 0, rebased.stderr);
    ids.feature = head(repo);
    b = [...b, { text: 'export const gamma = () => computeGamma("from the chat");', commit: 'feature', ai: chat }];
    check('b.ts', b, ids);

    // Moved and copied by hand: beta goes to the top of the file and alpha is copied to a new file in
    // the same commit. Plain blame, as git's, gives the lines to the commit that put them there, a
    // human one; with -M / -C git finds where they came from, and their AI provenance comes with them.
    const beta = b.slice(11, 14);
    b = [b[0], ...beta, ...b.slice(1, 11), ...b.slice(14)];
    write('b.ts', b);
    const alpha = b.slice(9, 14);
    write('c.ts', alpha);
    ids.moves = commit('move beta, copy alpha');
    const byHand = (t: Truth): Truth => ({ text: t.text, commit: 'moves' });
    check('b.ts', [b[0], ...b.slice(1, 4).map(byHand), ...b.slice(4)], ids);
    check('c.ts', alpha.map(byHand), ids);
    check('b.ts', b, ids, '-M');
    check('c.ts', alpha, ids, '-C');

    // Uncommitted: an AI line reviewed in the store, one not reviewed, and a human line; their
    // provenance is the store's (the reviewer as the store records it, an email).
    b = [
      ...b,
      { text: 'export const delta = 1; // from chat, reviewed', commit: null, ai: { source: 'chat', tool: 'copilot', reviewer: 'dev@example.com' } },
      { text: 'export const epsilon = 2; // from an agent', commit: null, ai: { source: 'agent', tool: 'codex', model: 'gpt-5' } },
      { text: 'export const zeta = 3; // typed', commit: null },
    ];
    write('b.ts', b);
    mark('b.ts:17', 'chat', 'copilot');
    assert.equal(repo.cli(['review', 'b.ts:17']).code, 0);
    mark('b.ts:18', 'agent', 'codex', 'gpt-5');
    check('b.ts', b, ids, '-M', '-C');
    // A committed line edited in the working tree is uncommitted again, and human unless marked.
    b[1] = { text: 'export function beta(): string { // edited', commit: null };
    write('b.ts', b);
    check('b.ts', b, ids, '-M', '-C');
  });

  it('a file added but never committed, and a repository without commits: every line uncommitted, provenance from the store', () => {
    repo.write('new.ts', 'human\nai line\n');
    repo.git('add', 'new.ts');
    assert.equal(repo.cli(['mark', 'new.ts:2', '--source', 'agent', '--tool', 'codex']).code, 0);
    assert.deepEqual(
      blame('new.ts').map((l) => [l.line, l.commit, l.ai, l.tool]),
      [[1, null, false, null], [2, null, true, 'codex']],
    );
    repo.write('empty.ts', '');
    repo.git('add', 'empty.ts');
    assert.deepEqual(blame('empty.ts'), []);
    repo.commitAll('first');
    repo.write('later.ts', 'x\n');
    repo.git('add', 'later.ts');
    assert.deepEqual(blame('later.ts').map((l) => [l.commit, l.ai]), [[null, false]], 'a file HEAD does not hold, in a repository with commits');
  });

  it('prints git blame\'s shape: short hash, aligned provenance columns, line number, text; colour only on a terminal without NO_COLOR', () => {
    repo.write('a.ts', 'one\ntwo\n');
    repo.commitAll('base');
    assert.equal(repo.cli(['hook', 'install']).code, 0);
    repo.write('a.ts', 'one\ntwo\nthree by AI\n');
    assert.equal(repo.cli(['mark', 'a.ts:3', '--source', 'inline', '--tool', 'copilot', '--model', 'gpt-4o']).code, 0);
    const ai = commit('ai');
    repo.write('a.ts', 'one\ntwo\nthree by AI\n'.repeat(4));
    const base = repo.git('rev-parse', 'HEAD~1').trim();
    const r = repo.cli(['blame', 'a.ts']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 12);
    // Columns: kind (2 wide), source (7), tool/model (14), review (10), line number (2).
    const blank = (n: number): string => ' '.repeat(n);
    assert.equal(lines[0], `${base.slice(0, 8)} (?  no note ${blank(14)} ${blank(10)}  1) one`);
    assert.equal(lines[2], `${ai.slice(0, 8)} (AI inline  copilot/gpt-4o unreviewed  3) three by AI`);
    assert.equal(lines[3], `00000000 (-  ${blank(7)} ${blank(14)} ${blank(10)}  4) one`);
    assert.equal(lines[11], `00000000 (-  ${blank(7)} ${blank(14)} ${blank(10)} 12) three by AI`);
    assert.ok(!r.stdout.includes('\x1b'), 'no colour into a pipe');

    // A real terminal (script(1) gives the CLI one): colour, unless NO_COLOR is set.
    const tty = (env: NodeJS.ProcessEnv): string => {
      const s = spawnSync('script', ['-qec', `"${process.execPath}" "${CLI}" blame a.ts`, '/dev/null'], { cwd: repo.root, encoding: 'utf8', env: { ...cleanEnv(), ...env } });
      if (s.error) throw s.error;
      assert.equal(s.status, 0, s.stderr);
      return s.stdout;
    };
    const coloured = tty({});
    assert.match(coloured, /\x1b\[33mAI inline {2}copilot\/gpt-4o unreviewed\x1b\[0m {2}3\) three by AI/, 'unreviewed AI lines in yellow');
    const plain = tty({ NO_COLOR: '1' });
    assert.ok(!plain.includes('\x1b'), 'NO_COLOR turns colour off');
    assert.equal(plain.replace(/\r/g, ''), r.stdout);
  });

  it('a corrupt marker file: uncommitted lines cannot be told AI or human, so blame fails (exit 2) while committed ones need no marker', () => {
    repo.write('a.ts', 'a\n');
    repo.commitAll('base');
    repo.write('a.ts', 'a\nai\n');
    assert.equal(repo.cli(['mark', 'a.ts:2']).code, 0);
    const [marker] = fs.readdirSync(`${repo.storeDir()}/files`);
    fs.writeFileSync(`${repo.storeDir()}/files/${marker}`, '{"version": 1, "path": ');
    const r = repo.cli(['blame', 'a.ts']);
    assert.equal(r.code, 2, r.stdout);
    assert.match(r.stderr, /^ai-provenance blame: the marker file of a\.ts was corrupt and moved aside \(.*\.corrupt-.*\), so its uncommitted lines cannot be told AI or human/);
    repo.write('a.ts', 'a\n');
    assert.deepEqual(blame('a.ts').map((l) => [l.line, l.ai, l.commit !== null]), [[1, false, true]]);
  });

  it('bad input: a path outside the repository, a directory, a binary file, an untracked file, a missing file: a clear error, exit 2', () => {
    repo.write('a.ts', 'a\n');
    repo.write('dir/b.ts', 'b\n');
    repo.write('bin.dat', Buffer.from([1, 0, 2, 3]));
    repo.commitAll('base');
    repo.write('untracked.ts', 'u\n');
    const outside = fs.mkdtempSync(`${repo.root}-outside-`);
    fs.writeFileSync(`${outside}/x.ts`, 'x\n');
    try {
      const cases: [string[], RegExp][] = [
        [['blame', `${outside}/x.ts`], /is outside the repository/],
        [['blame', '../x.ts'], /is outside the repository/],
        [['blame', 'dir'], /dir is a directory; blame takes one file/],
        [['blame', 'bin.dat'], /bin\.dat is a binary file/],
        [['blame', 'untracked.ts'], /untracked\.ts is not tracked by git/],
        [['blame', 'gone.ts'], /gone\.ts does not exist in the working tree/],
        [['blame'], /expected exactly one <path>/],
        [['blame', 'a.ts', 'dir/b.ts'], /expected exactly one <path>/],
        [['blame', 'a.ts', '--porcelain'], /unknown option --porcelain/],
      ];
      for (const [args, message] of cases) {
        const r = repo.cli(args);
        assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}`);
        assert.match(r.stderr, message, args.join(' '));
        assert.equal(r.stdout, '', 'nothing on stdout');
      }
      // Relative to where it runs, as mark and review are.
      const sub = repo.cli(['blame', 'b.ts', '--json'], { cwd: repo.path('dir') });
      assert.equal(sub.code, 0, sub.stderr);
      assert.equal(JSON.parse(sub.stdout).path, 'dir/b.ts');
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});
