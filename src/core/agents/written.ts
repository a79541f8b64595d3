/**
 * Which lines of a file an agent's tool wrote, from what its payload says, what the file held
 * before (a pre-tool snapshot, when one was taken) and what it holds now. Never a line someone else
 * wrote: a human's edit made between two tool calls, the lines a user changed in the tool's proposal
 * before accepting it, and what a formatter hook changed after the tool are left out.
 */
import { applyEdits, changedLines, LineRange, undoEdits } from '../agentDiff';
import { mapLines } from '../reanchor';
import { lineHashes, splitLines } from '../text';
import { cellLines } from './notebook';
import { FileChange, TextEdit } from './payload';

/** What the pre-tool hook saw: the file (empty when it did not exist) and what the model proposed. */
export interface PreToolState {
  content: string;
  proposal?: string;
}

export interface Written {
  /** 1-based inclusive lines of the file as it is now. */
  ranges: LineRange[];
  /** Why nothing is recorded, in words; `{file}` stands for the file's path. */
  problem?: string;
  /** What could not be recorded although the rest was; `{file}` as above. */
  note?: string;
}

/** The text a tool call wrote, as its payload says it. */
function writtenText(change: FileChange): string {
  if (change.cell) return change.cell.source;
  return change.content ?? change.edits.map((e) => e.newText).join('\n');
}

/**
 * What a pre-tool snapshot keeps of the model's proposal, to compare with what the post-tool payload
 * says was written; nothing when the pre-tool payload names the file but not the text.
 */
export function proposalOf(change: FileChange): string | undefined {
  return change.cell || change.content !== undefined || change.edits.length > 0 ? writtenText(change) : undefined;
}

/**
 * The lines of `after` the tool wrote.
 *
 * 1. What the file was: the pre-tool snapshot, the original the payload carries, empty for a new
 *    file, or the file with the payload's edits undone (see beforeOf).
 * 2. The lines that differ between that and `after`. When the file is not exactly what the tool
 *    left (a formatter hook ran first, or someone typed since), only lines whose text, whitespace
 *    aside, is text the tool wrote are kept; the rest is reported in `note`.
 * 3. When the user changed the proposal before accepting it (`userModified`, or the pre-tool
 *    payload proposed other text than the post-tool payload says was written), only lines the
 *    model proposed are kept; without the proposal nothing is recorded.
 */
export function linesWritten(change: FileChange, snapshot: PreToolState | undefined, after: string): Written {
  if (change.cell) {
    const before = snapshot?.content ?? (typeof change.original === 'string' ? change.original : undefined);
    const r = cellLines(after, change.cell, before);
    return 'problem' in r ? { ranges: [], problem: r.problem } : r;
  }
  const b = beforeOf(change, snapshot?.content, after);
  if ('problem' in b) return { ranges: [], problem: b.problem };
  let ranges = changedLines(b.before ?? '', after);
  let note: string | undefined;
  if (b.drift) {
    const written = writtenLines(change, b.before);
    ranges = keepMatching(ranges, after, new Set(written));
    const missing = missingCount(written, ranges, after);
    if (written.length > 0 && missing === written.length) return { ranges: [], problem: 'the text the tool wrote is not in {file} (it changed since?)' };
    if (missing > 0) {
      note = `${missing} of ${written.length} lines the tool wrote are no longer in {file} as written (a formatter or an edit changed them after the tool ran?); they are not recorded, the other ${written.length - missing} are`;
    }
  }
  const proposed = snapshot?.proposal !== undefined && snapshot.proposal !== writtenText(change) ? snapshot.proposal : change.proposal;
  if (change.userModified || proposed !== undefined) {
    if (proposed === undefined) {
      return { ranges: [], problem: "the user changed the tool's proposal for {file} before accepting it and no pre-tool snapshot says what the tool proposed (install the pre-tool hook: ai-provenance agents install <agent>)" };
    }
    ranges = keepMatching(ranges, after, new Set(normalizedLines(proposed)));
  }
  return note ? { ranges, note } : { ranges };
}

/**
 * What the file held before the tool ran, best source first:
 * 1. the pre-tool snapshot, unless the payload's edits do not lead from it to the file as it is now
 *    (someone changed the file while the tool waited for approval) and undoing them works instead;
 * 2. the original content the payload itself carries (Claude Code's tool result);
 * 3. empty, for a file the tool created;
 * 4. the current content with the payload's edits undone, an edit a formatter reflowed found by its
 *    lines with whitespace ignored;
 * 5. for a whole-file write with none of the above: nothing is known, so every line counts as
 *    written (`before` undefined);
 * otherwise a problem: the payload names a file but not what changed, and no snapshot was taken.
 * `drift` says the file is not exactly what the tool left, so step 2 of linesWritten filters.
 */
function beforeOf(change: FileChange, snapshot: string | undefined, after: string): { before?: string; drift: boolean } | { problem: string } {
  const says = change.edits.length > 0 || change.content !== undefined;
  const predicted = (from: string): string | undefined => (change.edits.length > 0 ? applyEdits(from, change.edits) : change.content);
  if (snapshot !== undefined) {
    if (!says || predicted(snapshot) === after) return { before: snapshot, drift: false };
    if (change.edits.length > 0) {
      const undone = undoTolerantly(after, change.edits);
      if (undone.missed === 0) return { before: undone.before, drift: undone.loose > 0 };
    }
    return { before: snapshot, drift: true };
  }
  if (change.original !== undefined) {
    const original = change.original ?? '';
    return { before: original, drift: says && predicted(original) !== after };
  }
  if (change.created) return { before: '', drift: says && predicted('') !== after };
  if (change.edits.length > 0) {
    const undone = undoTolerantly(after, change.edits);
    const locatable = change.edits.filter((e) => e.newText.trim() !== '').length;
    if (locatable > 0 && undone.missed === locatable) return { problem: 'the text the tool wrote is not in {file} (it changed since?)' };
    return { before: undone.before, drift: undone.missed > 0 || undone.loose > 0 };
  }
  if (change.content !== undefined) return { drift: change.content !== after };
  return { problem: 'no pre-tool snapshot of {file} was taken and the payload does not say what changed (install the pre-tool hook: ai-provenance agents install <agent>)' };
}

/**
 * undoEdits, edit by edit, last first; an edit whose new text is not in the file as written is
 * looked for by its lines with all whitespace ignored (what a formatter changes most) and undone at
 * line level, keeping the file's own version of the lines the edit left as they were. `missed`
 * counts the edits found neither way, `loose` those found only the second way.
 */
export function undoTolerantly(after: string, edits: readonly TextEdit[]): { before: string; missed: number; loose: number } {
  let text = after;
  let missed = 0;
  let loose = 0;
  for (let k = edits.length - 1; k >= 0; k--) {
    const exact = undoEdits(text, [edits[k]]);
    if (exact.missed === 0) {
      text = exact.before;
      continue;
    }
    const undone = undoByLines(text, edits[k]);
    if (undone === undefined) missed++;
    else {
      text = undone;
      loose++;
    }
  }
  return { before: text, missed, loose };
}

/** Lines with their terminators, so a text can be rebuilt exactly. */
function pieces(text: string): { line: string; eol: string }[] {
  const out: { line: string; eol: string }[] = [];
  const re = /([^\r\n]*)(\r\n|\r|\n|$)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push({ line: m[1], eol: m[2] });
    if (m[2] === '') break;
  }
  return out;
}

function undoByLines(text: string, edit: TextEdit): string | undefined {
  const newLines = splitLines(edit.newText);
  const wanted = newLines.flatMap((l, i) => (normalize(l) === '' ? [] : [{ i, norm: normalize(l) }]));
  if (wanted.length === 0) return undefined;
  const file = pieces(text);
  const nonBlank = file.flatMap((p, i) => (normalize(p.line) === '' ? [] : [i]));
  const fits = (s: number): boolean =>
    wanted.every((w, q) => {
      const n = normalize(file[nonBlank[s + q]].line);
      if (wanted.length === 1) return n.includes(w.norm);
      if (q === 0) return n.endsWith(w.norm);
      if (q === wanted.length - 1) return n.startsWith(w.norm);
      return n === w.norm;
    });
  const starts: number[] = [];
  for (let s = 0; s + wanted.length <= nonBlank.length; s++) {
    if (fits(s) && (starts.length === 0 || s >= starts[starts.length - 1] + wanted.length)) starts.push(s);
  }
  let chosen: number[];
  if (edit.all) chosen = starts;
  else if (starts.length === 1) chosen = starts;
  else if (starts.length > 1 && edit.line !== undefined) {
    const hint = edit.line - 1;
    chosen = [starts.reduce((best, s) => (Math.abs(nonBlank[s] - hint) < Math.abs(nonBlank[best] - hint) ? s : best))];
  } else return undefined; // Not there, or ambiguous: never guess whose lines these are.
  if (chosen.length === 0) return undefined;
  // Old lines the edit kept (context) take the file's version of them, so a context line the
  // formatter reflowed is not mistaken for one the tool wrote.
  const kept = mapLines(lineHashes(edit.oldText), lineHashes(edit.newText), () => false);
  const oldLines = splitLines(edit.oldText);
  for (const s of [...chosen].reverse()) {
    const fileOf = new Map(wanted.map((w, q) => [w.i, nonBlank[s + q]]));
    const first = nonBlank[s];
    const last = nonBlank[s + wanted.length - 1];
    const eol = file[last].eol || file.find((p) => p.eol)?.eol || '\n';
    const rebuilt: { line: string; eol: string }[] = edit.oldText === '' ? [] : oldLines.map((l, i) => {
      const at = kept[i] >= 0 ? fileOf.get(kept[i]) : undefined;
      return { line: at === undefined ? l : file[at].line, eol };
    });
    if (rebuilt.length) rebuilt[rebuilt.length - 1].eol = file[last].eol;
    file.splice(first, last - first + 1, ...rebuilt);
  }
  return file.map((p) => p.line + p.eol).join('');
}

/** The lines the tool's payload says it wrote (not the context it repeated), whitespace removed, blank ones left out. */
function writtenLines(change: FileChange, before: string | undefined): string[] {
  const out: string[] = [];
  const take = (from: string, to: string): void => {
    const lines = splitLines(to);
    for (const r of changedLines(from, to)) out.push(...normalizedLines(lines.slice(r.from - 1, r.to).join('\n')));
  };
  if (change.edits.length > 0) for (const e of change.edits) take(e.oldText, e.newText);
  else if (change.content !== undefined) take(before ?? '', change.content);
  return out;
}

function normalize(line: string): string {
  return line.replace(/\s+/g, '');
}

function normalizedLines(text: string): string[] {
  return splitLines(text).map(normalize).filter((l) => l !== '');
}

/**
 * The parts of `ranges` whose lines, whitespace aside, are in `allowed`; blank lines stay only
 * between two kept lines.
 */
function keepMatching(ranges: readonly LineRange[], after: string, allowed: ReadonlySet<string>): LineRange[] {
  const lines = splitLines(after);
  const out: LineRange[] = [];
  for (const r of ranges) {
    let run: LineRange | undefined;
    let gap = false;
    for (let l = r.from; l <= r.to; l++) {
      const n = normalize(lines[l - 1] ?? '');
      if (n === '') continue;
      if (allowed.has(n)) {
        if (run && !gap) run.to = l;
        else out.push((run = { from: l, to: l }));
        gap = false;
      } else gap = true;
    }
  }
  return out;
}

/** How many of the written lines have no line left in `ranges` holding them (each kept line counts once). */
function missingCount(written: readonly string[], ranges: readonly LineRange[], after: string): number {
  const lines = splitLines(after);
  const left = new Map<string, number>();
  for (const r of ranges) {
    for (let l = r.from; l <= r.to; l++) {
      const n = normalize(lines[l - 1] ?? '');
      if (n) left.set(n, (left.get(n) ?? 0) + 1);
    }
  }
  let missing = 0;
  for (const w of written) {
    const n = left.get(w) ?? 0;
    if (n > 0) left.set(w, n - 1);
    else missing++;
  }
  return missing;
}
