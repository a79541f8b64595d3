/**
 * The provenance note: one per commit under NOTES_REF, versioned JSON, describing the AI-written
 * lines that commit added or changed, as they are in that commit, and every review of them.
 * Nothing read from a note reaches the rest of the code without passing through `parseNote`.
 *
 * Line ranges are 1-based and inclusive. `lines[i]` is hashText of line `from + i` (without its
 * terminator); `hash` is hashText of the lines `from..to` joined with "\n". A region is reviewed
 * when any of its reviews carries its `hash`.
 */
import { isObject, parseObject } from './json';
import { invalidRepositoryPath } from './markerFile';
import { isSource, Source } from './regions';
import { hashText } from './text';

/** The notes ref every note lives under. */
export const NOTES_REF = 'refs/notes/ai-provenance';
export const NOTE_VERSION = 1;

export interface NoteReview {
  /** The reviewer's git identity, `Name <email>` (or the email alone when no name is known). */
  by: string;
  /** ISO time of the review. */
  at: string;
  /** hashText of the region's text as the reviewer saw it (compare with NoteRegion.hash). */
  hash: string;
}

/** AI-written lines `from..to` (1-based, inclusive) of one file in one commit. */
export interface NoteRegion {
  id: string;
  from: number;
  to: number;
  source: Source;
  tool: string | null;
  model?: string;
  session?: string;
  /** git user.email of whoever was at the keyboard. */
  author: string;
  /** ISO time the region was created. */
  createdAt: string;
  /** hashText of lines from..to joined with "\n". */
  hash: string;
  /** hashText of each line, from first to last: what re-anchoring after a rewrite diffs against. */
  lines: string[];
  reviews: NoteReview[];
}

export interface Note {
  version: typeof NOTE_VERSION;
  /** `ai-provenance <version>` of whoever wrote the note last. */
  writer: string;
  /** Repository-relative path (forward slashes) -> that file's AI regions, sorted by `from`. */
  files: Record<string, NoteRegion[]>;
}

export type NoteParse = { ok: true; note: Note } | { ok: false; error: string; newer?: boolean };

/**
 * A note that could not be read. `newer` is set when it was written by a later format version.
 * Commands that read notes exit 2 on it (fail closed): a gate must not pass on what it cannot read.
 */
export class NoteError extends Error {
  constructor(message: string, readonly commit: string, readonly newer = false) {
    super(message);
    this.name = 'NoteError';
  }
}

/** The `writer` field for this build. */
export function noteWriter(version: string): string {
  return `ai-provenance ${version}`;
}

/** A note holding no AI lines: what a commit without AI lines gets. */
export function emptyNote(writer: string): Note {
  return { version: NOTE_VERSION, writer, files: newFiles() };
}

function newFiles(): Record<string, NoteRegion[]> {
  return {};
}

/**
 * Sets a file's regions in `files`. Use it rather than `files[path] = …`: a file may be called
 * `__proto__`, which plain assignment would take for the object's prototype.
 */
export function setFile(files: Record<string, NoteRegion[]>, path: string, regions: NoteRegion[]): void {
  Object.defineProperty(files, path, { value: regions, enumerable: true, writable: true, configurable: true });
}

/**
 * The per-line hashes and the range hash of lines `from..to` (1-based, inclusive) of `fileLines`
 * (a file's lines without terminators, as splitLines gives them).
 */
export function hashLines(fileLines: readonly string[], from: number, to: number): { hash: string; lines: string[] } {
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 1 || to < from || to > fileLines.length) {
    throw new RangeError(`lines ${from}-${to} are not within the file's ${fileLines.length} lines`);
  }
  const slice = fileLines.slice(from - 1, to);
  return { hash: hashText(slice.join('\n')), lines: slice.map(hashText) };
}

/** True when any review saw the region's current text. */
export function isReviewed(region: Pick<NoteRegion, 'hash' | 'reviews'>): boolean {
  return region.reviews.some((r) => r.hash === region.hash);
}

/**
 * The AI lines of one file's regions: line (1-based) -> reviewed. A line is AI when any region
 * covers it, and reviewed only when every region covering it is reviewed.
 */
export function aiLines(regions: readonly NoteRegion[]): Map<number, boolean> {
  const out = new Map<number, boolean>();
  for (const r of regions) {
    const reviewed = isReviewed(r);
    for (let line = r.from; line <= r.to; line++) out.set(line, (out.get(line) ?? true) && reviewed);
  }
  return out;
}

/**
 * The union of two notes of the same commit (two writers, two clones): every file of both;
 * regions with the same id are one region (a's fields) with the union of their reviews, regions
 * with different ids are both kept. Nothing either side holds is lost. The writer is b's.
 */
export function mergeNotes(a: Note, b: Note): Note {
  const files = newFiles();
  for (const path of new Set([...Object.keys(a.files), ...Object.keys(b.files)])) {
    const byId = new Map<string, NoteRegion>();
    for (const r of [...own(a.files, path), ...own(b.files, path)]) {
      const seen = byId.get(r.id);
      byId.set(r.id, seen ? { ...seen, reviews: unionReviews(seen.reviews, r.reviews) } : { ...r, reviews: unionReviews([], r.reviews) });
    }
    setFile(files, path, sortRegions([...byId.values()]));
  }
  return { version: NOTE_VERSION, writer: b.writer, files };
}

function own(files: Record<string, NoteRegion[]>, path: string): NoteRegion[] {
  return Object.hasOwn(files, path) ? files[path] : [];
}

function unionReviews(a: readonly NoteReview[], b: readonly NoteReview[]): NoteReview[] {
  const out: NoteReview[] = [];
  const keys = new Set<string>();
  for (const r of [...a, ...b]) {
    const key = JSON.stringify([r.by, r.at, r.hash]);
    if (keys.has(key)) continue;
    keys.add(key);
    out.push({ by: r.by, at: r.at, hash: r.hash });
  }
  return out;
}

function sortRegions(regions: NoteRegion[]): NoteRegion[] {
  return regions.sort((x, y) => x.from - y.from || x.to - y.to || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}

/**
 * The note as stored: one line of JSON and a newline, keys in a fixed order, files sorted by path
 * and regions by line, so the same note always serializes to the same bytes (and the same blob).
 */
export function serializeNote(note: Note): string {
  const files: Record<string, NoteRegion[]> = {};
  for (const path of Object.keys(note.files).sort()) {
    const regions = sortRegions([...note.files[path]]).map((r) => ({
      id: r.id,
      from: r.from,
      to: r.to,
      source: r.source,
      tool: r.tool,
      ...(r.model !== undefined ? { model: r.model } : {}),
      ...(r.session !== undefined ? { session: r.session } : {}),
      author: r.author,
      createdAt: r.createdAt,
      hash: r.hash,
      lines: r.lines,
      reviews: r.reviews.map((v) => ({ by: v.by, at: v.at, hash: v.hash })),
    }));
    setFile(files, path, regions);
  }
  return JSON.stringify({ version: NOTE_VERSION, writer: note.writer, files }) + '\n';
}

/**
 * Reads a note. Errors name the field that is wrong; a note from a newer format version is
 * refused with `newer` set, never half-read. Fields we do not know are ignored.
 */
export function parseNote(text: string): NoteParse {
  const parsed = parseObject(text);
  if (!parsed.ok) return parsed;
  const raw = parsed.value;
  const version = raw.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) return { ok: false, error: '"version" is missing or not a whole number' };
  if (version > NOTE_VERSION) {
    return { ok: false, newer: true, error: `written by a newer AI Provenance (note version ${version}; this one reads up to ${NOTE_VERSION})` };
  }
  if (typeof raw.writer !== 'string') return { ok: false, error: '"writer" is not a string' };
  if (!isObject(raw.files)) return { ok: false, error: '"files" is not an object' };
  const files = newFiles();
  for (const path of Object.keys(raw.files)) {
    const where = `"files[${JSON.stringify(path)}]`;
    const bad = invalidRepositoryPath(path);
    if (bad) return { ok: false, error: `${where}" is not a repository path (it ${bad})` };
    const list: unknown = raw.files[path];
    if (!Array.isArray(list)) return { ok: false, error: `${where}" is not a list` };
    const regions: NoteRegion[] = [];
    for (const [i, r] of list.entries()) {
      const region = noteRegion(r);
      if (typeof region === 'string') return { ok: false, error: `${where}[${i}]${region}` };
      regions.push(region);
    }
    setFile(files, path, sortRegions(regions));
  }
  return { ok: true, note: { version: NOTE_VERSION, writer: raw.writer, files } };
}

/** The region, or the rest of the error message after `"files["path"][i]`. */
function noteRegion(r: unknown): NoteRegion | string {
  if (!isObject(r)) return '" is not an object';
  const { id, from, to, source, tool, model, session, author, createdAt, hash, lines, reviews } = r;
  if (typeof id !== 'string' || id === '') return '.id" is not a non-empty string';
  if (!isLine(from)) return '.from" is not a line number';
  if (!isLine(to) || to < from) return '.to" is not a line number at or after "from"';
  if (!isSource(source)) return `.source" is not a known source (${JSON.stringify(source)})`;
  if (tool !== null && typeof tool !== 'string') return '.tool" is neither a string nor null';
  if (model !== undefined && typeof model !== 'string') return '.model" is not a string';
  if (session !== undefined && typeof session !== 'string') return '.session" is not a string';
  if (typeof author !== 'string') return '.author" is not a string';
  if (typeof createdAt !== 'string' || Number.isNaN(Date.parse(createdAt))) return '.createdAt" is not a date';
  if (typeof hash !== 'string' || hash === '') return '.hash" is not a hash';
  if (!Array.isArray(lines) || !lines.every((l): l is string => typeof l === 'string')) return '.lines" is not a list of hashes';
  if (lines.length !== to - from + 1) return `.lines" holds ${lines.length} hashes for ${to - from + 1} lines`;
  if (!Array.isArray(reviews)) return '.reviews" is not a list';
  const out: NoteReview[] = [];
  for (const [k, v] of reviews.entries()) {
    if (!isObject(v)) return `.reviews[${k}]" is not an object`;
    if (typeof v.by !== 'string' || v.by === '') return `.reviews[${k}].by" is not a non-empty string`;
    if (typeof v.at !== 'string' || Number.isNaN(Date.parse(v.at))) return `.reviews[${k}].at" is not a date`;
    if (typeof v.hash !== 'string') return `.reviews[${k}].hash" is not a string`;
    out.push({ by: v.by, at: v.at, hash: v.hash });
  }
  return {
    id,
    from,
    to,
    source,
    tool,
    ...(model !== undefined ? { model } : {}),
    ...(session !== undefined ? { session } : {}),
    author,
    createdAt,
    hash,
    lines: [...lines],
    reviews: out,
  };
}

function isLine(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1;
}

