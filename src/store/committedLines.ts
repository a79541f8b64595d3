/**
 * The working tree's committed AI lines that their commits' notes hold unreviewed: what `verify`
 * in CI fails on until someone reviews them, lines a teammate's commits brought included, of which
 * this clone's marker store knows nothing. Found in two steps: the paths that notes name with
 * unreviewed regions (the notes tree listed once, its note blobs read through one cat-file
 * process), then a blame of each such working-tree file, looked up in those notes by
 * core/history's lineProvenance, as `verify` and the hover read them.
 *
 * What it misses, by design:
 * - a file renamed or moved after its note was written: it is looked for under the note's path,
 *   so it is not found (blame would follow the rename, but nothing says where to look);
 * - past `maxFiles` candidate paths (in path order) the rest are left out, and counted;
 * - a file changed on disk with neither HEAD, the notes nor a save saying so is seen as it was at
 *   the last scan until the next one (CommittedLines.scan compares each file's size and time).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { LineProvenance, lineProvenance } from '../core/history';
import { isReviewed, NoteError, NoteRegion, parseNote, setFile } from '../core/note';
import { catFileBatch, git, GitError } from './git';
import { workingOrigins } from './history';
import { refValue } from './notes';

/** Consecutive committed, unreviewed AI lines of one working-tree file from one region of one commit's note. */
export interface CommittedRun {
  path: string;
  /** 1-based, inclusive, in the working-tree file as it is on disk. */
  from: number;
  to: number;
  /** Full id of the commit whose note holds the lines. */
  commit: string;
  /** Id of the note's region the lines belong to. */
  region: string;
  source: string;
  tool: string | null;
  model: string | null;
  /** Who was at the keyboard (the note's author), and when the region was created. */
  author: string;
  createdAt: string;
}

/** A note cut down to its files that hold an unreviewed region (with all of their regions: a line is reviewed only when every region covering it is). */
export interface UnreviewedNote {
  files: Record<string, NoteRegion[]>;
}

/** What the notes say, cut down to what can still need a review. */
export interface UnreviewedNotes {
  /** The notes ref's commit they were read from; undefined when the clone has no notes. */
  ref: string | undefined;
  /** Commit -> its note, cut down. */
  notes: Map<string, UnreviewedNote>;
  /** Path -> the `commit:blob` pairs of the notes naming it unreviewed: changes whenever one of those notes does. */
  paths: Map<string, string>;
  /** Notes that cannot be read (corrupt, a newer format): left out, and named so the caller can say so. */
  unreadable: NoteError[];
}

/** A note blob's files with unreviewed regions, or null when it has none; kept per blob id between reads. */
export type NoteBlobCache = Map<string, Record<string, NoteRegion[]> | null>;

const NOTE_PATH = /^(?:[0-9a-f]{2}\/){0,2}[0-9a-f]+$/;
const FULL_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * Every note of the notes ref (at `ref`, read when not given) with unreviewed regions. The notes
 * tree is listed once; only blobs `cache` does not hold are read and parsed, and the cache keeps
 * just the blobs the tree holds now.
 */
export async function readUnreviewedNotes(root: string, cache: NoteBlobCache = new Map(), ref?: string): Promise<UnreviewedNotes> {
  ref ??= await refValue(root);
  const out: UnreviewedNotes = { ref, notes: new Map(), paths: new Map(), unreadable: [] };
  if (!ref) {
    cache.clear();
    return out;
  }
  // Notes fan out into folders (ab/cdef…) as they grow; the commit id is the path without slashes.
  const entries: { commit: string; blob: string }[] = [];
  for (const entry of (await git(root, ['ls-tree', '-r', '-z', ref])).split('\0')) {
    const m = /^\d+ blob ([0-9a-f]+)\t(.+)$/s.exec(entry);
    if (!m || !NOTE_PATH.test(m[2])) continue;
    const commit = m[2].replace(/\//g, '');
    if (FULL_ID.test(commit)) entries.push({ commit, blob: m[1] });
  }
  const live = new Set(entries.map((e) => e.blob));
  for (const blob of cache.keys()) if (!live.has(blob)) cache.delete(blob);
  const unknown = [...new Set(entries.filter((e) => !cache.has(e.blob)).map((e) => e.blob))];
  const errors = new Map<string, { error: string; newer: boolean }>();
  const answers = await catFileBatch(root, unknown);
  unknown.forEach((blob, i) => {
    const parsed = parseNote(answers[i]?.data.toString('utf8') ?? '');
    if (!parsed.ok) errors.set(blob, { error: answers[i] ? parsed.error : 'its blob is missing', newer: parsed.newer === true });
    else cache.set(blob, unreviewedFiles(parsed.note.files));
  });
  const byPath = new Map<string, string[]>();
  for (const { commit, blob } of entries) {
    const bad = errors.get(blob);
    if (bad) {
      out.unreadable.push(new NoteError(`the AI Provenance note of commit ${commit.slice(0, 12)} cannot be read: ${bad.error}`, commit, bad.newer));
      continue;
    }
    const files = cache.get(blob);
    if (!files) continue;
    out.notes.set(commit, { files });
    for (const p of Object.keys(files)) byPath.set(p, [...(byPath.get(p) ?? []), `${commit}:${blob}`]);
  }
  for (const [p, list] of byPath) out.paths.set(p, list.sort().join(' '));
  return out;
}

/** The files of a note that hold an unreviewed region, or null when none does. */
function unreviewedFiles(files: Record<string, NoteRegion[]>): Record<string, NoteRegion[]> | null {
  let out: Record<string, NoteRegion[]> | null = null;
  for (const [p, regions] of Object.entries(files)) {
    if (!regions.some((r) => !isReviewed(r))) continue;
    out ??= {};
    setFile(out, p, regions);
  }
  return out;
}

/**
 * The committed lines of one working-tree file's provenance that are AI-written and unreviewed,
 * in runs of consecutive lines from one region of one note. `notes` must hold every note that
 * names the file with an unreviewed region (readUnreviewedNotes gives exactly those).
 */
export function committedRuns(rel: string, lines: readonly LineProvenance[], notes: ReadonlyMap<string, UnreviewedNote>): CommittedRun[] {
  const runs: CommittedRun[] = [];
  let last: CommittedRun | undefined;
  for (const l of lines) {
    if (!l.ai || l.reviewed || l.commit === null) continue;
    const files = notes.get(l.commit)?.files;
    const regions = files && Object.hasOwn(files, l.origPath) ? files[l.origPath] : [];
    const covering = regions.filter((r) => l.regions.includes(r.id));
    // The region that keeps the line unreviewed (lineProvenance names them all, reviewed or not).
    const r = covering.find((c) => !isReviewed(c)) ?? covering[0];
    if (!r) continue;
    if (last && last.to + 1 === l.line && last.commit === l.commit && last.region === r.id) {
      last.to = l.line;
      continue;
    }
    last = { path: rel, from: l.line, to: l.line, commit: l.commit, region: r.id, source: r.source, tool: r.tool, model: r.model ?? null, author: r.author, createdAt: r.createdAt };
    runs.push(last);
  }
  return runs;
}

/**
 * `runs` without the lines of `covered` (1-based inclusive ranges): a run is cut where a covered
 * range falls inside it, and dropped when covered whole.
 */
export function withoutLines(runs: readonly CommittedRun[], covered: readonly { from: number; to: number }[]): CommittedRun[] {
  return runs.flatMap((run) => {
    let pieces = [{ from: run.from, to: run.to }];
    for (const c of covered) {
      pieces = pieces.flatMap((p) => {
        if (c.to < p.from || c.from > p.to) return [p];
        return [...(p.from < c.from ? [{ from: p.from, to: c.from - 1 }] : []), ...(c.to < p.to ? [{ from: c.to + 1, to: p.to }] : [])];
      });
    }
    return pieces.map((p) => ({ ...run, ...p }));
  });
}

export interface CommittedScan {
  /** Sorted by path and line. */
  runs: CommittedRun[];
  /** Working-tree files that notes name with unreviewed regions, that were looked at. */
  files: number;
  /** Such files left out by the cap. */
  skipped: number;
  /** Files blamed by this scan (the others' runs were kept from the last one). */
  blamed: number;
  unreadable: NoteError[];
  /** Files whose blame failed: left out of `runs` this time. */
  failed: { path: string; error: Error }[];
}

export interface CommittedLinesOptions {
  /** How many candidate files one scan looks at, at most (in path order). */
  maxFiles?: number;
  /** Files larger than this are not looked at (the editor does not track them either). */
  maxFileBytes?: number;
  /** Blames run at once. */
  concurrency?: number;
}

/** Default cap on the files a scan looks at: each costs one blame. */
export const MAX_COMMITTED_FILES = 200;

interface Known {
  /** What the file's runs were computed from: the notes naming it, and the file's size and time. */
  key: string;
  runs: CommittedRun[];
}

/**
 * The committed, unreviewed AI lines of one repository's working tree, kept between scans so that
 * a scan re-blames only what may have changed: the files whose notes changed (a review, a fetch
 * of notes), that changed on disk, or that the commits HEAD moved forward by touched; every
 * candidate when HEAD moved otherwise.
 */
export class CommittedLines {
  private readonly cache: NoteBlobCache = new Map();
  private notes?: UnreviewedNotes;
  private head?: string;
  private known = new Map<string, Known>();

  constructor(readonly root: string, private readonly options: CommittedLinesOptions = {}) {}

  /** The paths the last scan looked at. */
  get candidates(): ReadonlySet<string> {
    return new Set(this.known.keys());
  }

  /**
   * Scans the working tree. Only files whose notes, size or modification time changed since the
   * last scan are blamed again, and those the commits HEAD moved forward by changed; every
   * candidate when HEAD moved anywhere else (a checkout, a reset) or `all` is set (a refresh asked
   * for by hand).
   */
  async scan(all = false): Promise<CommittedScan> {
    const [head, ref] = await Promise.all([headCommit(this.root), refValue(this.root)]);
    if (!this.notes || this.notes.ref !== ref) this.notes = await readUnreviewedNotes(this.root, this.cache, ref);
    const notes = this.notes;
    let moved: ReadonlySet<string> = new Set();
    if (head !== this.head) {
      const changed = this.head && head ? await changedSince(this.root, this.head, head) : undefined;
      if (changed) moved = changed;
      else all = true;
    }
    const maxFiles = this.options.maxFiles ?? MAX_COMMITTED_FILES;
    const candidates: { rel: string; key: string }[] = [];
    let skipped = 0;
    for (const rel of [...notes.paths.keys()].sort()) {
      const st = await fs.stat(path.join(this.root, rel)).catch(() => undefined);
      if (!st?.isFile() || st.size > (this.options.maxFileBytes ?? Infinity)) continue;
      if (candidates.length >= maxFiles) {
        skipped++;
        continue;
      }
      candidates.push({ rel, key: `${notes.paths.get(rel)}\0${st.size}:${st.mtimeMs}` });
    }
    const stale = candidates.filter((c) => all || moved.has(c.rel) || this.known.get(c.rel)?.key !== c.key);
    const failed: CommittedScan['failed'] = [];
    const fresh = await mapLimit(stale, this.options.concurrency ?? 2, async (c) => {
      try {
        const provenance = lineProvenance(await workingOrigins(this.root, c.rel), notes.notes);
        return committedRuns(c.rel, provenance, notes.notes);
      } catch (e) {
        failed.push({ path: c.rel, error: e instanceof Error ? e : new Error(String(e)) });
        return undefined;
      }
    });
    const blamed = new Map(stale.map((c, i) => [c.rel, fresh[i]]));
    const known = new Map<string, Known>();
    for (const c of candidates) {
      const runs = blamed.has(c.rel) ? blamed.get(c.rel) : this.known.get(c.rel)?.runs;
      // A file whose blame failed is tried again next time (an empty key matches nothing).
      known.set(c.rel, runs ? { key: c.key, runs } : { key: '', runs: [] });
    }
    this.known = known;
    this.head = head;
    return { runs: [...known.values()].flatMap((k) => k.runs), files: candidates.length, skipped, blamed: stale.length, unreadable: notes.unreadable, failed };
  }
}

async function headCommit(root: string): Promise<string | undefined> {
  try {
    return (await git(root, ['rev-parse', '-q', '--verify', 'HEAD^{commit}'])).trim() || undefined;
  } catch (e) {
    // No commits yet: nothing is committed.
    if (e instanceof GitError) return undefined;
    throw e;
  }
}

/**
 * The paths that `from..to` changed when `to` descends from `from` (a commit, a fast-forward): a
 * file they did not touch keeps its blame. Undefined when HEAD went anywhere else.
 */
async function changedSince(root: string, from: string, to: string): Promise<Set<string> | undefined> {
  try {
    await git(root, ['merge-base', '--is-ancestor', from, to]);
  } catch (e) {
    // Exit 1: not an ancestor. Anything else (a commit gone by gc): nothing can be assumed either.
    if (e instanceof GitError) return undefined;
    throw e;
  }
  const out = await git(root, ['diff', '--name-only', '-z', '--no-renames', '--no-ext-diff', '--no-textconv', from, to, '--']);
  return new Set(out.split('\0').filter(Boolean));
}

/** `fn` over `items`, at most `limit` at a time; results in the order of `items`. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
