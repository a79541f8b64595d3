/**
 * Known answers for the on-disk format. Every user's markers hold these hashes: a change to
 * hashText, lineHashes or their encoding would orphan all of them while every round-trip test
 * stays green, so the exact numbers and bytes are pinned here.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeLineHashes, encodeLineHashes, parseMarkerFile, recordFor, serializeMarkerFile } from '../../src/core/markerFile';
import { Region } from '../../src/core/regions';
import { hashText, lineHash, lineHashes, LineIndex } from '../../src/core/text';

const fixture = (name: string): string => fs.readFileSync(path.resolve(__dirname, '../../../test/fixtures/markers', name), 'utf8');

/** CRLF, LF, a lone CR, an empty line, a tab, a non-ASCII and an astral character, no final newline. */
const TEXT = 'const a = 1;\r\n\tlet b = "\u00fc";\n\n\u{1F600} emoji\rlast line';

describe('marker format: known answers', () => {
  const hashes: [string, string][] = [
    ['', '0wvjl67o803'],
    ['a', '262p94epp1d'],
    ['hello world', '0w38l36pd04'],
    ['\u00fc\u{1F600}', '1jvly301je4'],
    [TEXT, '050hg8dwzf1'],
  ];
  for (const [text, expected] of hashes) {
    it(`hashText(${JSON.stringify(text).slice(0, 24)}) is ${expected}`, () => assert.equal(hashText(text), expected));
  }

  it('lineHashes of a known text are fixed numbers, and encode to fixed characters', () => {
    const lines = [6557614277469049, 6099079741328745, 3338908027751811, 8698685537604968, 3040107815501642];
    assert.deepEqual(lineHashes(TEXT), lines);
    assert.equal(encodeLineHashes(lines), 'VdiBdS1jnFR4sFiNGl3SEXqwbTbElRudySVuaZ_q2pfPa');
    assert.deepEqual(decodeLineHashes('VdiBdS1jnFR4sFiNGl3SEXqwbTbElRudySVuaZ_q2pfPa'), lines);
    // A line hashes the same alone, whatever ends it.
    assert.equal(lineHashes('\tlet b = "\u00fc";')[0], lines[1]);
    assert.equal(lineHashes('')[0], lines[2]);
    // The keystroke path's one-line hash is the same hash.
    assert.equal(lineHash('\tlet b = "\u00fc";'), lines[1]);
    assert.equal(lineHash(''), lines[2]);
  });

  it('writes exactly the fixture bytes for the known text and regions', () => {
    const index = new LineIndex(TEXT);
    const covered = (r: Pick<Region, 'start' | 'end'>): string => hashText(index.slice(r.start, r.end));
    const r1 = { start: { line: 0, character: 0 }, end: { line: 2, character: 0 } };
    const r2 = { start: { line: 3, character: 3 }, end: { line: 4, character: 4 } };
    const regions: Region[] = [
      { id: 'known-1', ...r1, hash: covered(r1), source: 'inline', tool: 'copilot', model: 'gpt-x', createdAt: '2026-11-01T00:00:00.000Z', author: 'a@example.com', review: null },
      {
        id: 'known-2',
        ...r2,
        hash: covered(r2),
        source: 'agent',
        tool: 'claude-code',
        session: 's-1',
        createdAt: '2026-11-01T00:00:00.000Z',
        author: 'a@example.com',
        review: { by: 'b@example.com', at: '2026-11-02T00:00:00.000Z', hash: covered(r2) },
      },
    ];
    assert.equal(serializeMarkerFile(recordFor('src/known answer/\u00fcn\u00ef.ts', TEXT, regions, 7)), fixture('known-answer.json'));
  });

  it('reads the fixture back against the known text, and writes it back unchanged', () => {
    const text = fixture('known-answer.json');
    const parsed = parseMarkerFile(text);
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
    assert.equal(parsed.record.contentHash, hashText(TEXT));
    assert.deepEqual(parsed.record.lines, lineHashes(TEXT));
    assert.equal(serializeMarkerFile(parsed.record), text);
    const again = parseMarkerFile(serializeMarkerFile(parsed.record));
    assert.deepEqual(again, parsed);
  });

  it('the older fixture (current.json) parses and serializes to a stable form', () => {
    const first = parseMarkerFile(fixture('current.json'));
    assert.ok(first.ok);
    const written = serializeMarkerFile(first.record);
    const second = parseMarkerFile(written);
    assert.ok(second.ok);
    assert.deepEqual(second.record, first.record);
    assert.equal(serializeMarkerFile(second.record), written);
  });
});
