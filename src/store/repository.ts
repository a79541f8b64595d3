/**
 * One repository as both the CLI and the extension see it: its marker store, its policy, and the
 * operations on regions (mark, unmark, review, status, check). Both front ends go through here, so
 * the review panel and the pre-commit hook can never disagree.
 */
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { FileRecord, recordFor, RecordHead } from '../core/markerFile';
import { LineProvenance } from '../core/history';
import { DEFAULT_POLICY, ignoreMatcher, parsePolicy, Policy, PolicyResult } from '../core/policy';
import { POLICY_FILE, WARN_POLICY_COPY } from '../core/policyFile';
import { lineSimilarity, reanchor } from '../core/reanchor';
import { addRegion, coveredLines, createRegion, lineSpan, Region, RegionInit, rehash, review, subtract, trimRegions } from '../core/regions';
import { summarize, Summary } from '../core/summary';
import { hashText, lineHashes, LineIndex } from '../core/text';
import { git, locate, newFiles, parseRawDiff, readBlobs, StagedFile, stagedFiles, userEmail } from './git';
import { readUnreviewedNotes } from './committedLines';
import { reviewCommitted, reviewerIdentity, workingProvenance } from './history';
import { UnsupportedFileError } from './errors';
import { MarkerStore, OutsideRepositoryError, StoreError, writeAtomic } from './markerStore';
import { policyStamp } from './pendingNote';
import { Reads, regionsKey } from './reads';

/** Files larger than this are not tracked: nobody reviews them line by line, and diffing them would stall the editor. */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;

export { WARN_POLICY_COPY };

/** The share of lines a moved file must keep to take the markers of a file that is gone. */
const MOVE_SIMILARITY = 0.5;

export { UnsupportedFileError };

/** 1-based inclusive lines, as the command line speaks of them. */
export interface LineRange {
  from: number;
  to: number;
}

export interface FileRegions {
  path: string;
  regions: Region[];
}

export interface CheckResult {
  /** Regions that hold the commit back, per file. */
  blocking: FileRegions[];
  /** Marker files that were corrupt and moved aside; the gate treats them as an error. */
  quarantined: string[];
}

export class Repository {
  private policyCache?: { key: string; policy: Policy; error?: string };
  private emailCache?: string;
  private reviewerCache?: string;

  constructor(readonly root: string, readonly store: MarkerStore) {}

  /** The repository that contains `cwd`. Throws if there is none. */
  static async open(cwd: string): Promise<Repository> {
    const { root, storeDir } = await locate(cwd);
    return new Repository(root, new MarkerStore(root, storeDir));
  }

  relative(input: string): string {
    return this.store.relative(input);
  }

  async author(): Promise<string> {
    this.emailCache ??= await userEmail(this.root);
    return this.emailCache;
  }

  /** The author once `author()` has been awaited, for synchronous callers. */
  get cachedAuthor(): string | undefined {
    return this.emailCache;
  }

  /**
   * `.ai-provenance.json` from the working tree; an invalid one yields the strict default and an
   * error. Re-read when the file changes, since the extension keeps a Repository for hours.
   */
  async policy(): Promise<{ policy: Policy; error?: string }> {
    const file = path.join(this.root, POLICY_FILE);
    let key = 'absent';
    let notFile = false;
    try {
      const st = await fs.stat(file);
      key = policyStamp(st);
      // A FIFO would block the read (and the commit) forever; a folder is no policy either.
      notFile = !st.isFile();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new StoreError(`cannot read ${POLICY_FILE}: ${(e as Error).message}`);
    }
    if (this.policyCache?.key !== key) {
      let bytes: Buffer | undefined;
      try {
        bytes = key === 'absent' || notFile ? undefined : await fs.readFile(file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new StoreError(`cannot read ${POLICY_FILE}: ${(e as Error).message}`);
      }
      const parsed: PolicyResult = notFile ? { ok: false, error: `${POLICY_FILE} is not a regular file`, policy: DEFAULT_POLICY } : parsePolicy(bytes?.toString('utf8'));
      this.policyCache = parsed.ok ? { key, policy: parsed.policy } : { key, policy: parsed.policy, error: parsed.error };
      await this.keepWarnPolicyCopy(parsed.ok && parsed.policy.onError === 'warn' ? bytes : undefined);
    }
    return this.policyCache;
  }

  /**
   * Which version of the policy file `policy()` last read (pendingNote.ts policyStamp; 'absent'
   * when there was none), taken before reading it.
   */
  get policyStamp(): string | undefined {
    return this.policyCache?.key;
  }

  /** Writes (or, given nothing, removes) the copy the hook's shell fallback compares the policy with. */
  private async keepWarnPolicyCopy(bytes: Buffer | undefined): Promise<void> {
    const copy = path.join(this.store.dir, WARN_POLICY_COPY);
    try {
      if (bytes === undefined) {
        await fs.rm(copy, { force: true });
        return;
      }
      const current = await fs.readFile(copy).catch(() => undefined);
      if (current?.equals(bytes)) return;
      await fs.mkdir(this.store.dir, { recursive: true });
      await writeAtomic(copy, bytes.toString('utf8'));
    } catch {
      // Without the copy the fallback blocks, which is the safe side.
    }
  }

  /** The working-tree text of a file, or undefined if it does not exist. Binary and huge files are refused. */
  async readWorkingFile(rel: string): Promise<string | undefined> {
    let buf: Buffer;
    try {
      const abs = this.store.absolute(rel);
      // A stored path that now leads through a link to outside the repository is never read.
      this.store.assertInside(rel);
      const st = await fs.stat(abs);
      if (!st.isFile()) throw new UnsupportedFileError(`${rel} is not a regular file`);
      if (st.size > MAX_FILE_BYTES) throw new UnsupportedFileError(`${rel} is too large to track (${st.size} bytes; the limit is ${MAX_FILE_BYTES})`);
      buf = await fs.readFile(abs);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    return decodeText(rel, buf);
  }

  /** A file's regions positioned in `content` (the working tree when omitted), re-anchored if the file moved on. */
  async regions(rel: string, content?: string): Promise<Region[]> {
    const record = await this.store.read(rel);
    if (!record) return [];
    const text = content ?? (await this.readWorkingFile(rel));
    if (text === undefined) return [];
    return regionsIn(record, text);
  }

  /**
   * Changes a file's regions under the store's lock: `fn` receives the regions positioned in
   * `content` (read from the working tree when omitted) and returns the new list.
   */
  async updateRegions(rel: string, fn: (regions: Region[], record: FileRecord | undefined) => Region[], content?: string): Promise<Region[]> {
    const text = content ?? (await this.readWorkingFile(rel));
    if (text === undefined) throw new UnsupportedFileError(`${rel} does not exist`);
    const index = new LineIndex(text);
    const saved = await this.store.update(rel, (current) => {
      const regions = rehash(fn(current ? regionsIn(current, text, index) : [], current), index);
      if (regions.length === 0) return undefined;
      return recordFor(rel, text, regions);
    });
    return saved?.regions ?? [];
  }

  /** Records new AI text. `range` omitted means the whole file. */
  async mark(rel: string, range: LineRange | undefined, init: Omit<RegionInit, 'start' | 'end'>): Promise<Region> {
    const author = init.author ?? (await this.author());
    const content = await this.readWorkingFile(rel);
    if (content === undefined) throw new UnsupportedFileError(`${rel} does not exist`);
    const index = new LineIndex(content);
    checkRange(rel, range, index);
    const span = range ? lineSpan(index, range.from, range.to) : { start: { line: 0, character: 0 }, end: index.positionAt(content.length) };
    const added = createRegion({ ...init, author, ...span, hash: hashText(index.slice(span.start, span.end)) });
    await this.updateRegions(rel, (regions) => addRegion(regions, added), content);
    return added;
  }

  /** Declares lines human-written: removes them from every region. */
  async unmark(rel: string, range: LineRange | undefined): Promise<void> {
    const content = await this.readWorkingFile(rel);
    if (content === undefined) throw new UnsupportedFileError(`${rel} does not exist`);
    const index = new LineIndex(content);
    checkRange(rel, range, index);
    if (!range) {
      await this.store.remove(rel);
      return;
    }
    const span = lineSpan(index, range.from, range.to);
    await this.updateRegions(rel, (regions) => subtract(regions, span.start, span.end), content);
  }

  /**
   * Marks reviewed every region of the file that overlaps `range` (or all of them): in the store
   * (the working tree's regions) and, for lines already committed, in the notes of the commits that
   * wrote them, so `verify` passes without rewriting history. Returns how many regions changed.
   */
  async review(rel: string, range: LineRange | undefined): Promise<number> {
    const content = await this.readWorkingFile(rel);
    if (content === undefined) throw new UnsupportedFileError(`${rel} does not exist`);
    const index = new LineIndex(content);
    checkRange(rel, range, index);
    const by = await this.author();
    let ids = new Set<string>();
    await this.updateRegions(
      rel,
      (regions) => {
        ids = new Set(regions.filter((r) => !r.review && overlapsLines(r, range, index)).map((r) => r.id));
        return review(regions, index, by, ids);
      },
      content,
    );
    for (const id of await this.reviewCommitted(rel, range)) ids.add(id);
    return ids.size;
  }

  /**
   * Records a review of the committed AI lines of a file that `range` touches (all when omitted)
   * in the notes of the commits that wrote them (see history.reviewCommitted). The extension's
   * panel and hover call this beside the store's review. Returns the ids of the regions recorded.
   */
  async reviewCommitted(rel: string, range: LineRange | undefined): Promise<string[]> {
    this.reviewerCache ??= await reviewerIdentity(this.root);
    return reviewCommitted(this.root, rel, range, this.reviewerCache);
  }

  /**
   * What history knows of lines of a working-tree file (its text as `contents` has it, saved or
   * not): the commit that wrote each line, and whether that commit's note holds it as AI and who
   * reviewed it. Lines not committed yet come back with `commit: null`.
   */
  async lineHistory(rel: string, lines?: { from: number; to: number }, contents?: string): Promise<LineProvenance[]> {
    return workingProvenance(this.root, rel, { lines, contents });
  }

  /**
   * Files of the working tree with unreviewed AI regions in some commit's note: what `review --all`
   * visits beside the store's files. A file renamed by a commit since its note was written is found
   * under its new name, as git's rename detection pairs them (a rename not committed yet is not:
   * blame cannot follow it either).
   */
  async filesWithUnreviewedNotes(): Promise<string[]> {
    const { notes, unreadable } = await readUnreviewedNotes(this.root);
    if (unreadable.length) throw unreadable[0];
    const paths = new Set<string>();
    for (const [commit, note] of notes) {
      const missing = Object.keys(note.files).filter((p) => !existsSync(this.store.absolute(p)));
      for (const p of Object.keys(note.files)) if (!missing.includes(p)) paths.add(p);
      if (missing.length) for (const p of await this.renamedSince(commit, missing)) paths.add(p);
    }
    return [...paths].filter((p) => existsSync(this.store.absolute(p))).sort();
  }

  /** Where `paths` of `commit` are at HEAD, for those git sees as renamed since. */
  private async renamedSince(commit: string, paths: readonly string[]): Promise<string[]> {
    const wanted = new Set(paths);
    const out = await git(this.root, ['diff', '--raw', '-z', '-M', '--diff-filter=R', '--no-ext-diff', commit, 'HEAD']).catch(() => '');
    return parseRawDiff(out).filter((e) => e.from !== undefined && wanted.has(e.from)).map((e) => e.path);
  }

  /** Every tracked file with its regions in the working tree, sorted by path. */
  async status(): Promise<FileRegions[]> {
    let records = await this.store.list();
    if ((await this.followMoves(() => newFiles(this.root), records)).length) records = await this.store.list();
    const out: FileRegions[] = [];
    for (const record of records) {
      let content: string | undefined;
      try {
        content = await this.readWorkingFile(record.path);
      } catch (e) {
        // Not text we track, or a link to outside: nothing git would commit under this path.
        if (e instanceof UnsupportedFileError || e instanceof OutsideRepositoryError) continue;
        throw e;
      }
      if (content === undefined) continue;
      const regions = regionsIn(record, content);
      if (regions.length) out.push({ path: record.path, regions });
    }
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /**
   * Follows files moved while nothing watched (a terminal `mv` with the editor closed, a move before
   * the first commit, where git sees no rename): the markers of a file that is gone move to the
   * candidate path whose content is what they were recorded against, or failing that, to the one
   * candidate that shares at least half its lines with it (as git judges renames), where reading
   * them re-anchors the regions. Ties and two gone files with the same content stay put.
   * `candidates` is only asked for when some record's file is gone. Returns the moves made;
   * `unmoved` hears how many records were left without their file.
   */
  async followMoves(candidates: () => Promise<readonly string[]>, heads?: readonly RecordHead[], unmoved?: (orphans: number) => void): Promise<{ from: string; to: string }[]> {
    heads ??= await this.store.heads();
    const known = new Set(heads.map((r) => r.path));
    const orphans = new Map<string, RecordHead | null>();
    for (const r of heads) {
      if (!existsSync(this.store.absolute(r.path))) orphans.set(r.contentHash, orphans.has(r.contentHash) ? null : r);
    }
    unmoved?.(orphans.size);
    if (orphans.size === 0) return [];
    const moves: { from: string; to: string }[] = [];
    const move = async (orphan: RecordHead, rel: string): Promise<void> => {
      orphans.delete(orphan.contentHash);
      await this.store.rename(orphan.path, rel);
      moves.push({ from: orphan.path, to: rel });
    };
    const unmatched: { rel: string; lines: number[] }[] = [];
    for (const rel of await candidates()) {
      if (orphans.size === 0) break;
      if (known.has(rel)) continue;
      let text: string | undefined;
      try {
        text = await this.readWorkingFile(rel);
      } catch {
        continue; // A directory, binary or huge: nothing of ours.
      }
      if (text === undefined) continue;
      const orphan = orphans.get(hashText(text));
      if (orphan) await move(orphan, rel);
      else unmatched.push({ rel, lines: lineHashes(text) });
    }
    // Moved and then edited: the most similar candidate, if it alone is similar enough.
    for (const head of [...orphans.values()]) {
      if (!head || unmatched.length === 0) continue;
      const orphan = await this.store.read(head.path);
      if (!orphan) continue;
      const scored = unmatched.map((c) => ({ c, score: lineSimilarity(orphan.lines, c.lines) })).sort((x, y) => y.score - x.score);
      if (scored[0].score < MOVE_SIMILARITY || scored[1]?.score === scored[0].score) continue;
      await move(orphan, scored[0].c.rel);
      unmatched.splice(unmatched.indexOf(scored[0].c), 1);
    }
    unmoved?.(orphans.size);
    return moves;
  }

  /**
   * The working tree's unreviewed regions, sorted into what blocks a commit and what the policy
   * ignores: what `status`, `check` and the editor's panel and status bar all count. `files` is
   * `status()`'s answer when the caller already has it.
   */
  async summary(files?: FileRegions[]): Promise<Summary<Region>> {
    const { policy } = await this.policy();
    return summarize(files ?? (await this.status()), ignoreMatcher(policy));
  }

  /**
   * The regions that hold a commit back: in the index with `staged`, else in the working tree.
   * With `reads` (staged only), what was read is left there for the note prepared beside the gate.
   */
  async check(staged: boolean, reads?: Reads): Promise<CheckResult> {
    if (!staged) {
      const { blocking } = await this.summary();
      // Listed after reading, so a marker file found corrupt just now counts too.
      return { blocking, quarantined: await this.store.quarantined() };
    }
    const { policy } = await this.policy();
    const isIgnored = ignoreMatcher(policy);
    // Only the staged paths' marker files are read: a commit of 3 files costs 3 reads, however
    // many files the store knows. Ignored paths are not read at all: they cannot block.
    const files: (StagedFile & { record: FileRecord })[] = [];
    const unknown: StagedFile[] = [];
    for (const f of await stagedFiles(this.root)) {
      if (isIgnored(f.path)) continue;
      const record = (await this.store.read(f.path, reads)) ?? (f.from ? await this.store.read(f.from, reads) : undefined);
      if (record) files.push({ ...f, record });
      else if (f.added) unknown.push(f);
    }
    // A new file may be one moved before its first commit, where git sees no rename.
    if (unknown.length) {
      for (const { to } of await this.followMoves(async () => unknown.map((f) => f.path))) {
        reads?.records.delete(to); // Read as absent a moment ago.
        const record = await this.store.read(to, reads);
        if (record) files.push({ ...unknown.find((f) => f.path === to)!, record });
      }
    }
    const blobs = await readBlobs(this.root, files.map((f) => f.blob));
    const inIndex: FileRegions[] = [];
    for (const f of files) {
      const buf = blobs.get(f.blob);
      if (!buf) throw new StoreError(`cannot read the staged content of ${f.path}`);
      let content: string;
      try {
        content = decodeText(f.path, buf);
      } catch {
        reads?.texts.set(f.blob, undefined);
        continue; // A binary blob holds no reviewable lines.
      }
      const regions = regionsIn(f.record, content);
      if (reads) {
        reads.texts.set(f.blob, content);
        reads.regions.set(regionsKey(f.record, f.blob), regions);
      }
      inIndex.push({ path: f.path, regions });
    }
    return { blocking: summarize(inIndex, isIgnored).blocking, quarantined: await this.store.quarantined() };
  }
}

/** A record's regions positioned in `content`, re-anchored when the content is not the one they were recorded against. */
export function regionsIn(record: FileRecord, content: string, index = new LineIndex(content)): Region[] {
  // Trimmed to what AI made visible: 0.1 recorded a completion's leading line break, marking the user's line.
  if (hashText(content) === record.contentHash) return trimRegions(record.regions, index);
  return reanchor(record.regions, record.lines, index);
}

function overlapsLines(r: Region, range: LineRange | undefined, index: LineIndex): boolean {
  if (!range) return true;
  const { first, last } = coveredLines(r, (l) => index.lineLength(l));
  return first + 1 <= range.to && last + 1 >= range.from;
}

function checkRange(rel: string, range: LineRange | undefined, index: LineIndex): void {
  if (!range) return;
  if (range.from < 1 || range.to < range.from) throw new RangeError(`invalid line range ${range.from}-${range.to} for ${rel}`);
  if (range.from > index.lineCount) throw new RangeError(`${rel} has ${index.lineCount} lines; line ${range.from} does not exist`);
}

/** Text of a file, refusing binary content (a NUL byte in the first 8 KB, as git decides). */
export function decodeText(rel: string, buf: Buffer): string {
  if (buf.subarray(0, 8000).includes(0)) throw new UnsupportedFileError(`${rel} is a binary file`);
  const text = buf.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
