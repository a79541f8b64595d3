/** `ai-provenance stats` in real repositories, notes written by the real hooks, figures counted by hand. */
import * as assert from 'node:assert/strict';
import { TempRepo } from './helpers';
import { head } from './noteHelpers';

interface Tally {
  addedLines: number;
  aiLines: number;
  reviewedAiLines: number;
}

interface StatsJson extends Tally {
  range: string | null;
  base: string | null;
  head: string;
  commits: number;
  commitsWithoutNote: number;
  ignoredLines: number;
  byTool: Record<string, number>;
  bySource: Record<string, number>;
  byModel: Record<string, number>;
  byAuthor: Record<string, Tally>;
  tree: { commit: string; lines: number; aiLines: number; reviewedAiLines: number; aiShare: number } | null;
}

const lines = (...ls: string[]): string => ls.join('\n') + '\n';
const numbered = (prefix: string, n: number): string => lines(...Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}`));

describe('CLI: stats [<range>]', function () {
  this.timeout(120_000);
  let repo: TempRepo;
  beforeEach(() => {
    repo = new TempRepo('aip-stats-');
  });
  afterEach(() => repo.dispose());

  const stats = (...args: string[]): { json: StatsJson; text: string[]; stderr: string } => {
    const json = repo.cli(['stats', ...args, '--json']);
    assert.equal(json.code, 0, json.stderr);
    const text = repo.cli(['stats', ...args]);
    assert.equal(text.code, 0, text.stderr);
    return { json: JSON.parse(json.stdout) as StatsJson, text: text.stdout.trimEnd().split('\n'), stderr: text.stderr };
  };
  const commit = (message: string, ...args: string[]): string => {
    repo.git('add', '-A');
    const r = repo.tryGit('commit', '-q', '--no-verify', '-m', message, ...args);
    assert.equal(r.code, 0, r.stderr);
    return head(repo);
  };
  const mark = (target: string, source: string, tool: string, model?: string): void => {
    const r = repo.cli(['mark', target, '--source', source, '--tool', tool, ...(model ? ['--model', model] : [])]);
    assert.equal(r.code, 0, r.stderr);
  };

  /**
   * The history the figures below are counted from (dev@example.com unless said otherwise):
   *   c0  before the hooks, no note: a.ts +4 human
   *   c1  a.ts +5 (5-6 AI inline copilot gpt-4o, reviewed later; 7 AI agent codex; 8-9 human);
   *       gen/x.ts +3 AI inline copilot (the policy written afterwards ignores gen/**)
   *   c2  by other@example.com: a.ts line 7 rewritten by hand (+1 -1); b.ts +4 (1-2 AI agent claude-code);
   *       package-lock.json +10 (ignored by default); logo.png (binary)
   *   c3  on a side branch: c.ts +2 AI chat copilot
   *   c4  on main: d.ts +1 human; then side is merged (--no-ff: a merge commit, counted through c3)
   *   c5  b.ts renamed to b2.ts (0 lines added)
   */
  function history(): Record<string, string> {
    const ids: Record<string, string> = {};
    repo.write('a.ts', numbered('base', 4));
    ids.c0 = commit('c0');
    assert.equal(repo.cli(['hook', 'install']).code, 0);
    repo.write('a.ts', numbered('base', 4) + lines('ai copilot 1', 'ai copilot 2', 'ai codex', 'human 1', 'human 2'));
    repo.write('gen/x.ts', numbered('generated', 3));
    mark('a.ts:5-6', 'inline', 'copilot', 'gpt-4o');
    mark('a.ts:7', 'agent', 'codex');
    mark('gen/x.ts', 'inline', 'copilot');
    ids.c1 = commit('c1');
    repo.write('a.ts', numbered('base', 4) + lines('ai copilot 1', 'ai copilot 2', 'rewritten by hand', 'human 1', 'human 2'));
    repo.write('b.ts', lines('ai claude 1', 'ai claude 2', 'human b 1', 'human b 2'));
    repo.write('package-lock.json', numbered('lock', 10));
    repo.write('logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2]));
    mark('b.ts:1-2', 'agent', 'claude-code');
    ids.c2 = commit('c2', '--author', 'Other <other@example.com>');
    repo.git('checkout', '-q', '-b', 'side');
    repo.write('c.ts', lines('ai chat 1', 'ai chat 2'));
    mark('c.ts:1-2', 'chat', 'copilot');
    ids.c3 = commit('c3');
    repo.git('checkout', '-q', 'main');
    repo.write('d.ts', lines('human d'));
    ids.c4 = commit('c4');
    const merged = repo.tryGit('merge', '-q', '--no-ff', '--no-edit', 'side');
    assert.equal(merged.code, 0, merged.stderr);
    assert.equal(repo.cli(['review', 'a.ts:5-6']).code, 0);
    repo.git('mv', 'b.ts', 'b2.ts');
    ids.c5 = commit('c5');
    repo.write('.ai-provenance.json', JSON.stringify({ ignore: ['gen/**'] }));
    return ids;
  }

  it('the whole history of HEAD by default: hand-counted figures, breakdowns, policy ignores, merges counted through their branches, renames adding nothing, and the share of AI lines in the tree', () => {
    const ids = history();
    const { json, text } = stats();
    assert.deepEqual(json, {
      range: null,
      base: null,
      head: ids.c5,
      // c0..c5; the merge commit is not counted (its lines are c3's).
      commits: 6,
      commitsWithoutNote: 1,
      // c0 4 + c1 5 + c2 (a.ts 1 + b.ts 4) + c3 2 + c4 1 + c5 0
      addedLines: 17,
      // c1 3 + c2 2 + c3 2 (c1's gen/x.ts and c2's rewritten line 7 are not)
      aiLines: 7,
      reviewedAiLines: 2,
      // gen/x.ts 3 + package-lock.json 10
      ignoredLines: 13,
      byTool: { 'claude-code': 2, codex: 1, copilot: 4 },
      bySource: { agent: 3, chat: 2, inline: 2 },
      byModel: { 'gpt-4o': 2, unknown: 5 },
      byAuthor: {
        'dev@example.com': { addedLines: 12, aiLines: 5, reviewedAiLines: 2 },
        'other@example.com': { addedLines: 5, aiLines: 2, reviewedAiLines: 0 },
      },
      // HEAD's text files, ignored ones left out: a.ts 9 + b2.ts 4 + c.ts 2 + d.ts 1 = 16 lines, of
      // which AI: a.ts 5-6 (reviewed), b2.ts 1-2 (through the rename), c.ts 1-2 (through the merge).
      tree: { commit: ids.c5, lines: 16, aiLines: 6, reviewedAiLines: 2, aiShare: 6 / 16 },
    });
    assert.equal(text[0], 'AI Provenance stats for the whole history of HEAD (6 commits): 17 lines added, 7 of them AI-written (41.2%), 2 of those reviewed (28.6%).');
    assert.deepEqual(text.slice(1, 3), ['1 commit carries no provenance note; its lines count as human-written.', '13 lines added in files the policy ignores are left out.']);
    assert.deepEqual(text.slice(text.indexOf('AI lines by tool:'), text.indexOf('AI lines by tool:') + 4), ['AI lines by tool:', '  copilot      4  57.1%', '  claude-code  2  28.6%', '  codex        1  14.3%']);
    assert.deepEqual(text.slice(text.indexOf('By author:'), text.indexOf('By author:') + 4), [
      'By author:',
      '                     added  AI  reviewed',
      '  dev@example.com       12   5         2',
      '  other@example.com      5   2         0',
    ]);
    assert.equal(text[text.length - 1], `The tree at HEAD (${ids.c5.slice(0, 8)}): 6 of its 16 lines are AI-written (37.5%), 2 of those reviewed.`);
  });

  it('a range counts the commits it holds (merges through their branches), without the tree', () => {
    const ids = history();
    const later = stats(`${ids.c2}..HEAD`).json;
    assert.deepEqual(
      later,
      {
        range: `${ids.c2}..HEAD`,
        base: ids.c2,
        head: ids.c5,
        commits: 3,
        commitsWithoutNote: 0,
        addedLines: 3,
        aiLines: 2,
        reviewedAiLines: 0,
        ignoredLines: 0,
        byTool: { copilot: 2 },
        bySource: { chat: 2 },
        byModel: { unknown: 2 },
        byAuthor: { 'dev@example.com': { addedLines: 3, aiLines: 2, reviewedAiLines: 0 } },
        tree: null,
      },
    );
    const early = stats(`${ids.c0}..${ids.c2}`).json;
    assert.deepEqual([early.commits, early.addedLines, early.aiLines, early.reviewedAiLines, early.ignoredLines, early.head], [2, 10, 5, 2, 13, ids.c2]);
    // The side branch alone, named by branch: c3.
    const side = stats(`${ids.c4}..side`).json;
    assert.deepEqual([side.commits, side.addedLines, side.aiLines], [1, 2, 2]);
  });

  it('a clone without notes: every line human, and a warning that says how to fetch them', () => {
    repo.write('a.ts', numbered('x', 3));
    commit('one');
    const r = stats();
    assert.deepEqual([r.json.commits, r.json.commitsWithoutNote, r.json.addedLines, r.json.aiLines, r.json.tree?.lines], [1, 1, 3, 0, 3]);
    assert.match(r.stderr, /^warning: this clone has no AI Provenance notes \(refs\/notes\/ai-provenance\), so every line counts as human-written; fetch them first/);
  });

  it('bad input: an unresolvable range, not a range, two ranges, no commits yet, a shallow clone: a clear error, exit 2', () => {
    const fail = (args: string[], message: RegExp, cwd?: string): void => {
      const r = repo.cli(['stats', ...args], { cwd });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}`);
      assert.match(r.stderr, message, args.join(' '));
      assert.equal(r.stdout, '');
    };
    fail([], /HEAD names no commit \(this repository has no commits yet\)/);
    repo.write('a.ts', numbered('x', 3));
    commit('one');
    repo.write('a.ts', numbered('x', 4));
    commit('two');
    fail(['nope..HEAD'], /"nope" is not a commit in this repository, so the range nope\.\.HEAD cannot be counted/);
    fail(['HEAD..nope'], /"nope" is not a commit/);
    fail(['HEAD'], /"HEAD" is not a range; write <base>\.\.<head>/);
    fail(['HEAD~1..HEAD', 'HEAD~1..HEAD'], /expected at most one range/);
    fail(['--range', 'x'], /unknown option --range/);
    const shallow = new TempRepo('aip-stats-shallow-');
    try {
      shallow.git('fetch', '-q', '--depth', '1', `file://${repo.root}`, 'main');
      shallow.git('checkout', '-q', 'FETCH_HEAD');
      const r = shallow.cli(['stats']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /this clone is shallow, so the history of HEAD is cut off.*git fetch --unshallow/);
    } finally {
      shallow.dispose();
    }
  });
});
