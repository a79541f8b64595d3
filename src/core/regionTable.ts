/**
 * One open file's regions, held for typing. Their positions live in one flat integer array and
 * move in place, so a keystroke allocates nothing per region, not even an Enter that moves every
 * region below it. Region objects are rebuilt from the array only when someone reads them (a
 * redraw, a save), once for however many keystrokes came in between.
 *
 * In-place moves give exactly what `shiftRegions` gives. They only cover edits that move or
 * resize regions; an edit that would remove one is refused, and the caller goes through
 * `shiftRegions` and builds a new table.
 */
import { Region, withSpan } from './regions';
import { TextChange } from './shift';
import { endOfInsertion } from './text';

export class RegionTable {
  /** The regions as last read; their positions may lag behind `pos`. */
  private readonly items: Region[];
  /** Four numbers a region: start line, start character, end line, end character. */
  private readonly pos: Int32Array;
  private view: Region[] | undefined;

  /** `regions` sorted and disjoint (see normalize). */
  constructor(regions: readonly Region[]) {
    this.items = [...regions];
    this.pos = new Int32Array(regions.length * 4);
    regions.forEach((r, i) => this.pos.set([r.start.line, r.start.character, r.end.line, r.end.character], i * 4));
    this.view = regions as Region[];
  }

  get length(): number {
    return this.items.length;
  }

  /** The regions at their current positions; regions that did not move keep their identity (===). */
  get regions(): Region[] {
    if (this.view) return this.view;
    const { items, pos } = this;
    for (let i = 0; i < items.length; i++) {
      const r = items[i];
      const j = i * 4;
      if (r.start.line !== pos[j] || r.start.character !== pos[j + 1] || r.end.line !== pos[j + 2] || r.end.character !== pos[j + 3]) {
        items[i] = withSpan(r, { line: pos[j], character: pos[j + 1] }, { line: pos[j + 2], character: pos[j + 3] });
      }
    }
    this.view = [...items];
    return this.view;
  }

  /**
   * Whether `changes` (one editor event's, sorted bottom-up and disjoint, as toChanges gives them)
   * only move or resize regions. A region an edit removes lies wholly inside that edit, and so
   * above every edit applied before it: the check can use today's positions for all of them.
   */
  canShift(changes: readonly TextChange[]): boolean {
    const { pos } = this;
    for (const c of changes) {
      for (let i = this.firstEndingAfter(c.start.line, c.start.character); i < this.length; i++) {
        const j = i * 4;
        if (before(c.end.line, c.end.character, pos[j], pos[j + 1]) <= 0) break; // starts at or after the edit's end
        const coversStart = before(c.start.line, c.start.character, pos[j], pos[j + 1]) <= 0;
        const coversEnd = before(c.end.line, c.end.character, pos[j + 2], pos[j + 3]) >= 0;
        if (coversStart && coversEnd) return false;
      }
    }
    return true;
  }

  /** Moves the regions through `changes` in place (see canShift first). Returns whether any moved. */
  shift(changes: readonly TextChange[]): boolean {
    let moved = false;
    for (const c of changes) moved = this.shiftOne(c) || moved;
    if (moved) this.view = undefined;
    return moved;
  }

  private shiftOne(c: TextChange): boolean {
    const { pos } = this;
    const { line: endLine, character: endChar } = c.end;
    const { line: newLine, character: newChar } = endOfInsertion(c.start, c.text);
    const lineDelta = newLine - endLine;
    let moved = false;
    // Where a position at or after the edit's end lands; returns whether it changed.
    const after = (j: number): boolean => {
      if (pos[j] === endLine) {
        const character = newChar + (pos[j + 1] - endChar);
        if (newLine === endLine && character === pos[j + 1]) return false;
        pos[j] = newLine;
        pos[j + 1] = character;
        return true;
      }
      pos[j] += lineDelta;
      return lineDelta !== 0;
    };
    let i = this.firstEndingAfter(c.start.line, c.start.character);
    for (; i < this.length; i++) {
      const j = i * 4;
      if (pos[j] > endLine) break;
      if (before(endLine, endChar, pos[j], pos[j + 1]) <= 0) {
        moved = after(j) || moved;
        moved = after(j + 2) || moved;
      } else if (before(c.start.line, c.start.character, pos[j], pos[j + 1]) < 0) {
        // The edit takes the region's beginning: it now starts where the new text ends.
        pos[j] = newLine;
        pos[j + 1] = newChar;
        after(j + 2);
        moved = true;
      } else if (before(endLine, endChar, pos[j + 2], pos[j + 3]) >= 0) {
        // The edit takes the region's end: it now ends where the edit began.
        pos[j + 2] = c.start.line;
        pos[j + 3] = c.start.character;
        moved = true;
      } else {
        // Inside the region: the new text joins it (its text changed even if its ends did not).
        after(j + 2);
        moved = true;
      }
    }
    // Every region from here on starts below the edit's last line: only its lines move.
    if (lineDelta !== 0 && i < this.length) {
      for (let j = i * 4; j < pos.length; j += 2) pos[j] += lineDelta;
      moved = true;
    }
    return moved;
  }

  /** Index of the first region whose end lies after (line, character). */
  private firstEndingAfter(line: number, character: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(this.pos[mid * 4 + 2], this.pos[mid * 4 + 3], line, character) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** comparePositions on unpacked numbers. */
function before(aLine: number, aChar: number, bLine: number, bChar: number): number {
  return aLine - bLine || aChar - bChar;
}
