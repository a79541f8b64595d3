/**
 * Sharing the notes ref with a remote: push, fetch, and the JSON-aware merge that makes concurrent
 * writers safe.
 *
 * Fetch: `hook install` adds one fetch refspec per remote,
 * `+refs/notes/ai-provenance*:refs/ai-provenance/remotes/<remote>/notes*`, so a plain `git fetch`
 * or `git pull` brings teammates' notes into a tracking ref (the wildcard matters: a refspec naming
 * the notes ref exactly makes every `git fetch` fail against a remote that has no notes yet). The
 * tracking ref is merged into ours by the hooks that follow a pull (post-merge, post-rewrite), by
 * pre-push, and by `notes fetch`: git has no hook after a bare `git fetch`, and merging on every
 * read would make each reader (verify, blame, the editor) handle several refs and merge on each
 * read, where one merged local ref serves them all.
 *
 * Push: pre-push pushes the notes ref to the remote the branches go to, with AIP_NOTES_PUSH set so
 * that the push it starts does not start another; no push refspec is configured, so what a plain
 * `git push` pushes of branches never changes. A rejected notes push (a teammate pushed notes
 * first) fetches theirs, merges, and tries again.
 *
 * Merge: notes only in one side are taken as they are; a commit noted on both sides gets
 * mergeNotes of the two (union of regions, union of reviews), in one notes commit whose parents
 * are both sides, written with the same compare-and-swap as every other notes write.
 */
import { spawn } from 'node:child_process';
import { mergeNotes, NoteError, NOTES_REF, parseNote, serializeNote } from '../core/note';
import { git, GitError } from './git';
import { refValue } from './notes';
import { readTexts } from './rewrite';

/** Set in the environment of the pushes we start, so our pre-push does not push the notes again from inside them. */
export const PUSH_GUARD = 'AIP_NOTES_PUSH';

/** The local ref that a remote's notes are fetched into. */
export function trackingRef(remote: string): string {
  return `refs/ai-provenance/remotes/${remote}/notes`;
}

/** The fetch refspec hook install adds to a remote. */
export function fetchRefspec(remote: string): string {
  return `+${NOTES_REF}*:refs/ai-provenance/remotes/${remote}/notes*`;
}

/** The configured remotes. */
export async function remotes(root: string): Promise<string[]> {
  return (await git(root, ['remote'])).split('\n').filter(Boolean);
}

/** The remote `notes push/fetch` use when none is named: the current branch's, else `origin`, else the only one. */
export async function defaultRemote(root: string): Promise<string> {
  const all = await remotes(root);
  try {
    const branch = (await git(root, ['symbolic-ref', '-q', '--short', 'HEAD'])).trim();
    const upstream = (await git(root, ['config', '--get', `branch.${branch}.remote`])).trim();
    if (upstream && all.includes(upstream)) return upstream;
  } catch {
    // Detached HEAD or no upstream: fall through.
  }
  if (all.includes('origin')) return 'origin';
  if (all.length === 1) return all[0];
  throw new GitError(all.length === 0 ? 'this repository has no remote; name one' : `several remotes (${all.join(', ')}) and none is "origin"; name one`, null, '');
}

/** Adds our fetch refspec to each named remote that lacks it. Returns the remotes changed. */
export async function addFetchRefspecs(root: string, names?: readonly string[]): Promise<string[]> {
  const changed: string[] = [];
  for (const remote of names ?? (await remotes(root))) {
    // Remote names are checked by git; one with a space or a glob character would make a refspec git refuses.
    if (!/^[A-Za-z0-9._\-/]+$/.test(remote)) continue;
    const spec = fetchRefspec(remote);
    const current = await git(root, ['config', '--get-all', `remote.${remote}.fetch`]).catch(() => '');
    if (current.split('\n').includes(spec)) continue;
    await git(root, ['config', '--add', `remote.${remote}.fetch`, spec]);
    changed.push(remote);
  }
  return changed;
}

/** Removes our fetch refspecs and the tracking refs they filled (the remotes keep the notes; a fetch brings them back). */
export async function removeFetchRefspecs(root: string): Promise<void> {
  for (const remote of await remotes(root)) {
    const key = `remote.${remote}.fetch`;
    const current = await git(root, ['config', '--get-all', key]).catch(() => '');
    if (!current.split('\n').includes(fetchRefspec(remote))) continue;
    // --fixed-value: the refspec holds `*`, which a value pattern would read as a regular expression.
    await git(root, ['config', '--unset-all', '--fixed-value', key, fetchRefspec(remote)]);
  }
  const refs = (await git(root, ['for-each-ref', '--format=%(refname)', 'refs/ai-provenance/remotes/'])).split('\n').filter(Boolean);
  if (refs.length) await git(root, ['update-ref', '--stdin'], refs.map((r) => `delete ${r}\n`).join(''));
}

/** Every note in a notes commit: annotated commit id -> its blob and its path in the tree (fan-out folders undone in the id). */
async function listNotes(root: string, notesCommit: string): Promise<Map<string, { blob: string; path: string }>> {
  const out = new Map<string, { blob: string; path: string }>();
  const text = await git(root, ['ls-tree', '-r', '-z', notesCommit]);
  for (const entry of text.split('\0')) {
    const m = /^\d+ blob ([0-9a-f]+)\t(.+)$/s.exec(entry);
    if (!m) continue;
    const commit = m[2].replace(/\//g, '');
    if (/^[0-9a-f]{40}$|^[0-9a-f]{64}$/.test(commit)) out.set(commit, { blob: m[1], path: m[2] });
  }
  return out;
}

/** Where a note goes in a tree fanned out `depth` levels (git's 2-hex-digit folders). */
function notePath(commit: string, depth: number): string {
  const parts: string[] = [];
  let rest = commit;
  for (let i = 0; i < depth; i++) {
    parts.push(rest.slice(0, 2));
    rest = rest.slice(2);
  }
  return [...parts, rest].join('/');
}

export interface MergeResult {
  /** What happened to our ref. */
  outcome: 'up-to-date' | 'fast-forward' | 'merged' | 'created';
  /** Commits whose notes were on both sides and differed, now merged. */
  merged: number;
  /** Notes that could not be read on one side: the readable side's note was kept. */
  warnings: string[];
}

/**
 * Merges the notes commit `theirs` into our notes ref. Notes noted on one side only are taken as
 * they are; a commit noted on both sides gets mergeNotes of the two. A note that cannot be read on
 * one side gives way to the other side's (a warning says which); when neither reads, ours stays.
 */
export async function mergeNotesRef(root: string, theirs: string, attempts = 10): Promise<MergeResult> {
  for (let attempt = 1; ; attempt++) {
    const ours = await refValue(root);
    if (ours === undefined) {
      if (await updateRef(root, theirs, undefined)) return { outcome: 'created', merged: 0, warnings: [] };
    } else {
      // One merge-base answers both "already in ours" and "ours is behind".
      const base = ours === theirs ? ours : (await git(root, ['merge-base', ours, theirs]).catch(() => '')).trim();
      if (base === theirs) return { outcome: 'up-to-date', merged: 0, warnings: [] };
      if (base === ours) {
        if (await updateRef(root, theirs, ours)) return { outcome: 'fast-forward', merged: 0, warnings: [] };
      } else {
        const result = await mergeCommit(root, ours, theirs);
        if (result) return result;
      }
    }
    if (attempt >= attempts) throw new GitError(`could not merge into ${NOTES_REF}: other writers kept moving it (${attempts} attempts)`, null, '');
    await new Promise((r) => setTimeout(r, 2 + Math.random() * 10 * attempt));
  }
}

/** Moves our ref to `next` if it still holds `expected` (undefined: does not exist). */
async function updateRef(root: string, next: string, expected: string | undefined): Promise<boolean> {
  try {
    await git(root, ['update-ref', '-m', 'ai-provenance: notes fetched', NOTES_REF, next, expected ?? '0'.repeat(next.length)]);
    return true;
  } catch (e) {
    if (e instanceof GitError) return false;
    throw e;
  }
}

/**
 * One notes commit with parents ours and theirs; undefined when our ref moved meanwhile. Written
 * with fast-import's file commands rather than its note command: that one insists on having the
 * annotated commit, and a teammate's notes name commits this clone may not have fetched.
 */
async function mergeCommit(root: string, ours: string, theirs: string): Promise<MergeResult | undefined> {
  const [mine, other] = await Promise.all([listNotes(root, ours), listNotes(root, theirs)]);
  // Notes we add go at the fan-out depth our tree uses, so that one commit is never noted at two paths.
  const sample = mine.values().next().value ?? other.values().next().value;
  const depth = sample ? sample.path.split('/').length - 1 : 0;
  const set: [string, string][] = [];
  const both: [string, string, string, string][] = [];
  for (const [commit, { blob }] of other) {
    const own = mine.get(commit);
    if (own === undefined) set.push([notePath(commit, depth), blob]);
    else if (own.blob !== blob) both.push([commit, own.path, own.blob, blob]);
  }
  const texts = await readTexts(root, both.flatMap(([, , a, b]) => [a, b]));
  const warnings: string[] = [];
  const inline: [string, string][] = [];
  both.forEach(([commit, ownPath, , theirBlob], i) => {
    const a = parseNote(texts[2 * i] ?? '');
    const b = parseNote(texts[2 * i + 1] ?? '');
    if (a.ok && b.ok) inline.push([ownPath, serializeNote(mergeNotes(a.note, b.note))]);
    else if (b.ok) {
      warnings.push(`our note of commit ${commit.slice(0, 12)} cannot be read (${a.ok ? '' : a.error}); the fetched one replaces it`);
      set.push([ownPath, theirBlob]);
    } else warnings.push(`the fetched note of commit ${commit.slice(0, 12)} cannot be read (${b.error}); ours is kept`);
  });
  const message = 'ai-provenance: notes merged\n';
  let stream = `commit ${NOTES_REF}\ncommitter AI Provenance <ai-provenance> now\ndata ${Buffer.byteLength(message)}\n${message}from ${ours}\nmerge ${theirs}\n`;
  for (const [p, blob] of set) stream += `M 100644 ${blob} ${p}\n`;
  for (const [p, text] of inline) stream += `M 100644 inline ${p}\ndata ${Buffer.byteLength(text)}\n${text}\n`;
  stream += 'done\n';
  try {
    await git(root, ['fast-import', '--quiet', '--done', '--date-format=now'], stream);
  } catch (e) {
    if (e instanceof GitError && (await refValue(root)) !== ours) return undefined;
    throw e;
  }
  return { outcome: 'merged', merged: inline.length, warnings };
}

export interface ShareOutcome {
  /** One sentence for the user. */
  message: string;
  warnings: string[];
}

/** Runs git with stdout/stderr captured and the push guard set; resolves with the exit code. */
function run(root: string, args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd: root, env: { ...process.env, [PUSH_GUARD]: '1', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stderr }));
  });
}

/**
 * Fetches the remote's notes into its tracking ref and merges them into ours. `remote` is a
 * remote's name or a URL (then the tracking ref is named after `url`).
 */
export async function fetchNotes(root: string, remote: string): Promise<ShareOutcome> {
  const tracking = trackingRef(/^[A-Za-z0-9._\-/]+$/.test(remote) ? remote : 'url');
  const fetched = await run(root, ['fetch', '--quiet', '--no-write-fetch-head', remote, `+${NOTES_REF}:${tracking}`]);
  if (fetched.code !== 0) {
    if (/couldn't find remote ref/i.test(fetched.stderr)) return { message: `${remote} has no AI Provenance notes yet.`, warnings: [] };
    throw new GitError(`git fetch ${remote} failed: ${fetched.stderr.trim().split('\n').pop() ?? ''}`, fetched.code, fetched.stderr);
  }
  const theirs = (await git(root, ['rev-parse', '--verify', `${tracking}^{commit}`])).trim();
  const result = await mergeNotesRef(root, theirs);
  const what = {
    'up-to-date': 'nothing new',
    'fast-forward': 'fast-forwarded',
    created: 'taken as they are (there were none here)',
    merged: `merged (${result.merged} ${result.merged === 1 ? 'commit' : 'commits'} noted on both sides)`,
  }[result.outcome];
  return { message: `Notes fetched from ${remote}: ${what}.`, warnings: result.warnings };
}

/** Merges every remote's tracking ref that is not in ours yet (after a pull). Quiet and cheap when there is nothing new. */
export async function absorbFetchedNotes(root: string): Promise<string[]> {
  const warnings: string[] = [];
  const refs = (await git(root, ['for-each-ref', '--format=%(objectname) %(refname)', 'refs/ai-provenance/remotes/'])).split('\n').filter(Boolean);
  for (const line of refs) {
    const [id, name] = line.split(' ');
    if (!name.endsWith('/notes')) continue;
    warnings.push(...(await mergeNotesRef(root, id)).warnings);
  }
  return warnings;
}

/**
 * Pushes our notes ref to `remote`. A rejection (the remote's notes moved: a teammate pushed) is
 * answered by fetching theirs, merging, and pushing again, up to `attempts` times.
 */
export async function pushNotes(root: string, remote: string, attempts = 5): Promise<ShareOutcome> {
  if ((await refValue(root)) === undefined) return { message: 'No AI Provenance notes to push.', warnings: [] };
  const warnings: string[] = [];
  for (let attempt = 1; ; attempt++) {
    const pushed = await run(root, ['push', '--quiet', '--no-verify', remote, `${NOTES_REF}:${NOTES_REF}`]);
    if (pushed.code === 0) return { message: `Notes pushed to ${remote}.`, warnings };
    const rejected = /\[rejected\]|non-fast-forward|fetch first|failed to update ref|cannot lock ref|incorrect old value/i.test(pushed.stderr);
    if (!rejected || attempt >= attempts) {
      throw new GitError(`git push ${remote} ${NOTES_REF} failed: ${pushed.stderr.trim().split('\n').filter((l) => !l.startsWith('hint:')).pop() ?? ''}`, pushed.code, pushed.stderr);
    }
    warnings.push(...(await fetchNotes(root, remote)).warnings);
  }
}

/** Re-exported for the commands: a note that cannot be read is an error there. */
export { NoteError };
