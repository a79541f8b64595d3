import * as assert from 'node:assert/strict';
import { LineOrigin, lineProvenance, NoteLike, NoteRegionLike, summarizeRange, verifySentence } from '../../src/core/history';

const C1 = 'a'.repeat(40);
const C2 = 'b'.repeat(40);

function region(id: string, from: number, to: number, opts: Partial<NoteRegionLike> & { reviewedBy?: string; staleReview?: boolean } = {}): NoteRegionLike {
  const hash = `h-${id}`;
  const reviews = opts.reviewedBy ? [{ by: opts.reviewedBy, at: '2026-01-02T00:00:00.000Z', hash: opts.staleReview ? 'other' : hash }] : [];
  return { id, from, to, source: 'inline', tool: 'copilot', hash, reviews, ...opts };
}

function notes(entries: [string, Record<string, NoteRegionLike[]>][]): Map<string, NoteLike> {
  return new Map(entries.map(([c, files]) => [c, { files }]));
}

describe('history: per-line provenance from blame and notes', () => {
  const table: { name: string; origins: LineOrigin[]; notes: Map<string, NoteLike>; want: [line: number, ai: boolean, reviewed: boolean, reviewer: string | null, noted: boolean][] }[] = [
    {
      name: 'a line inside a region of its commit\'s note is AI; outside it is not',
      origins: [{ line: 1, count: 4, commit: C1, origPath: 'a.ts', origLine: 1 }],
      notes: notes([[C1, { 'a.ts': [region('r', 2, 3)] }]]),
      want: [[1, false, false, null, true], [2, true, false, null, true], [3, true, false, null, true], [4, false, false, null, true]],
    },
    {
      name: 'regions are looked up by the line and path in the commit, not the final ones (lines moved, file renamed)',
      origins: [{ line: 10, count: 2, commit: C1, origPath: 'old.ts', origLine: 2 }],
      notes: notes([[C1, { 'old.ts': [region('r', 3, 3)], 'new.ts': [region('s', 10, 11)] }]]),
      want: [[10, false, false, null, true], [11, true, false, null, true]],
    },
    {
      name: 'a review counts only when it saw the region\'s hash',
      origins: [{ line: 1, count: 2, commit: C1, origPath: 'a.ts', origLine: 1 }],
      notes: notes([[C1, { 'a.ts': [region('r', 1, 1, { reviewedBy: 'Dev <dev@example.com>' }), region('s', 2, 2, { reviewedBy: 'Dev <dev@example.com>', staleReview: true })] }]]),
      want: [[1, true, true, 'Dev <dev@example.com>', true], [2, true, false, null, true]],
    },
    {
      name: 'a line under two regions is reviewed only when both are',
      origins: [{ line: 1, count: 2, commit: C1, origPath: 'a.ts', origLine: 1 }],
      notes: notes([[C1, { 'a.ts': [region('r', 1, 2, { reviewedBy: 'A <a@x>' }), region('s', 2, 2)] }]]),
      want: [[1, true, true, 'A <a@x>', true], [2, true, false, null, true]],
    },
    {
      name: 'a commit without a note and an uncommitted line are not AI and not noted',
      origins: [
        { line: 1, count: 1, commit: C2, origPath: 'a.ts', origLine: 1 },
        { line: 2, count: 1, commit: null, origPath: 'a.ts', origLine: 2 },
      ],
      notes: notes([[C1, { 'a.ts': [region('r', 1, 2)] }]]),
      want: [[1, false, false, null, false], [2, false, false, null, false]],
    },
    {
      name: 'a path named like an Object property is only a key',
      origins: [{ line: 1, count: 1, commit: C1, origPath: 'constructor', origLine: 1 }],
      notes: notes([[C1, {}]]),
      want: [[1, false, false, null, true]],
    },
  ];
  for (const t of table) {
    it(t.name, () => {
      const got = lineProvenance(t.origins, t.notes).map((l) => [l.line, l.ai, l.reviewed, l.reviewer, l.noted]);
      assert.deepEqual(got, t.want);
    });
  }

  it('carries source, tool and model of the covering region, and the latest valid review', () => {
    const r = region('r', 1, 1, { model: 'gpt-4o', tool: 'cursor', source: 'agent' });
    const reviews = [
      { by: 'Old <o@x>', at: '2026-01-01T00:00:00.000Z', hash: r.hash },
      { by: 'New <n@x>', at: '2026-01-03T00:00:00.000Z', hash: r.hash },
      { by: 'Stale <s@x>', at: '2026-01-09T00:00:00.000Z', hash: 'changed' },
    ];
    const [line] = lineProvenance([{ line: 7, count: 1, commit: C1, origPath: 'a.ts', origLine: 1 }], notes([[C1, { 'a.ts': [{ ...r, reviews }] }]]));
    assert.deepEqual(
      { source: line.source, tool: line.tool, model: line.model, reviewer: line.reviewer, at: line.reviewedAt, regions: line.regions, commit: line.commit },
      { source: 'agent', tool: 'cursor', model: 'gpt-4o', reviewer: 'New <n@x>', at: '2026-01-03T00:00:00.000Z', regions: ['r'], commit: C1 },
    );
  });
});

describe('history: the verify summary', () => {
  const lines = (origins: LineOrigin[], n: Map<string, NoteLike>) => lineProvenance(origins, n);
  const n = notes([
    [C1, { 'a.ts': [region('r', 1, 4), region('k', 6, 6, { reviewedBy: 'A <a@x>' })], 'package-lock.json': [region('p', 1, 1)] }],
    [C2, { 'a.ts': [region('q', 1, 1, { source: 'chat' })] }],
  ]);

  it('groups unreviewed AI lines into runs per file, commit and source; counts lines and files; ignored paths apart', () => {
    const s = summarizeRange(
      [
        // Final lines 1-2 from C1, line 3 from C2 (a chat region), 4-5 from C1 again, 6 reviewed, 8 human.
        {
          path: 'a.ts',
          lines: lines(
            [
              { line: 1, count: 2, commit: C1, origPath: 'a.ts', origLine: 1 },
              { line: 3, count: 1, commit: C2, origPath: 'a.ts', origLine: 1 },
              { line: 4, count: 3, commit: C1, origPath: 'a.ts', origLine: 4 },
              { line: 8, count: 1, commit: C1, origPath: 'a.ts', origLine: 8 },
            ],
            n,
          ),
        },
        { path: 'package-lock.json', lines: lines([{ line: 1, count: 1, commit: C1, origPath: 'package-lock.json', origLine: 1 }], n) },
      ],
      (p) => p === 'package-lock.json',
    );
    assert.deepEqual(
      s.unreviewed.map((r) => [r.path, r.from, r.to, r.source, r.commit]),
      [['a.ts', 1, 2, 'inline', C1], ['a.ts', 3, 3, 'chat', C2], ['a.ts', 4, 4, 'inline', C1]],
    );
    assert.deepEqual(s.ignored.map((r) => [r.path, r.from, r.to]), [['package-lock.json', 1, 1]]);
    assert.deepEqual([s.unreviewedLines, s.files, s.addedLines, s.aiLines, s.reviewedAiLines], [4, 1, 8, 6, 1]);
  });

  it('says it in one sentence with the count and the first location', () => {
    assert.equal(
      verifySentence({ unreviewedLines: 4, files: 1, unreviewed: [] }, [], 'a.ts:1-2'),
      'AI Provenance: this range fails verification: 4 unreviewed AI lines in 1 file, first at a.ts:1-2. To pass, review the lines (ai-provenance review) and push the notes (ai-provenance notes push).',
    );
    assert.equal(verifySentence({ unreviewedLines: 0, files: 0, unreviewed: [] }, []), 'AI Provenance: every AI line this range adds is reviewed.');
    assert.match(verifySentence({ unreviewedLines: 0, files: 0, unreviewed: [] }, [C2]), /^AI Provenance: this range fails verification: 1 commit without a provenance note \(the policy requires notes\), first bbbbbbbbbbbb\./);
    assert.match(verifySentence({ unreviewedLines: 1, files: 1, unreviewed: [] }, [], 'a.ts:1-1', true), /^AI Provenance warning: 1 unreviewed AI line in 1 file, first at a\.ts:1-1 \(the repository policy only warns\)\.$/);
  });
});
