/**
 * The note of a commit just made (the post-commit hook): for each file the commit added or changed
 * against its first parent, the store's AI regions mapped onto the committed content (as
 * `check --staged` judges staged content), cut down to the lines the commit added or changed by
 * git's own diff, so that `git blame` and the notes agree on which commit brought which line.
 */
import { createHash } from 'node:crypto';
import { lstatSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { addedLines } from '../core/carry';
import { FileRecord } from '../core/markerFile';
import { emptyNote, hashLines, Note, NoteRegion, NoteReview, noteWriter, serializeNote, setFile } from '../core/note';
import { ignoreMatcher } from '../core/policy';
import { coveredLines, Region } from '../core/regions';
import { LineIndex } from '../core/text';
import { VERSION } from '../core/version';
import { EMPTY_TREE, git, GitError, parseRawDiff, RawDiffEntry, readBlobs } from './git';
import { discardPendingNote, savePendingNote } from './pendingNote';
import { newReads, Reads, regionsKey } from './reads';
import { decodeText, MAX_FILE_BYTES, regionsIn, Repository } from './repository';


/** One file of the commit: its path now, its path in the parent when renamed, its blob, how it changed. */
type ChangedFile = RawDiffEntry;

/** 1-based inclusive line ranges. */
type Ranges = [number, number][];

/** Files `commit` added, modified, renamed or copied against `parent` (or the empty tree). */
async function changedFiles(root: string, commit: string, parent: string | undefined): Promise<ChangedFile[]> {
  const out = await git(root, ['diff-tree', '-r', '-z', '-M', '--no-ext-diff', '--diff-filter=ACMR', parent ?? EMPTY_TREE, commit]);
  return parseRawDiff(out);
}

/**
 * The lines each file gained (added or changed) in `commit`, from `git diff-tree -U0`: the hunk
 * headers' new side. Only `paths` (each file's new and old path, so renames are still found).
 */
async function gainedLines(root: string, commit: string, parent: string, paths: string[]): Promise<Map<string, Ranges>> {
  const args = ['--literal-pathspecs', 'diff-tree', '-r', '-M', '-U0', '--no-ext-diff', '--no-color', '--src-prefix=a/', '--dst-prefix=b/', '--diff-filter=ACMR', parent, commit];
  // A very long path list would pass the command-line limit; the whole diff is then cheaper anyway.
  return addedLines(await git(root, paths.length <= 1000 ? [...args, '--', ...paths] : args));
}

/**
 * Builds the note of a commit of the index on HEAD from what the gate read (`reads`) plus what the
 * note needs besides, writes it as a blob and names it in the store (pendingNote.ts) for
 * post-commit to store. A commit that is not made leaves a blob nothing names, which git's garbage
 * collection removes. Never fails: without a prepared note post-commit builds the note itself, so
 * any problem here only means there is none.
 */
export async function prepareNote(repo: Repository, reads: Reads): Promise<void> {
  try {
    const [tree, parent, identify] = await Promise.all([
      git(repo.root, ['write-tree']).then((out) => out.trim()),
      git(repo.root, ['rev-parse', '-q', '--verify', 'HEAD^{commit}']).then(
        (out) => out.trim(),
        (e: unknown) => {
          if (e instanceof GitError && e.exitCode === 1) return undefined; // No commit yet.
          throw e;
        },
      ),
      identityOf(repo.root),
    ]);
    const { note, settled } = await computeNote(repo, tree, parent, noteWriter(VERSION), identify, reads);
    const policy = repo.policyStamp;
    const markers = Object.fromEntries(reads.identities);
    if (settled && policy !== undefined && !Object.values(markers).includes('unknown')) {
      const blob = (await git(repo.root, ['hash-object', '-w', '--stdin'], serializeNote(note))).trim();
      savePendingNote(repo.store, { tree, parent: parent ?? null, policy, markers }, blob);
      return;
    }
  } catch {
    // Fall through: no prepared note.
  }
  discardPendingNote(repo.store);
}

/** Turns the reviewer recorded in the store (an email) into a git identity for the note. */
export type Identify = (by: string) => string;

/**
 * The note for `commit`. Files the policy ignores, binary files and files without AI regions are
 * left out; a commit without AI lines gets a note with no files.
 */
export async function buildCommitNote(repo: Repository, commit: string, parent: string | undefined, writer: string, identify: Identify): Promise<Note> {
  return (await computeNote(repo, commit, parent, writer, identify, newReads())).note;
}

/**
 * The note of a commit of `tree` (a commit or a tree) on `parent`, built from what `reads` holds
 * and what is read into it. `settled` is false when it depended on more than `reads` records: a
 * new file without markers while the store holds markers of files that are gone, which a later
 * run could still match by the working tree's content.
 */
export async function computeNote(repo: Repository, tree: string, parent: string | undefined, writer: string, identify: Identify, reads: Reads): Promise<{ note: Note; settled: boolean }> {
  const note = emptyNote(writer);
  const { policy } = await repo.policy();
  const isIgnored = ignoreMatcher(policy);
  const changed = (await changedFiles(repo.root, tree, parent)).filter((f) => !isIgnored(f.path));
  // Which files have markers, by the marker files' identities alone (kept in reads): the diff
  // starts before any is read.
  const has = (rel: string): boolean => {
    if (reads.records.has(rel)) return reads.records.get(rel) !== undefined;
    const name = path.basename(repo.store.markerFile(rel));
    const id = reads.identities.get(name) ?? repo.store.identity(rel) ?? 'unknown';
    reads.identities.set(name, id);
    return id !== 'absent' && id !== 'unknown';
  };
  const marked = changed.filter((f) => has(f.path) || (f.from !== undefined && has(f.from)));
  // New files gained every line; the others' gained lines come from git's diff, which runs while
  // the marker files are read.
  const diffed = parent ? marked.filter((f) => f.status !== 'A') : [];
  const gained = diffed.length ? gainedLines(repo.root, tree, parent!, diffed.flatMap((f) => (f.from ? [f.path, f.from] : [f.path]))) : Promise.resolve(new Map<string, Ranges>());
  gained.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled meanwhile
  const files: (ChangedFile & { record: FileRecord })[] = [];
  for (const f of marked) {
    const record = (await repo.store.read(f.path, reads)) ?? (f.from ? await repo.store.read(f.from, reads) : undefined);
    if (record) files.push({ ...f, record });
  }
  // A new file may be one moved by hand (markers still under its old path): as check --staged follows it.
  let settled = true;
  const unknown = changed.filter((f) => f.status === 'A' && !marked.includes(f));
  if (unknown.length) {
    const moves = await repo.followMoves(async () => unknown.map((f) => f.path), undefined, (orphans) => (settled = orphans === 0));
    for (const { to } of moves) {
      reads.records.delete(to); // Read as absent a moment ago.
      const record = await repo.store.read(to, reads);
      const f = unknown.find((u) => u.path === to);
      if (record && f) files.push({ ...f, record });
    }
  }
  const contents = await committedContents(repo, files, reads.texts);
  const ranges = await gained;
  for (const f of files.sort((a, b) => (a.path < b.path ? -1 : 1))) {
    const content = contents.get(f.path);
    if (content === undefined) continue;
    const index = new LineIndex(content);
    const added: Ranges = parent && f.status !== 'A' ? (ranges.get(f.path) ?? []) : [[1, index.lineCount]];
    if (added.length === 0) continue;
    const key = regionsKey(f.record, f.blob);
    const placed = reads.regions.get(key) ?? regionsIn(f.record, content, index);
    reads.regions.set(key, placed);
    const regions = noteRegions(placed, index, added, identify);
    if (regions.length) setFile(note.files, f.path, regions);
  }
  return { note, settled };
}

/**
 * The committed text of each file (binary files left out). Mostly the working-tree file is that
 * very content (its git blob id says so), read without asking git; the rest come from one
 * `git cat-file --batch` (a partially staged file, a file changed since, a file git filters).
 * `texts` holds blobs read before (undefined: binary) and gets the ones read here.
 */
async function committedContents(repo: Repository, files: readonly ChangedFile[], texts: Map<string, string | undefined>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const fromGit: ChangedFile[] = [];
  const add = (f: ChangedFile, buf: Buffer): void => {
    const text = decoded(f.path, buf);
    texts.set(f.blob, text);
    if (text !== undefined) out.set(f.path, text);
  };
  for (const f of files) {
    if (texts.has(f.blob)) {
      const text = texts.get(f.blob);
      if (text !== undefined) out.set(f.path, text);
      continue;
    }
    const buf = readIfBlob(repo.store.absolute(f.path), f.blob);
    if (buf) add(f, buf);
    else fromGit.push(f);
  }
  if (fromGit.length) {
    const blobs = await readBlobs(repo.root, fromGit.map((f) => f.blob));
    for (const f of fromGit) {
      const buf = blobs.get(f.blob);
      if (buf) add(f, buf);
    }
  }
  return out;
}

function decoded(rel: string, buf: Buffer): string | undefined {
  try {
    return decodeText(rel, buf);
  } catch {
    return undefined; // Binary: no lines to speak of.
  }
}

/** The file's bytes when they are the blob `blob` (git's object id of them, SHA-1 or SHA-256), else undefined. */
function readIfBlob(file: string, blob: string): Buffer | undefined {
  let buf: Buffer;
  try {
    const st = lstatSync(file);
    if (!st.isFile() || st.size > MAX_FILE_BYTES) return undefined;
    buf = readFileSync(file);
  } catch {
    return undefined;
  }
  const hash = createHash(blob.length === 64 ? 'sha256' : 'sha1');
  hash.update(`blob ${buf.length}\0`);
  hash.update(buf);
  return hash.digest('hex') === blob ? buf : undefined;
}

/** The regions' lines that lie within `ranges`, as note regions (a region split by the ranges gets `~2`, `~3` ids). */
function noteRegions(regions: Region[], index: LineIndex, ranges: Ranges, identify: Identify): NoteRegion[] {
  const out: NoteRegion[] = [];
  const lineLength = (l: number): number => index.lineLength(l);
  for (const r of regions) {
    const { first, last } = coveredLines(r, lineLength);
    let part = 0;
    for (const [a, b] of ranges) {
      if (a > last + 1) break; // Ranges come in order.
      const from = Math.max(a, first + 1);
      const to = Math.min(b, last + 1, index.lineCount);
      if (from > to) continue;
      part++;
      // Only these lines are taken out of the file's text (a note hashes a few lines of each file).
      const text: string[] = [];
      for (let l = from; l <= to; l++) text.push(index.lineText(l - 1));
      const { hash, lines } = hashLines(text, 1, text.length);
      // The reviewer saw these lines when they reviewed the region; the note says so with this range's hash.
      const reviews: NoteReview[] = r.review ? [{ by: identify(r.review.by), at: r.review.at, hash }] : [];
      out.push({
        id: part === 1 ? r.id : `${r.id}~${part}`,
        from,
        to,
        source: r.source,
        tool: r.tool,
        ...(r.model ? { model: r.model } : {}),
        ...(r.session ? { session: r.session } : {}),
        author: r.author,
        createdAt: r.createdAt,
        hash,
        lines,
        reviews,
      });
    }
  }
  return out;
}

/** `Name <email>` for the configured identity's email, the email as is for anyone else. */
export async function identityOf(root: string): Promise<Identify> {
  let name = '';
  let email = '';
  try {
    for (const line of (await git(root, ['config', '--get-regexp', '^user\\.(name|email)$'])).split('\n')) {
      const space = line.indexOf(' ');
      if (space < 0) continue;
      if (line.slice(0, space) === 'user.name') name = line.slice(space + 1);
      else if (line.slice(0, space) === 'user.email') email = line.slice(space + 1);
    }
  } catch {
    // No identity configured: reviewers are named as the store has them.
  }
  return (by) => (email && name && by === email ? `${name} <${email}>` : by);
}
