import * as assert from 'node:assert/strict';
import { addedLines, CarriedRegion, carryRegions } from '../../src/core/carry';
import { unquoteGitPath } from '../../src/core/gitPath';
import { hashText } from '../../src/core/text';

interface R extends CarriedRegion {
  tool: string;
  reviews: { by: string; hash: string }[];
}

/** A region over 1-based lines from..to of `lines`, as a note records it. */
function region(lines: string[], from: number, to: number, id = `r${from}`, reviewed = false): R {
  const text = lines.slice(from - 1, to);
  const hash = hashText(text.join('\n'));
  return { id, from, to, hash, lines: text.map(hashText), tool: 'copilot', reviews: reviewed ? [{ by: 'Dev <dev@example.com>', hash }] : [] };
}

const everyLine = (): boolean => true;
const onlyLines = (...ranges: [number, number][]) => (i: number): boolean => ranges.some(([a, b]) => i + 1 >= a && i + 1 <= b);
const spans = (rs: R[]): [string, number, number][] => rs.map((r) => [r.id, r.from, r.to]);

const base = ['import a;', 'function f() {', '  one();', '  two();', '}', 'function g() {', '  three();', '}'];

describe('carryRegions', () => {
  it('an amend that changed nothing in the region keeps it where it was, reviews still valid', () => {
    const r = region(base, 3, 4, 'x', true);
    const out = carryRegions([{ regions: [r], oldLines: base }], { lines: base, added: everyLine });
    assert.deepEqual(spans(out), [['x', 3, 4]]);
    assert.equal(out[0].hash, r.hash);
    assert.deepEqual(out[0].reviews, r.reviews);
    assert.equal(out[0].tool, 'copilot', 'other fields travel untouched');
  });

  it('follows lines an upstream inserted above (a rebase onto a moved upstream)', () => {
    const moved = ['// header', '// more', ...base];
    const out = carryRegions([{ regions: [region(base, 3, 4, 'x')], oldLines: base }], { lines: moved, added: onlyLines([5, 6]) });
    assert.deepEqual(spans(out), [['x', 5, 6]]);
  });

  it('never lands on lines the new commit does not add (the upstream has them already)', () => {
    const out = carryRegions([{ regions: [region(base, 3, 4, 'x')], oldLines: base }], { lines: base, added: onlyLines([4, 4]) });
    assert.deepEqual(spans(out), [['x', 4, 4]]);
    assert.notEqual(out[0].hash, region(base, 3, 4).hash, 'a piece has its own hash, so the old review no longer counts');
  });

  it('splits a region whose middle line changed, the pieces with deterministic ids', () => {
    const changed = base.map((l) => (l === '  two();' ? '  TWO();' : l));
    const r = region(base, 2, 5, 'x', true);
    const out = carryRegions([{ regions: [r], oldLines: base }], { lines: changed, added: everyLine });
    assert.deepEqual(spans(out), [['x', 2, 3], ['x-3', 5, 5]]);
    assert.deepEqual(out[0].lines, r.lines.slice(0, 2));
    assert.equal(out[0].hash, hashText(changed.slice(1, 3).join('\n')));
    assert.deepEqual(out, carryRegions([{ regions: [r], oldLines: base }], { lines: changed, added: everyLine }), 'the same input gives the same note');
  });

  it('a region whose text is all gone disappears; one on text it did not cover never appears', () => {
    const other = ['import a;', 'something else', 'entirely', '}'];
    assert.deepEqual(carryRegions([{ regions: [region(base, 3, 4)], oldLines: base }], { lines: other, added: everyLine }), []);
    assert.deepEqual(carryRegions([{ regions: [region(base, 3, 4)] }], { lines: other, added: everyLine }), []);
  });

  it('a squash: two commits\' regions land on the one new commit', () => {
    const first = [...base.slice(0, 5), '  // AI from the first commit', ...base.slice(5)];
    const second = [...first.slice(0, 8), '  // AI from the second', ...first.slice(8)];
    const out = carryRegions(
      [
        { regions: [region(first, 6, 6, 'a')], oldLines: first },
        { regions: [region(second, 9, 9, 'b')], oldLines: second },
      ],
      { lines: second, added: onlyLines([6, 6], [9, 9]) },
    );
    assert.deepEqual(spans(out), [['a', 6, 6], ['b', 9, 9]]);
  });

  it('reordered commits: the later commit now comes first and its lines moved', () => {
    // Commit B (on top of A) added line "b" at 2; after the reorder B' comes first, where A's line is not there yet.
    const afterAB = ['x', 'a', 'b', 'y'];
    const bFirst = ['x', 'b', 'y'];
    const out = carryRegions([{ regions: [region(afterAB, 3, 3, 'b')], oldLines: afterAB }], { lines: bFirst, added: onlyLines([2, 2]) });
    assert.deepEqual(spans(out), [['b', 2, 2]]);
  });

  it('without the old file, finds the region among the added lines (a cherry-pick into a renamed file)', () => {
    const target = ['header', ...base.slice(1)];
    const out = carryRegions([{ regions: [region(base, 6, 8, 'g')] }], { lines: target, added: onlyLines([6, 8]) });
    assert.deepEqual(spans(out), [['g', 6, 8]]);
  });

  it('a repeated line goes where the diff puts it, not to its twin elsewhere', () => {
    const old = ['a', '}', 'b', 'AI();', '}', 'c'];
    const next = ['a', '}', 'b', 'AI();', '}', 'c', '}'];
    const out = carryRegions([{ regions: [region(old, 4, 5, 'x')], oldLines: old }], { lines: next, added: onlyLines([4, 5], [7, 7]) });
    assert.deepEqual(spans(out), [['x', 4, 5]]);
  });

  it('a stale note (its hashes do not match the old file) lends nothing to other text', () => {
    const r = { ...region(base, 3, 4, 'x'), lines: [hashText('not this'), hashText('nor this')] };
    assert.deepEqual(carryRegions([{ regions: [r], oldLines: base }], { lines: base, added: everyLine }), []);
  });

  it('malformed line hashes match nothing', () => {
    const r = { ...region(base, 3, 4, 'x'), lines: ['zz', ''] };
    assert.deepEqual(carryRegions([{ regions: [r], oldLines: base }], { lines: base, added: everyLine }), []);
  });
});

describe('addedLines (git diff --unified=0)', () => {
  it('reads the added and changed ranges per new path, skipping deletions', () => {
    const diff = [
      'diff --git a/a.ts b/a.ts',
      'index 1..2 100644',
      '--- a/a.ts',
      '+++ b/a.ts',
      '@@ -3,0 +4,2 @@ ctx',
      '+x',
      '+y',
      '@@ -10 +12 @@',
      '-old',
      '+new',
      '@@ -20,2 +21,0 @@',
      '-gone',
      '-gone',
      'diff --git a/gone.ts b/gone.ts',
      'deleted file mode 100644',
      '--- a/gone.ts',
      '+++ /dev/null',
      '@@ -1 +0,0 @@',
      '-bye',
      'diff --git "a/sp\\303\\244ce\\tx.ts" "b/sp\\303\\244ce\\tx.ts"',
      'new file mode 100644',
      '--- /dev/null',
      '+++ "b/sp\\303\\244ce\\tx.ts"',
      '@@ -0,0 +1,3 @@',
      '+1',
      '+2',
      '+3',
      '',
    ].join('\n');
    assert.deepEqual([...addedLines(diff)], [
      ['a.ts', [[4, 5], [12, 12]]],
      ['spä' + 'ce\tx.ts', [[1, 3]]],
    ]);
  });

  it('a file whose changes are only deletions is listed with no lines', () => {
    assert.deepEqual([...addedLines('diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -2 +1,0 @@\n-x\n')], [['f', []]]);
  });

  it('reads a name with a space (git ends its header with a tab) and an added line that begins with "++ "', () => {
    const diff = 'diff --git a/x y.txt b/x y.txt\nindex 1..2 100644\n--- a/x y.txt\t\n+++ b/x y.txt\t\n@@ -1,0 +2,2 @@\n+++ looks like a header\n+b\n';
    assert.deepEqual([...addedLines(diff)], [['x y.txt', [[2, 3]]]]);
    assert.equal(unquoteGitPath('"sp ace\\303\\251.txt"\t'), 'sp aceé.txt');
  });
});
