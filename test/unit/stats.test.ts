import * as assert from 'node:assert/strict';
import { lineProvenance, NoteLike, NoteRegionLike, withWorkingRegions, WorkingRegionLike, workingRegionLines } from '../../src/core/history';
import { createRegion } from '../../src/core/regions';
import { summarizeCommits, treeShare } from '../../src/core/stats';
import { LineIndex } from '../../src/core/text';
import { parseStatsLog } from '../../src/store/stats';

const C1 = 'a'.repeat(40);
const C2 = 'b'.repeat(40);
const C3 = 'c'.repeat(40);

function region(id: string, from: number, to: number, opts: Partial<NoteRegionLike> & { reviewedBy?: string } = {}): NoteRegionLike {
  const hash = `h-${id}`;
  const reviews = opts.reviewedBy ? [{ by: opts.reviewedBy, at: '2026-01-02T00:00:00.000Z', hash }] : [];
  return { id, from, to, source: 'inline', tool: 'copilot', hash, reviews, ...opts };
}

describe('history: uncommitted lines take the store\'s provenance', () => {
  const working = (id: string, from: number, to: number, opts: Partial<WorkingRegionLike> = {}): WorkingRegionLike => ({ id, from, to, source: 'chat', tool: 'copilot', review: null, ...opts });
  const origins = [
    { line: 1, count: 2, commit: C1, origPath: 'a.ts', origLine: 1 },
    { line: 3, count: 3, commit: null, origPath: 'a.ts', origLine: 3 },
  ];
  const notes = new Map<string, NoteLike>([[C1, { files: { 'a.ts': [region('n', 2, 2)] } }]]);

  it('committed lines keep what the note says even where a store region covers them; uncommitted lines follow the store', () => {
    const got = withWorkingRegions(lineProvenance(origins, notes), [
      working('w1', 1, 3, { model: 'gpt-4o' }),
      working('w2', 5, 5, { source: 'agent', tool: 'codex', review: { by: 'dev@example.com', at: '2026-02-01T00:00:00.000Z' } }),
    ]);
    assert.deepEqual(
      got.map((l) => [l.line, l.commit, l.ai, l.source, l.tool, l.model, l.reviewed, l.reviewer, l.regions]),
      [
        [1, C1, false, null, null, null, false, null, []],
        [2, C1, true, 'inline', 'copilot', null, false, null, ['n']],
        [3, null, true, 'chat', 'copilot', 'gpt-4o', false, null, ['w1']],
        [4, null, false, null, null, null, false, null, []],
        [5, null, true, 'agent', 'codex', null, true, 'dev@example.com', ['w2']],
      ],
    );
  });

  it('a line under two regions: the first one\'s source (in the store\'s order, by position), reviewed only when both are, by the latest reviewer', () => {
    const early = { by: 'a@x', at: '2026-01-01T00:00:00.000Z' };
    const late = { by: 'b@x', at: '2026-03-01T00:00:00.000Z' };
    const uncommitted = lineProvenance([{ line: 1, count: 1, commit: null, origPath: 'a.ts', origLine: 1 }], new Map());
    const both = withWorkingRegions(uncommitted, [working('x', 1, 1, { review: early }), working('y', 1, 1, { source: 'agent', review: late })]);
    assert.deepEqual([both[0].source, both[0].reviewed, both[0].reviewer, both[0].regions], ['chat', true, 'b@x', ['x', 'y']]);
    const one = withWorkingRegions(uncommitted, [working('x', 1, 1, { review: early }), working('y', 1, 1)]);
    assert.deepEqual([one[0].reviewed, one[0].reviewer], [false, null]);
  });

  it('one sweep gives every line the regions covering it, as testing each region against each line would (random regions, committed lines between)', () => {
    let seed = 3;
    const rand = (n: number): number => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) % n);
    const regions = Array.from({ length: 60 }, (_, i) => {
      const from = 1 + rand(300);
      return working(`r${i}`, from, from + rand(20), { review: rand(2) ? { by: `u${i}@x`, at: `2026-01-${String(1 + rand(28)).padStart(2, '0')}T00:00:00.000Z` } : null });
    });
    const origins = Array.from({ length: 320 }, (_, i) => ({ line: i + 1, count: 1, commit: i % 7 === 3 ? C1 : null, origPath: 'a.ts', origLine: i + 1 }));
    const got = withWorkingRegions(lineProvenance(origins, new Map()), regions);
    const order = [...regions].sort((a, b) => a.from - b.from || a.to - b.to);
    got.forEach((l) => {
      if (l.commit !== null) return assert.deepEqual([l.ai, l.regions], [false, []]);
      const covering = order.filter((r) => r.from <= l.line && l.line <= r.to);
      assert.deepEqual(l.regions, covering.map((r) => r.id), `line ${l.line}`);
      assert.equal(l.reviewed, covering.length > 0 && covering.every((r) => r.review), `line ${l.line}`);
    });
  });

  it('store regions become the lines they cover: an end at column 0 does not cover its line, a start at a line\'s end does not cover that line', () => {
    const index = new LineIndex('one\ntwo\nthree\nfour\n');
    const regions = [
      createRegion({ id: 'a', source: 'inline', tool: 'copilot', model: 'm', start: { line: 0, character: 1 }, end: { line: 2, character: 0 } }),
      createRegion({ id: 'b', source: 'agent', start: { line: 2, character: 5 }, end: { line: 3, character: 2 } }),
    ];
    assert.deepEqual(workingRegionLines(regions, index), [
      { id: 'a', from: 1, to: 2, source: 'inline', tool: 'copilot', model: 'm', review: null },
      { id: 'b', from: 4, to: 4, source: 'agent', tool: null, review: null },
    ]);
  });
});

describe('stats: the sums over commits and the tree share', () => {
  const none = (): boolean => false;

  it('counts each commit\'s added lines and the AI lines its note covers in the files it changed, by tool, source, model and author', () => {
    const notes = new Map<string, NoteLike>([
      [C1, { files: { 'a.ts': [region('r', 2, 4, { model: 'gpt-4o', reviewedBy: 'R <r@x>' }), region('s', 4, 5, { tool: null, source: 'agent' })] } }],
      // A region in a file the commit did not change is not counted (it cannot be a line it added).
      [C2, { files: { 'b.ts': [region('t', 1, 1, { tool: 'cursor', source: 'chat' })], 'elsewhere.ts': [region('u', 1, 9)] } }],
    ]);
    const s = summarizeCommits(
      [
        { commit: C1, author: 'dev@x', files: [{ path: 'a.ts', added: 6 }] },
        { commit: C2, author: 'other@x', files: [{ path: 'b.ts', added: 2 }, { path: 'c.ts', added: 0 }] },
        { commit: C3, author: 'dev@x', files: [{ path: 'a.ts', added: 3 }] },
      ],
      notes,
      none,
    );
    assert.deepEqual(s, {
      addedLines: 11,
      // a.ts 2-5 (line 4 under both regions: r's tool; reviewed only if both are: not) and b.ts 1.
      aiLines: 5,
      reviewedAiLines: 2,
      commits: 3,
      commitsWithoutNote: 1,
      ignoredLines: 0,
      byTool: { copilot: 3, cursor: 1, unknown: 1 },
      bySource: { agent: 1, chat: 1, inline: 3 },
      byModel: { 'gpt-4o': 3, unknown: 2 },
      byAuthor: { 'dev@x': { addedLines: 9, aiLines: 4, reviewedAiLines: 2 }, 'other@x': { addedLines: 2, aiLines: 1, reviewedAiLines: 0 } },
      byCommit: [
        { commit: C1, addedLines: 6, aiLines: 4, reviewedAiLines: 2 },
        { commit: C2, addedLines: 2, aiLines: 1, reviewedAiLines: 0 },
        { commit: C3, addedLines: 3, aiLines: 0, reviewedAiLines: 0 },
      ],
    });
  });

  it('paths the policy ignores are counted apart and left out of every other figure; odd tool names are plain keys', () => {
    const notes = new Map<string, NoteLike>([[C1, { files: { 'gen/x.ts': [region('g', 1, 3)], 'a.ts': [region('p', 1, 1, { tool: '__proto__' })] } }]]);
    const s = summarizeCommits([{ commit: C1, author: 'dev@x', files: [{ path: 'gen/x.ts', added: 3 }, { path: 'a.ts', added: 1 }] }], notes, (p) => p.startsWith('gen/'));
    assert.deepEqual([s.addedLines, s.aiLines, s.ignoredLines], [1, 1, 3]);
    assert.deepEqual(s.byCommit, [{ commit: C1, addedLines: 1, aiLines: 1, reviewedAiLines: 0 }]);
    assert.deepEqual(Object.keys(s.byTool), ['__proto__']);
    assert.equal(JSON.stringify(s.byTool), '{"__proto__":1}');
  });

  it('the tree share: every text file\'s lines, AI lines from the provenance of those that may hold some, ignored paths left out', () => {
    const notes = new Map<string, NoteLike>([[C1, { files: { 'a.ts': [region('r', 1, 2, { reviewedBy: 'R <r@x>' }), region('s', 4, 4)] } }]]);
    const a = lineProvenance([{ line: 1, count: 5, commit: C1, origPath: 'a.ts', origLine: 1 }], notes);
    const ignored = lineProvenance([{ line: 1, count: 2, commit: C1, origPath: 'a.ts', origLine: 1 }], notes);
    const share = treeShare(
      [
        { path: 'a.ts', lineCount: 5, lines: a },
        { path: 'b.ts', lineCount: 7 },
        { path: 'gen/a.ts', lineCount: 2, lines: ignored },
      ],
      (p) => p.startsWith('gen/'),
    );
    assert.deepEqual(share, { lines: 12, aiLines: 3, reviewedAiLines: 2, aiShare: 3 / 12 });
    assert.deepEqual(treeShare([], none), { lines: 0, aiLines: 0, reviewedAiLines: 0, aiShare: 0 });
  });
});

describe('stats: reading git log -z --numstat', () => {
  it('commits with their parents, committer time and author, files with lines added, renames as two fields, binary files left out, merges without files', () => {
    const out = [
      `commit ${C3} ${C1} ${C2}\t1767312000\tdev@x`,
      `commit ${C2} ${C1}\t1767225600\tother@x`,
      '\n3\t1\ta.ts',
      '-\t-\tlogo.png',
      '0\t0\t',
      'old name.ts',
      'new\tname.ts',
      '2\t0\tcommit lookalike.ts',
      `commit ${C1} \t1767139200\tdev@x`,
      '\n4\t0\ta.ts',
      '',
    ].join('\0');
    const { commits, renames } = parseStatsLog(out);
    assert.deepEqual(commits, [
      { commit: C3, parents: 2, time: 1767312000, author: 'dev@x', files: [] },
      { commit: C2, parents: 1, time: 1767225600, author: 'other@x', files: [{ path: 'a.ts', added: 3 }, { path: 'new\tname.ts', added: 0 }, { path: 'commit lookalike.ts', added: 2 }] },
      { commit: C1, parents: 0, time: 1767139200, author: 'dev@x', files: [{ path: 'a.ts', added: 4 }] },
    ]);
    assert.deepEqual(renames, [{ from: 'old name.ts', to: 'new\tname.ts' }]);
    assert.deepEqual(parseStatsLog(''), { commits: [], renames: [] });
  });
});
