/**
 * Shell edits. An agent's shell tool (Claude Code's and Codex's `Bash`, Gemini CLI's
 * `run_shell_command`, VS Code's `run_in_terminal`) can change any file, and its payload does not
 * say which. So the pre-tool hook keeps what git cannot give back afterwards, and the post-tool
 * hook asks git what differs from it:
 *
 * - before: the index as it is (a hard link to it: git's blob and stat data of every tracked file,
 *   the cheap and exact fingerprint of everything clean, whose text the blob gives back later),
 *   then `git status` against it, and the text of every file that lists (modified, or untracked
 *   and not ignored), since no blob holds what the user changed but did not stage;
 * - after: `git status` against the same kept index lists exactly the files that differ from it
 *   now (stat data short-cuts the files nobody touched); each is diffed against its text from
 *   before, and the lines it did not hold are recorded as `agent` regions. A file the user had
 *   changed before the command keeps the user's lines: they are in its text from before.
 *
 * Skipped: ignored files (git does not list them), files the policy ignores (lock files,
 * generated files), binary files, files over 8 MB, symbolic links, submodules, and conflicted
 * files. Files outside the repository are not seen at all. A command that moved HEAD to commits
 * it did not make (checkout, reset, pull, merge, rebase), left a merge, rebase, cherry-pick or
 * revert stopped, or pushed or popped the stash, brought content from history or from the user's
 * earlier work: nothing is recorded for it. Content put back to what HEAD or the index held
 * (`git checkout -- f`, `git restore`, `git reset --hard`) is not recorded either.
 *
 * Limits. A file changed by anyone else while the command runs (the user typing and saving, a
 * formatter, a watcher) cannot be told from the command's own change: it is credited to the
 * command. Two shell calls overlapping in one repository each see the other's changes; a line
 * is credited once, to the first post-tool hook that sees it (the later one leaves lines that
 * some recorder claimed since its own pre-tool snapshot), so which of two overlapping agents
 * wrote it is not known. A command that keeps running after the tool returns (a background job)
 * is seen only as far as it got. Content a command copies in from elsewhere (`cp`, `curl`,
 * `git stash apply`, `git checkout <commit> -- f`) counts as written by it.
 *
 * Snapshots live beside the edit tools' (agentSnapshots.ts), keyed by agent, session and tool
 * call id, so concurrent calls never take each other's. Gemini CLI sends no call id: two
 * overlapping calls of one Gemini session share one snapshot, the later replacing the earlier,
 * so lines the earlier wrote before the later began are missed (never credited to anyone else).
 * Left-overs of calls whose post-tool hook never came go after an hour.
 */
import { lstat, promises as fs } from 'node:fs';
import { promisify } from 'node:util';
import * as path from 'node:path';
import { headMovedByCommand, MAX_MOVE_PAIRS, ShellFile, shellEdits, unclaimedLines } from '../core/shellEdits';
import { addRegion, createRegion, lineSpan, Region } from '../core/regions';
import { LineIndex } from '../core/text';
import { tempPrefix } from './atomicWrite';
import { SnapshotStore } from './agentSnapshots';
import { catFileBatch, git } from './git';
import { decodeText, MAX_FILE_BYTES, Repository } from './repository';

const lstatAsync = promisify(lstat);

/** What both hooks of one shell call know alike. */
export interface ShellCall {
  agent: string;
  session?: string;
  toolUseId?: string;
}

/** Who the recorded lines are credited to, beyond the call itself. */
export interface ShellAttribution {
  model?: string;
}

/** Shell snapshots older than this are left over from calls whose post-tool hook never came. */
export const SHELL_SNAPSHOT_MAX_AGE_MS = 60 * 60 * 1000;

/** The most text one snapshot keeps; files beyond it are not known, so nothing in them is credited. */
export const MAX_SNAPSHOT_BYTES = 64 * 1024 * 1024;

/** Where the snapshot sits in the snapshot store: a name no file path can take. */
const SHELL_KEY = '\0shell';

/** How a file was before the command, as far as the post-tool hook needs it. */
interface Kept {
  /** Its text, when it differed from the index (modified, untracked, conflicted). */
  text?: string;
  /** It was binary, too large, not a regular file, or over the snapshot's budget. */
  unknown?: true;
  /** It was deleted in the working tree. */
  absent?: true;
  /** The blobs HEAD and the index held for it (tracked files that differed from HEAD somewhere). */
  head?: string;
  index?: string;
}

interface Snapshot {
  version: 1;
  agent: string;
  /** ISO time the pre-tool hook started. */
  at: string;
  /** HEAD's commit, or null before the first commit. */
  head: string | null;
  /** The git operations in progress (merge, rebase, …). */
  busy: string[];
  /** A stamp of the stash's reflog (empty: no stash). */
  stash: string;
  /** Whether there was an index to copy. */
  index: boolean;
  /** Every path `git status` listed, by repository-relative path. */
  files: Record<string, Kept>;
}

/** The pre-tool hook: keeps the repository as the command will find it. */
export async function snapshotShell(repo: Repository, snapshots: SnapshotStore, call: ShellCall): Promise<void> {
  const at = new Date().toISOString();
  await cleanupShellSnapshots(snapshots);
  const { manifest, index } = filesOf(snapshots, call);
  await fs.mkdir(snapshots.dir, { recursive: true });
  await fs.rm(index, { force: true });
  const copied = await copyIndex(repo, index);
  // Without a copy (no index yet) git reads the missing file as an empty index, before and after.
  const { head, entries } = parseStatus(await status(repo, index, copied));
  // Files the policy ignores are kept too: the command may change the policy.
  const files: Record<string, Kept> = {};
  const toRead: string[] = [];
  for (const e of byPath(entries)) {
    const blobs = { ...(isBlob(e.headBlob) ? { head: e.headBlob } : {}), ...(isBlob(e.indexBlob) ? { index: e.indexBlob } : {}) };
    if (e.kind === '1' && e.worktreeMode === '000000') files[e.path] = { ...blobs, absent: true };
    else if (e.kind === '1' && e.xy[1] === '.') files[e.path] = blobs; // Staged only: the index blob is its text.
    else {
      files[e.path] = blobs;
      toRead.push(e.path);
    }
  }
  let budget = MAX_SNAPSHOT_BYTES;
  const texts = await readTexts(repo, toRead, (size) => {
    if (size > budget) return false;
    budget -= size;
    return true;
  });
  toRead.forEach((rel, i) => {
    const text = texts[i];
    files[rel] = text === undefined ? { ...files[rel], unknown: true } : { ...files[rel], text };
  });
  const snapshot: Snapshot = { version: 1, agent: call.agent, at, head, ...(await gitState(repo)), index: copied, files };
  const tmp = `${tempPrefix(manifest)}${process.pid}`;
  await fs.writeFile(tmp, JSON.stringify(snapshot));
  await fs.rename(tmp, manifest);
}

/**
 * The post-tool hook: records the lines the command wrote. Returns problems in words (nothing
 * recorded for the file concerned); none when it recorded, had nothing to record, or finds no
 * snapshot (the pre-tool hook did not run, or failed and said so).
 */
export async function recordShell(repo: Repository, snapshots: SnapshotStore, call: ShellCall, attribution: ShellAttribution = {}): Promise<string[]> {
  const { manifest, index } = filesOf(snapshots, call);
  let text: string;
  try {
    text = await fs.readFile(manifest, 'utf8');
  } catch {
    return [];
  }
  try {
    const snapshot = parseSnapshot(text, call.agent);
    if (!snapshot) return ['the pre-tool snapshot of the repository is unreadable; nothing recorded'];
    // Without the index kept before, every tracked file would look new.
    if (snapshot.index && !(await fs.stat(index).catch(() => undefined))) return ['the index kept before the command is gone; nothing recorded'];
    return await recordChanges(repo, snapshot, index, call, attribution);
  } finally {
    await fs.rm(manifest, { force: true });
    await fs.rm(index, { force: true });
  }
}

async function recordChanges(repo: Repository, snapshot: Snapshot, index: string, call: ShellCall, attribution: ShellAttribution): Promise<string[]> {
  const { head, entries } = parseStatus(await status(repo, index, false));
  const state = await gitState(repo);
  if (state.stash !== snapshot.stash || state.busy.some((op) => !snapshot.busy.includes(op))) return [];
  if (head !== snapshot.head && !(await commitsMadeSince(repo, snapshot.head, head, snapshot.at))) return [];
  const ignored = await policyIgnores(repo);
  const candidates = byPath(entries).filter((e) => e.kind !== 'u' && e.worktreeMode !== '120000' && e.worktreeMode !== '160000' && !ignored(e.path));
  const texts = await readTexts(repo, candidates.map((e) => e.path), () => true);
  // The user's work in progress that the command left alone: the same text as before, nothing to do.
  const listed = candidates.filter((e, i) => texts[i] === undefined || texts[i] !== snapshot.files[e.path]?.text);
  const afters = texts.filter((t, i) => t === undefined || t !== snapshot.files[candidates[i].path]?.text);
  const sources = listed.map((e) => sourceOf(e, snapshot.files[e.path]));
  // A removed file's text only matters when the command created files that could be it, moved.
  const created = sources.filter((src, i) => src === NEW && afters[i] !== undefined).length;
  const removed = sources.filter((src, i) => src !== NEW && src !== UNKNOWN && afters[i] === undefined).length;
  const moves = created > 0 && removed > 0 && created * removed <= MAX_MOVE_PAIRS;
  const blobIds = new Set<string>();
  listed.forEach((e, i) => {
    const src = sources[i];
    if (typeof src === 'object' && 'blob' in src && (afters[i] !== undefined || moves)) blobIds.add(src.blob);
    const kept = snapshot.files[e.path];
    if (afters[i] !== undefined && kept) for (const b of [kept.head, kept.index]) if (b) blobIds.add(b);
  });
  const blobs = await blobTexts(repo, [...blobIds]);
  const files: ShellFile[] = listed.map((e, i) => {
    const src = sources[i];
    const before = src === NEW ? '' : src === UNKNOWN ? undefined : 'text' in src ? src.text : blobs.get(src.blob);
    const kept = snapshot.files[e.path];
    const gitTexts = [kept?.head, kept?.index].flatMap((b) => (b !== undefined && blobs.has(b) ? [blobs.get(b) as string] : []));
    return { path: e.path, before, after: afters[i], gitTexts };
  });
  const afterOf = new Map(files.map((f) => [f.path, f.after]));
  const problems: string[] = [];
  const author = await repo.author();
  for (const edit of shellEdits(files)) {
    try {
      repo.store.assertInside(edit.path);
      if (edit.movedFrom) await repo.store.rename(edit.movedFrom, edit.path);
      const after = afterOf.get(edit.path);
      if (edit.lines.length === 0 || after === undefined) continue;
      const lineIndex = new LineIndex(after);
      const region = (from: number, to: number): Region =>
        createRegion({ ...lineSpan(lineIndex, from, to), source: 'agent', tool: call.agent, model: attribution.model, session: call.session, author });
      await repo.updateRegions(
        edit.path,
        (regions) => unclaimedLines(edit.lines, regions, snapshot.at, lineIndex).reduce((acc, r) => addRegion(acc, region(r.from, r.to)), regions),
        after,
      );
    } catch (e) {
      problems.push(`${edit.path}: ${e instanceof Error ? e.message : String(e)}; nothing recorded`);
    }
  }
  return problems;
}

const NEW = 'new';
const UNKNOWN = 'unknown';
/** Where a listed file's text before the command comes from. */
type Source = typeof NEW | typeof UNKNOWN | { text: string } | { blob: string };

/**
 * What a file listed after the command held before it: what the snapshot kept, else (it was
 * clean) the blob in the copied index, else (untracked and not listed before) nothing: it is new.
 */
function sourceOf(e: StatusEntry, kept: Kept | undefined): Source {
  if (kept) {
    if (kept.unknown) return UNKNOWN;
    if (kept.absent) return NEW;
    if (kept.text !== undefined) return { text: kept.text };
    return kept.index ? { blob: kept.index } : UNKNOWN;
  }
  if (e.kind === '1') return isBlob(e.indexBlob) ? { blob: e.indexBlob } : UNKNOWN;
  return NEW;
}

/** The snapshot's two files: the manifest, and the copy of the index beside it. */
function filesOf(snapshots: SnapshotStore, call: ShellCall): { manifest: string; index: string } {
  const manifest = snapshots.file({ ...call, path: SHELL_KEY });
  return { manifest, index: manifest.replace(/\.json$/, '.index') };
}

/**
 * Keeps the index as it is now (honouring GIT_INDEX_FILE, as git does); false when there is none
 * yet. A hard link costs nothing and is exact: git never writes an index in place, it writes a new
 * file and renames it over the old one, so the link keeps this version whole. Where a link cannot
 * be made (another file system), the index is copied.
 */
async function copyIndex(repo: Repository, to: string): Promise<boolean> {
  const from = process.env.GIT_INDEX_FILE ? path.resolve(repo.root, process.env.GIT_INDEX_FILE) : path.join(path.dirname(repo.store.dir), 'index');
  try {
    await fs.link(from, to);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
  }
  try {
    await fs.copyFile(from, to);
    // With the index's own time, as git judges which entries it must compare by content ("racily clean").
    const st = await fs.stat(from);
    await fs.utimes(to, st.atime, st.mtime);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

/**
 * Removes shell snapshots left by calls whose post-tool hook never came (a command the user
 * refused, or one that failed: Claude Code then sends PostToolUseFailure instead). Agents stop a
 * shell command long before this (Claude Code after ten minutes at most), and an old index kept
 * by a link takes as much room as the index once git has replaced it.
 */
export async function cleanupShellSnapshots(snapshots: SnapshotStore, maxAgeMs = SHELL_SNAPSHOT_MAX_AGE_MS, now = Date.now()): Promise<void> {
  let names: string[];
  try {
    names = await fs.readdir(snapshots.dir);
  } catch {
    return;
  }
  for (const name of names.filter((n) => n.endsWith('.index'))) {
    const index = path.join(snapshots.dir, name);
    // Its change time: when it was linked or copied here (a link's modification time is the index's last write).
    const st = await fs.stat(index).catch(() => undefined);
    if (st && now - st.ctimeMs > maxAgeMs) {
      await fs.rm(index.replace(/\.index$/, '.json'), { force: true });
      await fs.rm(index, { force: true });
    }
  }
}

/**
 * `git status` against the copied index. Before the command it may refresh the copy's stat data
 * (a file touched but unchanged is then hashed once, not twice); the user's own index is never
 * written or locked. After, nothing is written.
 */
function status(repo: Repository, index: string, refresh: boolean): Promise<string> {
  const args = ['status', '--porcelain=v2', '-z', '--branch', '--no-ahead-behind', '--untracked-files=all', '--no-renames', '--ignore-submodules=all'];
  return git(repo.root, refresh ? args : ['--no-optional-locks', ...args], undefined, { GIT_INDEX_FILE: index });
}

/**
 * The git operations in progress (by the files git keeps while one is stopped), and a stamp of the
 * stash's reflog, which `git stash` and `git stash pop` change.
 */
async function gitState(repo: Repository): Promise<{ busy: string[]; stash: string }> {
  const gitDir = path.dirname(repo.store.dir);
  const names = ['MERGE_HEAD', 'CHERRY_PICK_HEAD', 'REVERT_HEAD', 'rebase-merge', 'rebase-apply'];
  const found = await Promise.all(names.map((n) => fs.access(path.join(gitDir, n)).then(() => n, () => undefined)));
  // The stash is shared by all worktrees: it lives in the common folder that `commondir` names.
  const common = await fs.readFile(path.join(gitDir, 'commondir'), 'utf8').then((c) => path.resolve(gitDir, c.trim()), () => gitDir);
  const st = await fs.stat(path.join(common, 'logs', 'refs', 'stash')).catch(() => undefined);
  return { busy: found.filter((n): n is string => n !== undefined), stash: st ? `${st.size}:${st.mtimeMs}` : '' };
}

/** Whether HEAD went from `from` to `to` by commits made since `at` alone (see core headMovedByCommand). */
async function commitsMadeSince(repo: Repository, from: string | null, to: string | null, at: string): Promise<boolean> {
  if (to === null) return false;
  const out = await git(repo.root, ['rev-list', '--timestamp', to, ...(from ? [`^${from}`] : []), '--']);
  const times = out.split('\n').filter(Boolean).map((l) => Number(l.split(' ')[0]));
  return headMovedByCommand(times, Date.parse(at));
}

async function policyIgnores(repo: Repository): Promise<(rel: string) => boolean> {
  const { policy } = await repo.policy();
  return (rel) => policy.isIgnored(rel);
}

/**
 * The texts of working-tree files, in order; undefined for one that is gone, not a regular file,
 * over 8 MB, binary, or refused by `admit` (given its size). A few are read at a time.
 */
async function readTexts(repo: Repository, rels: readonly string[], admit: (size: number) => boolean): Promise<(string | undefined)[]> {
  const out: (string | undefined)[] = new Array(rels.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < rels.length) {
      const i = next++;
      out[i] = await readText(repo, rels[i], admit);
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, rels.length) }, worker));
  return out;
}

async function readText(repo: Repository, rel: string, admit: (size: number) => boolean): Promise<string | undefined> {
  const abs = repo.store.absolute(rel);
  try {
    const st = await lstatAsync(abs);
    if (!st.isFile() || st.size > MAX_FILE_BYTES || !admit(st.size)) return undefined;
    return decodeText(rel, await fs.readFile(abs));
  } catch {
    return undefined; // Gone meanwhile, unreadable, or binary.
  }
}

/** Blob texts by id; binary blobs are left out. */
async function blobTexts(repo: Repository, ids: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const answers = await catFileBatch(repo.root, ids);
  answers.forEach((a, i) => {
    if (!a || a.type !== 'blob' || a.data.length > MAX_FILE_BYTES) return;
    try {
      out.set(ids[i], decodeText(ids[i], a.data));
    } catch {
      // Binary: not text we track.
    }
  });
  return out;
}

/**
 * One entry per path, the last: a file removed from the index but not from the disk
 * (`git rm --cached`) is listed as deleted, then as untracked, which is what it now is.
 */
function byPath(entries: readonly StatusEntry[]): StatusEntry[] {
  return [...new Map(entries.map((e) => [e.path, e])).values()];
}

function isBlob(id: string | undefined): id is string {
  return id !== undefined && /^[0-9a-f]{40,64}$/.test(id) && !/^0+$/.test(id);
}

/** One line of `git status --porcelain=v2 -z` about a path. */
export interface StatusEntry {
  /** `1` changed, `u` unmerged, `?` untracked (renames are not asked for). */
  kind: '1' | 'u' | '?';
  path: string;
  /** Index and working-tree status letters (`.` unchanged); `??` for untracked. */
  xy: string;
  /** The working tree's file mode (`000000`: deleted there, `120000` a link, `160000` a submodule). */
  worktreeMode?: string;
  headBlob?: string;
  indexBlob?: string;
}

/** Parses `git status --porcelain=v2 -z --branch`: HEAD's commit (null before the first) and the entries. */
export function parseStatus(out: string): { head: string | null; entries: StatusEntry[] } {
  let head: string | null = null;
  const entries: StatusEntry[] = [];
  const records = out.split('\0');
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    if (r.startsWith('# branch.oid ')) {
      const oid = r.slice('# branch.oid '.length);
      head = oid === '(initial)' ? null : oid;
    } else if (r.startsWith('1 ')) {
      const f = fields(r, 8);
      entries.push({ kind: '1', xy: f[1], worktreeMode: f[5], headBlob: f[6], indexBlob: f[7], path: f[8] });
    } else if (r.startsWith('2 ')) {
      // A rename (not asked for): the path, then the original path in the next record.
      const f = fields(r, 9);
      entries.push({ kind: '1', xy: f[1], worktreeMode: f[5], headBlob: f[6], indexBlob: f[7], path: f[9] });
      i++;
    } else if (r.startsWith('u ')) {
      const f = fields(r, 10);
      entries.push({ kind: 'u', xy: f[1], worktreeMode: f[6], path: f[10] });
    } else if (r.startsWith('? ')) {
      entries.push({ kind: '?', xy: '??', path: r.slice(2) });
    }
  }
  return { head, entries };
}

/** The first `n` space-separated fields of a record, then the rest (a path, which may hold spaces). */
function fields(record: string, n: number): string[] {
  const out: string[] = [];
  let at = 0;
  for (let k = 0; k < n; k++) {
    const sp = record.indexOf(' ', at);
    out.push(record.slice(at, sp));
    at = sp + 1;
  }
  out.push(record.slice(at));
  return out;
}

function parseSnapshot(text: string, agent: string): Snapshot | undefined {
  try {
    const s = JSON.parse(text) as Snapshot;
    const valid =
      s.version === 1 && s.agent === agent && typeof s.at === 'string' && (s.head === null || typeof s.head === 'string') &&
      Array.isArray(s.busy) && typeof s.stash === 'string' && typeof s.index === 'boolean' && typeof s.files === 'object' && s.files !== null;
    return valid ? s : undefined;
  } catch {
    return undefined;
  }
}
