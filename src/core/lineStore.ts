/**
 * The lines of a text, held in chunks so that inserting or removing lines (Enter, a deleted line)
 * costs the size of one chunk, not of the file: a flat list would move every later line on each
 * Enter. Replacing one line in place costs a walk over the chunk sizes.
 */
import { lineHash } from './text';

/** Lines per chunk when (re)built; a chunk is split when it grows to twice this. */
const CHUNK = 512;

export class LineStore {
  private chunks: string[][] = [];
  private count = 0;

  constructor(lines: readonly string[]) {
    this.rebuild(lines);
  }

  get length(): number {
    return this.count;
  }

  /** Replaces line `line` (0-based, < length). */
  set(line: number, text: string): void {
    const [chunk, at] = this.locate(line);
    this.chunks[chunk][at] = text;
  }

  /** Replaces `deleteCount` lines from `start` with `lines`, as Array.prototype.splice. */
  splice(start: number, deleteCount: number, lines: readonly string[]): void {
    const [chunk, at] = this.locate(Math.min(start, this.count));
    const target = this.chunks[chunk];
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
  }

  /** The chunk holding `line` and the line's place in it; `line === length` is the end of the last chunk. */
  private locate(line: number): [number, number] {
    let at = line;
    for (let c = 0; c < this.chunks.length; c++) {
      const size = this.chunks[c].length;
      if (at < size || (c === this.chunks.length - 1 && at === size)) return [c, at];
      at -= size;
    }
    throw new RangeError(`line ${line} is outside the text (${this.count} lines)`);
  }
}
