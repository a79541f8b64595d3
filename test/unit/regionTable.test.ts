import * as assert from 'node:assert/strict';
import { comparePositions, Position } from '../../src/core/text';
import { createRegion, Region } from '../../src/core/regions';
import { RegionTable } from '../../src/core/regionTable';
import { shiftRegions, TextChange } from '../../src/core/shift';

const P = (line: number, character: number): Position => ({ line, character });
const spans = (rs: readonly Region[]): string[] => rs.map((r) => `${r.id}@${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`);

/** A small deterministic generator, so a failure can be replayed. */
function rng(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

function randomPoints(rand: (n: number) => number, count: number): Position[] {
  const points = Array.from({ length: count }, () => P(rand(12), rand(8)));
  return points.sort(comparePositions);
}

/** Sorted, disjoint, non-empty regions. */
function randomRegions(rand: (n: number) => number): Region[] {
  const points = randomPoints(rand, 2 * (1 + rand(6)));
  const out: Region[] = [];
  for (let i = 0; i + 1 < points.length; i += 2) {
    if (comparePositions(points[i], points[i + 1]) < 0) out.push(createRegion({ id: `r${i}`, source: 'inline', start: points[i], end: points[i + 1] }));
  }
  return out;
}

/** Disjoint changes, bottom-up, as an editor event carries them. */
function randomChanges(rand: (n: number) => number): TextChange[] {
  const texts = ['', 'x', 'ab', '\n', '\n  ', 'a\nb', '\r\n', 'x\r\ny\n', '😀'];
  const points = randomPoints(rand, 2 * (1 + rand(3)));
  const out: TextChange[] = [];
  for (let i = 0; i + 1 < points.length; i += 2) {
    const prev = out[out.length - 1];
    if (prev && comparePositions(points[i], prev.end) <= 0) continue;
    out.push({ start: points[i], end: points[i + 1], text: texts[rand(texts.length)] });
  }
  return out.reverse();
}

describe('RegionTable', () => {
  it('moves regions exactly as shiftRegions does, or refuses edits that would remove one (5,000 random edits)', () => {
    const rand = rng(7);
    let shifted = 0;
    let refused = 0;
    for (let trial = 0; trial < 5000; trial++) {
      const regions = randomRegions(rand);
      const changes = randomChanges(rand);
      const expected = shiftRegions(regions, changes);
      const table = new RegionTable(regions);
      const context = `regions ${spans(regions).join(' ')}; changes ${JSON.stringify(changes)}`;
      if (!table.canShift(changes)) {
        refused++;
        assert.ok(expected.length < regions.length, `refused an edit that removes nothing: ${context}`);
        continue;
      }
      shifted++;
      const moved = table.shift(changes);
      assert.deepEqual(spans(table.regions), spans(expected), context);
      assert.equal(moved, expected !== regions, `moved flag: ${context}`);
    }
    // Both paths were exercised.
    assert.ok(shifted > 1000 && refused > 100, `shifted ${shifted}, refused ${refused}`);
  });

  it('keeps the identity of regions that did not move, and the very same list when none did', () => {
    const a = createRegion({ source: 'inline', start: P(1, 0), end: P(1, 5) });
    const b = createRegion({ source: 'agent', start: P(4, 2), end: P(6, 0) });
    const list = [a, b];
    const table = new RegionTable(list);
    assert.equal(table.regions, list);
    assert.equal(table.shift([{ start: P(7, 0), end: P(7, 0), text: 'typed after both' }]), false);
    assert.equal(table.regions, list);
    assert.equal(table.shift([{ start: P(3, 0), end: P(3, 0), text: '\n' }]), true);
    const [a2, b2] = table.regions;
    assert.equal(a2, a);
    assert.notEqual(b2, b);
    assert.deepEqual([b2.start, b2.end, b2.id, b2.source], [P(5, 2), P(7, 0), b.id, 'agent']);
    // The list handed out earlier is not changed behind its holder's back.
    assert.deepEqual(list[1].start, P(4, 2));
  });

  it('an Enter above a thousand regions moves them all by one line', () => {
    const regions = Array.from({ length: 1000 }, (_, i) => createRegion({ source: 'inline', start: P(i * 10 + 3, 6), end: P(i * 10 + 3, 16) }));
    const table = new RegionTable(regions);
    table.shift([{ start: P(2, 0), end: P(2, 0), text: '\n' }]);
    assert.deepEqual(table.regions.map((r) => r.start.line), regions.map((r) => r.start.line + 1));
    assert.deepEqual(table.regions.map((r) => r.end.character), regions.map(() => 16));
  });
});
