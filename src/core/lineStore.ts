/**
 * The lines of a text, held in chunks so that inserting or removing lines (Enter, a deleted line)
 * costs the size of one chunk, not of the file: a flat list would move every later line on each
 * Enter. Finding a line walks the chunk sizes, except that the chunk found last is tried first:
 * typing stays on one line for many keystrokes.
 */
import { lineHash } from './text';

/** Lines per chunk when (re)built; a chunk is split when it grows to twice this. */
const CHUNK = 512;

export class LineStore {
  private chunks: string[][] = [];
  private count = 0;
  /** The chunk found last and the number of its first line (valid until the chunks change shape). */
  private lastChunk = 0;
  private lastStart = 0;

  constructor(lines: readonly string[]) {
    this.rebuild(lines);
  }

  get length(): number {
    return this.count;
  }

  /** Replaces line `line` (0-based, < length). */
  set(line: number, text: string): void {
    const chunk = this.chunks[this.locate(line)];
    chunk[line - this.lastStart] = text;
  }

  /** Replaces characters `from` to `to` of line `line` with `text`, which holds no line break. */
  edit(line: number, from: number, to: number, text: string): void {
    const chunk = this.chunks[this.locate(line)];
    const at = line - this.lastStart;
    const old = chunk[at];
    chunk[at] = old.slice(0, from) + text + old.slice(to);
  }

  /** Replaces `deleteCount` lines from `start` with `lines`, as Array.prototype.splice. */
  splice(start: number, deleteCount: number, lines: readonly string[]): void {
    const chunk = this.locate(Math.min(start, this.count));
    const at = start - this.lastStart;
    const target = this.chunks[chunk];
    this.lastChunk = this.lastStart = 0; // the chunks change shape
    if (target && at + deleteCount <= target.length && lines.length <= CHUNK) {
      target.splice(at, deleteCount, ...lines);
      this.count += lines.length - deleteCount;
      if (target.length >= 2 * CHUNK) this.chunks.splice(chunk, 1, target.slice(0, CHUNK), target.slice(CHUNK));
      else if (target.length === 0 && this.chunks.length > 1) this.chunks.splice(chunk, 1);
      return;
    }
    // Across chunks, or a large block: rebuild (rare: a paste or a rewrite of many lines).
    const all = this.toArray();
    this.rebuild([...all.slice(0, start), ...lines, ...all.slice(start + deleteCount)]);
  }

  /** Every line's hash (lineHash), in order. */
  hashes(): number[] {
    const out = new Array<number>(this.count);
    let i = 0;
    for (const chunk of this.chunks) for (const line of chunk) out[i++] = lineHash(line);
    return out;
  }

  toArray(): string[] {
    return this.chunks.flat();
  }

  private rebuild(lines: readonly string[]): void {
    this.chunks = [];
    for (let i = 0; i < lines.length; i += CHUNK) this.chunks.push(lines.slice(i, i + CHUNK));
    if (this.chunks.length === 0) this.chunks.push([]);
    this.count = lines.length;
    this.lastChunk = this.lastStart = 0;
  }

  /**
   * The chunk holding `line` (`line === length` is the end of the last chunk); its first line's
   * number is left in lastStart.
   */
  private locate(line: number): number {
    const last = this.chunks.length - 1;
    let c = this.lastChunk;
    let start = this.lastStart;
    if (line < start) c = start = 0;
    for (; c <= last; c++) {
      const size = this.chunks[c].length;
      if (line - start < size || (c === last && line - start === size)) {
        this.lastChunk = c;
        this.lastStart = start;
        return c;
      }
      start += size;
    }
    throw new RangeError(`line ${line} is outside the text (${this.count} lines)`);
  }
}
