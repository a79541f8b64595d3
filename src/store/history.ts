/**
 * Reading provenance out of history: which lines a range of commits adds, traced by blame to the
 * commit that wrote each, and looked up in that commit's note (`verify`); and reviews of committed
 * lines recorded in the notes of the commits that wrote them (`review` after the commit).
 */
import { promises as fs } from 'node:fs';
import { LineOrigin, LineProvenance, lineProvenance, NoteLike } from '../core/history';
import { emptyNote, isReviewed, Note, NOTES_REF, setFile } from '../core/note';
import { BlameEntry, blameFile, blameFiles, BlameOptions, UNCOMMITTED } from './blame';
import { HistoryError } from './errors';
import { git, GitError, gitPath } from './git';
import { readNotes, refValue, streamNotes, updateNote } from './notes';

export { HistoryError };

export interface ResolvedRange {
  /** As written, for messages. */
  spec: string;
  base: string;
  head: string;
}

/** Full id of a commit, or undefined when the name does not resolve to one. */
export async function commitId(root: string, name: string): Promise<string | undefined> {
  try {
    return (await git(root, ['rev-parse', '-q', '--verify', '--end-of-options', `${name}^{commit}`])).trim() || undefined;
  } catch {
    return undefined;
  }
}

async function isShallow(root: string): Promise<boolean> {
  return (await git(root, ['rev-parse', '--is-shallow-repository'])).trim() === 'true';
}

/** The commits where a shallow clone's history is cut off. */
async function shallowCommits(root: string): Promise<Set<string>> {
  const text = await fs.readFile(await gitPath(root, 'shallow'), 'utf8').catch(() => '');
  return new Set(text.split('\n').filter(Boolean));
}

const DEPTH_ADVICE =
  'Fetch the whole range: `git fetch --unshallow` (or `git fetch --deepen=<n>` until the base is reached); in GitHub Actions, actions/checkout with `fetch-depth: 0`; in GitLab CI, `GIT_DEPTH: 0`.';

/**
 * Resolves `<base>..<head>` (head defaults to HEAD) to commit ids. Fails closed: a name that does
 * not resolve, or a shallow clone whose history stops inside the range (blame would credit the
 * cut-off commit with every line of its files), is a HistoryError saying what to fetch.
 */
export async function resolveRange(root: string, spec: string, purpose = 'verified'): Promise<ResolvedRange & { commits: { id: string; parents: number }[] }> {
  const m = /^(.+?)\.\.(?!\.)(.*)$/.exec(spec);
  if (!m || m[1] === '') throw new HistoryError(`"${spec}" is not a range; write <base>..<head>, e.g. origin/main..HEAD`);
  const [baseName, headName] = [m[1], m[2] || 'HEAD'];
  const shallow = await isShallow(root);
  const [base, head] = await Promise.all([commitId(root, baseName), commitId(root, headName)]);
  for (const [name, id] of [[baseName, base], [headName, head]] as const) {
    if (id) continue;
    throw new HistoryError(
      shallow
        ? `"${name}" is not a commit in this clone, which is shallow: the range ${spec} cannot be ${purpose} without its history. ${DEPTH_ADVICE} Fetch the base branch too (git fetch origin <branch>).`
        : `"${name}" is not a commit in this repository, so the range ${spec} cannot be ${purpose}. Fetch it first (e.g. git fetch origin <branch>).`,
    );
  }
  const commits = (await git(root, ['rev-list', '--parents', `${head}`, `^${base}`]))
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [id, ...parents] = l.split(' ');
      return { id, parents: parents.length };
    });
  if (shallow) {
    const cut = await shallowCommits(root);
    const inside = commits.filter((c) => cut.has(c.id));
    if (inside.length) {
      throw new HistoryError(
        `this clone is shallow and its history stops at ${inside[0].id.slice(0, 12)}, inside the range ${spec} (${commits.length} commits deep or more), so the lines the range adds cannot be traced. ${DEPTH_ADVICE}`,
      );
    }
  }
  return { spec, base: base!, head: head!, commits };
}

/**
 * The commit HEAD names, for reading the whole history behind it. Fails closed like resolveRange:
 * no commit yet, or a shallow clone (its history is cut off, and the cut-off commit would be
 * credited with every line of its files), is a HistoryError saying why.
 */
export async function resolveHead(root: string): Promise<string> {
  const head = await commitId(root, 'HEAD');
  if (!head) throw new HistoryError('HEAD names no commit (this repository has no commits yet), so there is no history to read');
  if (await isShallow(root)) throw new HistoryError(`this clone is shallow, so the history of HEAD is cut off and its lines cannot be counted. ${DEPTH_ADVICE} Or name a range inside the history this clone has: <base>..<head>.`);
  return head;
}

/** Files that differ between the range's merge base(s) and its head, with lines added, text only. */
async function changedFiles(root: string, base: string, head: string): Promise<string[]> {
  let bases: string[];
  try {
    bases = (await git(root, ['merge-base', '--all', base, head])).split('\n').filter(Boolean);
  } catch (e) {
    // Exit 1 without output: no common history; everything head holds is the range's.
    if (!(e instanceof GitError) || e.exitCode !== 1) throw e;
    bases = [await emptyTree(root)];
  }
  const paths = new Set<string>();
  for (const mb of bases) {
    const out = await git(root, ['diff', '--numstat', '-z', '--no-renames', '--no-ext-diff', '--no-textconv', mb, head, '--']);
    for (const entry of out.split('\0')) {
      const m = /^(\d+|-)\t(\d+|-)\t([\s\S]+)$/.exec(entry);
      // "-" marks a binary file: no lines to review. Files with nothing added hold nothing new.
      if (m && m[1] !== '-' && m[1] !== '0') paths.add(m[3]);
    }
  }
  return [...paths].sort();
}

/** git's empty tree in this repository's hash. */
export async function emptyTree(root: string): Promise<string> {
  return (await git(root, ['hash-object', '-t', 'tree', '/dev/null'])).trim();
}

export interface RangeProvenance {
  range: ResolvedRange;
  /** Per file changed by the range: the lines it adds (in head's version), with their provenance. */
  files: { path: string; lines: LineProvenance[] }[];
  /** Commits in the range that carry no note and should (every non-merge commit, and merges that wrote lines). */
  commitsWithoutNote: string[];
}

/**
 * The lines `<base>..<head>` adds, each traced by blame (one per changed file, the range's own
 * commits only) to the commit that wrote it and looked up in that commit's note. Lines a merge
 * brings in are blamed through to the branch commits that wrote them. Throws HistoryError /
 * NoteError when history or a note cannot be read: the caller fails closed.
 */
export async function rangeProvenance(root: string, spec: string): Promise<RangeProvenance> {
  const range = await resolveRange(root, spec);
  if (range.commits.length > 0 && (await refValue(root)) === undefined) {
    throw new HistoryError(
      `this clone has no AI Provenance notes (${NOTES_REF}), so no line of ${spec} can be traced. Fetch them first: git fetch origin ${NOTES_REF}:${NOTES_REF} (or ai-provenance notes fetch).`,
    );
  }
  const paths = await changedFiles(root, range.base, range.head);
  const blames = await blameFiles(root, paths, { rev: range.head, exclude: range.base });
  const inRange = new Set(range.commits.map((c) => c.id));
  const writers = new Set<string>();
  const origins: LineOrigin[][] = blames.map((entries) =>
    entries
      // Boundary lines were there before the range; a commit outside the range is one too.
      .filter((e) => !e.boundary && inRange.has(e.commit))
      .map((e) => {
        writers.add(e.commit);
        return originOf(e);
      }),
  );
  const required = range.commits.filter((c) => c.parents <= 1 || writers.has(c.id)).map((c) => c.id);
  const notes = await readNotes(root, [...new Set([...writers, ...required])]);
  const noteMap = notes as ReadonlyMap<string, NoteLike>;
  return {
    range,
    files: paths.map((path, i) => ({ path, lines: lineProvenance(origins[i], noteMap) })).filter((f) => f.lines.length > 0),
    commitsWithoutNote: required.filter((c) => !notes.has(c)),
  };
}

/**
 * The provenance of lines of a working-tree file as `contents` has it (an editor's text, saved or
 * not; the file on disk when omitted), only `lines` when given: each line traced by blame (through
 * moves with `moves`, and copies with `copies`) to the commit that wrote it, or null when not committed, and
 * looked up in that commit's note. A file HEAD does not hold (new, untracked) or a repository
 * without commits has no committed lines: an empty list.
 */
export async function workingProvenance(root: string, rel: string, opts: WorkingBlame = {}): Promise<LineProvenance[]> {
  if (opts.lines === undefined) {
    // A whole file names many commits: their notes are read while blame still runs.
    const notes = streamNotes(root);
    const origins = await workingOrigins(root, rel, opts, (commit) => commit !== UNCOMMITTED && notes.add(commit)).catch(async (e: unknown) => {
      await notes.done().catch(() => undefined); // lets its git processes end
      throw e;
    });
    return lineProvenance(origins, (await notes.done()) as ReadonlyMap<string, NoteLike>);
  }
  const origins = await workingOrigins(root, rel, opts);
  const commits = [...new Set(origins.flatMap((o) => (o.commit === null ? [] : [o.commit])))];
  const notes = commits.length ? await readNotes(root, commits) : new Map<string, Note>();
  return lineProvenance(origins, notes as ReadonlyMap<string, NoteLike>);
}

type WorkingBlame = Pick<BlameOptions, 'lines' | 'contents' | 'moves' | 'copies'>;

/**
 * Where blame traces each line of a working-tree file (as `contents` has it, or on disk): the
 * first half of workingProvenance, for callers that hold the notes already. A file with no
 * committed lines (not in HEAD, untracked, no commits yet) gives an empty list.
 */
export async function workingOrigins(root: string, rel: string, opts: WorkingBlame = {}, onCommit?: (commit: string) => void): Promise<LineOrigin[]> {
  try {
    return (await blameFile(root, rel, opts, onCommit)).map(originOf);
  } catch (e) {
    if (e instanceof GitError && /no such path|no such ref|bad revision|has only \d+ lines|unknown revision|not a valid object name|no commits/i.test(e.stderr)) return [];
    throw e;
  }
}

/** A blame run as history's arithmetic takes it. */
export function originOf(e: BlameEntry): LineOrigin {
  return { line: e.line, count: e.count, commit: e.commit === UNCOMMITTED ? null : e.commit, origPath: e.origPath, origLine: e.origLine };
}

/** `Name <email>` from git config: who a review in a note names. */
export async function reviewerIdentity(root: string): Promise<string> {
  const get = async (key: string): Promise<string> => (await git(root, ['config', '--get', key]).catch(() => '')).trim();
  const [name, email] = await Promise.all([get('user.name'), get('user.email')]);
  if (name && email) return `${name} <${email}>`;
  return email || name || 'unknown';
}

/**
 * Records a review of the committed AI lines of `rel` that `lines` touches (every line when
 * omitted) in the notes of the commits that wrote them, found by blame of HEAD and of the working
 * tree. A region is recorded reviewed when the reviewer sees what is left of it as it was committed:
 * lines later commits changed are those commits' business, but a region with a line edited in the
 * working tree (not committed) is left alone, since the reviewer is not looking at its committed
 * text. The review carries the region's hash from the note. Returns the ids of the regions recorded.
 */
export async function reviewCommitted(root: string, rel: string, lines: { from: number; to: number } | undefined, by: string, at = new Date().toISOString()): Promise<string[]> {
  let head: BlameEntry[];
  let tree: BlameEntry[];
  try {
    [head, tree] = await Promise.all([blameFile(root, rel, { rev: 'HEAD' }), blameFile(root, rel)]);
  } catch (e) {
    // Not committed yet (no such path in HEAD, or no HEAD): nothing of it is in any note.
    if (e instanceof GitError && /no such path|no such ref|bad revision|has only \d+ lines|unknown revision/i.test(e.stderr)) return [];
    throw e;
  }
  // Per commit and path: its lines present in HEAD, and in the working tree (touched by `lines` or not).
  const key = (commit: string, path: string, line: number): string => `${commit}\0${path}\0${line}`;
  const inHead = new Set<string>();
  for (const e of head) for (let k = 0; k < e.count; k++) inHead.add(key(e.commit, e.origPath, e.origLine + k));
  const inTree = new Set<string>();
  const touched = new Map<string, Set<string>>(); // commit -> keys of lines the review touches
  for (const e of tree) {
    if (e.commit === UNCOMMITTED) continue;
    for (let k = 0; k < e.count; k++) {
      const line = e.line + k;
      const id = key(e.commit, e.origPath, e.origLine + k);
      inTree.add(id);
      if (lines && (line < lines.from || line > lines.to)) continue;
      let set = touched.get(e.commit);
      if (!set) touched.set(e.commit, (set = new Set()));
      set.add(id);
    }
  }
  if (touched.size === 0) return [];
  const notes = await readNotes(root, [...touched.keys()]);
  const recorded: string[] = [];
  for (const [commit, keys] of touched) {
    const note = notes.get(commit);
    if (!note) continue;
    const wanted = regionsToRecord(note, commit, keys, inHead, inTree, key);
    if (wanted.size === 0) continue;
    await updateNote(root, commit, (current) => (current ? withReviews(current, wanted, by, at) : undefined));
    recorded.push(...wanted);
  }
  return recorded;
}

/** The unreviewed regions of a note that the review touches and whose committed lines in HEAD are all unchanged in the working tree. */
function regionsToRecord(note: Note, commit: string, touched: Set<string>, inHead: Set<string>, inTree: Set<string>, key: (c: string, p: string, l: number) => string): Set<string> {
  const out = new Set<string>();
  for (const [path, regions] of Object.entries(note.files)) {
    for (const r of regions) {
      if (isReviewed(r)) continue;
      let hit = false;
      let intact = true;
      for (let l = r.from; l <= r.to; l++) {
        const k = key(commit, path, l);
        if (touched.has(k)) hit = true;
        if (inHead.has(k) && !inTree.has(k)) intact = false;
      }
      if (hit && intact) out.add(r.id);
    }
  }
  return out;
}

/** The note with a review added to each region named (as it is in the note now: it may have moved on since it was read). */
function withReviews(note: Note, ids: Set<string>, by: string, at: string): Note | undefined {
  let changed = false;
  const files = emptyNote(note.writer).files;
  for (const [path, regions] of Object.entries(note.files)) {
    setFile(
      files,
      path,
      regions.map((r) => {
        if (!ids.has(r.id) || isReviewed(r)) return r;
        changed = true;
        return { ...r, reviews: [...r.reviews, { by, at, hash: r.hash }] };
      }),
    );
  }
  return changed ? { ...note, files } : undefined;
}
