/** Moving regions through text edits, the way the editor moves text. */
import { comparePositions, endOfInsertion, Position } from './text';
import { Region } from './regions';

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
      : { ...r, start, end };
  }
  const coversStart = comparePositions(change.start, r.start) <= 0;
  const coversEnd = comparePositions(change.end, r.end) >= 0;
  if (coversStart && coversEnd) return undefined;
  if (comparePositions(change.start, r.start) < 0) return { ...r, start: newEnd, end: shiftAfter(r.end, change, newEnd) };
  if (coversEnd) return { ...r, end: { ...change.start } };
  return { ...r, end: shiftAfter(r.end, change, newEnd) };
}

/**
 * Moves regions through a list of changes applied one after another, as in one editor change
 * event. Regions a change swallows disappear; untouched regions keep their identity (===), which
 * lets callers skip redraws.
 */
export function shiftRegions(regions: readonly Region[], changes: readonly TextChange[]): Region[] {
  let current = regions as Region[];
  for (const change of changes) {
    const newEnd = endOfInsertion(change.start, change.text);
    const next: Region[] = [];
    for (const r of current) {
      const moved = shiftRegion(r, change, newEnd);
      if (moved && comparePositions(moved.start, moved.end) < 0) next.push(moved);
    }
    current = next;
  }
  return current;
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
