import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeLineHashes, encodeLineHashes, MARKER_FILE_VERSION, parseMarkerFile, peekMarkerFile, recordFor, serializeMarkerFile } from '../../src/core/markerFile';
import { createRegion } from '../../src/core/regions';

const fixture = (name: string): string => fs.readFileSync(path.resolve(__dirname, '../../../test/fixtures/markers', name), 'latin1');

describe('marker file format', () => {
  it('reads the current format fixture', () => {
    const parsed = parseMarkerFile(fixture('current.json'));
    assert.ok(parsed.ok, !parsed.ok ? parsed.error : '');
    const { record } = parsed;
    assert.equal(record.path, 'src/app.ts');
    assert.equal(record.rev, 3);
    assert.deepEqual(record.lines, [1, 2, 3]);
    assert.equal(record.regions.length, 2);
    assert.deepEqual(record.regions[1].start, { line: 1, character: 2 });
    assert.equal(record.regions[0].model, 'gpt-x');
    assert.equal(record.regions[1].session, 's-1');
    assert.equal(record.regions[1].review?.by, 'b@example.com');
  });

  it('peeks the path and content hash from the opening of what it writes, and declines anything else', () => {
    for (const p of ['src/app.ts', 'dir with "quotes"/ünïcødé \\ back.ts']) {
      const text = serializeMarkerFile(recordFor(p, 'a\nb\n', [createRegion({ source: 'inline', start: { line: 0, character: 0 }, end: { line: 1, character: 0 } })], 4));
      const parsed = parseMarkerFile(text);
      assert.ok(parsed.ok);
      assert.deepEqual(peekMarkerFile(text.slice(0, 300)), { path: parsed.record.path, contentHash: parsed.record.contentHash });
    }
    const current = serializeMarkerFile(recordFor('a.ts', 'x\n', [], 1));
    assert.equal(peekMarkerFile(current.slice(0, 20)), undefined, 'truncated');
    assert.equal(peekMarkerFile(current.replace(`"version": ${MARKER_FILE_VERSION}`, `"version": ${MARKER_FILE_VERSION + 1}`)), undefined, 'another version');
    assert.equal(peekMarkerFile('{"garbage'), undefined);
  });

  it('round-trips what it writes', () => {
    const content = 'a\nb😀\r\nc';
    const r = createRegion({ source: 'chat', tool: 'copilot', start: { line: 1, character: 1 }, end: { line: 2, character: 1 }, author: 'x@y' });
    const record = recordFor('dir/f.ts', content, [r], 4);
    const parsed = parseMarkerFile(serializeMarkerFile(record));
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.record, record);
  });

  const corrupt: [string, RegExp][] = [
    ['corrupt-truncated.json', /not valid JSON/],
    ['corrupt-binary.json', /not valid JSON/],
    ['corrupt-bad-region.json', /region 0: "end" is before "start"/],
    ['corrupt-unknown-source.json', /unknown "source" "telepathy"/],
  ];
  for (const [name, message] of corrupt) {
    it(`rejects ${name} with a reason`, () => {
      const parsed = parseMarkerFile(fixture(name));
      assert.equal(parsed.ok, false);
      if (!parsed.ok) assert.match(parsed.error, message);
    });
  }

  it('recognises a newer format instead of calling it corrupt', () => {
    const parsed = parseMarkerFile(fixture('newer.json'));
    assert.equal(parsed.ok, false);
    if (!parsed.ok) {
      assert.equal(parsed.newer, true);
      assert.match(parsed.error, new RegExp(`format version 7; this one reads up to ${MARKER_FILE_VERSION}`));
    }
  });

  it('encodes line hashes losslessly, all 53 bits', () => {
    const hashes = [0, 1, 2 ** 53 - 1, 2 ** 32, 2 ** 32 - 1, 123456789012345];
    assert.deepEqual(decodeLineHashes(encodeLineHashes(hashes)), hashes);
    assert.equal(decodeLineHashes('12345678!'), undefined);
  });

  it('rejects a missing or silly version and mismatched line hashes', () => {
    assert.match(String((parseMarkerFile('{"path": "a"}') as { error: string }).error), /version/);
    assert.match(String((parseMarkerFile('[]') as { error: string }).error), /not a JSON object/);
    const bad = JSON.parse(fixture('current.json'));
    bad.content.lineCount = 5;
    assert.match(String((parseMarkerFile(JSON.stringify(bad)) as { error: string }).error), /does not match/);
  });
});
