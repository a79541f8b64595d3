/**
 * The on-disk marker file: one per source file, versioned, validated on every read. Nothing read
 * from disk reaches the rest of the code without passing through `parseMarkerFile`.
 */
import { isObject } from './json';
import { isSource, normalize, Region, Review } from './regions';
import { hashText, lineHashes, Position } from './text';

export const MARKER_FILE_VERSION = 1;
/** Each line hash is written as 9 characters of this alphabet (6 bits each, 54 >= 53 bits). */
const HASH_WIDTH = 9;
const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_';
const DIGIT = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DIGIT[ALPHABET.charCodeAt(i)] = i;

/** A file's regions and a fingerprint of the content they were recorded against. */
export interface FileRecord {
  /** Path relative to the repository root, forward slashes. */
  path: string;
  /** hashText of the whole content. */
  contentHash: string;
  /** lineHashes of that content: what re-anchoring diffs against. */
  lines: number[];
  regions: Region[];
  /** Bumped on every write; lets a writer notice that someone else wrote in between. */
  rev: number;
}

/** What identifies a record without its regions: its path and the content it was recorded against. */
export type RecordHead = Pick<FileRecord, 'path' | 'contentHash'>;

export type ParseResult =
  | { ok: true; record: FileRecord; migratedFrom?: number }
  | { ok: false; error: string; newer?: boolean };

/** A record for `content` holding `regions` (which must already be positioned in that content). */
export function recordFor(path: string, content: string, regions: Region[], rev = 0): FileRecord {
  return { path, contentHash: hashText(content), lines: lineHashes(content), regions, rev };
}

interface RegionJson {
  id: string;
  start: [number, number];
  end: [number, number];
  hash: string;
  source: string;
  tool: string | null;
  model?: string;
  session?: string;
  createdAt: string;
  author: string;
  review: Review | null;
}

export function serializeMarkerFile(record: FileRecord): string {
  const regions: RegionJson[] = record.regions.map((r) => ({
    id: r.id,
    start: [r.start.line, r.start.character],
    end: [r.end.line, r.end.character],
    hash: r.hash,
    source: r.source,
    tool: r.tool,
    ...(r.model ? { model: r.model } : {}),
    ...(r.session ? { session: r.session } : {}),
    createdAt: r.createdAt,
    author: r.author,
    review: r.review,
  }));
  const body = {
    version: MARKER_FILE_VERSION,
    path: record.path,
    rev: record.rev,
    content: { hash: record.contentHash, lineCount: record.lines.length, lines: encodeLineHashes(record.lines) },
    regions,
  };
  return JSON.stringify(body, null, 1) + '\n';
}

/** The opening of a marker file as serializeMarkerFile writes it, up to the content hash. */
const HEAD = /^\{\s*"version": (\d+),\s*"path": ("(?:[^"\\]|\\.)*"),\s*"rev": \d+,\s*"content": \{\s*"hash": "([0-9a-z]+)"/;

/**
 * The path and content hash of a marker file from its first bytes, without parsing the rest: what
 * following moved files needs from every record. Undefined when the opening is not the current
 * version's (another version, a corrupt or a truncated opening): read the whole file then.
 */
export function peekMarkerFile(opening: string): RecordHead | undefined {
  const m = HEAD.exec(opening);
  if (!m || Number(m[1]) !== MARKER_FILE_VERSION) return undefined;
  try {
    const path: unknown = JSON.parse(m[2]);
    // An invalid path is left to the whole read, which moves the file aside as corrupt.
    return typeof path === 'string' && !invalidRepositoryPath(path) ? { path, contentHash: m[3] } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Migrations from older versions, keyed by the version they upgrade from. Each returns the raw
 * object in the next version's shape. Version 1 is the first format, so there is nothing to
 * migrate yet; the loop below is where the next format plugs in.
 */
const MIGRATIONS: Record<number, (raw: Record<string, unknown>) => Record<string, unknown>> = {};

export function parseMarkerFile(text: string): ParseResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `not valid JSON (${(e as Error).message})` };
  }
  if (!isObject(raw)) return { ok: false, error: 'not a JSON object' };
  let version = raw.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) return { ok: false, error: 'missing or invalid "version"' };
  if (version > MARKER_FILE_VERSION) {
    return { ok: false, newer: true, error: `written by a newer AI Provenance (format version ${version}; this one reads up to ${MARKER_FILE_VERSION})` };
  }
  const from = version;
  let obj = raw;
  while (version < MARKER_FILE_VERSION) {
    const migrate = MIGRATIONS[version];
    if (!migrate) return { ok: false, error: `no migration from format version ${version}` };
    obj = migrate(obj);
    version++;
  }
  const result = validate(obj);
  if (typeof result === 'string') return { ok: false, error: result };
  return from === MARKER_FILE_VERSION ? { ok: true, record: result } : { ok: true, record: result, migratedFrom: from };
}

/**
 * Why `path` cannot be a repository-relative path as the store writes them (forward slashes, no
 * `.`/`..`/empty segments, not absolute, not inside `.git`, no NUL), or undefined when it can. A
 * marker file naming anything else is corrupt: following it could read a file outside the
 * repository. Backslashes count as separators here too, since Windows treats them so.
 */
export function invalidRepositoryPath(path: string): string | undefined {
  if (path === '') return 'is empty';
  if (path.includes('\0')) return 'holds a NUL character';
  if (path.startsWith('/') || path.startsWith('\\') || /^[A-Za-z]:/.test(path)) return 'is absolute';
  if (path.split('/').some((s) => s === '' || s === '.')) return 'has an empty or "." segment';
  const segments = path.split(/[\\/]/);
  if (segments.includes('..')) return 'has a ".." segment';
  // Case-insensitive: on macOS and Windows `.GIT` is the same folder.
  if (segments[0].toLowerCase() === '.git') return 'is inside .git';
  return undefined;
}

function validate(obj: Record<string, unknown>): FileRecord | string {
  if (typeof obj.path !== 'string' || obj.path === '') return 'missing "path"';
  const badPath = invalidRepositoryPath(obj.path);
  if (badPath) return `"path" ${JSON.stringify(obj.path)} ${badPath}`;
  const rev = obj.rev ?? 0;
  if (typeof rev !== 'number' || !Number.isInteger(rev) || rev < 0) return 'invalid "rev"';
  const content = obj.content;
  if (!isObject(content)) return 'missing "content"';
  if (typeof content.hash !== 'string' || typeof content.lines !== 'string' || typeof content.lineCount !== 'number') return 'invalid "content"';
  if (content.lines.length !== content.lineCount * HASH_WIDTH) return '"content.lines" does not match "content.lineCount"';
  const lines = decodeLineHashes(content.lines);
  if (!lines) return '"content.lines" holds characters that are not line hashes';
  if (!Array.isArray(obj.regions)) return 'missing "regions"';
  const regions: Region[] = [];
  for (const [i, r] of obj.regions.entries()) {
    const region = validateRegion(r, content.lineCount);
    if (typeof region === 'string') return `region ${i}: ${region}`;
    regions.push(region);
  }
  return { path: obj.path, contentHash: content.hash, lines, regions: normalize(regions), rev };
}

function validateRegion(r: unknown, lineCount: number): Region | string {
  if (!isObject(r)) return 'not an object';
  if (typeof r.id !== 'string' || r.id === '') return 'missing "id"';
  const start = position(r.start);
  const end = position(r.end);
  if (!start || !end) return 'invalid "start"/"end"';
  if (start.line > end.line || (start.line === end.line && start.character > end.character)) return '"end" is before "start"';
  if (end.line >= Math.max(1, lineCount)) return '"end" is past the end of the content';
  if (!isSource(r.source)) return `unknown "source" ${JSON.stringify(r.source)}`;
  if (r.tool !== null && typeof r.tool !== 'string') return 'invalid "tool"';
  if (typeof r.hash !== 'string' || typeof r.createdAt !== 'string' || typeof r.author !== 'string') return 'invalid "hash"/"createdAt"/"author"';
  let review: Review | null = null;
  if (r.review !== null && r.review !== undefined) {
    if (!isObject(r.review) || typeof r.review.by !== 'string' || typeof r.review.at !== 'string' || typeof r.review.hash !== 'string') return 'invalid "review"';
    review = { by: r.review.by, at: r.review.at, hash: r.review.hash };
  }
  return {
    id: r.id,
    start,
    end,
    hash: r.hash,
    source: r.source,
    tool: r.tool,
    ...(typeof r.model === 'string' ? { model: r.model } : {}),
    ...(typeof r.session === 'string' ? { session: r.session } : {}),
    createdAt: r.createdAt,
    author: r.author,
    review,
  };
}

/** Line hashes as one compact string; built from char codes in chunks, since it runs on every save. */
export function encodeLineHashes(hashes: readonly number[]): string {
  const codes = new Uint16Array(hashes.length * HASH_WIDTH);
  for (let i = 0; i < hashes.length; i++) {
    const n = hashes[i];
    const lo = n % 4294967296;
    const hi = Math.floor(n / 4294967296);
    const chunks = [lo & 63, (lo >>> 6) & 63, (lo >>> 12) & 63, (lo >>> 18) & 63, (lo >>> 24) & 63, ((lo >>> 30) | (hi << 2)) & 63, (hi >>> 4) & 63, (hi >>> 10) & 63, (hi >>> 16) & 63];
    for (let k = 0; k < HASH_WIDTH; k++) codes[i * HASH_WIDTH + k] = ALPHABET.charCodeAt(chunks[k]);
  }
  let out = '';
  for (let i = 0; i < codes.length; i += 8192) out += String.fromCharCode(...codes.subarray(i, i + 8192));
  return out;
}

/** The inverse of encodeLineHashes; undefined when the text holds anything else. */
export function decodeLineHashes(text: string): number[] | undefined {
  const out: number[] = new Array(text.length / HASH_WIDTH);
  for (let i = 0; i < out.length; i++) {
    const d: number[] = [];
    for (let k = 0; k < HASH_WIDTH; k++) {
      const c = text.charCodeAt(i * HASH_WIDTH + k);
      const v = c < 128 ? DIGIT[c] : -1;
      if (v < 0) return undefined;
      d.push(v);
    }
    const lo = (d[0] | (d[1] << 6) | (d[2] << 12) | (d[3] << 18) | (d[4] << 24) | ((d[5] & 3) << 30)) >>> 0;
    const hi = (d[5] >>> 2) | (d[6] << 4) | (d[7] << 10) | (d[8] << 16);
    out[i] = hi * 4294967296 + lo;
  }
  return out;
}

function position(v: unknown): Position | undefined {
  if (!Array.isArray(v) || v.length !== 2) return undefined;
  const [line, character] = v;
  if (!Number.isInteger(line) || !Number.isInteger(character) || line < 0 || character < 0) return undefined;
  return { line, character };
}

