/**
 * Reading what `ai-provenance stats` counts out of history: one `git log --numstat` for the lines
 * each commit of the range added, the notes of those commits for which of them AI wrote, and, for
 * the whole history of HEAD, blame of HEAD's files that may hold AI lines for the share of AI lines
 * in the tree.
 */
import { LineProvenance, lineProvenance, NoteLike, summarizeRange, UnreviewedRun } from '../core/history';
import { CommitChange, StatsJson, StatsSummary, summarizeCommits, Tally, treeShare, TreeShare } from '../core/stats';
import { blameFiles } from './blame';
import { git } from './git';
import { emptyTree, originOf, resolveHead, resolveRange } from './history';
import { readNotes, refValue } from './notes';

/**
 * The `git log` that lists a history's commits with the lines each added per file: diffs as the
 * post-commit hook takes them for a note (against the first parent, renames followed, git's
 * default diff, no text conversion), so the notes' lines and these counts agree. Merges list no
 * files: the lines they bring in are counted in the commits that wrote them. Shared with the
 * benchmark so it measures the same command.
 */
export function statsLogArgs(revs: readonly string[]): string[] {
  return [
    // A root commit's files count as added whatever log.showRoot says.
    '-c', 'log.showRoot=true',
    'log', '-z', '--numstat', '--diff-merges=off', '-M', '--diff-algorithm=myers', '--no-textconv', '--no-ext-diff', '--no-relative', '--no-show-signature',
    '--format=commit %H %P%x09%ct%x09%aE',
    ...revs,
    '--',
  ];
}

/** One commit as the log lists it. */
export interface LoggedCommit extends CommitChange {
  parents: number;
  /** Committer time, seconds since the epoch. */
  time: number;
}

/** A rename the log found: `from` became `to`. */
export interface Rename {
  from: string;
  to: string;
}

/**
 * Parses statsLogArgs' output: NUL-separated fields; each commit's header (`commit <id> <parents>\t<committer time>\t<email>`),
 * then one field per file, `<added>\t<deleted>\t<path>` (`-` for a binary file), or for a rename
 * `<added>\t<deleted>\t` followed by the old and the new path as two fields.
 */
export function parseStatsLog(out: string): { commits: LoggedCommit[]; renames: Rename[] } {
  const commits: LoggedCommit[] = [];
  const renames: Rename[] = [];
  const fields = out.split('\0');
  let current: (LoggedCommit & { files: { path: string; added: number }[] }) | undefined;
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i].startsWith('\n') ? fields[i].slice(1) : fields[i];
    const header = /^commit ([0-9a-f]+) ?([0-9a-f ]*)\t(\d+)\t([\s\S]*)$/.exec(field);
    if (header) {
      current = { commit: header[1], parents: header[2] ? header[2].split(' ').length : 0, time: Number(header[3]), author: header[4], files: [] };
      commits.push(current);
      continue;
    }
    const m = /^(\d+|-)\t(\d+|-)\t([\s\S]*)$/.exec(field);
    if (!m || !current) continue;
    let path = m[3];
    if (path === '') {
      const from = fields[++i];
      path = fields[++i];
      if (from === undefined || path === undefined) break;
      renames.push({ from, to: path });
    }
    // "-": a binary file, which holds no lines to count.
    if (m[1] !== '-') current.files.push({ path, added: Number(m[1]) });
  }
  return { commits, renames };
}

export interface HistoryStats extends StatsSummary {
  /** The range as given, or null for the whole history of HEAD. */
  range: string | null;
  base: string | null;
  head: string;
  /**
   * The share of AI lines in HEAD's tree, and its runs of unreviewed AI lines (by path and line in
   * HEAD), from the same blame; only for the whole history (null for a range).
   */
  tree: (TreeShare & { commit: string; unreviewed: UnreviewedRun[] }) | null;
  /** Whether this clone has a notes ref at all (without one, every line counts as human-written). */
  notesRef: boolean;
  /** Each counted commit's figures with its committer time (seconds), newest first as the log lists them. */
  byCommit: (Tally & { commit: string; time: number })[];
}

/**
 * The figures of `<base>..<head>`, or of the whole history of HEAD with the share of AI lines in
 * HEAD's tree when `spec` is undefined. Throws HistoryError when the range does not resolve or the
 * history is cut off (shallow clone), NoteError when a note cannot be read.
 */
export async function historyStats(root: string, spec: string | undefined, isIgnored: (path: string) => boolean): Promise<HistoryStats> {
  let base: string | null = null;
  let head: string;
  let ids: string[];
  if (spec === undefined) {
    head = await resolveHead(root);
    ids = (await git(root, ['rev-list', head])).split('\n').filter(Boolean);
  } else {
    const range = await resolveRange(root, spec, 'counted');
    ({ base, head } = range);
    ids = range.commits.map((c) => c.id);
  }
  // The notes are read (and parsed) while git log runs.
  const reading = refValue(root).then(async (ref) => ({ ref, notes: ref === undefined ? new Map<string, NoteLike>() : await readNotes(root, ids) }));
  reading.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled meanwhile
  const { commits, renames } = parseStatsLog(await git(root, statsLogArgs(base ? [head, `^${base}`] : [head])));
  const { ref, notes } = await reading;
  // Every commit asks about the same few paths: each is matched against the globs once.
  const known = new Map<string, boolean>();
  const ignored = (p: string): boolean => known.get(p) ?? known.set(p, isIgnored(p)).get(p)!;
  const counted = commits.filter((c) => c.parents <= 1);
  const summary = summarizeCommits(counted, notes, ignored);
  const tree = spec === undefined ? { commit: head, ...(await headShare(root, head, notes, renames, ignored)) } : null;
  // summarizeCommits gives its figures in the order of the commits it was given.
  const byCommit = summary.byCommit.map((t, i) => ({ ...t, time: counted[i].time }));
  return { ...summary, byCommit, range: spec ?? null, base, head, tree, notesRef: ref !== undefined };
}

/** `stats --json` (SPEC: addedLines, aiLines, reviewedAiLines, byTool at least); the report embeds the same. */
export function statsJson(s: HistoryStats): StatsJson {
  return {
    range: s.range,
    base: s.base,
    head: s.head,
    commits: s.commits,
    commitsWithoutNote: s.commitsWithoutNote,
    addedLines: s.addedLines,
    aiLines: s.aiLines,
    reviewedAiLines: s.reviewedAiLines,
    ignoredLines: s.ignoredLines,
    byTool: s.byTool,
    bySource: s.bySource,
    byModel: s.byModel,
    byAuthor: s.byAuthor,
    tree: s.tree && { commit: s.tree.commit, lines: s.tree.lines, aiLines: s.tree.aiLines, reviewedAiLines: s.tree.reviewedAiLines, aiShare: s.tree.aiShare },
  };
}

/**
 * The share of AI lines in `head`'s tree: every text file's lines (one `git diff --numstat` from the
 * empty tree), and blame (as `blame` runs it by default, and the editor's hover: a line is the
 * commit's that put it where it is) of the files that may hold AI lines: those some note of the
 * history names, and where renames took them. A file no note reaches holds no AI line.
 */
async function headShare(root: string, head: string, notes: Map<string, NoteLike>, renames: readonly Rename[], isIgnored: (path: string) => boolean): Promise<TreeShare & { unreviewed: UnreviewedRun[] }> {
  const counts = new Map<string, number>();
  const out = await git(root, ['diff', '--numstat', '-z', '--no-renames', '--no-textconv', '--no-ext-diff', '--no-relative', await emptyTree(root), head, '--']);
  for (const field of out.split('\0')) {
    const m = /^\n?(\d+)\t\d+\t([\s\S]+)$/.exec(field);
    if (m) counts.set(m[2], Number(m[1]));
  }
  const reached = new Set<string>();
  for (const note of notes.values()) for (const [path, regions] of Object.entries(note.files)) if (regions.length) reached.add(path);
  // Follow renames until nothing new is reached (the log lists them newest first; order does not matter here).
  for (let grew = true; grew; ) {
    grew = false;
    for (const r of renames) {
      if (reached.has(r.from) && !reached.has(r.to)) {
        reached.add(r.to);
        grew = true;
      }
    }
  }
  const candidates = [...reached].filter((p) => (counts.get(p) ?? 0) > 0 && !isIgnored(p)).sort();
  const blames = await blameFiles(root, candidates, { rev: head });
  // Blame names only commits of HEAD's history, whose notes (merges' too) were all read with it.
  const lines = new Map<string, LineProvenance[]>(candidates.map((p, i) => [p, lineProvenance(blames[i].map(originOf), notes)]));
  const share = treeShare(
    [...counts].map(([path, lineCount]) => ({ path, lineCount, lines: lines.get(path) })),
    isIgnored,
  );
  // verify's runs, over the tree's lines instead of a range's: where the unreviewed AI lines are now.
  const { unreviewed } = summarizeRange([...lines].map(([path, l]) => ({ path, lines: l })), isIgnored);
  return { ...share, unreviewed };
}
