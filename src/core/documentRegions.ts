/**
 * One open document's regions, kept right through every edit: moved as text is typed, extended by
 * what capture sources attribute to AI, restored on undo and redo, and re-anchored by content when
 * a change replaces whole blocks of lines (a chat undo, a formatter or a revert that rewrites the
 * whole text, a reload from disk). Pure: the tracker hands in each edit event's changes and a way
 * to read the document's text after it.
 *
 * Re-anchoring needs the text from before a change, which the editor no longer has when it tells
 * us; so the current text's lines are kept in step with every edit (a keystroke edits its one
 * line as the editor did; nothing is hashed until a change needs it). And when an AI edit begins, the regions of the text it started from are
 * remembered with that text's line hashes: a change that puts the text back (Undo of a chat edit
 * arrives as one whole-document replacement) gets exactly those regions back, as undo of an
 * inline accept does through UndoHistory.
 */
import { LineStore } from './lineStore';
import { reanchor } from './reanchor';
import { addRegion, createRegion, Region, RegionInit, visibleSpan } from './regions';
import { RegionTable } from './regionTable';
import { insertedRanges, shiftRegions, TextChange } from './shift';
import { comparePositions, endOfInsertion, lineHashes, LineIndex, Position, splitLines } from './text';
import { UndoHistory } from './undoHistory';

/** How an edit came about, as far as regions care: typed or applied, or an undo or redo step. */
export type EditKind = 'edit' | 'undo' | 'redo';

/** A capture source's claim: change number `change` of the event's (sorted) changes is AI's. */
export interface AttributedChange {
  change: number;
  init: Omit<RegionInit, 'start' | 'end'>;
  /**
   * How many characters at the start and at the end of the inserted text restate the text it
   * replaced (a completion that rewrites the word the user was typing): those stay the user's.
   */
  restated?: { prefix: number; suffix: number };
}

/** The document as it is after the edit: one line, or the whole text (read only when needed). */
export interface TextAfter {
  lineAt(line: number): string;
  text(): string;
}

interface Snapshot {
  lines: readonly number[];
  regions: Region[];
}

/** How many texts-before-an-AI-edit a document remembers. */
const MAX_SNAPSHOTS = 8;

export class DocumentRegions {
  private table: RegionTable;
  private readonly history = new UndoHistory();
  /** The current text's lines (without terminators). */
  private lines: LineStore;
  private snapshots: Snapshot[] = [];
  /** Whether the last edit was AI's and the document has not come to rest since: a streamed chat edit is one run, remembered once. */
  private inAiRun = false;

  /** `regions` sorted and disjoint (see normalize), positioned in `text`. */
  constructor(regions: readonly Region[], text: string) {
    this.table = new RegionTable(regions);
    this.lines = new LineStore(splitLines(text));
  }

  /** The regions at their current positions (identity kept for those that did not move). */
  get regions(): Region[] {
    return this.table.regions;
  }

  get length(): number {
    return this.table.length;
  }

  /** Line hashes of the current text, as kept in step with the edits. */
  get lineHashes(): number[] {
    return this.lines.hashes();
  }

  /** Replaces the regions (a capture, a review, a merge with the store), positioned in the current text. */
  set(regions: readonly Region[]): void {
    this.table = new RegionTable(regions);
  }

  /** The regions were written with this text: line hashes from it, in case anything drifted; an AI edit is over. */
  resync(text: string): void {
    this.lines = new LineStore(splitLines(text));
    this.endAiRun();
  }

  /** Whether the last edit() only moved or resized regions in place (typing), creating, removing or reviewing none. */
  movedOnly = false;

  /**
   * The document came to rest (saved, or its regions written): the next AI edit starts a new run,
   * and its text is remembered. A chat response is saved when it completes, so each request's
   * starting text is remembered even when nothing but AI edited the file in between.
   */
  endAiRun(): void {
    this.inAiRun = false;
  }

  /**
   * Moves the regions through one edit event. `changes` are the event's, sorted bottom-up and
   * disjoint (as the tracker's toChanges gives them); `attributions` say which of them are AI's
   * (none for undo and redo). Returns whether the regions changed.
   */
  edit(changes: readonly TextChange[], kind: EditKind, attributions: readonly AttributedChange[], after: TextAfter, author: string): boolean {
    const ai = attributions.length > 0;
    if (ai && !this.inAiRun) this.remember();
    this.inAiRun = ai;
    // A character typed or deleted within one line, the commonest event: the regions move in place
    // and that one line is edited as the editor edited it (reading it back through the editor's
    // API costs more than the rest of the keystroke).
    if (kind === 'edit' && !ai && changes.length === 1 && withinLine(changes[0]) && this.table.canShift(changes)) {
      this.movedOnly = true;
      this.history.movedOnly();
      const c = changes[0];
      this.lines.edit(c.start.line, c.start.character, c.end.character, c.text);
      return this.table.shift(changes);
    }
    // Typing: regions only move or resize, in place, allocating nothing per region.
    this.movedOnly = kind === 'edit' && !ai && this.table.canShift(changes) && !this.replacesMarkedLines(changes);
    if (this.movedOnly) {
      this.history.movedOnly();
      this.updateLines(changes, after);
      return this.table.shift(changes);
    }
    const before = this.table.regions;
    let regions: Region[] | undefined;
    if (kind === 'undo') regions = this.history.undone(changes, before);
    else if (kind === 'redo') regions = this.history.redone(changes, before);
    if (regions === undefined && !ai && this.replacesMarkedLines(changes)) {
      // Whole blocks of marked lines replaced: what survives is decided by content, not position.
      regions = this.byContent(after.text(), before);
      if (kind === 'edit') this.history.edited(changes, before, regions, false);
      return this.replace(before, regions);
    }
    regions ??= shiftRegions(before, changes);
    if (ai) {
      const spans = insertedRanges(changes);
      const index = new LineIndex(after.text());
      for (const a of attributions) {
        const span = restatedAway(index, spans[a.change], a.restated);
        // Only the part that puts visible characters on lines is AI's (see visibleSpan).
        const visible = span && visibleSpan(index, span.start, span.end);
        if (!visible) continue;
        // Accepted line by line, a completion's next line begins with the break of the line accepted
        // just before, which is AI's already: keep that break so the two join into one region.
        const tool = a.init.tool ?? null;
        const continues = regions.some((r) => !r.review && r.source === a.init.source && r.tool === tool && comparePositions(r.end, span.start) === 0);
        regions = addRegion(regions, createRegion({ author, ...a.init, start: continues ? span.start : visible.start, end: visible.end }));
      }
    }
    if (kind === 'edit') this.history.edited(changes, before, regions, ai);
    this.updateLines(changes, after);
    // shiftRegions hands back the very same list when no region moved, so edits elsewhere cost no redraw.
    return this.replace(before, regions);
  }

  /**
   * The whole text was replaced behind the editor's back (a reload from disk, a checkout): regions
   * are mapped by line content. Returns whether they changed.
   */
  reload(text: string): boolean {
    const before = this.table.regions;
    const regions = this.byContent(text, before);
    this.history.clear();
    this.inAiRun = false;
    return this.replace(before, regions);
  }

  private replace(before: Region[], regions: Region[]): boolean {
    if (regions === before) return false;
    this.table = new RegionTable(regions);
    return true;
  }

  /** Regions for `text`, which replaced the current text: a remembered text's own, else mapped by line content. */
  private byContent(text: string, current: Region[]): Region[] {
    const next = lineHashes(text);
    const before = this.lineHashes;
    this.lines = new LineStore(splitLines(text));
    const known = this.snapshots.find((s) => sameLines(s.lines, next));
    if (known) return withReviews(known.regions, current);
    return reanchor(current, before, new LineIndex(text), next);
  }

  /** Remembers the current text's regions before an AI edit changes them. */
  private remember(): void {
    const lines = this.lineHashes;
    this.snapshots = this.snapshots.filter((s) => !sameLines(s.lines, lines));
    this.snapshots.push({ lines, regions: this.table.regions });
    if (this.snapshots.length > MAX_SNAPSHOTS) this.snapshots.shift();
  }

  /**
   * Whether a change replaces lines holding regions with text of several lines: a block rewrite
   * that shifting would read as "everything here is new" and so drop every region in it.
   */
  private replacesMarkedLines(changes: readonly TextChange[]): boolean {
    for (const c of changes) {
      if (c.end.line === c.start.line || endOfInsertion(c.start, c.text).line === c.start.line) continue;
      if (this.table.regions.some((r) => comparePositions(r.start, c.end) < 0 && comparePositions(r.end, c.start) > 0)) return true;
    }
    return false;
  }

  /** Keeps the current text's lines in step with an event's changes (sorted bottom-up). */
  private updateLines(changes: readonly TextChange[], after: TextAfter): void {
    // Each change's lines, once every change is applied, start below the line growth of those above it.
    let shiftAbove = 0;
    const firstLine = new Array<number>(changes.length);
    for (let k = changes.length - 1; k >= 0; k--) {
      const c = changes[k];
      firstLine[k] = c.start.line + shiftAbove;
      shiftAbove += endOfInsertion(c.start, c.text).line - c.end.line;
    }
    for (let k = 0; k < changes.length; k++) {
      const c = changes[k];
      const count = endOfInsertion(c.start, c.text).line - c.start.line + 1;
      const lines = new Array<string>(count);
      for (let i = 0; i < count; i++) lines[i] = after.lineAt(firstLine[k] + i);
      if (count === 1 && c.end.line === c.start.line) this.lines.set(c.start.line, lines[0]);
      else this.lines.splice(c.start.line, c.end.line - c.start.line + 1, lines);
    }
  }
}

/** Whether a change stays on one line: it spans no line break and inserts none. */
function withinLine(c: TextChange): boolean {
  return c.start.line === c.end.line && c.text.indexOf('\n') < 0 && c.text.indexOf('\r') < 0;
}

function sameLines(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Remembered regions, with any review made since they were remembered. */
function withReviews(remembered: readonly Region[], current: readonly Region[]): Region[] {
  const reviews = new Map(current.filter((r) => r.review).map((r) => [r.id, r.review]));
  return remembered.map((r) => (r.review || !reviews.has(r.id) ? r : { ...r, review: reviews.get(r.id)! }));
}

/** The part of an inserted span that is new, without what it restates of the text it replaced. */
function restatedAway(index: LineIndex, span: { start: Position; end: Position } | undefined, restated: AttributedChange['restated']): { start: Position; end: Position } | undefined {
  if (!span || !restated) return span;
  const start = index.offsetAt(span.start) + restated.prefix;
  const end = index.offsetAt(span.end) - restated.suffix;
  return start < end ? { start: index.positionAt(start), end: index.positionAt(end) } : undefined;
}
