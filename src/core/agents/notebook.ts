/**
 * Which lines of a .ipynb file hold the cell a notebook tool wrote.
 *
 * A notebook is JSON. As Jupyter (nbformat) writes it, a cell's `source` is a list of strings, one
 * per source line, each on a line of its own in the file:
 *
 *     "source": [
 *      "import numpy as np\n",        <- file line of source line 1
 *      "x = np.arange(10)"            <- file line of source line 2
 *     ]
 *
 * so source line k of the cell is the file line holding the list's k-th string, and the lines the
 * tool wrote are recorded on exactly those file lines. When the source is stored as one string
 * (`"source": "a\nb"`), the whole cell is that one file line, recorded when any of its lines is the
 * tool's. Everything else the tool touched in the JSON (cleared outputs, execution counts, ids,
 * metadata, the punctuation of the list) is not code anyone wrote and is never recorded.
 */
import { changedLines, LineRange } from '../agentDiff';
import { splitLines } from '../text';
import { NotebookCellEdit } from './payload';

/** The file lines (0-based) a cell's source lines sit on, one entry per source line. */
interface SourceSpan {
  lines: number[];
  text: string;
}

/**
 * The lines of the notebook text `after` that hold the source lines the tool wrote into the cell,
 * as 1-based inclusive ranges; `before` is the notebook before the tool ran, when known (it tells
 * the cell's old source, so lines the tool kept as they were are not credited to it).
 */
export function cellLines(after: string, cell: NotebookCellEdit, before?: string): { ranges: LineRange[] } | { problem: string } {
  if (cell.mode === 'delete') return { ranges: [] };
  const cells = cellsOf(after);
  if (!cells) return { problem: '{file} is not a notebook (no JSON "cells" list)' };
  const candidates = cells.flatMap((c, i) => (c.source === cell.source ? [i] : []));
  const expected = expectedIndex(cells, cell);
  const index = candidates.length === 1 ? candidates[0] : candidates.find((i) => i === expected);
  if (index === undefined) {
    return { problem: candidates.length ? 'the cell the tool wrote is in {file} more than once' : 'the cell the tool wrote is not in {file} (it changed since?)' };
  }
  const spans = sourceSpans(after);
  const span = spans.length === cells.length ? spans[index] : onlyOne(spans.filter((s) => s.text === cell.source));
  if (!span || span.text !== cell.source) return { problem: 'the cell the tool wrote is not laid out in {file} as nbformat writes it' };
  const old = cell.oldSource ?? (cell.mode === 'insert' ? '' : before !== undefined ? oldSourceOf(before, cell) : undefined);
  // Source lines (1-based) the tool inserted or rewrote; with no old source known, all of them.
  const written = old === undefined ? [{ from: 1, to: span.lines.length }] : changedLines(old, cell.source);
  const fileLines = new Set<number>();
  for (const r of written) for (let k = r.from; k <= r.to && k <= span.lines.length; k++) fileLines.add(span.lines[k - 1]);
  return { ranges: toRanges([...fileLines]) };
}

/** Every cell's source joined into one string, or undefined when the text is not a notebook. */
function cellsOf(text: string): { id?: string; source: string }[] | undefined {
  let nb: unknown;
  try {
    nb = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof nb !== 'object' || nb === null || !Array.isArray((nb as { cells?: unknown }).cells)) return undefined;
  return ((nb as { cells: unknown[] }).cells).map((c) => {
    const o = typeof c === 'object' && c !== null ? (c as { id?: unknown; source?: unknown }) : {};
    return { id: typeof o.id === 'string' ? o.id : undefined, source: joinSource(o.source) };
  });
}

function joinSource(source: unknown): string {
  if (typeof source === 'string') return source;
  return Array.isArray(source) ? source.filter((s): s is string => typeof s === 'string').join('') : '';
}

/** Where the named cell should be: the cell of that id (or `cell-N`, an index), or for an insert the one after it. */
function expectedIndex(cells: readonly { id?: string }[], cell: NotebookCellEdit): number | undefined {
  let at = cell.cellId === undefined ? -1 : cells.findIndex((c) => c.id === cell.cellId);
  const byIndex = cell.cellId && /^cell-(\d+)$/.exec(cell.cellId);
  if (at < 0 && byIndex) at = Number(byIndex[1]);
  if (cell.mode === 'insert') return at + 1;
  return at >= 0 ? at : undefined;
}

/** The old source of the named cell in the notebook before the tool ran. */
function oldSourceOf(before: string, cell: NotebookCellEdit): string | undefined {
  const cells = cellsOf(before);
  if (!cells) return undefined;
  const at = expectedIndex(cells, cell);
  return at === undefined ? undefined : cells[at]?.source;
}

/** The `"source"` values of the text in order, each with the file lines its strings sit on. */
function sourceSpans(text: string): SourceSpan[] {
  const lines = splitLines(text);
  const spans: SourceSpan[] = [];
  for (let i = 0; i < lines.length; i++) {
    const one = /^\s*"source":\s*(".*")\s*,?\s*$/.exec(lines[i]);
    if (one) {
      const value = parseString(one[1]);
      if (value !== undefined) spans.push({ text: value, lines: splitLines(value).map(() => i) });
      continue;
    }
    if (/^\s*"source":\s*\[\s*\]\s*,?\s*$/.test(lines[i])) {
      spans.push({ text: '', lines: [] });
      continue;
    }
    if (!/^\s*"source":\s*\[\s*$/.test(lines[i])) continue;
    const span: SourceSpan = { text: '', lines: [] };
    let j = i + 1;
    for (; j < lines.length && !/^\s*\]\s*,?\s*$/.test(lines[j]); j++) {
      const value = parseString(lines[j].trim().replace(/,$/, ''));
      if (value === undefined) break;
      span.text += value;
      // A string holds one source line, or several if a writer put them in one string.
      const inner = value.endsWith('\n') ? value.slice(0, -1) : value;
      for (let k = 0; k < splitLines(inner).length; k++) span.lines.push(j);
    }
    if (j < lines.length && /^\s*\]\s*,?\s*$/.test(lines[j])) spans.push(span);
    i = j;
  }
  return spans;
}

function parseString(literal: string): string | undefined {
  try {
    const v: unknown = JSON.parse(literal);
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

function onlyOne<T>(items: readonly T[]): T | undefined {
  return items.length === 1 ? items[0] : undefined;
}

/** 0-based line numbers as 1-based inclusive runs. */
function toRanges(lines: number[]): LineRange[] {
  const sorted = [...new Set(lines)].sort((a, b) => a - b);
  const out: LineRange[] = [];
  for (const l of sorted) {
    const last = out[out.length - 1];
    if (last && last.to === l) last.to = l + 1;
    else out.push({ from: l + 1, to: l + 1 });
  }
  return out;
}
