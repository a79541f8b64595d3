/**
 * Reading and writing provenance notes under NOTES_REF with git plumbing.
 *
 * Reads go through one `git cat-file --batch` process however many notes are read. A write is a
 * compare-and-swap of the notes ref: it builds a notes commit on the ref's current value with
 * `git fast-import` (one process, which also keeps git's notes fan-out), and fast-import updates
 * the ref only if it still holds that value. When another writer moved the ref in between, the
 * write starts again from the new value, so concurrent writers (two commits in two worktrees, a
 * hook and a review) never lose each other's notes and never wait on a lock file.
 *
 * Commits are named by their full object id everywhere in this module.
 */
import { emptyNote, mergeNotes, Note, NoteError, NOTES_REF, parseNote, serializeNote } from '../core/note';
import { catFileBatch, catFileBatchSync, catFileStream, git, GitError, gitSync } from './git';

const FULL_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

function checkId(commit: string): void {
  if (!FULL_ID.test(commit)) throw new RangeError(`"${commit}" is not a full commit id`);
}

/**
 * The paths a commit's note may have in the notes tree: git fans notes out into 2-hex-digit
 * folders as their number grows, so a note is at `<id>`, `<2>/<rest>` or `<2>/<2>/<rest>`.
 */
function notePaths(commit: string): string[] {
  return [commit, `${commit.slice(0, 2)}/${commit.slice(2)}`, `${commit.slice(0, 2)}/${commit.slice(2, 4)}/${commit.slice(4)}`];
}

/** The note's text parsed, or a NoteError naming the commit. */
function decode(commit: string, data: Buffer): Note {
  const parsed = parseNote(data.toString('utf8'));
  if (!parsed.ok) throw new NoteError(`the AI Provenance note of commit ${commit.slice(0, 12)} cannot be read: ${parsed.error}`, commit, parsed.newer === true);
  return parsed.note;
}

/** The notes ref's commit (undefined when there is no ref), and the notes read beside it. */
async function readWithRef(root: string, commits: readonly string[], sync = false): Promise<{ ref: string | undefined; notes: Map<string, Note> }> {
  const names = [NOTES_REF, ...commits.flatMap((c) => notePaths(c).map((p) => `${NOTES_REF}:${p}`))];
  const answers = sync ? catFileBatchSync(root, names) : await catFileBatch(root, names);
  const head = answers[0];
  if (head && head.type !== 'commit') throw new NoteError(`${NOTES_REF} points at a ${head.type}, not a notes commit; it was not written by AI Provenance`, '');
  const notes = new Map<string, Note>();
  commits.forEach((commit, i) => {
    const found = answers.slice(1 + i * 3, 4 + i * 3).find((a) => a !== undefined);
    if (!found) return;
    if (found.type !== 'blob') throw new NoteError(`the AI Provenance note of commit ${commit.slice(0, 12)} is a ${found.type}, not a note`, commit);
    notes.set(commit, decode(commit, found.data));
  });
  return { ref: head?.id, notes };
}

/** The note of one commit, or undefined when it has none. Throws NoteError when it cannot be read. */
export async function readNote(root: string, commit: string): Promise<Note | undefined> {
  return (await readNotes(root, [commit])).get(commit);
}

/**
 * The notes of many commits (commits without one are absent from the map), in one or two git
 * processes. Throws NoteError on the first note that cannot be read (corrupt, newer version).
 */
export async function readNotes(root: string, commits: readonly string[]): Promise<Map<string, Note>> {
  commits.forEach(checkId);
  // Looking up paths costs a walk of the notes tree each; past a few dozen, listing them all is cheaper.
  if (commits.length <= 32) return (await readWithRef(root, commits)).notes;
  const noted = await listNotedCommits(root);
  const wanted = commits.filter((c) => noted.has(c));
  const answers = await catFileBatch(
    root,
    wanted.map((c) => noted.get(c) ?? ''),
  );
  const notes = new Map<string, Note>();
  wanted.forEach((commit, i) => {
    const found = answers[i];
    if (!found) throw new NoteError(`the AI Provenance note of commit ${commit.slice(0, 12)} is listed but missing`, commit);
    notes.set(commit, decode(commit, found.data));
  });
  return notes;
}

/**
 * readNotes for commits named one at a time while something else runs (a blame naming the commits
 * as it settles their lines): the notes ref is listed at once, and each named commit's note is asked
 * of one `git cat-file --batch` as soon as both are known. `done` gives the notes of every commit
 * named (those with one), or throws as readNotes does.
 */
export function streamNotes(root: string): { add(commit: string): void; done(): Promise<Map<string, Note>> } {
  const listing = listNotedCommits(root);
  listing.catch(() => undefined); // heard by done()
  const cat = catFileStream(root);
  const asked: string[] = [];
  const waiting: string[] = [];
  let noted: Map<string, string> | undefined;
  const ask = (commit: string): void => {
    const blob = noted!.get(commit);
    if (blob === undefined) return;
    asked.push(commit);
    cat.ask(blob);
  };
  void listing.then((list) => {
    noted = list;
    waiting.splice(0).forEach(ask);
  }, () => undefined);
  return {
    add(commit) {
      checkId(commit);
      if (noted) ask(commit);
      else waiting.push(commit);
    },
    async done() {
      await listing;
      const answers = await cat.end();
      const notes = new Map<string, Note>();
      asked.forEach((commit, i) => {
        const found = answers[i];
        if (!found) throw new NoteError(`the AI Provenance note of commit ${commit.slice(0, 12)} is listed but missing`, commit);
        notes.set(commit, decode(commit, found.data));
      });
      return notes;
    },
  };
}

/** Every commit that has a note: commit id -> the note's blob id. Empty when there is no notes ref. */
export async function listNotedCommits(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let text: string;
  try {
    text = await git(root, ['notes', `--ref=${NOTES_REF}`, 'list']);
  } catch (e) {
    // No notes ref yet: nothing is noted.
    if (e instanceof GitError && (await refValue(root)) === undefined) return out;
    throw e;
  }
  for (const line of text.split('\n')) {
    const [blob, commit] = line.split(' ');
    if (blob && commit) out.set(commit, blob);
  }
  return out;
}

/** The notes ref's current commit, or undefined when there is none. */
export async function refValue(root: string): Promise<string | undefined> {
  try {
    return (await git(root, ['rev-parse', '-q', '--verify', `${NOTES_REF}^{commit}`])).trim() || undefined;
  } catch {
    return undefined;
  }
}

export interface UpdateOptions {
  /** How many times to start again when another writer moved the ref; then it gives up with an error. */
  attempts?: number;
  /** Test seam: runs after the ref and note are read and before the write. */
  beforeWrite?: () => Promise<void>;
  /** Runs git synchronously (gitSync): for a short-lived process with nothing else to do, the post-commit hook. */
  sync?: boolean;
}

/** The identity of the notes commits we make (the reviewers and authors are in the notes themselves). */
const NOTES_COMMITTER = 'AI Provenance <ai-provenance>';

/**
 * Reads a commit's note, passes it (or undefined) to `update`, and stores what it returns, as one
 * compare-and-swap of the notes ref, started again from the new ref when another writer moved it
 * (`update` runs again then, on the note as it is now). Returning undefined, or a note that
 * serializes to the same bytes, writes nothing. Returns the note that is stored afterwards.
 */
export async function updateNote(root: string, commit: string, update: (current: Note | undefined) => Note | undefined, options: UpdateOptions = {}): Promise<Note | undefined> {
  let stored: Note | undefined;
  await updateNoteData(
    root,
    commit,
    (current) => {
      stored = update(current) ?? current;
      return stored === current ? undefined : { text: serializeNote(stored!) };
    },
    options,
  );
  return stored;
}

/** What to store as a commit's note: its text, or the id of a blob in the repository that holds it. */
type NoteData = { text: string } | { blob: string };

/**
 * updateNote at the level of what is stored: `update` returns the note's text or blob (undefined:
 * leave the note as it is). Writes nothing when the text is the stored note's.
 */
async function updateNoteData(root: string, commit: string, update: (current: Note | undefined) => NoteData | undefined | Promise<NoteData | undefined>, options: UpdateOptions): Promise<void> {
  checkId(commit);
  const attempts = options.attempts ?? 20;
  for (let attempt = 1; ; attempt++) {
    const { ref, notes } = await readWithRef(root, [commit], options.sync);
    const current = notes.get(commit);
    const data = await update(current);
    if (data === undefined || ('text' in data && current && serializeNote(current) === data.text)) return;
    await options.beforeWrite?.();
    if (await commitNote(root, ref, commit, data, options.sync)) return;
    if (attempt >= attempts) throw new GitError(`could not update ${NOTES_REF}: other writers kept moving it (${attempts} attempts)`, null, '');
    // Someone else wrote first: wait a moment (jittered, so two writers do not collide again) and redo.
    await new Promise((r) => setTimeout(r, 2 + Math.random() * 10 * attempt));
  }
}

/**
 * Adds `note` to the commit's note: merged with the note already there (mergeNotes: nothing
 * either holds is lost), or as it is when there is none. Returns the stored note.
 */
export async function writeNote(root: string, commit: string, note: Note, options: UpdateOptions = {}): Promise<Note> {
  const stored = await updateNote(root, commit, (current) => (current ? mergeNotes(current, note) : note), options);
  return stored ?? emptyNote(note.writer);
}

/**
 * writeNote for a note already written as a blob (serializeNote's text, `git hash-object -w`), as
 * the gate prepares it: the commit's note becomes that blob when it has none yet, the usual case
 * just after the commit, so nothing is read, parsed or written again. Throws NoteError when there
 * is a note to merge with and the blob is not a readable note.
 */
export async function writeNoteBlob(root: string, commit: string, blob: string, options: UpdateOptions = {}): Promise<void> {
  await updateNoteData(
    root,
    commit,
    async (current) => {
      if (!current) return { blob };
      const [object] = options.sync ? catFileBatchSync(root, [blob]) : await catFileBatch(root, [blob]);
      const parsed = object?.type === 'blob' ? parseNote(object.data.toString('utf8')) : { ok: false as const, error: 'no such blob' };
      if (!parsed.ok) throw new NoteError(`the note prepared for commit ${commit.slice(0, 12)} cannot be read: ${parsed.error}`, commit);
      return { text: serializeNote(mergeNotes(current, parsed.note)) };
    },
    options,
  );
}

/**
 * A note this large has its blob written first, loose, by `git hash-object -w` (compressed once,
 * at git's loose-object level): given inline, fast-import compresses it into a pack at pack level
 * and unpack-objects then inflates and compresses it again, about twice the CPU for a big note.
 */
const SEPARATE_BLOB_BYTES = 64 * 1024;

/**
 * One notes commit on top of `parent` (the ref's value we read; undefined: no ref yet) that sets
 * the commit's note to `data`. True when the ref was updated; false when it no longer held
 * `parent` (another writer moved it), which fast-import reports by refusing to update it.
 */
async function commitNote(root: string, parent: string | undefined, commit: string, data: NoteData, sync = false): Promise<boolean> {
  const run = sync ? async (args: string[], input: string) => gitSync(root, args, input) : (args: string[], input: string) => git(root, args, input);
  const message = `ai-provenance: note for ${commit}\n`;
  let note: string;
  if ('blob' in data) note = `N ${data.blob} ${commit}\n`;
  else {
    // fast-import counts data in bytes.
    const bytes = Buffer.byteLength(data.text);
    note = bytes > SEPARATE_BLOB_BYTES ? `N ${(await run(['hash-object', '-w', '--stdin'], data.text)).trim()} ${commit}\n` : `N inline ${commit}\ndata ${bytes}\n${data.text}\n`;
  }
  const stream = `commit ${NOTES_REF}\ncommitter ${NOTES_COMMITTER} now\ndata ${Buffer.byteLength(message)}\n${message}` + (parent ? `from ${parent}\n` : '') + `${note}done\n`;
  try {
    await run(['fast-import', '--quiet', '--done', '--date-format=now'], stream);
    return true;
  } catch (e) {
    if (!(e instanceof GitError)) throw e;
    // fast-import refuses a ref that moved to something our commit does not contain; anything else is an error.
    if ((await refValue(root)) !== parent) return false;
    throw e;
  }
}
