import * as assert from 'node:assert/strict';
import { lineSimilarity, reanchor } from '../../src/core/reanchor';
import { createRegion, lineSpan, Region } from '../../src/core/regions';
import { lineHashes, LineIndex } from '../../src/core/text';

/** A full-line region over 1-based lines from..to of `text`. */
function lines(text: string, from: number, to: number, id = `r${from}`): Region {
  return createRegion({ id, source: 'agent', ...lineSpan(new LineIndex(text), from, to) });
}

function run(before: string, after: string, regions: Region[]): [number, number][] {
  const out = reanchor(regions, lineHashes(before), new LineIndex(after));
  return out.map((r) => [r.start.line + 1, r.end.character === 0 && r.end.line > r.start.line ? r.end.line : r.end.line + 1]);
}

const base = ['alpha();', 'beta();', 'gamma();', 'delta();', 'epsilon();', 'zeta();', 'eta();', 'theta();'].join('\n') + '\n';

describe('reanchor', () => {
  it('keeps regions when nothing changed', () => {
    assert.deepEqual(run(base, base, [lines(base, 3, 4)]), [[3, 4]]);
  });

  it('follows lines inserted and deleted above', () => {
    const after = 'new1\nnew2\n' + base.split('\n').slice(1).join('\n');
    assert.deepEqual(run(base, after, [lines(base, 3, 4)]), [[4, 5]]);
  });

  it('drops only the lines whose text changed, splitting the region', () => {
    const after = base.replace('delta();', 'delta(changed);');
    assert.deepEqual(run(base, after, [lines(base, 3, 5)]), [[3, 3], [5, 5]]);
  });

  it('a region whose every line changed disappears', () => {
    const after = base.replace('gamma();', 'GAMMA').replace('delta();', 'DELTA');
    assert.deepEqual(run(base, after, [lines(base, 3, 4)]), []);
  });

  it('follows a block that moved elsewhere in the file', () => {
    const l = base.trimEnd().split('\n');
    const after = [l[0], l[1], l[4], l[5], l[6], l[7], l[2], l[3]].join('\n') + '\n';
    assert.deepEqual(run(base, after, [lines(base, 3, 4)]), [[7, 8]]);
  });

  it('never lands on a common line that merely looks the same elsewhere', () => {
    // The diff must drop the marked `}` (it cannot sit between q and r any more); it reappears in
    // two places, so neither can be trusted to be the same line.
    const before = 'p\nq\n}\nr\ns\n';
    const after = '}\np\nq\nr\ns\n}\n';
    assert.deepEqual(run(before, after, [lines(before, 3, 3)]), []);
    const once = '}\np\nq\nr\ns\n';
    assert.deepEqual(run(before, once, [lines(before, 3, 3)]), [[1, 1]], 'a unique moved line is followed');
  });

  it('keeps characters of a region that starts mid-line', () => {
    const before = 'const x = ai();\nnext\n';
    const r = createRegion({ id: 'm', source: 'inline', start: { line: 0, character: 10 }, end: { line: 0, character: 14 } });
    const out = reanchor([r], lineHashes(before), new LineIndex('top\n' + before));
    assert.deepEqual([out[0].start, out[0].end], [{ line: 1, character: 10 }, { line: 1, character: 14 }]);
  });

  it('handles a CRLF rewrite of the same lines', () => {
    const crlf = base.replace(/\n/g, '\r\n');
    assert.deepEqual(run(base, crlf, [lines(base, 2, 3)]), [[2, 3]]);
  });

  it('copes with a file rewritten from scratch', () => {
    assert.deepEqual(run(base, 'completely\ndifferent\n', [lines(base, 1, 8)]), []);
  });

  it('handles a region on the last line without a trailing newline', () => {
    const before = 'a\nb\nlast';
    const after = 'z\na\nb\nlast';
    assert.deepEqual(run(before, after, [lines(before, 3, 3)]), [[4, 4]]);
  });
});

describe('lineSimilarity', () => {
  const sim = (a: string, b: string): number => lineSimilarity(lineHashes(a), lineHashes(b));
  it('is 1 for the same lines, 0 for none shared, and ignores blank lines', () => {
    assert.equal(sim('a\nb\nc\n', 'a\nb\nc\n'), 1);
    assert.equal(sim('a\nb\n', 'x\ny\n'), 0);
    assert.equal(sim('a\n\n\nb\n', 'a\nb\n'), 1);
    assert.equal(sim('\n\n', '\n'), 0);
  });
  it('counts shared lines over the longer side, each line once', () => {
    assert.equal(sim('a\nb\nc\nd\n', 'a\nb\nx\ny\n'), 0.5);
    assert.equal(sim('a\nb\n', 'a\nb\nc\nd\n'), 0.5);
    assert.equal(sim('a\na\na\nb\n', 'a\nb\nc\nd\n'), 0.5);
  });
});
