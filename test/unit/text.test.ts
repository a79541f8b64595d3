import * as assert from 'node:assert/strict';
import { base36, hashText, lineHash, lineHashes, LineIndex, splitLines } from '../../src/core/text';

describe('text', () => {
  it('splits lines on \\n, \\r\\n and \\r as the editor does', () => {
    assert.deepEqual(splitLines('a\r\nb\nc\rd'), ['a', 'b', 'c', 'd']);
    assert.deepEqual(splitLines('a\n'), ['a', '']);
  });

  it('converts offsets and positions in CRLF text with astral characters', () => {
    const index = new LineIndex('ab\r\n😀x\r\nlast');
    assert.equal(index.lineCount, 3);
    assert.equal(index.lineLength(1), 3);
    assert.deepEqual(index.positionAt(index.offsetAt({ line: 1, character: 2 })), { line: 1, character: 2 });
    assert.equal(index.slice({ line: 1, character: 0 }, { line: 1, character: 2 }), '😀');
    assert.equal(index.offsetAt({ line: 9, character: 0 }), index.text.length, 'positions past the end clamp');
    assert.deepEqual(index.positionAt(3), { line: 0, character: 2 }, 'an offset inside \\r\\n clamps to the line end');
  });

  it('hashes lines in one pass, splitting as splitLines does', () => {
    const h = lineHashes('a\r\nb\rc\n\na');
    assert.equal(h.length, 5);
    assert.equal(h[0], h[4], 'same text, same hash, whatever the line ending');
    assert.notEqual(h[0], h[1]);
    assert.equal(lineHashes('x\n').length, 2);
    assert.ok(h.every((n) => Number.isSafeInteger(n) && n >= 0));
  });

  it('hashes to 11 base-36 digits and tells texts apart', () => {
    assert.match(hashText(''), /^[0-9a-z]{11}$/);
    assert.notEqual(hashText('a'), hashText('b'));
    assert.equal(hashText('same'), hashText('same'));
  });

  it('renders a hash as Number#toString(36) padded to 11 digits would, at the edges and across the range', () => {
    const edges = [0, 1, 35, 36, 36 ** 6 - 1, 36 ** 6, 36 ** 6 + 1, 2 ** 32, 2 ** 52, 2 ** 53 - 1];
    // Every digit position takes every value somewhere among the hashes of 20,000 different texts.
    const hashes = Array.from({ length: 20_000 }, (_, i) => lineHash(`line ${i}`));
    for (const n of [...edges, ...hashes]) assert.equal(base36(n), n.toString(36).padStart(11, '0'), String(n));
    assert.equal(hashText('line 7'), lineHash('line 7').toString(36).padStart(11, '0'));
  });
});
