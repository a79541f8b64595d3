/**
 * Undo and redo for regions. Undo and redo are human edits, so on their own they would lose AI
 * regions for good: undoing a deletion of AI text would bring the text back unmarked, and redoing
 * an undone accept would bring the completion back unmarked. This remembers, for each edit that
 * created or removed regions (or was marked AI), the region lists on both sides of it; an undo whose changes exactly
 * reverse the newest such edit puts the "before" list back, and the matching redo the "after" list.
 *
 * An undo step is recognised by position: the undo of an edit replaces exactly the spans that edit
 * inserted (and its redo exactly the spans the undo inserted). Edits that only move or resize
 * regions are not remembered; their undo is an ordinary edit and shifting handles it.
 */
import { Region } from './regions';
import { insertedRanges, TextChange } from './shift';
import { Position } from './text';

interface Span {
  start: Position;
  end: Position;
}

interface Step {
  /** Where the edit's inserted text sits right after it (what its undo replaces). */
  spans: Span[];
  before: Region[];
  after: Region[];
  /** Where the undo's inserted text sits right after the undo (what the redo replaces). */
  undoSpans?: Span[];
}

const MAX_STEPS = 200;

export class UndoHistory {
  private undoable: Step[] = [];
  /** One entry per undo since the last ordinary edit: the step it reversed, or null when it reversed none we know. */
  private redoable: (Step | null)[] = [];

  /** An ordinary edit moved `before` to `after`; `attributed` when a capture source marked some of it. */
  edited(changes: readonly TextChange[], before: Region[], after: Region[], attributed: boolean): void {
    this.redoable = [];
    if (!attributed && !changesStructure(before, after)) return;
    this.undoable.push({ spans: insertedRanges(changes), before, after });
    if (this.undoable.length > MAX_STEPS) this.undoable.shift();
  }

  /** An ordinary edit that only moved or resized regions: nothing to remember, and nothing left to redo. */
  movedOnly(): void {
    if (this.redoable.length) this.redoable = []; // runs on every keystroke: allocate nothing
  }

  /** An undo event: the regions to hold afterwards, or undefined when it reverses no remembered edit. */
  undone(changes: readonly TextChange[], current: Region[]): Region[] | undefined {
    const step = this.undoable.at(-1);
    if (!step || !sameSpans(changes, step.spans)) {
      this.redoable.push(null);
      return undefined;
    }
    this.undoable.pop();
    // The freshest state of the "after" side (reviews made since) is what a redo brings back.
    step.after = current;
    step.undoSpans = insertedRanges(changes);
    this.redoable.push(step);
    return step.before;
  }

  /** A redo event: the regions to hold afterwards, or undefined when it redoes no remembered undo. */
  redone(changes: readonly TextChange[], current: Region[]): Region[] | undefined {
    const step = this.redoable.pop();
    if (!step || !step.undoSpans || !sameSpans(changes, step.undoSpans)) return undefined;
    step.before = current;
    this.undoable.push(step);
    return step.after;
  }

  /** The text was replaced wholesale (a reload from disk): nothing remembered applies any more. */
  clear(): void {
    this.undoable = [];
    this.redoable = [];
  }
}

/** Whether an edit created or removed regions (rather than only moving or resizing them). */
function changesStructure(before: readonly Region[], after: readonly Region[]): boolean {
  if (before === after) return false;
  if (before.length !== after.length) return true;
  for (let i = 0; i < before.length; i++) if (before[i].id !== after[i].id) return true;
  return false;
}

function samePos(a: Position, b: Position): boolean {
  return a.line === b.line && a.character === b.character;
}

/** Whether the ranges an event replaced are exactly `spans` (in any order). */
function sameSpans(changes: readonly TextChange[], spans: readonly Span[]): boolean {
  if (changes.length !== spans.length) return false;
  return changes.every((c) => spans.some((s) => samePos(s.start, c.start) && samePos(s.end, c.end)));
}
