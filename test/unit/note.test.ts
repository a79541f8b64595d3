/**
 * The note format. Notes are shared between clones and read by CI, so the exact bytes a note
 * serializes to, and the hashes in it, are pinned here: a change would make every stored note
 * disagree with the code that re-anchors and verifies it, while round trips stay green.
 */
import * as assert from 'node:assert/strict';
import { aiLines, emptyNote, hashLines, isReviewed, mergeNotes, Note, NOTE_VERSION, NoteRegion, NOTES_REF, noteWriter, parseNote, serializeNote, setFile } from '../../src/core/note';
import { hashText, splitLines } from '../../src/core/text';

const FILE = 'first\n\tsecond \u00fc\nthird\n';

function region(over: Partial<NoteRegion> = {}): NoteRegion {
  const { hash, lines } = hashLines(splitLines(FILE), 2, 3);
  return {
    id: 'r-1',
    from: 2,
    to: 3,
    source: 'inline',
    tool: 'copilot',
    model: 'gpt-4o',
    author: 'dev@example.com',
    createdAt: '2026-11-26T15:00:00.000Z',
    hash,
    lines,
    reviews: [],
    ...over,
  };
}

const KNOWN =
  '{"version":1,"writer":"ai-provenance 0.2.0","files":{"a/b.ts":[{"id":"r-2","from":1,"to":1,"source":"agent","tool":null,"session":"s-9","author":"dev@example.com","createdAt":"2026-11-26T15:00:00.000Z","hash":"2dwpq9t0eon","lines":["2dwpq9t0eon"],"reviews":[]}],"z.ts":[{"id":"r-1","from":2,"to":3,"source":"inline","tool":"copilot","model":"gpt-4o","author":"dev@example.com","createdAt":"2026-11-26T15:00:00.000Z","hash":"05pgkjj7x42","lines":["0422dayms81","041ly3k2keb"],"reviews":[{"by":"Dev <dev@example.com>","at":"2026-11-26T16:00:00.000Z","hash":"05pgkjj7x42"}]}]}}\n';

function knownNote(): Note {
  const note = emptyNote(noteWriter('0.2.0'));
  const r1 = region();
  r1.reviews = [{ by: 'Dev <dev@example.com>', at: '2026-11-26T16:00:00.000Z', hash: r1.hash }];
  // Inserted out of order: serialization sorts files by path.
  note.files['z.ts'] = [r1];
  const first = hashLines(['first'], 1, 1);
  note.files['a/b.ts'] = [{ id: 'r-2', from: 1, to: 1, source: 'agent', tool: null, session: 's-9', author: 'dev@example.com', createdAt: '2026-11-26T15:00:00.000Z', ...first, reviews: [] }];
  return note;
}

describe('note format: known answers', () => {
  it('names the notes ref and the version', () => {
    assert.equal(NOTES_REF, 'refs/notes/ai-provenance');
    assert.equal(NOTE_VERSION, 1);
  });

  it('hashes lines as hashText of each line and of the range joined with \\n', () => {
    const { hash, lines } = hashLines(splitLines(FILE), 2, 3);
    assert.deepEqual(lines, [hashText('\tsecond \u00fc'), hashText('third')]);
    assert.equal(hash, hashText('\tsecond \u00fc\nthird'));
    assert.deepEqual(lines, ['0422dayms81', '041ly3k2keb']);
    assert.equal(hash, '05pgkjj7x42');
    assert.throws(() => hashLines(splitLines(FILE), 0, 1), RangeError);
    assert.throws(() => hashLines(splitLines(FILE), 3, 2), RangeError);
    assert.throws(() => hashLines(splitLines(FILE), 4, 5), RangeError);
  });

  it('serializes to exactly the known bytes: fixed key order, files by path, optional fields omitted', () => {
    assert.equal(serializeNote(knownNote()), KNOWN);
  });

  it('parses the known bytes back to the same note, and serializes them again unchanged', () => {
    const parsed = parseNote(KNOWN);
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.note, knownNote());
    assert.equal(serializeNote(parsed.note), KNOWN);
  });

  it('a commit without AI lines has an empty files object', () => {
    assert.equal(serializeNote(emptyNote('ai-provenance 0.2.0')), '{"version":1,"writer":"ai-provenance 0.2.0","files":{}}\n');
  });

  it('keeps a file called __proto__ as an ordinary file', () => {
    const note = emptyNote('w');
    setFile(note.files, '__proto__', [region()]);
    const text = serializeNote(note);
    assert.match(text, /"files":\{"__proto__":\[/);
    const parsed = parseNote(text);
    assert.ok(parsed.ok);
    assert.ok(Object.hasOwn(parsed.note.files, '__proto__'));
    assert.equal(parsed.note.files['__proto__'][0].id, 'r-1');
    assert.equal(Object.getPrototypeOf(parsed.note.files), Object.prototype);
  });
});

describe('note format: bad input', () => {
  const bad = (mutate: (raw: Record<string, unknown> & { files: Record<string, Record<string, unknown>[]> }) => void): string => {
    const raw = JSON.parse(KNOWN);
    mutate(raw);
    return JSON.stringify(raw);
  };
  const cases: [string, string, RegExp][] = [
    ['corrupt JSON', KNOWN.slice(0, 40), /not valid JSON/],
    ['not an object', '[1]', /not a JSON object/],
    ['no version', bad((r) => delete r.version), /"version"/],
    ['version 0', bad((r) => (r.version = 0)), /"version"/],
    ['no writer', bad((r) => delete r.writer), /"writer"/],
    ['files a list', bad((r) => (r.files = [] as never)), /"files" is not an object/],
    ['a path with ..', bad((r) => (r.files['../x.ts'] = [])), /files\["\.\.\/x\.ts"\]" is not a repository path/],
    ['a path in .git', bad((r) => (r.files['.git/config'] = [])), /is not a repository path/],
    ['regions not a list', bad((r) => (r.files['z.ts'] = {} as never)), /files\["z\.ts"\]" is not a list/],
    ['from 0', bad((r) => (r.files['z.ts'][0].from = 0)), /files\["z\.ts"\]\[0\]\.from"/],
    ['to before from', bad((r) => (r.files['z.ts'][0].to = 1)), /\[0\]\.to" is not a line number at or after "from"/],
    ['unknown source', bad((r) => (r.files['z.ts'][0].source = 'telepathy')), /\.source" is not a known source \("telepathy"\)/],
    ['tool a number', bad((r) => (r.files['z.ts'][0].tool = 3)), /\.tool"/],
    ['model a number', bad((r) => (r.files['z.ts'][0].model = 3)), /\.model"/],
    ['no createdAt', bad((r) => delete r.files['z.ts'][0].createdAt), /\.createdAt" is not a date/],
    ['no hash', bad((r) => delete r.files['z.ts'][0].hash), /\.hash"/],
    ['too few line hashes', bad((r) => (r.files['z.ts'][0].lines = ['x'])), /\.lines" holds 1 hashes for 2 lines/],
    ['reviews missing', bad((r) => delete r.files['z.ts'][0].reviews), /\.reviews" is not a list/],
    ['review without by', bad((r) => (r.files['z.ts'][0].reviews = [{ at: '2026-01-01T00:00:00Z', hash: 'h' }])), /\.reviews\[0\]\.by"/],
  ];
  for (const [name, text, error] of cases) {
    it(`refuses ${name}, naming the field`, () => {
      const parsed = parseNote(text);
      assert.equal(parsed.ok, false);
      if (!parsed.ok) {
        assert.match(parsed.error, error);
        assert.equal(parsed.newer, undefined);
      }
    });
  }

  it('refuses a newer version as newer, and does not read it half', () => {
    const parsed = parseNote(bad((r) => (r.version = 2)));
    assert.deepEqual(parsed, { ok: false, newer: true, error: 'written by a newer AI Provenance (note version 2; this one reads up to 1)' });
  });

  it('ignores fields it does not know', () => {
    const parsed = parseNote(bad((r) => ((r.extra = 1), (r.files['z.ts'][0].extra = 'x'))));
    assert.ok(parsed.ok);
    assert.equal(serializeNote(parsed.note), KNOWN);
  });
});

describe('note arithmetic', () => {
  it('a region is reviewed when any review saw its current hash', () => {
    assert.equal(isReviewed(region()), false);
    assert.equal(isReviewed(region({ reviews: [{ by: 'A', at: '2026-01-01T00:00:00Z', hash: 'stale' }] })), false);
    assert.equal(isReviewed(region({ reviews: [{ by: 'A', at: '2026-01-01T00:00:00Z', hash: 'stale' }, { by: 'B', at: '2026-01-02T00:00:00Z', hash: region().hash }] })), true);
  });

  it('a line is AI when any region covers it, reviewed only when every region covering it is', () => {
    const reviewed = region({ id: 'a', from: 1, to: 3 });
    reviewed.reviews = [{ by: 'A', at: '2026-01-01T00:00:00Z', hash: reviewed.hash }];
    const open = region({ id: 'b', from: 3, to: 4 });
    assert.deepEqual([...aiLines([reviewed, open]).entries()].sort((x, y) => x[0] - y[0]), [
      [1, true],
      [2, true],
      [3, false],
      [4, false],
    ]);
    assert.deepEqual(aiLines([]).size, 0);
  });

  it('merges by union: files of both, same id -> reviews united without duplicates, different ids both kept', () => {
    const r = region();
    const byA = { by: 'A <a@x>', at: '2026-01-01T00:00:00Z', hash: r.hash };
    const byB = { by: 'B <b@x>', at: '2026-01-02T00:00:00Z', hash: r.hash };
    const a = emptyNote('ai-provenance 0.2.0');
    a.files['x.ts'] = [{ ...r, reviews: [byA] }];
    a.files['only-a.ts'] = [region({ id: 'oa' })];
    const b = emptyNote('ai-provenance 0.3.0');
    b.files['x.ts'] = [{ ...r, reviews: [byB, byA] }, region({ id: 'other', from: 1, to: 1, lines: ['h'] })];
    b.files['only-b.ts'] = [region({ id: 'ob' })];
    const m = mergeNotes(a, b);
    assert.equal(m.writer, 'ai-provenance 0.3.0');
    assert.deepEqual(Object.keys(m.files).sort(), ['only-a.ts', 'only-b.ts', 'x.ts']);
    assert.deepEqual(m.files['x.ts'].map((x) => x.id), ['other', 'r-1']);
    assert.deepEqual(m.files['x.ts'][1].reviews, [byA, byB]);
    // Merging is idempotent and does not touch its inputs.
    assert.equal(serializeNote(mergeNotes(m, m)), serializeNote({ ...m, writer: m.writer }));
    assert.deepEqual(a.files['x.ts'][0].reviews, [byA]);
  });
});
