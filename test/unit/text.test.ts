import * as assert from 'node:assert/strict';
import { hashText, lineHashes, LineIndex, splitLines } from '../../src/core/text';

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
});
