import * as assert from 'node:assert/strict';
import { addRegion, createRegion, mergeRegions, Region, review, subtract } from '../../src/core/regions';
import { LineIndex } from '../../src/core/text';

const P = (line: number, character: number): { line: number; character: number } => ({ line, character });
const R = (id: string, s: number, e: number, extra: Partial<Region> = {}): Region =>
  createRegion({ id, source: 'inline', tool: 'copilot', start: P(0, s), end: P(0, e), ...extra });
const spans = (rs: Region[]): [string, number, number][] => rs.map((r) => [r.id, r.start.character, r.end.character]);

describe('regions', () => {
  it('subtract splits a region around a span; the head keeps the id', () => {
    const out = subtract([R('a', 0, 10)], P(0, 3), P(0, 5));
    assert.equal(out.length, 2);
    assert.deepEqual(out.map((r) => [r.start.character, r.end.character]), [[0, 3], [5, 10]]);
    assert.equal(out[0].id, 'a');
    assert.notEqual(out[1].id, 'a');
  });

  it('addRegion carves new AI text out of an older region (a reviewed one stays reviewed around it)', () => {
    const reviewed = R('old', 0, 10, { review: { by: 'x', at: 't', hash: 'h' }, source: 'chat' });
    const out = addRegion([reviewed], R('new', 4, 6));
    assert.deepEqual(out.map((r) => [r.start.character, r.end.character, r.review !== null]), [[0, 4, true], [4, 6, false], [6, 10, true]]);
  });

  it('addRegion merges a touching unreviewed region of the same source and tool (word-by-word accepts)', () => {
    let rs = addRegion([], R('w1', 0, 4, { source: 'inline-partial' }));
    rs = addRegion(rs, R('w2', 4, 9, { source: 'inline-partial' }));
    rs = addRegion(rs, R('w3', 9, 12, { source: 'inline-partial' }));
    assert.deepEqual(spans(rs), [['w1', 0, 12]]);
  });

  it('addRegion keeps apart regions from different tools or a reviewed neighbour', () => {
    const a = addRegion([R('a', 0, 4)], R('b', 4, 8, { tool: 'cursor' }));
    assert.equal(a.length, 2);
    const b = addRegion([R('a', 0, 4, { review: { by: 'x', at: 't', hash: 'h' } })], R('b', 4, 8));
    assert.equal(b.length, 2, 'new AI text beside a reviewed region is a new unreviewed region');
  });

  it('review records who, when and the hash of the text they saw', () => {
    const index = new LineIndex('0123456789');
    const [r] = review([R('a', 2, 5)], index, 'me@example.com', undefined, new Date('2026-01-01T00:00:00Z'));
    assert.equal(r.review?.by, 'me@example.com');
    assert.equal(r.review?.at, '2026-01-01T00:00:00.000Z');
    const [again] = review([R('b', 2, 5)], new LineIndex('xx234xxxxx'), 'me');
    assert.equal(r.review?.hash, again.review?.hash, 'same text, same hash');
  });

  it('mergeRegions keeps the other writer\'s additions, deletions and reviews', () => {
    const base = [R('a', 0, 2), R('b', 3, 5), R('c', 6, 8)];
    const ours = [R('a', 0, 2), R('c', 6, 9), R('mine', 10, 12)]; // we deleted b, grew c, added mine
    const theirs = [R('a', 0, 2, { review: { by: 'cli', at: 't', hash: 'h' } }), R('b', 3, 5), R('theirs', 14, 15)]; // they reviewed a, deleted c, added theirs
    const merged = mergeRegions(base, ours, theirs);
    assert.deepEqual(spans(merged), [['a', 0, 2], ['mine', 10, 12], ['theirs', 14, 15]]);
    assert.equal(merged[0].review?.by, 'cli');
  });

  it('mergeRegions takes the other side\'s split of a region we did not touch, and its new AI text inside a reviewed one', () => {
    const reviewed = R('a', 0, 10, { review: { by: 'me', at: 't', hash: 'h' } });
    // The CLI marked 4..6 as new AI text: it carved our reviewed region in three.
    const theirs = addRegion([reviewed], R('new', 4, 6, { source: 'agent' }));
    const merged = mergeRegions([reviewed], [reviewed], theirs);
    assert.deepEqual(merged.map((r) => [r.start.character, r.end.character, r.review !== null]), [[0, 4, true], [4, 6, false], [6, 10, true]]);
    // Same, when our copy changed too (the user typed inside it): their new region still carves ours.
    const grown = { ...reviewed, end: P(0, 11) };
    const merged2 = mergeRegions([reviewed], [grown], theirs);
    assert.deepEqual(merged2.map((r) => [r.start.character, r.end.character, r.review !== null]), [[0, 4, true], [4, 6, false], [6, 10, true], [10, 11, true]]);
  });
});
