/**
 * Provenance through history rewrites: the notes of the commits that an amend, a rebase (squash,
 * fixup, reorder, onto a moved upstream), a cherry-pick or a `merge --squash` replaced are carried
 * onto the commits that replaced them, re-anchored by src/core/carry.ts. What git tells each hook:
 *
 * - post-rewrite `amend` / `rebase`: stdin lines `<old> <new>`; several olds map to one new for a
 *   squash or fixup. During a rebase git also runs post-rewrite `amend` for each squash step; the
 *   rebase's own list repeats those pairs, so the `amend` run is skipped while a rebase is going on.
 * - cherry-pick: no post-rewrite; post-commit runs with CHERRY_PICK_HEAD naming the source commit
 *   (also for each commit a rebase picks, which its post-rewrite handles, so not then).
 * - `merge --squash`: post-merge runs with argument 1 while SQUASH_MSG lists the squashed commits;
 *   the commit made afterwards no longer sees SQUASH_MSG, so post-merge writes them down and the
 *   next post-commit on top of the same HEAD carries them.
 */
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { addedLines, CarrySource, carryRegions } from '../core/carry';
import { emptyNote, Note, NoteRegion, noteWriter, setFile } from '../core/note';
import { splitLines } from '../core/text';
import { VERSION } from '../core/version';
import { catFileBatch, CommitContext, EMPTY_TREE, git, gitPath } from './git';
import { readNotes, writeNote } from './notes';

const WRITER = noteWriter(VERSION);

/** Reads `<rev>:<path>` names through one `git cat-file --batch`; undefined for what is missing, not a blob, or binary. */
export async function readTexts(root: string, names: readonly string[]): Promise<(string | undefined)[]> {
  // Binary content has no lines to carry.
  return (await catFileBatch(root, names)).map((o) => (o && o.type === 'blob' && !o.data.includes(0) ? o.data.toString('utf8') : undefined));
}

/** Full ids of `revs`, in order (throws GitError naming what does not resolve). */
export async function resolveCommits(root: string, revs: readonly string[]): Promise<string[]> {
  if (revs.length === 0) return [];
  const out = await git(root, ['rev-parse', '--verify', '--end-of-options', ...revs.map((r) => `${r}^{commit}`)]);
  return out.trim().split('\n');
}

/** The first parent of a commit, or undefined for a root commit. */
async function firstParent(root: string, commit: string): Promise<string | undefined> {
  const line = (await git(root, ['rev-list', '--parents', '-n', '1', commit])).trim().split(' ');
  return line[1];
}

/** What a commit adds or changes relative to its first parent: path -> 1-based ranges. */
export async function commitAddedLines(root: string, commit: string): Promise<Map<string, [number, number][]>> {
  const parent = (await firstParent(root, commit)) ?? EMPTY_TREE;
  const diff = await git(root, [
    '-c', 'core.quotePath=false', 'diff', '--unified=0', '--no-color', '--no-ext-diff', '--no-textconv', '-M',
    '--src-prefix=a/', '--dst-prefix=b/', parent, commit, '--',
  ]);
  return addedLines(diff);
}

/** Renames between two commits: old path -> new path. */
async function renames(root: string, from: string, to: string): Promise<Map<string, string>> {
  const out = await git(root, ['diff', '--name-status', '-M', '-z', '--diff-filter=R', from, to, '--']);
  const fields = out.split('\0');
  const map = new Map<string, string>();
  for (let i = 0; i + 2 < fields.length; i += 3) map.set(fields[i + 1], fields[i + 2]);
  return map;
}

function inRanges(ranges: readonly [number, number][]): (line: number) => boolean {
  return (i) => ranges.some(([a, b]) => i + 1 >= a && i + 1 <= b);
}

/**
 * The note `commit` gets from the notes of `olds` (the commits it replaced, or a range's commits),
 * or undefined when none of them has a note (nothing to say: they were made without the tool).
 * Each old file's regions go to the same path in `commit`, or where the file was renamed to.
 */
export async function carriedNote(root: string, commit: string, olds: readonly string[], noted?: Map<string, Note>): Promise<Note | undefined> {
  const notes = noted ?? (await readNotes(root, olds));
  const withNote = olds.filter((o) => notes.has(o));
  if (withNote.length === 0) return undefined;
  const added = await commitAddedLines(root, commit);
  // Per new path: the sources (old commit, old path, regions).
  const wanted = new Map<string, { old: string; oldPath: string; regions: NoteRegion[] }[]>();
  for (const old of withNote) {
    const files = notes.get(old)?.files ?? {};
    let renamed: Map<string, string> | undefined;
    for (const oldPath of Object.keys(files)) {
      if (files[oldPath].length === 0) continue;
      let newPath = oldPath;
      if (!added.has(oldPath)) {
        renamed ??= await renames(root, old, commit);
        newPath = renamed.get(oldPath) ?? oldPath;
      }
      if (!added.has(newPath)) continue; // The commit does not touch that file: nothing of it is its own.
      const list = wanted.get(newPath) ?? [];
      list.push({ old, oldPath, regions: files[oldPath] });
      wanted.set(newPath, list);
    }
  }
  const newPaths = [...wanted.keys()];
  const sources = newPaths.flatMap((p) => wanted.get(p) ?? []);
  const texts = await readTexts(root, [...newPaths.map((p) => `${commit}:${p}`), ...sources.map((s) => `${s.old}:${s.oldPath}`)]);
  const note = emptyNote(WRITER);
  let k = newPaths.length;
  newPaths.forEach((p, i) => {
    const text = texts[i];
    const list = wanted.get(p) ?? [];
    const carrySources: CarrySource<NoteRegion>[] = list.map((s) => {
      const oldText = texts[k++];
      return { regions: s.regions, ...(oldText === undefined ? {} : { oldLines: splitLines(oldText) }) };
    });
    if (text === undefined) return;
    const regions = carryRegions(carrySources, { lines: splitLines(text), added: inRanges(added.get(p) ?? []) });
    if (regions.length) setFile(note.files, p, regions);
  });
  return note;
}

/** Carries the notes of `olds` onto `commit` (merged with any note it has). Returns the stored note, or undefined when no old commit had a note. */
export async function carryNotes(root: string, commit: string, olds: readonly string[]): Promise<Note | undefined> {
  const note = await carriedNote(root, commit, olds);
  return note ? writeNote(root, commit, note) : undefined;
}

export interface RangeCarry {
  /** Commits in the range. */
  commits: number;
  /** Of those, the ones with a note. */
  noted: number;
  /** Regions and lines the commit got. */
  regions: number;
  lines: number;
}

/**
 * `notes carry <base>..<head> <commit>`: gives `commit` (a squash of the range made where no hook
 * ran: a host's squash merge) the provenance of every commit in the range, re-anchored onto its
 * content and limited to the lines it adds. A line the range added with AI and later changed by
 * hand does not match its region's hashes any more, so it is not carried.
 */
export async function carryRange(root: string, base: string, head: string, commit: string): Promise<RangeCarry> {
  const commits = (await git(root, ['rev-list', '--reverse', `${base}..${head}`])).split('\n').filter(Boolean);
  const notes = await readNotes(root, commits);
  const note = await carriedNote(root, commit, commits, notes);
  if (!note) return { commits: commits.length, noted: 0, regions: 0, lines: 0 };
  await writeNote(root, commit, note);
  const regions = Object.values(note.files).flat();
  return { commits: commits.length, noted: notes.size, regions: regions.length, lines: regions.reduce((n, r) => n + r.to - r.from + 1, 0) };
}

/** Parses post-rewrite's stdin into new commit -> the old commits it replaces (in order). */
export function parseRewrites(stdin: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of stdin.split('\n')) {
    const [old, next] = line.trim().split(/\s+/);
    if (!/^[0-9a-f]{40,64}$/.test(old ?? '') || !/^[0-9a-f]{40,64}$/.test(next ?? '')) continue;
    const list = out.get(next) ?? [];
    if (!list.includes(old)) list.push(old);
    out.set(next, list);
  }
  return out;
}

/** True while a rebase (either backend) is stopped or running in this worktree. */
export async function rebaseInProgress(root: string): Promise<boolean> {
  for (const name of ['rebase-merge', 'rebase-apply']) {
    if (await exists(await gitPath(root, name))) return true;
  }
  return false;
}

/** The post-rewrite hook: `amend` or `rebase`, with git's list on stdin. Returns how many commits got a note. */
export async function postRewrite(root: string, kind: string, stdin: string): Promise<number> {
  if (kind === 'amend' && (await rebaseInProgress(root))) return 0;
  const rewrites = parseRewrites(stdin);
  const notes = await readNotes(root, [...new Set([...rewrites.values()].flat())]);
  let written = 0;
  for (const [next, olds] of rewrites) {
    const note = await carriedNote(root, next, olds, notes);
    if (!note) continue;
    await writeNote(root, next, note);
    written++;
  }
  return written;
}

const SQUASH_PENDING = 'squash-pending.json';

async function storeFile(root: string, name: string): Promise<string> {
  return path.join(await gitPath(root, 'ai-provenance'), name);
}

/**
 * post-merge: after `merge --squash` (argument 1) write down HEAD and the squashed commits that
 * SQUASH_MSG lists, for the post-commit that follows.
 */
export async function postMergeSquash(root: string, squash: string): Promise<void> {
  if (squash !== '1') return;
  let message: string;
  try {
    message = await fs.readFile(await gitPath(root, 'SQUASH_MSG'), 'utf8');
  } catch {
    return;
  }
  const commits = [...message.matchAll(/^commit ([0-9a-f]{40,64})$/gm)].map((m) => m[1]);
  if (commits.length === 0) return;
  const head = (await git(root, ['rev-parse', 'HEAD'])).trim();
  const file = await storeFile(root, SQUASH_PENDING);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, JSON.stringify({ head, commits }) + '\n');
}

/**
 * post-commit, after the note of HEAD is written: a cherry-pick carries its source's note; the
 * commit that follows a `merge --squash` on the same HEAD carries the squashed commits' notes.
 */
export async function postCommitCarry(root: string, context?: CommitContext): Promise<void> {
  // The hook passes what one rev-parse told it; without it, each is asked for.
  const head = context?.commit ?? (await git(root, ['rev-parse', 'HEAD'])).trim();
  const pendingFile = context ? path.join(context.storeDir, SQUASH_PENDING) : await storeFile(root, SQUASH_PENDING);
  const pending = readPending(pendingFile);
  if (pending) {
    await fs.rm(pendingFile, { force: true });
    if ((context ? context.parent : await firstParent(root, head)) === pending.head) await carryNotes(root, head, pending.commits);
  }
  if (context ? existsSync(context.rebaseMerge) || existsSync(context.rebaseApply) : await rebaseInProgress(root)) return;
  let source: string;
  try {
    // Synchronous, as readPending: in the usual commit these files are absent, and these would be
    // the hook's only asynchronous file calls (each starting the thread pool's first round trip).
    source = readFileSync(context?.cherryPickHead ?? (await gitPath(root, 'CHERRY_PICK_HEAD')), 'utf8').trim();
  } catch {
    return;
  }
  if (/^[0-9a-f]{40,64}$/.test(source) && source !== head) await carryNotes(root, head, [source]);
}

/** The pending squash, or undefined when there is none or it is not one we wrote. */
function readPending(file: string): { head: string; commits: string[] } | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const head: unknown = Reflect.get(raw, 'head');
  const commits: unknown = Reflect.get(raw, 'commits');
  if (typeof head !== 'string' || !Array.isArray(commits) || !commits.every((c): c is string => typeof c === 'string' && /^[0-9a-f]{40,64}$/.test(c))) return undefined;
  return { head, commits };
}

async function exists(p: string): Promise<boolean> {
  return fs.access(p).then(
    () => true,
    () => false,
  );
}
