import * as assert from 'node:assert/strict';
import { createRegion, Region } from '../../src/core/regions';
import { insertedRanges, shiftRegions, TextChange } from '../../src/core/shift';

const P = (line: number, character: number): { line: number; character: number } => ({ line, character });
const region = (sl: number, sc: number, el: number, ec: number): Region => createRegion({ start: P(sl, sc), end: P(el, ec), source: 'inline', id: 'r' });
const change = (sl: number, sc: number, el: number, ec: number, text: string): TextChange => ({ start: P(sl, sc), end: P(el, ec), text });
const span = (r: Region | undefined): number[] | undefined => r && [r.start.line, r.start.character, r.end.line, r.end.character];

describe('shiftRegions', () => {
  // Region: line 2, characters 4..10 unless stated.
  const table: [string, Region, TextChange[], number[] | undefined][] = [
    ['insert on an earlier line shifts lines', region(2, 4, 2, 10), [change(0, 0, 0, 0, 'a\nb\n')], [4, 4, 4, 10]],
    ['insert earlier on the same line shifts characters', region(2, 4, 2, 10), [change(2, 0, 2, 0, 'xy')], [2, 6, 2, 12]],
    ['insert at the start edge does not join the region', region(2, 4, 2, 10), [change(2, 4, 2, 4, 'H')], [2, 5, 2, 11]],
    ['insert at the end edge does not join the region', region(2, 4, 2, 10), [change(2, 10, 2, 10, 'H')], [2, 4, 2, 10]],
    ['insert strictly inside grows the region', region(2, 4, 2, 10), [change(2, 6, 2, 6, 'abc')], [2, 4, 2, 13]],
    ['newline typed inside splits nothing and grows across lines', region(2, 4, 2, 10), [change(2, 6, 2, 6, '\n  ')], [2, 4, 3, 6]],
    ['delete inside shrinks', region(2, 4, 2, 10), [change(2, 5, 2, 8, '')], [2, 4, 2, 7]],
    ['deletion straddling the start keeps the tail', region(2, 4, 2, 10), [change(2, 1, 2, 6, '')], [2, 1, 2, 5]],
    ['replacement straddling the start excludes the new text', region(2, 4, 2, 10), [change(2, 1, 2, 6, 'ZZ')], [2, 3, 2, 7]],
    ['deletion straddling the end keeps the head', region(2, 4, 2, 10), [change(2, 8, 3, 2, '')], [2, 4, 2, 8]],
    ['a deletion that swallows the region removes it', region(2, 4, 2, 10), [change(1, 0, 3, 0, '')], undefined],
    ['replacing exactly the region removes it', region(2, 4, 2, 10), [change(2, 4, 2, 10, 'human')], undefined],
    ['deleting lines above moves a multi-line region up', region(5, 0, 8, 0), [change(1, 0, 3, 0, '')], [3, 0, 6, 0]],
    ['joining the region\'s first line with the previous one', region(5, 0, 8, 0), [change(4, 3, 5, 0, '')], [4, 3, 7, 0]],
    ['a change after the region leaves it alone', region(2, 4, 2, 10), [change(3, 0, 9, 0, 'x')], [2, 4, 2, 10]],
    ['CRLF: a "\\r\\n" insertion counts as one line break', region(2, 4, 2, 10), [change(1, 0, 1, 0, 'a\r\nb\r\n')], [4, 4, 4, 10]],
    ['astral characters count as two UTF-16 units', region(2, 4, 2, 10), [change(2, 0, 2, 0, '😀')], [2, 6, 2, 12]],
    [
      'several changes of one event, bottom-up as the editor sends them',
      region(2, 4, 2, 10),
      [change(2, 12, 2, 12, 'tail'), change(2, 6, 2, 6, 'mid'), change(0, 0, 0, 0, 'top\n')],
      [3, 4, 3, 13],
    ],
  ];
  for (const [name, r, changes, expected] of table) {
    it(name, () => {
      const out = shiftRegions([r], changes);
      assert.deepEqual(span(out[0]), expected);
      if (!expected) assert.equal(out.length, 0);
    });
  }

  it('keeps untouched regions identical so callers can skip redraws', () => {
    const before = region(1, 0, 1, 5);
    const after = region(8, 0, 8, 5);
    const out = shiftRegions([before, after], [change(5, 0, 5, 0, 'typed')]);
    assert.equal(out[0], before);
    assert.equal(out[1], after, 'same line count, later line: untouched');
  });
});

describe('insertedRanges', () => {
  it('places each change\'s text where it lands after all changes', () => {
    const spans = insertedRanges([change(4, 0, 4, 0, 'B\nB'), change(1, 2, 1, 2, 'A\n')]);
    assert.deepEqual(spans, [
      { start: P(5, 0), end: P(6, 1) },
      { start: P(1, 2), end: P(2, 0) },
    ]);
  });
});
