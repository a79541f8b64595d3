import * as assert from 'node:assert/strict';
import { AttributedChange, DocumentRegions, EditKind } from '../../src/core/documentRegions';
import { coveredLines, createRegion, lineRange, Region, rehash, visibleSpan } from '../../src/core/regions';
import { TextChange } from '../../src/core/shift';
import { recordFor } from '../../src/core/markerFile';
import { lineHashes, LineIndex, splitLines } from '../../src/core/text';
import { regionsIn } from '../../src/store/repository';

const P = (line: number, character: number): { line: number; character: number } => ({ line, character });

/** Applies changes (sorted bottom-up, as the tracker hands them over) to a text. */
function applyChanges(text: string, changes: readonly TextChange[]): string {
  for (const c of changes) {
    const index = new LineIndex(text);
    text = text.slice(0, index.offsetAt(c.start)) + c.text + text.slice(index.offsetAt(c.end));
  }
  return text;
}

/** A document in memory with its DocumentRegions, edited the way the tracker edits it. */
class Doc {
  readonly regions: DocumentRegions;
  constructor(public text: string, regions: Region[] = []) {
    this.regions = new DocumentRegions(regions, text);
  }
  edit(changes: TextChange[], kind: EditKind = 'edit', ai?: AttributedChange['init']): void {
    this.text = applyChanges(this.text, changes);
    const lines = splitLines(this.text);
    const attributions = ai ? changes.map((_, change) => ({ change, init: ai })) : [];
    this.regions.edit(changes, kind, attributions, { lineAt: (l) => lines[l], text: () => this.text }, 'me');
  }
  /** Inserts AI text at a position. */
  accept(line: number, character: number, text: string, source: Region['source'] = 'inline'): void {
    this.edit([{ start: P(line, character), end: P(line, character), text }], 'edit', { source, tool: 'copilot' });
  }
  /** Replaces the whole text at once, as a chat undo, a formatter or a revert does. */
  replaceAll(text: string, kind: EditKind = 'edit'): void {
    const index = new LineIndex(this.text);
    this.edit([{ start: P(0, 0), end: index.positionAt(this.text.length), text }], kind);
  }
  /** 1-based inclusive lines of each region, as the CLI prints them. */
  get lines(): string[] {
    return this.regions.regions.map((r) => {
      const { from, to } = lineRange(r);
      return `${from}-${to}`;
    });
  }
  /** The text of each region. */
  get texts(): string[] {
    const index = new LineIndex(this.text);
    return this.regions.regions.map((r) => index.slice(r.start, r.end));
  }
}

describe('a line is AI-written only if AI put a visible character on it', () => {
  // [what, text before, where the AI text goes (line, character), the AI text, lines marked, the region's text]
  const table: [string, string, [number, number], string, string[], string[]][] = [
    ['a completion starting with a line break, accepted at the end of the user\'s line', '// add two numbers\n', [0, 18], '\nfunction add(a, b) {\n  return a + b;\n}', ['2-4'], ['function add(a, b) {\n  return a + b;\n}']],
    ['the same with CRLF line ends', '// add\r\n', [0, 6], '\r\nadd();', ['2-2'], ['add();']],
    ['several blank lines before the code', 'x = 1\n', [0, 5], '\n\n\ny = 2', ['4-4'], ['y = 2']],
    ['trailing spaces on the user\'s line before the break', 'x = 1\n', [0, 5], '  \n  y = 2', ['2-2'], ['  y = 2']],
    ['an insertion ending in a line break at the start of a line', 'human()\n', [0, 0], 'ai()\n', ['1-1'], ['ai()\n']],
    ['an insertion ending in a line break and the next line\'s indentation', '    human()\n', [0, 4], 'ai()\n    ', ['1-1'], ['ai()\n']],
    ['a word accepted inside a line keeps its leading space', 'hello\n', [0, 5], ' world', ['1-1'], [' world']],
    ['AI text of whitespace only marks nothing', 'x\n', [0, 1], '\n\n   ', [], []],
    ['a line break alone marks nothing', 'x\n', [0, 1], '\n', [], []],
  ];
  for (const [what, text, [line, character], ai, lines, texts] of table) {
    it(what, () => {
      const d = new Doc(text);
      d.accept(line, character, ai);
      assert.deepEqual(d.lines, lines);
      assert.deepEqual(d.texts, texts);
    });
  }

  it('a completion accepted line by line stays one region (the break between its lines is its own)', () => {
    const d = new Doc('// sum\n');
    d.accept(0, 6, '\nconst a = 1;', 'inline-partial');
    d.accept(1, 12, '\nconst b = 2;', 'inline-partial');
    assert.deepEqual(d.lines, ['2-3']);
    assert.deepEqual(d.texts, ['const a = 1;\nconst b = 2;']);
  });

  it('a deletion that joins a human line with the AI line below marks the joined line (it holds AI text now)', () => {
    const d = new Doc('human\n');
    d.accept(0, 5, '\nai()');
    assert.deepEqual(d.lines, ['2-2']);
    d.edit([{ start: P(0, 5), end: P(1, 0), text: '' }]);
    assert.equal(d.text, 'humanai()\n');
    assert.deepEqual(d.texts, ['ai()']);
  });

  it('deleting the AI text of a line with the break before it leaves the human line unmarked', () => {
    const d = new Doc('human\n');
    d.accept(0, 5, '\nai()\nmore()');
    d.edit([{ start: P(0, 5), end: P(1, 4), text: '' }]);
    assert.equal(d.text, 'human\nmore()\n');
    // The region now starts with the human line's break; the line is not AI's.
    const r = d.regions.regions[0];
    const index = new LineIndex(d.text);
    assert.deepEqual(coveredLines(r, (l) => index.lineLength(l)), { first: 1, last: 1 });
    // And once saved (rehash), the region is trimmed to what AI wrote.
    assert.deepEqual(rehash(d.regions.regions, index).map((x) => lineRange(x)), [{ from: 2, to: 2 }]);
  });

  it('rehash trims a stored region that starts with the line break of the line before (0.1 recorded these)', () => {
    const text = '// comment\ncode()\n';
    const index = new LineIndex(text);
    const stored = createRegion({ start: P(0, 10), end: P(1, 6), source: 'inline' });
    assert.deepEqual(lineRange(stored), { from: 1, to: 2 });
    assert.deepEqual(rehash([stored], index).map((r) => lineRange(r)), [{ from: 2, to: 2 }]);
  });

  it('a marker file from 0.1 whose region starts with the line break of the user\'s line is read without that line (status, the gate, the panel)', () => {
    const text = '// add\nadd();\n';
    const stored = createRegion({ start: P(0, 6), end: P(1, 6), source: 'inline' });
    const read = regionsIn(recordFor('a.ts', text, [stored]), text);
    assert.deepEqual(read.map((r) => lineRange(r)), [{ from: 2, to: 2 }]);
    assert.equal(read[0].id, stored.id);
  });

  it('visibleSpan keeps a span that needs no trimming as it is', () => {
    const index = new LineIndex('abc\ndef\n');
    const start = P(0, 1);
    const end = P(1, 0);
    const span = visibleSpan(index, start, end);
    assert.equal(span?.start, start);
    assert.equal(span?.end, end);
  });
});

describe('whole-document replacements keep regions on surviving lines', () => {
  const kept = 'top()\nchatOne()\nchatTwo()\nbottom()\n';

  it('undoing a chat edit (one whole-document replacement back to the kept text) restores every region of that text', () => {
    const d = new Doc('top()\nbottom()\n');
    d.accept(0, 5, '\nchatOne()\nchatTwo()', 'chat');
    assert.equal(d.text, kept);
    assert.deepEqual(d.lines, ['2-3']);
    d.regions.endAiRun(); // the response completes: VS Code saves the file
    // A second request rewrites a kept AI line and adds one; then the user presses Undo.
    d.edit([{ start: P(2, 0), end: P(2, 9), text: 'chatTwoBetter()\nchatThree()' }], 'edit', { source: 'chat', tool: null });
    d.replaceAll(kept);
    assert.equal(d.text, kept);
    assert.deepEqual(d.lines, ['2-3']);
    assert.deepEqual(d.texts, ['chatOne()\nchatTwo()']);
  });

  it('a formatter replacing the whole text keeps regions on lines it did not change and marks none of its own', () => {
    const d = new Doc('a()\n');
    d.accept(0, 3, '\nai_one()\nai_two()');
    d.replaceAll('// header\na()\nai_one()\nai_two_formatted()\n');
    assert.deepEqual(d.lines, ['3-3']);
    assert.deepEqual(d.texts, ['ai_one()\n']);
  });

  it('an undo the history does not know, replacing the whole text, re-anchors by content', () => {
    const d = new Doc('a()\nb()\n', [createRegion({ start: P(1, 0), end: P(2, 0), source: 'agent', id: 'x' })]);
    d.replaceAll('new()\na()\nb()\n', 'undo');
    assert.deepEqual(d.lines, ['3-3']);
    assert.equal(d.regions.regions[0].id, 'x');
  });

  it('a reload keeps the regions of unchanged lines, with the hashes of the text as edited since (not as last saved)', () => {
    const d = new Doc('a()\n');
    d.accept(0, 3, '\nai()');
    d.edit([{ start: P(0, 0), end: P(0, 0), text: 'typed()\n' }]);
    assert.deepEqual(d.lines, ['3-3']);
    d.regions.reload('typed()\na()\nai()\nmore()\n');
    assert.deepEqual(d.lines, ['3-3']);
  });

  it('undo and redo of an inline accept still restore its region', () => {
    const d = new Doc('x\n');
    d.accept(0, 1, 'yz');
    assert.deepEqual(d.texts, ['yz']);
    d.edit([{ start: P(0, 1), end: P(0, 3), text: '' }], 'undo');
    assert.deepEqual(d.texts, []);
    d.edit([{ start: P(0, 1), end: P(0, 1), text: 'yz' }], 'redo');
    assert.deepEqual(d.texts, ['yz']);
  });
});

describe('DocumentRegions keeps the line hashes of the current text', () => {
  /** Deterministic pseudo-random numbers. */
  function rng(seed: number): () => number {
    let x = seed >>> 0;
    return () => {
      x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
      return x / 4294967296;
    };
  }

  it('in step with 3,000 random edit events of one to three changes (typing, Enter, deletions across lines, pastes)', () => {
    const rand = rng(7);
    const pieces = ['x', '\n', '', 'ab\ncd', '\n\n', '  ', 'long line of text', '}\n'];
    const d = new Doc('one\ntwo\nthree\nfour\nfive\n', [createRegion({ start: P(1, 0), end: P(3, 0), source: 'inline' })]);
    for (let i = 0; i < 3000; i++) {
      const index = new LineIndex(d.text);
      // Disjoint changes of one event, sorted bottom-up, in offsets of the text before it.
      const cuts = Array.from({ length: 1 + Math.floor(rand() * 3) * 2 }, () => Math.floor(rand() * (d.text.length + 1))).sort((a, b) => b - a);
      const changes: TextChange[] = [];
      for (let k = 0; k + 1 < cuts.length; k += 2) changes.push({ start: index.positionAt(cuts[k + 1]), end: index.positionAt(cuts[k]), text: pieces[Math.floor(rand() * pieces.length)] });
      if (changes.length === 0) changes.push({ start: index.positionAt(cuts[0]), end: index.positionAt(cuts[0]), text: pieces[Math.floor(rand() * pieces.length)] });
      const kind: EditKind = rand() < 0.1 ? 'undo' : 'edit';
      d.edit(changes, kind, rand() < 0.2 ? { source: 'chat', tool: null } : undefined);
      assert.deepEqual(d.regions.lineHashes, lineHashes(d.text), `after edit ${i}`);
      for (const r of d.regions.regions) assert.ok(new LineIndex(d.text).offsetAt(r.end) <= d.text.length);
    }
  });
});

describe('what an AI edit restates of the text it replaced stays the user\'s', () => {
  // [what, text before, replaced range (line, from, to), inserted text, restated, the region's text]
  const table: [string, string, [number, number, number], string, { prefix: number; suffix: number }, string[]][] = [
    ['a completion that rewrites the word being typed', '  ret\n', [0, 2, 5], 'return 1;', { prefix: 3, suffix: 0 }, ['urn 1;']],
    ['a completion that keeps the closing bracket after it', 'f()\n', [0, 2, 3], 'a, b)', { prefix: 0, suffix: 1 }, ['a, b']],
    ['an edit that restates all it replaced and adds nothing', 'abc\n', [0, 0, 3], 'abc', { prefix: 3, suffix: 0 }, []],
  ];
  for (const [what, before, [line, from, to], text, restated, texts] of table) {
    it(what, () => {
      const doc = new Doc(before);
      const changes = [{ start: P(line, from), end: P(line, to), text }];
      doc.text = applyChanges(doc.text, changes);
      const lines = splitLines(doc.text);
      doc.regions.edit(changes, 'edit', [{ change: 0, init: { source: 'inline', tool: 'copilot' }, restated }], { lineAt: (l) => lines[l], text: () => doc.text }, 'me');
      assert.deepEqual(doc.texts, texts);
    });
  }
});
