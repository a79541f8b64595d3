/** Plain-text helpers shared by every layer: line splitting and the content hash. */

/** A zero-based position; `character` counts UTF-16 code units, as VS Code does. */
export interface Position {
  line: number;
  character: number;
}

/**
 * A 53-bit string hash (cyrb53), rendered as 11 base-36 digits. Not cryptographic: it only has to
 * tell lines and texts apart, and it must run in core/ without Node's crypto.
 */
export function hashText(text: string): string {
  return base36(lineHash(text));
}

const DIGITS = Array.from('0123456789abcdefghijklmnopqrstuvwxyz', (c) => c.charCodeAt(0));
/** 36^6: splits a 53-bit number into a high part of at most 5 base-36 digits and a low part of 6. */
const LOW = 2176782336;

/**
 * `n.toString(36).padStart(11, '0')` for an integer 0 <= n < 2^53, digit by digit: V8's radix
 * conversion takes a slow general path for every call (about 2 µs), and a commit's note hashes
 * every AI line, so the post-commit hook spent more time there than hashing the text.
 */
export function base36(n: number): string {
  let hi = Math.floor(n / LOW);
  let lo = n - hi * LOW;
  const d = new Array<number>(11);
  for (let i = 10; i >= 6; i--) {
    const q = Math.floor(lo / 36);
    d[i] = DIGITS[lo - q * 36];
    lo = q;
  }
  d[5] = DIGITS[lo];
  for (let i = 4; i >= 0; i--) {
    const q = Math.floor(hi / 36);
    d[i] = DIGITS[hi - q * 36];
    hi = q;
  }
  return String.fromCharCode(...d);
}

/** cyrb53's final mix of its two running 32-bit states into one 53-bit number. */
function finish(h1: number, h2: number): number {
  const f1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  const f2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(f1 ^ (f1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & f2) + (f1 >>> 0);
}

/**
 * The lines of a text without their terminators. `\r\n`, `\n` and a lone `\r` all end a line, as
 * in VS Code; a trailing terminator yields a final empty line, as in the editor.
 */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/**
 * Per-line 53-bit hashes (as numbers), computed in one pass over the text without splitting it:
 * what the store keeps of a file's content so it can re-anchor later. Lines end as in splitLines.
 */
export function lineHashes(text: string): number[] {
  const out: number[] = [];
  const n = text.length;
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i <= n; i++) {
    const ch = i < n ? text.charCodeAt(i) : 10;
    if (ch === 10 || ch === 13) {
      out.push(finish(h1, h2));
      if (ch === 13 && i + 1 < n && text.charCodeAt(i + 1) === 10) i++;
      h1 = 0xdeadbeef;
      h2 = 0x41c6ce57;
      continue;
    }
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  return out;
}

/**
 * cyrb53 of a string as a number: lineHashes' hash of one line (text without a line break), without
 * building a list (the keystroke path), and the number hashText renders.
 */
export function lineHash(line: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < line.length; i++) {
    const ch = line.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  return finish(h1, h2);
}

/** Offsets of the first character of every line. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10) starts.push(i + 1);
    else if (ch === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

/** Converts between offsets and positions for one fixed text. */
export class LineIndex {
  private lazyStarts?: number[];
  constructor(readonly text: string) {}

  /** Computed on first use: re-anchoring a large file often needs no offsets at all. */
  get starts(): number[] {
    this.lazyStarts ??= lineStarts(this.text);
    return this.lazyStarts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** Length of a line without its terminator. */
  lineLength(line: number): number {
    const start = this.starts[line];
    const next = line + 1 < this.starts.length ? this.starts[line + 1] : this.text.length;
    let end = next;
    if (end > start && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > start && this.text.charCodeAt(end - 1) === 13) end--;
    return end - start;
  }

  /** The text of a line (0-based) without its terminator: splitLines(text)[line], without splitting the rest. */
  lineText(line: number): string {
    const start = this.starts[line];
    return this.text.slice(start, start + this.lineLength(line));
  }

  offsetAt(pos: Position): number {
    if (pos.line >= this.starts.length) return this.text.length;
    const line = Math.max(0, pos.line);
    return this.starts[line] + Math.min(Math.max(0, pos.character), this.lineLength(line));
  }

  positionAt(offset: number): Position {
    const o = Math.min(Math.max(0, offset), this.text.length);
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: Math.min(o - this.starts[lo], this.lineLength(lo)) };
  }

  slice(start: Position, end: Position): string {
    return this.text.slice(this.offsetAt(start), this.offsetAt(end));
  }
}

/** `1 region`, `2 regions`: a count with its noun. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

/**
 * The position just after `text` when it is inserted at `at`. Scans rather than splits: it runs
 * on every keystroke.
 */
export function endOfInsertion(at: Position, text: string): Position {
  let line = at.line;
  let lineStart = -1;
  for (let k = 0; k < text.length; k++) {
    const ch = text.charCodeAt(k);
    if (ch !== 10 && ch !== 13) continue;
    if (ch === 13 && text.charCodeAt(k + 1) === 10) k++;
    line++;
    lineStart = k + 1;
  }
  return lineStart < 0 ? { line, character: at.character + text.length } : { line, character: text.length - lineStart };
}
