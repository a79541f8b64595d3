/** The Region type and the pure operations on lists of regions. */
import { comparePositions, LineIndex, Position, hashText } from './text';

export const SOURCES = ['inline', 'inline-partial', 'next-edit', 'chat', 'agent', 'external', 'manual'] as const;
export type Source = (typeof SOURCES)[number];

export function isSource(value: unknown): value is Source {
  return typeof value === 'string' && (SOURCES as readonly string[]).includes(value);
}

export interface Review {
  /** git user.email of the reviewer, or a name when no email is configured. */
  by: string;
  /** ISO timestamp. */
  at: string;
  /** hashText of the region's text as the reviewer saw it. */
  hash: string;
}

/** A span of one file that came from one AI source. `end` is exclusive. */
export interface Region {
  id: string;
  start: Position;
  end: Position;
  /** hashText of the covered text, as of the last save. */
  hash: string;
  source: Source;
  tool: string | null;
  model?: string;
  session?: string;
  /** ISO timestamp. */
  createdAt: string;
  /** git user.email of whoever was at the keyboard. */
  author: string;
  review: Review | null;
}

/** What a caller supplies to create a region; the rest is filled in. */
export type RegionInit = Pick<Region, 'start' | 'end' | 'source'> & Partial<Omit<Region, 'start' | 'end' | 'source'>>;

let counter = 0;
/** A short unique id; time plus a counter plus randomness, so two processes never collide in practice. */
export function newId(): string {
  counter = (counter + 1) % 1679616;
  return Date.now().toString(36) + counter.toString(36).padStart(4, '0') + Math.floor(Math.random() * 1679616).toString(36).padStart(4, '0');
}

export function createRegion(init: RegionInit, now = new Date()): Region {
  return {
    id: init.id ?? newId(),
    start: { ...init.start },
    end: { ...init.end },
    hash: init.hash ?? '',
    source: init.source,
    tool: init.tool ?? null,
    ...(init.model ? { model: init.model } : {}),
    ...(init.session ? { session: init.session } : {}),
    createdAt: init.createdAt ?? now.toISOString(),
    author: init.author ?? '',
    review: init.review ?? null,
  };
}

/**
 * A copy of `r` over a new span. Written out field by field: spreading a region is ten times
 * slower, and moving every region below an Enter key press has to stay cheap.
 */
export function withSpan(r: Region, start: Position, end: Position): Region {
  const out: Region = { id: r.id, start, end, hash: r.hash, source: r.source, tool: r.tool, createdAt: r.createdAt, author: r.author, review: r.review };
  if (r.model !== undefined) out.model = r.model;
  if (r.session !== undefined) out.session = r.session;
  return out;
}

export function isEmpty(r: Pick<Region, 'start' | 'end'>): boolean {
  return comparePositions(r.start, r.end) >= 0;
}

export function sortRegions(regions: Region[]): Region[] {
  return [...regions].sort((a, b) => comparePositions(a.start, b.start) || comparePositions(a.end, b.end));
}

/**
 * Sorted, disjoint and non-empty: the invariant every list of a file's regions keeps (shifting
 * relies on it). Where two regions overlap, the one that starts first keeps the shared text.
 */
export function normalize(regions: readonly Region[]): Region[] {
  const out: Region[] = [];
  for (const r of sortRegions([...regions])) {
    if (isEmpty(r)) continue;
    const prev = out[out.length - 1];
    if (prev && comparePositions(r.start, prev.end) < 0) {
      if (comparePositions(r.end, prev.end) <= 0) continue;
      out.push({ ...r, start: { ...prev.end } });
    } else out.push(r);
  }
  return out;
}

/**
 * 0-based first and last line that a region actually covers. A line is AI-written only when the
 * region holds a character of it other than its line break: an end at column 0 does not cover its
 * line, and (when `lineLength` tells where lines end) neither does a start at the very end of a
 * line, where the region holds only that line's break. Regions are trimmed so (see visibleSpan)
 * when they are made and saved; `lineLength` covers the moments in between, after a deletion left
 * a region starting at a line's end.
 */
export function coveredLines(r: Pick<Region, 'start' | 'end'>, lineLength?: (line: number) => number): { first: number; last: number } {
  const last = r.end.character === 0 && r.end.line > r.start.line ? r.end.line - 1 : r.end.line;
  const first = lineLength && r.start.line < last && r.start.character >= lineLength(r.start.line) ? r.start.line + 1 : r.start.line;
  return { first, last };
}

/** A whitespace character (line breaks included), as the editor's trimming sees it. */
function isBlank(ch: number): boolean {
  return ch === 32 || (ch >= 9 && ch <= 13) || ch === 0xa0 || ch === 0xfeff || (ch >= 0x2000 && ch <= 0x200a) || ch === 0x2028 || ch === 0x2029 || ch === 0x3000 || ch === 0x1680 || ch === 0x202f || ch === 0x205f;
}

/**
 * The part of [start, end) that makes lines AI-written. A line is AI-written only when AI put a
 * character other than whitespace on it; so text that begins with whitespace holding a line break
 * (a completion accepted at the end of the user's own line, its ghost text starting on the next
 * line) starts after that break, and text that ends with whitespace holding a line break (the
 * indentation of the line after it) ends just after its first break, which ends its last line.
 * Whitespace within one line is kept: a completion accepted word by word (" world") stays one
 * region. Returns undefined when no visible character is left.
 */
export function visibleSpan(index: LineIndex, start: Position, end: Position): { start: Position; end: Position } | undefined {
  const text = index.text;
  let s = index.offsetAt(start);
  let e = index.offsetAt(end);
  let i = s;
  let afterBreak = -1;
  for (; i < e && isBlank(text.charCodeAt(i)); i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10 || (ch === 13 && text.charCodeAt(i + 1) !== 10)) afterBreak = i + 1;
  }
  if (i === e) return undefined;
  if (afterBreak >= 0) s = afterBreak;
  let j = e;
  let firstBreak = -1;
  for (; j > i && isBlank(text.charCodeAt(j - 1)); j--) {
    const ch = text.charCodeAt(j - 1);
    if (ch === 10 || ch === 13) firstBreak = j - 1;
  }
  if (firstBreak >= 0) e = text.charCodeAt(firstBreak) === 13 && text.charCodeAt(firstBreak + 1) === 10 ? firstBreak + 2 : firstBreak + 1;
  const startPos = s === index.offsetAt(start) ? start : index.positionAt(s);
  const endPos = e === index.offsetAt(end) ? end : index.positionAt(e);
  return { start: startPos, end: endPos };
}

/**
 * Every region trimmed to its visible span (see visibleSpan); regions left with no visible
 * character are dropped. The very same array comes back when nothing changed.
 */
export function trimRegions(regions: Region[], index: LineIndex): Region[] {
  let out: Region[] | undefined;
  for (let k = 0; k < regions.length; k++) {
    const r = regions[k];
    const span = visibleSpan(index, r.start, r.end);
    const same = span !== undefined && comparePositions(span.start, r.start) === 0 && comparePositions(span.end, r.end) === 0;
    if (same) {
      out?.push(r);
      continue;
    }
    out ??= regions.slice(0, k);
    if (span) out.push(withSpan(r, span.start, span.end));
  }
  return out ?? regions;
}

/** Removes the span [start, end) from every region, splitting those that straddle it. */
export function subtract(regions: Region[], start: Position, end: Position): Region[] {
  const out: Region[] = [];
  for (const r of regions) {
    if (comparePositions(r.end, start) <= 0 || comparePositions(r.start, end) >= 0) {
      out.push(r);
      continue;
    }
    if (comparePositions(r.start, start) < 0) out.push({ ...r, end: { ...start } });
    if (comparePositions(r.end, end) > 0) {
      const keepsId = comparePositions(r.start, start) >= 0;
      out.push({ ...r, id: keepsId ? r.id : newId(), start: { ...end } });
    }
  }
  return out;
}

/**
 * Adds a new AI region. Whatever it overlaps is carved out of older regions (the newest source
 * wins); an unreviewed neighbour from the same source and tool that touches it absorbs it, so a
 * completion accepted word by word stays one region.
 */
export function addRegion(regions: Region[], added: Region): Region[] {
  if (isEmpty(added)) return regions;
  const rest = subtract(regions, added.start, added.end);
  const touching = rest.find(
    (r) =>
      !r.review && !added.review && r.source === added.source && r.tool === added.tool &&
      (comparePositions(r.end, added.start) === 0 || comparePositions(r.start, added.end) === 0),
  );
  if (!touching) return sortRegions([...rest, added]);
  const merged: Region = {
    ...touching,
    start: comparePositions(touching.start, added.start) <= 0 ? touching.start : added.start,
    end: comparePositions(touching.end, added.end) >= 0 ? touching.end : added.end,
  };
  // The merged region may now touch another neighbour on its other side.
  return addRegion(rest.filter((r) => r !== touching), merged);
}

/** Marks the regions whose ids are given (or all) as reviewed by `by`, given the current text. */
export function review(regions: Region[], index: LineIndex, by: string, ids?: ReadonlySet<string>, now = new Date()): Region[] {
  return regions.map((r) => {
    if (ids && !ids.has(r.id)) return r;
    if (r.review) return r;
    return { ...r, review: { by, at: now.toISOString(), hash: hashText(index.slice(r.start, r.end)) } };
  });
}

/**
 * Trims every region to its visible span (see trimRegions), drops those left with nothing visible,
 * and recomputes their text hashes against the current text: what a file's regions look like when
 * they are written.
 */
export function rehash(regions: Region[], index: LineIndex): Region[] {
  return trimRegions(regions, index).map((r) => ({ ...r, hash: hashText(index.slice(r.start, r.end)) }));
}

/** The full-line span of 1-based inclusive lines `from`..`to`, as the command line speaks of them. */
export function lineSpan(index: LineIndex, from: number, to: number): { start: Position; end: Position } {
  const last = Math.min(to, index.lineCount) - 1;
  const start = { line: Math.max(0, from - 1), character: 0 };
  const end = last + 1 < index.lineCount ? { line: last + 1, character: 0 } : { line: last, character: index.lineLength(last) };
  return { start, end };
}

/** 1-based inclusive line numbers of a region, as printed by the command line. */
export function lineRange(r: Pick<Region, 'start' | 'end'>): { from: number; to: number } {
  const { first, last } = coveredLines(r);
  return { from: first + 1, to: last + 1 };
}

/**
 * Three-way merge of one file's regions, all positioned in the same content: `base` is what a
 * writer last loaded, `ours` what it holds now, `theirs` what another writer stored meanwhile.
 * A region only one side changed takes that side's version; regions the other side added are
 * kept and carved out of ours (new AI text wins, as in addRegion); regions it deleted stay
 * deleted; a review made on either side survives.
 */
export function mergeRegions(base: readonly Region[], ours: readonly Region[], theirs: readonly Region[]): Region[] {
  const baseById = new Map(base.map((r) => [r.id, r]));
  const theirsById = new Map(theirs.map((r) => [r.id, r]));
  const ourIds = new Set(ours.map((r) => r.id));
  let out: Region[] = [];
  for (const r of ours) {
    const t = theirsById.get(r.id);
    if (!t) {
      if (!baseById.has(r.id)) out.push(r);
      continue;
    }
    const b = baseById.get(r.id);
    const [pick, other] = b && sameRegion(b, r) ? [t, r] : [r, t];
    out.push(pick.review || !other.review ? pick : { ...pick, review: other.review });
  }
  for (const t of theirs) {
    if (!ourIds.has(t.id) && !baseById.has(t.id)) out = [...subtract(out, t.start, t.end), t];
  }
  return normalize(out);
}

function sameRegion(a: Region, b: Region): boolean {
  return comparePositions(a.start, b.start) === 0 && comparePositions(a.end, b.end) === 0 && a.review === b.review;
}
