/** Moving regions through text edits, the way the editor moves text. */
import { comparePositions, endOfInsertion, Position } from './text';
import { Region, withSpan } from './regions';

/** One replacement: the range refers to the text just before this change is applied. */
export interface TextChange {
  start: Position;
  end: Position;
  text: string;
}

/** Where a position at or after `change.end` lands once the change is applied. */
function shiftAfter(p: Position, change: TextChange, newEnd: Position): Position {
  if (p.line === change.end.line) {
    return { line: newEnd.line, character: newEnd.character + (p.character - change.end.character) };
  }
  return { line: p.line + (newEnd.line - change.end.line), character: p.character };
}

/**
 * One region through one change. Text inserted strictly inside a region joins it (human edits
 * inside AI text keep the region); text inserted at either edge does not; a change that covers
 * the whole region removes it.
 */
export function shiftRegion(r: Region, change: TextChange, newEnd = endOfInsertion(change.start, change.text)): Region | undefined {
  if (comparePositions(change.start, r.end) >= 0) return r;
  if (comparePositions(change.end, r.start) <= 0) {
    const start = shiftAfter(r.start, change, newEnd);
    const end = shiftAfter(r.end, change, newEnd);
    return start.line === r.start.line && start.character === r.start.character && end.line === r.end.line && end.character === r.end.character
      ? r
      : withSpan(r, start, end);
  }
  const coversStart = comparePositions(change.start, r.start) <= 0;
  const coversEnd = comparePositions(change.end, r.end) >= 0;
  if (coversStart && coversEnd) return undefined;
  if (comparePositions(change.start, r.start) < 0) return withSpan(r, { ...newEnd }, shiftAfter(r.end, change, newEnd));
  if (coversEnd) return withSpan(r, r.start, { ...change.start });
  return withSpan(r, r.start, shiftAfter(r.end, change, newEnd));
}

/**
 * Moves regions through a list of changes applied one after another, as in one editor change
 * event. `regions` must be sorted and disjoint (see `normalize`). Regions a change swallows
 * disappear; untouched regions keep their identity (===), and when nothing moved the very same
 * array comes back, which lets callers skip redraws. The input array is never modified.
 */
export function shiftRegions(regions: readonly Region[], changes: readonly TextChange[]): Region[] {
  let current = regions as Region[];
  for (const change of changes) {
    const newEnd = endOfInsertion(change.start, change.text);
    const lineDelta = newEnd.line - change.end.line;
    // Regions are sorted and disjoint (see normalize), so their ends ascend too: the ones that end
    // before the change are found by binary search and never visited.
    let i = firstEndingAfter(current, change.start);
    let next: Region[] | undefined;
    for (; i < current.length; i++) {
      const r = current[i];
      // Past the change's last line, with no line added or removed, nothing moves any more.
      if (lineDelta === 0 && r.start.line > change.end.line) break;
      const moved = shiftRegion(r, change, newEnd);
      const keep = moved !== undefined && comparePositions(moved.start, moved.end) < 0;
      if (moved === r && keep) {
        next?.push(r);
        continue;
      }
      // Copy-on-write: the list is only rebuilt from the first region that actually moves.
      next ??= current.slice(0, i);
      if (keep) next.push(moved!);
    }
    if (next) {
      for (; i < current.length; i++) next.push(current[i]);
      current = next;
    }
  }
  return current;
}

/** Index of the first region whose end lies after `p` (regions sorted and disjoint). */
function firstEndingAfter(regions: readonly Region[], p: Position): number {
  let lo = 0;
  let hi = regions.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (comparePositions(regions[mid].end, p) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Where each change's inserted text ends up once every change of the list has been applied one
 * after another. Used to mark exactly the characters an AI change inserted.
 */
export function insertedRanges(changes: readonly TextChange[]): { start: Position; end: Position }[] {
  const spans: { start: Position; end: Position }[] = [];
  for (const change of changes) {
    const newEnd = endOfInsertion(change.start, change.text);
    // Earlier spans move through this change like zero-width markers at their ends.
    for (let i = 0; i < spans.length; i++) {
      const s = spans[i];
      if (comparePositions(s.start, change.end) >= 0) spans[i] = { start: shiftAfter(s.start, change, newEnd), end: shiftAfter(s.end, change, newEnd) };
    }
    spans.push({ start: { ...change.start }, end: newEnd });
  }
  return spans;
}
