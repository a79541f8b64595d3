/**
 * Agent Trace (agent-trace.dev, the v1 trace record): our notes written as trace records, and
 * trace records read back into note regions. Pure: the store layer resolves revisions, reads files,
 * blames and writes.
 *
 * Mapping. A record describes one commit (`vcs.revision`). Each file's regions are grouped into one
 * conversation per model (contributor `ai`, `model_id` the model as the tool reported it); each
 * region is a range with `content_hash` `cyrb53:<hash>`, the note's own hash of the range's lines
 * joined with "\n" (core/text.ts hashText). What Agent Trace has no field for (the region's id,
 * source, tool, session, author, creation time and reviews) travels with the note itself, as it is
 * stored, in `metadata` under VENDOR_KEY, so that our own records come back whole; any other
 * tool's records come in with what the record says and the defaults of `traceRanges`.
 */
import { isObject, parseObject } from './json';
import { invalidRepositoryPath } from './markerFile';
import { Note, NoteRegion, parseNote, serializeNote } from './note';
import { Source } from './regions';
import { hashText } from './text';

/** The Agent Trace specification version our records follow. */
export const AGENT_TRACE_VERSION = '0.1.0';
/** Our key in a record's `metadata` (reverse-domain, as the specification asks of vendors). */
export const VENDOR_KEY = 'dev.ai-provenance';
/** `tool.name` of the records we write. */
export const TOOL_NAME = 'ai-provenance';
/** The prefix of a content hash we can check: the note's hash of the range's lines. */
export const HASH_PREFIX = 'cyrb53:';
/** The specification caps `model_id` at this length. */
const MAX_MODEL_ID = 250;

const CONTRIBUTOR_TYPES = ['human', 'ai', 'mixed', 'unknown'] as const;
export type ContributorType = (typeof CONTRIBUTOR_TYPES)[number];

function isContributorType(v: unknown): v is ContributorType {
  return typeof v === 'string' && (CONTRIBUTOR_TYPES as readonly string[]).includes(v);
}

export interface TraceContributor {
  type: ContributorType;
  model_id?: string;
}

export interface TraceRange {
  start_line: number;
  end_line: number;
  content_hash?: string;
  contributor?: TraceContributor;
}

export interface TraceConversation {
  url?: string;
  contributor?: TraceContributor;
  ranges: TraceRange[];
}

export interface TraceFile {
  path: string;
  conversations: TraceConversation[];
}

export interface TraceRecord {
  version: string;
  id: string;
  timestamp: string;
  vcs?: { type: string; revision: string };
  tool?: { name?: string; version?: string };
  files: TraceFile[];
  metadata?: Record<string, unknown>;
}

/** What a range carries when no note of ours comes with it: a note region's fields but its place and text. */
export type RangeFields = Pick<NoteRegion, 'id' | 'source' | 'tool' | 'model' | 'session' | 'createdAt' | 'reviews'> & { source: Source };

/** The hash of lines as a note keeps it (hashText of the lines joined with "\n"). */
export function linesHash(lines: readonly string[]): string {
  return hashText(lines.join('\n'));
}

/** The trace record of one commit's note. `id` and `timestamp` are the caller's (a UUID; the commit's time). */
export function recordOfNote(note: Note, opts: { revision: string; id: string; timestamp: string; toolVersion: string }): TraceRecord {
  const files: TraceFile[] = Object.keys(note.files)
    .sort()
    .map((path) => {
      const byModel = new Map<string, NoteRegion[]>();
      for (const r of note.files[path]) byModel.set(r.model ?? '', [...(byModel.get(r.model ?? '') ?? []), r]);
      return {
        path,
        conversations: [...byModel.entries()].map(([model, regions]) => ({
          contributor: { type: 'ai', ...(model && model.length <= MAX_MODEL_ID ? { model_id: model } : {}) },
          ranges: regions.map((r) => ({ start_line: r.from, end_line: r.to, content_hash: `${HASH_PREFIX}${r.hash}` })),
        })),
      };
    });
  return {
    version: AGENT_TRACE_VERSION,
    id: opts.id,
    timestamp: opts.timestamp,
    vcs: { type: 'git', revision: opts.revision },
    tool: { name: TOOL_NAME, version: opts.toolVersion },
    files,
    metadata: { [VENDOR_KEY]: { note: JSON.parse(serializeNote(note)) } },
  };
}

export type TraceParse = { ok: true; record: TraceRecord } | { ok: false; error: string };


function isLine(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1;
}

/**
 * Reads one trace record (one line of a JSONL file). Errors name the field. Lenient where the
 * specification's own reference hooks are: a version `1.0` (two numbers), a `tool` without
 * `version`, an `id` that is not a UUID; a major version above 1 is refused. Fields we do not
 * know are ignored.
 */
export function parseTraceRecord(text: string): TraceParse {
  const parsed = parseObject(text);
  if (!parsed.ok) return parsed;
  const raw = parsed.value;
  const fail = (error: string): TraceParse => ({ ok: false, error });
  const { version, id, timestamp, vcs, tool, files, metadata } = raw;
  const v = typeof version === 'string' ? /^(\d+)\.\d+(?:\.\d+)?$/.exec(version) : null;
  if (!v) return fail('"version" is not a version number like "0.1.0"');
  if (Number(v[1]) > 1) return fail(`"version" ${version} is a later Agent Trace version than this reads (0.x and 1.x)`);
  if (typeof id !== 'string' || id === '') return fail('"id" is not a non-empty string');
  if (typeof timestamp !== 'string' || Number.isNaN(Date.parse(timestamp))) return fail('"timestamp" is not a date and time');
  const record: TraceRecord = { version: v[0], id, timestamp, files: [] };
  if (vcs !== undefined) {
    if (!isObject(vcs) || typeof vcs.type !== 'string' || typeof vcs.revision !== 'string' || vcs.revision === '') return fail('"vcs" is not {"type", "revision"}');
    record.vcs = { type: vcs.type, revision: vcs.revision };
  }
  if (tool !== undefined) {
    if (!isObject(tool) || (tool.name !== undefined && typeof tool.name !== 'string') || (tool.version !== undefined && typeof tool.version !== 'string')) return fail('"tool" is not {"name", "version"}');
    record.tool = { ...(tool.name !== undefined ? { name: tool.name } : {}), ...(tool.version !== undefined ? { version: tool.version } : {}) };
  }
  if (metadata !== undefined) {
    if (!isObject(metadata)) return fail('"metadata" is not an object');
    record.metadata = metadata;
  }
  if (!Array.isArray(files)) return fail('"files" is not a list');
  for (const [i, f] of files.entries()) {
    const where = `files[${i}]`;
    if (!isObject(f)) return fail(`"${where}" is not an object`);
    if (typeof f.path !== 'string' || f.path === '') return fail(`"${where}.path" is not a non-empty string`);
    if (!Array.isArray(f.conversations)) return fail(`"${where}.conversations" is not a list`);
    const file: TraceFile = { path: f.path, conversations: [] };
    for (const [j, c] of f.conversations.entries()) {
      const at = `${where}.conversations[${j}]`;
      if (!isObject(c)) return fail(`"${at}" is not an object`);
      if (c.url !== undefined && typeof c.url !== 'string') return fail(`"${at}.url" is not a string`);
      const contributor = parseContributor(c.contributor);
      if (typeof contributor === 'string') return fail(`"${at}.contributor${contributor}`);
      if (!Array.isArray(c.ranges)) return fail(`"${at}.ranges" is not a list`);
      const conversation: TraceConversation = { ...(c.url !== undefined ? { url: c.url } : {}), ...(contributor ? { contributor } : {}), ranges: [] };
      for (const [k, r] of c.ranges.entries()) {
        const rat = `${at}.ranges[${k}]`;
        if (!isObject(r)) return fail(`"${rat}" is not an object`);
        if (!isLine(r.start_line)) return fail(`"${rat}.start_line" is not a line number (1 or more)`);
        if (!isLine(r.end_line) || r.end_line < r.start_line) return fail(`"${rat}.end_line" is not a line number at or after start_line`);
        if (r.content_hash !== undefined && typeof r.content_hash !== 'string') return fail(`"${rat}.content_hash" is not a string`);
        const own = parseContributor(r.contributor);
        if (typeof own === 'string') return fail(`"${rat}.contributor${own}`);
        conversation.ranges.push({ start_line: r.start_line, end_line: r.end_line, ...(r.content_hash !== undefined ? { content_hash: r.content_hash } : {}), ...(own ? { contributor: own } : {}) });
      }
      file.conversations.push(conversation);
    }
    record.files.push(file);
  }
  return { ok: true, record };
}

/** The contributor, undefined when absent, or the rest of an error message after the field's name. */
function parseContributor(c: unknown): TraceContributor | undefined | string {
  if (c === undefined) return undefined;
  if (!isObject(c)) return '" is not an object';
  if (!isContributorType(c.type)) return `.type" is not one of ${CONTRIBUTOR_TYPES.join(', ')}`;
  if (c.model_id !== undefined && typeof c.model_id !== 'string') return '.model_id" is not a string';
  return { type: c.type, ...(c.model_id !== undefined ? { model_id: c.model_id } : {}) };
}

/** One range of a record, flattened with what applies to it. */
export interface TraceRangeInput {
  /** The path as the record writes it (the store layer places it in the repository). */
  path: string;
  from: number;
  to: number;
  /** Whether the contributor (the range's own, else the conversation's) is `ai` or `mixed`. */
  ai: boolean;
  /** The note hash of the range's lines, when the record carries one we can check. */
  hash?: string;
  /** The region of our note that this range is, when the record carries our note. */
  extras?: NoteRegion;
  /** What a note region of it holds when there is none of ours. */
  fields: RangeFields;
}

/**
 * Every range of a record, with the fields its note region or marker gets: ours from the metadata
 * where our records carry them, otherwise source `external`, the record's tool, the contributor's
 * model, the conversation's url as the session, the record's time, no review, and an id made from
 * the record's id and the range's place in it (the same file imported twice gives the same ids).
 * Returns an error naming the field when our metadata is there but malformed.
 */
export function traceRanges(record: TraceRecord): TraceRangeInput[] | string {
  const ours = vendorNote(record.metadata);
  if (typeof ours === 'string') return ours;
  // The record's tool is the AI tool, unless it is us (our note names the AI tool per region) or says it does not know.
  const name = record.tool?.name;
  const tool = name && name !== 'unknown' && name !== TOOL_NAME ? name : null;
  const createdAt = new Date(record.timestamp).toISOString();
  const used = new Set<NoteRegion>();
  const out: TraceRangeInput[] = [];
  record.files.forEach((f, i) => {
    const regions = ours && Object.hasOwn(ours.files, f.path) ? ours.files[f.path] : [];
    f.conversations.forEach((c, j) => {
      c.ranges.forEach((r, k) => {
        const contributor = r.contributor ?? c.contributor;
        const model = contributor?.model_id;
        const hash = r.content_hash?.startsWith(HASH_PREFIX) ? r.content_hash.slice(HASH_PREFIX.length) : undefined;
        // Ours only while it still is this range: same lines, same text.
        const mine = regions.find((x) => !used.has(x) && x.from === r.start_line && x.to === r.end_line && x.hash === hash);
        if (mine) used.add(mine);
        out.push({
          path: f.path,
          from: r.start_line,
          to: r.end_line,
          ai: contributor?.type === 'ai' || contributor?.type === 'mixed',
          ...(hash ? { hash } : {}),
          ...(mine ? { extras: mine } : {}),
          fields: {
            id: `at${hashText(`${record.id}\0${i}\0${j}\0${k}`)}`,
            source: 'external',
            tool,
            ...(model ? { model } : {}),
            ...(c.url ? { session: c.url } : {}),
            createdAt,
            reviews: [],
          },
        });
      });
    });
  });
  return out;
}

/** Our note in a record's metadata, undefined when there is none, or an error naming the field. */
function vendorNote(metadata: Record<string, unknown> | undefined): Note | undefined | string {
  const mine = metadata?.[VENDOR_KEY];
  if (mine === undefined) return undefined;
  const where = `"metadata[${JSON.stringify(VENDOR_KEY)}].note"`;
  if (!isObject(mine) || !isObject(mine.note)) return `${where} is not an object`;
  const parsed = parseNote(JSON.stringify(mine.note));
  return parsed.ok ? parsed.note : `${where}: ${parsed.error}`;
}

/**
 * A record's path as a repository path (forward slashes, relative to the root), or undefined when
 * it is not one: absolute outside `root`, climbing out with `..`, inside `.git`. An absolute path
 * inside `root` (the reference hooks write one for a file they cannot place) is made relative.
 */
export function repositoryPath(p: string, root: string): string | undefined {
  let rel = p;
  if (rel.startsWith('/')) {
    const prefix = root.endsWith('/') ? root : `${root}/`;
    if (!rel.startsWith(prefix)) return undefined;
    rel = rel.slice(prefix.length);
  }
  const segments: string[] = [];
  for (const s of rel.split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..') {
      if (segments.length === 0) return undefined;
      segments.pop();
    } else segments.push(s);
  }
  const out = segments.join('/');
  return invalidRepositoryPath(out) ? undefined : out;
}

/**
 * The 1-based line where `length` lines hashing to `hash` start in `lines`, looked for at `from`
 * first and then anywhere (code that moved); undefined when they are nowhere, or in more than one
 * place (nothing says which).
 */
export function findLines(lines: readonly string[], from: number, length: number, hash: string): number | undefined {
  const at = (start: number): boolean => start >= 1 && start + length - 1 <= lines.length && linesHash(lines.slice(start - 1, start - 1 + length)) === hash;
  if (at(from)) return from;
  // Hashing every window is length x lines; past this it is not worth the wait.
  if (length * lines.length > 20_000_000) return undefined;
  let found: number | undefined;
  for (let start = 1; start + length - 1 <= lines.length; start++) {
    if (!at(start)) continue;
    if (found !== undefined) return undefined;
    found = start;
  }
  return found;
}

/** Runs of the lines `from..to` (1-based, inclusive) that `covered` says no region holds yet. */
export function uncoveredRuns(from: number, to: number, covered: (line: number) => boolean): [number, number][] {
  const runs: [number, number][] = [];
  for (let line = from; line <= to; line++) {
    if (covered(line)) continue;
    const last = runs[runs.length - 1];
    if (last && last[1] === line - 1) last[1] = line;
    else runs.push([line, line]);
  }
  return runs;
}

/** An imported note region, with the text of its lines (to hash the pieces it may be cut into). */
export interface ImportedRegion {
  region: NoteRegion;
  text: readonly string[];
}

/**
 * One file's note regions with imported ones added, none twice: an imported region whose id the
 * file holds already adds only its reviews (our own record imported again, reviewed since); any
 * other adds only the lines no region covers yet, cut into pieces around them (the first keeps
 * the id, the others get `<id>-<offset>`, as carried regions do). Returns the regions and how many imported lines were new.
 */
export function addImported(existing: readonly NoteRegion[], imported: readonly ImportedRegion[]): { regions: NoteRegion[]; lines: number } {
  const regions = existing.map((r) => ({ ...r, reviews: [...r.reviews] }));
  let lines = 0;
  for (const { region, text } of imported) {
    const same = regions.find((r) => r.id === region.id);
    if (same) {
      for (const v of region.reviews) if (!same.reviews.some((w) => w.by === v.by && w.at === v.at && w.hash === v.hash)) same.reviews.push(v);
      continue;
    }
    const covered = (line: number): boolean => regions.some((r) => r.from <= line && line <= r.to);
    uncoveredRuns(region.from, region.to, covered).forEach(([a, b], k) => {
      const piece = text.slice(a - region.from, b - region.from + 1);
      const whole = a === region.from && b === region.to;
      regions.push({
        ...region,
        id: k === 0 ? region.id : `${region.id}-${a - region.from}`,
        from: a,
        to: b,
        hash: whole ? region.hash : linesHash(piece),
        lines: region.lines.slice(a - region.from, b - region.from + 1),
        reviews: [...region.reviews],
      });
      lines += b - a + 1;
    });
  }
  regions.sort((x, y) => x.from - y.from || x.to - y.to || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  return { regions, lines };
}
