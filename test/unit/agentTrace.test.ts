import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { addImported, findLines, linesHash, parseTraceRecord, recordOfNote, repositoryPath, TraceRangeInput, traceRanges, TraceRecord } from '../../src/core/agentTrace';
import { emptyNote, hashLines, Note, NoteRegion, setFile } from '../../src/core/note';
import { Schema, validate } from '../jsonSchema';

const SCHEMA: Schema = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../test/fixtures/agent-trace/trace-record.schema.json'), 'utf8'));

const FILE = ['l1', 'l2', 'l3', 'l4', 'l5', 'l6'];

function region(id: string, from: number, to: number, extra: Partial<NoteRegion> = {}): NoteRegion {
  const { hash, lines } = hashLines(FILE, from, to);
  return { id, from, to, source: 'inline', tool: 'copilot', author: 'dev@example.com', createdAt: '2026-01-01T00:00:00.000Z', hash, lines, reviews: [], ...extra };
}

function noteOf(files: Record<string, NoteRegion[]>): Note {
  const note = emptyNote('ai-provenance test');
  for (const [p, regions] of Object.entries(files)) setFile(note.files, p, regions);
  return note;
}

const OPTS = { revision: 'a'.repeat(40), id: '0f8fad5b-d9cb-569f-a165-70867728950e', timestamp: '2026-03-01T09:30:00.000Z', toolVersion: '0.2.0' };

function ranges(record: TraceRecord): TraceRangeInput[] {
  const out = traceRanges(record);
  if (typeof out === 'string') throw new Error(out);
  return out;
}

describe('Agent Trace (core)', () => {
  describe('recordOfNote', () => {
    it('one conversation per model, ranges with the note hash, every other field in our metadata, valid against the schema', () => {
      const note = noteOf({
        'b.ts': [region('r1', 1, 2, { model: 'gpt-4o' }), region('r2', 3, 3, { tool: 'claude-code', model: 'claude-sonnet-4-5', session: 's' }), region('r3', 5, 6, { model: 'gpt-4o', reviews: [{ by: 'Dev <dev@example.com>', at: '2026-01-02T00:00:00.000Z', hash: 'x' }] })],
        'a.ts': [region('r4', 2, 2, { tool: null, source: 'manual' })],
      });
      const record = recordOfNote(note, OPTS);
      assert.deepEqual(validate(SCHEMA, record), []);
      assert.deepEqual(record.files.map((f) => f.path), ['a.ts', 'b.ts']);
      const b = record.files[1].conversations;
      assert.deepEqual(b.map((c) => [c.contributor, c.ranges.map((r) => [r.start_line, r.end_line])]), [
        [{ type: 'ai', model_id: 'gpt-4o' }, [[1, 2], [5, 6]]],
        [{ type: 'ai', model_id: 'claude-sonnet-4-5' }, [[3, 3]]],
      ]);
      assert.equal(b[0].ranges[0].content_hash, `cyrb53:${linesHash(['l1', 'l2'])}`);
      assert.deepEqual(record.files[0].conversations[0].contributor, { type: 'ai' }, 'no model: no model_id');
      // Read back, every range has its region's fields.
      const back = ranges(record);
      assert.deepEqual(back.map((r) => [r.path, r.from, r.to, r.extras?.id, r.extras?.tool, r.extras?.session]), [
        ['a.ts', 2, 2, 'r4', null, undefined],
        ['b.ts', 1, 2, 'r1', 'copilot', undefined],
        ['b.ts', 5, 6, 'r3', 'copilot', undefined],
        ['b.ts', 3, 3, 'r2', 'claude-code', 's'],
      ]);
      assert.equal(back[2].extras?.reviews.length, 1);
      assert.equal(back[1].hash, linesHash(['l1', 'l2']));
    });

    it('a model id over the specification\'s 250 characters stays in our metadata only', () => {
      const long = 'm'.repeat(251);
      const record = recordOfNote(noteOf({ 'a.ts': [region('r1', 1, 1, { model: long })] }), OPTS);
      assert.deepEqual(validate(SCHEMA, record), []);
      assert.deepEqual(record.files[0].conversations[0].contributor, { type: 'ai' });
      assert.equal(ranges(record)[0].extras?.model, long);
    });
  });

  describe('parseTraceRecord', () => {
    const good = { version: '0.1.0', id: 'x', timestamp: '2026-01-01T00:00:00Z', files: [] };
    it('accepts what the reference hooks write (version "1.0", a tool without version) and refuses a later major version', () => {
      assert.ok(parseTraceRecord(JSON.stringify({ ...good, version: '1.0', tool: { name: 'claude-code' } })).ok);
      const later = parseTraceRecord(JSON.stringify({ ...good, version: '2.0.0' }));
      assert.ok(!later.ok && /later Agent Trace version/.test(later.error));
    });
    const bad: [unknown, RegExp][] = [
      ['[]', /not a JSON object/],
      [{ ...good, version: 1 }, /"version" is not a version number/],
      [{ ...good, timestamp: 'yesterday' }, /"timestamp" is not a date/],
      [{ ...good, vcs: { type: 'git' } }, /"vcs" is not/],
      [{ ...good, files: {} }, /"files" is not a list/],
      [{ ...good, files: [{ path: '', conversations: [] }] }, /"files\[0\]\.path" is not a non-empty string/],
      [{ ...good, files: [{ path: 'a', conversations: [{ ranges: [{ start_line: 3, end_line: 2 }] }] }] }, /"files\[0\]\.conversations\[0\]\.ranges\[0\]\.end_line" is not a line number at or after start_line/],
      [{ ...good, files: [{ path: 'a', conversations: [{ contributor: { type: 'robot' }, ranges: [] }] }] }, /"files\[0\]\.conversations\[0\]\.contributor\.type" is not one of human, ai, mixed, unknown/],
      [{ ...good, files: [{ path: 'a', conversations: [{ ranges: [{ start_line: 1, end_line: 1, content_hash: 5 }] }] }] }, /content_hash" is not a string/],
    ];
    for (const [input, error] of bad) {
      it(`refuses ${typeof input === 'string' ? input : JSON.stringify(input)}`, () => {
        const r = parseTraceRecord(typeof input === 'string' ? input : JSON.stringify(input));
        assert.ok(!r.ok);
        assert.match(r.error, error);
      });
    }
  });

  describe('traceRanges of another tool\'s record', () => {
    const record: TraceRecord = {
      version: '0.1.0',
      id: 'rec-1',
      timestamp: '2026-02-01T10:00:00+01:00',
      tool: { name: 'cursor', version: '2.4.0' },
      files: [
        {
          path: 'a.ts',
          conversations: [
            { url: 'https://example.com/c/1', contributor: { type: 'ai', model_id: 'openai/gpt-4o' }, ranges: [{ start_line: 1, end_line: 2, content_hash: 'murmur3:9f2e8a1b' }, { start_line: 4, end_line: 4, contributor: { type: 'human' } }] },
            { contributor: { type: 'mixed' }, ranges: [{ start_line: 6, end_line: 6 }] },
            { ranges: [{ start_line: 5, end_line: 5 }] },
          ],
        },
      ],
    };
    it('source external, the record\'s tool, the contributor\'s model, the url as session, the record\'s time, stable ids; mixed counts as AI, human and unknown do not', () => {
      const out = ranges(record);
      assert.deepEqual(out.map((r) => [r.from, r.to, r.ai, r.fields.source, r.fields.tool, r.fields.model, r.fields.session]), [
        [1, 2, true, 'external', 'cursor', 'openai/gpt-4o', 'https://example.com/c/1'],
        [4, 4, false, 'external', 'cursor', undefined, 'https://example.com/c/1'],
        [6, 6, true, 'external', 'cursor', undefined, undefined],
        [5, 5, false, 'external', 'cursor', undefined, undefined],
      ]);
      assert.equal(out[0].fields.createdAt, '2026-02-01T09:00:00.000Z');
      assert.equal(out[0].hash, undefined, 'a murmur3 hash cannot be checked: none');
      assert.deepEqual(ranges(record).map((r) => r.fields.id), out.map((r) => r.fields.id), 'the same ids every time');
      assert.equal(new Set(out.map((r) => r.fields.id)).size, 4);
    });
    it('our extras are used only where they still belong to the range', () => {
      const mine = recordOfNote(noteOf({ 'a.ts': [region('r1', 1, 2)] }), OPTS);
      mine.files[0].conversations[0].ranges[0].start_line = 2;
      assert.equal(ranges(mine)[0].extras, undefined);
      assert.equal(ranges(mine)[0].fields.tool, null, 'our own name is no AI tool');
    });
  });

  it('repositoryPath: relative, or absolute inside the root; nothing climbing out or into .git', () => {
    assert.equal(repositoryPath('src/a.ts', '/repo'), 'src/a.ts');
    assert.equal(repositoryPath('./src//a.ts', '/repo'), 'src/a.ts');
    assert.equal(repositoryPath('src/../b.ts', '/repo'), 'b.ts');
    assert.equal(repositoryPath('/repo/src/a.ts', '/repo'), 'src/a.ts');
    for (const p of ['/elsewhere/a.ts', '/repository/a.ts', '../a.ts', 'src/../../a.ts', '.git/config', '.', '/repo']) assert.equal(repositoryPath(p, '/repo'), undefined, p);
  });

  it('findLines: at the given place first, else the one place the lines moved to; nowhere or twice is undefined', () => {
    const lines = ['a', 'b', 'c', 'a', 'b', 'd'];
    assert.equal(findLines(lines, 4, 2, linesHash(['a', 'b'])), 4);
    assert.equal(findLines(lines, 2, 2, linesHash(['a', 'b'])), undefined, 'twice: which one?');
    assert.equal(findLines(lines, 1, 2, linesHash(['b', 'd'])), 5);
    assert.equal(findLines(lines, 1, 1, linesHash(['z'])), undefined);
    assert.equal(findLines(lines, 6, 2, linesHash(['d', 'e'])), undefined, 'past the end');
  });

  it('addImported: the same id adds its reviews only; other regions only the lines nothing covers, in pieces', () => {
    const existing = [region('e1', 2, 3)];
    const review = { by: 'R <r@example.com>', at: '2026-01-03T00:00:00.000Z', hash: region('e1', 2, 3).hash };
    const sameId = addImported(existing, [{ region: { ...region('e1', 2, 3), reviews: [review] }, text: FILE.slice(1, 3) }]);
    assert.equal(sameId.lines, 0);
    assert.deepEqual(sameId.regions.map((r) => [r.id, r.reviews.length]), [['e1', 1]]);
    assert.deepEqual(existing[0].reviews, [], 'the input is not changed');
    const around = addImported(existing, [{ region: region('i1', 1, 5), text: FILE.slice(0, 5) }, { region: region('i2', 4, 6), text: FILE.slice(3, 6) }]);
    assert.equal(around.lines, 4);
    assert.deepEqual(around.regions.map((r) => [r.id, r.from, r.to, r.hash, r.lines.length]), [
      ['i1', 1, 1, linesHash(['l1']), 1],
      ['e1', 2, 3, region('e1', 2, 3).hash, 2],
      ['i1-3', 4, 5, linesHash(['l4', 'l5']), 2],
      ['i2', 6, 6, linesHash(['l6']), 1],
    ]);
  });
});
