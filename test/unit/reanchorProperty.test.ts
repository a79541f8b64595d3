/**
 * Re-anchoring, the riskiest code, checked on random documents and random edits (seeded, so a
 * failure reproduces): a region never lands on text it did not cover, and a covered line whose
 * text is unambiguous (once before, once after) keeps its marker wherever it went.
 */
import * as assert from 'node:assert/strict';
import { reanchor } from '../../src/core/reanchor';
import { coveredLines, createRegion, Region } from '../../src/core/regions';
import { lineHashes, LineIndex, splitLines } from '../../src/core/text';

/** mulberry32: a small seeded generator, enough to pick edits reproducibly. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Lines that recur in real code, so documents hold duplicates; the rest are unique. */
const COMMON = ['', '}', '{', '  return;', 'end', '  x++;', '// note'];

class Gen {
  private fresh = 0;
  constructor(readonly random: () => number, readonly commonShare: number) {}
  int(n: number): number {
    return Math.floor(this.random() * n);
  }
  line(): string {
    return this.random() < this.commonShare ? COMMON[this.int(COMMON.length)] : `line ${this.fresh++} ${this.int(1000)}`;
  }
  lines(n: number): string[] {
    return Array.from({ length: n }, () => this.line());
  }
  /** One random edit of a list of lines: insert, delete, replace, move a block, duplicate a block. */
  edit(doc: string[]): string[] {
    const out = [...doc];
    const at = this.int(out.length + 1);
    const len = 1 + this.int(4);
    switch (this.int(6)) {
      case 0:
        out.splice(at, 0, ...this.lines(len));
        break;
      case 1:
        out.splice(at, len);
        break;
      case 2:
        out.splice(at, len, ...this.lines(1 + this.int(3)));
        break;
      case 3: {
        const block = out.splice(at, len);
        out.splice(this.int(out.length + 1), 0, ...block);
        break;
      }
      case 4:
        out.splice(this.int(out.length + 1), 0, ...out.slice(at, at + len));
        break;
      default:
        // Change one character of a line: the same line, but not the same text.
        if (out.length) {
          const i = this.int(out.length);
          out[i] = `${out[i]}~`;
        }
    }
    return out;
  }
  /** A document's text: LF or CRLF, with or without a final line break. */
  text(lines: string[]): string {
    const eol = this.random() < 0.3 ? '\r\n' : '\n';
    return lines.join(eol) + (this.random() < 0.5 ? eol : '');
  }
  /** A region over some lines, starting and ending at a line boundary or inside a line. */
  region(index: LineIndex): Region | undefined {
    if (index.text.length === 0) return undefined;
    const a = this.int(index.lineCount);
    const b = Math.min(index.lineCount - 1, a + this.int(6));
    const startChar = this.random() < 0.3 ? this.int(index.lineLength(a) + 1) : 0;
    const end = this.random() < 0.5 && b + 1 < index.lineCount ? { line: b + 1, character: 0 } : { line: b, character: index.lineLength(b) };
    const start = { line: a, character: startChar };
    if (start.line === end.line && start.character >= end.character) return undefined;
    return createRegion({ source: 'agent', start, end });
  }
}

function count(lines: readonly string[], text: string): number {
  return lines.reduce((n, l) => n + (l === text ? 1 : 0), 0);
}

/** What a region covers, as lines of text. */
function coveredTexts(r: Region, lines: readonly string[]): string[] {
  const { first, last } = coveredLines(r);
  return lines.slice(first, last + 1);
}

describe('reanchor: properties on random edits', () => {
  const RUNS = 400;

  for (const [kind, commonShare] of [['mostly distinct lines', 0.35], ['mostly repeated lines', 0.9]] as const) {
    it(`never lands on text a region did not cover, and keeps unambiguous lines (${RUNS} seeded documents, ${kind})`, () => {
      for (let seed = 1; seed <= RUNS; seed++) {
        const g = new Gen(prng(seed), commonShare);
        const oldLines = g.lines(g.int(40));
        let newLines = oldLines;
        for (let k = 1 + g.int(5); k > 0; k--) newLines = g.edit(newLines);
        const before = new LineIndex(g.text(oldLines));
        const after = new LineIndex(g.text(newLines));
        // The texts' own line split, which is what the hashes see (a final line break adds an empty line).
        const oldText = splitLines(before.text);
        const newText = splitLines(after.text);
        const oldHashes = lineHashes(before.text);
        const context = (): string => `seed ${seed}\nbefore: ${JSON.stringify(before.text)}\nafter: ${JSON.stringify(after.text)}`;

        const regions: Region[] = [];
        for (let k = g.int(4); k >= 0; k--) {
          const r = g.region(before);
          if (r) regions.push(r);
        }
        for (const original of regions) {
          const allowed = new Set(coveredTexts(original, oldText));
          const moved = reanchor([original], oldHashes, after);
          for (const r of moved) {
            assert.ok(r.start.line < newText.length && r.end.line < newText.length, `inside the document\n${context()}`);
            assert.ok(r.start.character <= after.lineLength(r.start.line) && r.end.character <= after.lineLength(r.end.line), `inside its lines\n${context()}`);
            for (const t of coveredTexts(r, newText)) assert.ok(allowed.has(t), `landed on ${JSON.stringify(t)}, which it did not cover\n${context()}`);
          }
          // A covered line whose text occurs once before and once after is the same line, moved or not
          // (the generator writes each unique line once; a common line may be a new one with old text).
          // Only lines the region puts a character on: one that starts at the end of a line covers its line break alone.
          const { first, last } = coveredLines(original);
          const firstVisible = original.start.character < before.lineLength(first) ? first : first + 1;
          for (let l = firstVisible; l <= last; l++) {
            const t = oldText[l];
            if (!t.startsWith('line ') || count(oldText, t) !== 1 || count(newText, t) !== 1) continue;
            const j = newText.indexOf(t);
            assert.ok(
              moved.some((r) => coveredLines(r).first <= j && j <= coveredLines(r).last),
              `lost the marker of line ${l + 1} ${JSON.stringify(t)} (now line ${j + 1})\n${context()}`,
            );
          }
        }
        // All at once: the same, and the results never overlap.
        const together = reanchor(regions, oldHashes, after);
        const allowed = new Set(regions.flatMap((r) => coveredTexts(r, oldText)));
        for (const [i, r] of together.entries()) {
          for (const t of coveredTexts(r, newText)) assert.ok(allowed.has(t), `landed on ${JSON.stringify(t)}\n${context()}`);
          const next = together[i + 1];
          if (next) assert.ok(next.start.line > r.end.line || (next.start.line === r.end.line && next.start.character >= r.end.character), `overlap\n${context()}`);
        }
      }
    });
  }
});
