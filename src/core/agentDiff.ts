/**
 * From what an agent's tool did to the lines it wrote: rebuild the content before the tool ran (when
 * no snapshot was taken) and diff it against the content after, so only lines the tool inserted or
 * rewrote are credited to it.
 */
import { TextEdit } from './agents/payload';
import { mapLines } from './reanchor';
import { lineHashes, splitLines } from './text';

/** 1-based inclusive lines, as the command line speaks of them. */
export interface LineRange {
  from: number;
  to: number;
}

/**
 * Applies edits to `before` the way the edit tools do (the first occurrence, or every one with
 * `all`). Returns undefined when an edit's old text is not there: the edits do not explain this content.
 */
export function applyEdits(before: string, edits: readonly TextEdit[]): string | undefined {
  let text = before;
  for (const e of edits) {
    if (e.oldText === '') {
      // An empty old text only makes sense for an empty file (a create through an edit tool).
      if (text !== '') return undefined;
      text = e.newText;
      continue;
    }
    const at = findAll(text, e.oldText, e.wholeLines ?? false);
    if (at.length === 0) return undefined;
    if (e.all) text = replaceAt(text, at, e.oldText.length, e.newText);
    else text = replaceAt(text, [nearest(text, at, e.line)], e.oldText.length, e.newText);
  }
  return text;
}

/**
 * Rebuilds the content before `edits` from the content after them, undoing the edits last to first.
 * An edit whose new text cannot be found (the file moved on since) is skipped and counted in
 * `missed`; a pure deletion is skipped too, but not counted: it left no line of its own to credit.
 */
export function undoEdits(after: string, edits: readonly TextEdit[]): { before: string; missed: number } {
  let text = after;
  let missed = 0;
  for (let k = edits.length - 1; k >= 0; k--) {
    const e = matchLineEndings(edits[k], text);
    if (e.newText === '') {
      // A pure deletion cannot be found again, and left no line of its own to credit.
      if (text === '') text = e.oldText;
      continue;
    }
    const at = findAll(text, e.newText, e.wholeLines ?? false);
    if (at.length === 0) {
      missed++;
      continue;
    }
    if (e.all) {
      text = replaceAt(text, at, e.newText.length, e.oldText);
      continue;
    }
    // Several equal candidates: the one nearest the agent's line hint, else the first.
    text = replaceAt(text, [nearest(text, at, e.line)], e.newText.length, e.oldText);
  }
  return { before: text, missed };
}

/**
 * The lines of `after` that are not in `before`: what a change inserted or rewrote, as 1-based
 * inclusive ranges. Blank lines at either end of a run are left out (nothing to review there), as
 * is the empty line after a final newline.
 */
export function changedLines(before: string, after: string): LineRange[] {
  const b = splitLines(after);
  // The same line diff that re-anchoring uses; a block the tool moved counts as written by it.
  const map = mapLines(lineHashes(before), lineHashes(after), () => false);
  const added = new Uint8Array(b.length).fill(1);
  for (const j of map) if (j >= 0) added[j] = 0;
  if (b.length > 1 && b[b.length - 1] === '') added[b.length - 1] = 0;
  const ranges: LineRange[] = [];
  for (let i = 0; i < b.length; i++) {
    if (!added[i]) continue;
    let j = i;
    while (j + 1 < b.length && added[j + 1]) j++;
    let from = i;
    let to = j;
    while (from <= to && b[from].trim() === '') from++;
    while (to >= from && b[to].trim() === '') to--;
    if (from <= to) ranges.push({ from: from + 1, to: to + 1 });
    i = j;
  }
  return ranges;
}

/** Every start offset of `needle` in `text` (non-overlapping), at line boundaries when `wholeLines`. */
function findAll(text: string, needle: string, wholeLines: boolean): number[] {
  const out: number[] = [];
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + Math.max(needle.length, 1))) {
    if (wholeLines) {
      const end = i + needle.length;
      const startsLine = i === 0 || text[i - 1] === '\n' || text[i - 1] === '\r';
      const endsLine = end === text.length || text[end] === '\n' || text[end] === '\r';
      if (!startsLine || !endsLine) continue;
    }
    out.push(i);
  }
  return out;
}

function replaceAt(text: string, offsets: readonly number[], length: number, replacement: string): string {
  let out = '';
  let last = 0;
  for (const o of offsets) {
    out += text.slice(last, o) + replacement;
    last = o + length;
  }
  return out + text.slice(last);
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** The candidate nearest the edit's line hint, or the first. */
function nearest(text: string, at: readonly number[], hint: number | undefined): number {
  if (hint === undefined || at.length === 1) return at[0];
  return at.reduce((best, o) => (Math.abs(lineOf(text, o) - hint) < Math.abs(lineOf(text, best) - hint) ? o : best));
}

/** Edit strings usually come with `\n`; a file with CRLF endings holds them with `\r\n`. */
function matchLineEndings(e: TextEdit, text: string): TextEdit {
  if (!text.includes('\r\n') || e.newText.includes('\r') || !e.newText.includes('\n') || text.includes(e.newText)) return e;
  return { ...e, oldText: e.oldText.replace(/\r?\n/g, '\r\n'), newText: e.newText.replace(/\n/g, '\r\n') };
}
