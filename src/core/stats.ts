/**
 * The arithmetic of `ai-provenance stats`: the lines a run of commits added, how many of them AI
 * wrote (by the notes of the commits that added them) and how many of those someone reviewed,
 * broken down by tool, source, model and author; and the share of AI lines in a tree, from the
 * per-line provenance that blame and the notes give (core/history.ts, shared with blame and verify).
 */
import { LineProvenance, lineProvenance, NoteLike } from './history';

/** What one commit changed: its author (git email) and the lines it added per text file (binary files left out). */
export interface CommitChange {
  commit: string;
  author: string;
  files: readonly { path: string; added: number }[];
}

export interface Tally {
  addedLines: number;
  aiLines: number;
  reviewedAiLines: number;
}

/** One commit's share of the sums (ignored paths left out), for the report's figures over time. */
export interface CommitTally extends Tally {
  commit: string;
}

export interface StatsSummary extends Tally {
  /** Commits counted, and how many of them carry no note (their lines count as human-written). */
  commits: number;
  commitsWithoutNote: number;
  /** Lines added in paths the policy ignores: left out of every other figure. */
  ignoredLines: number;
  /** AI lines by the tool, source and model of the first region covering each ("unknown" when not recorded). */
  byTool: Record<string, number>;
  bySource: Record<string, number>;
  byModel: Record<string, number>;
  /** By the commit's author. */
  byAuthor: Record<string, Tally>;
  /** Each commit's own figures, in the order given. */
  byCommit: CommitTally[];
}

/** A tree's lines and its AI lines, as blame and the notes trace them. */
export interface TreeShare extends Omit<Tally, 'addedLines'> {
  lines: number;
  /** aiLines / lines; 0 for a tree without lines. */
  aiShare: number;
}

/** `stats --json`: the figures as the CLI prints them, and as the report embeds them. */
export interface StatsJson extends Omit<StatsSummary, 'byCommit'> {
  range: string | null;
  base: string | null;
  head: string;
  tree: (TreeShare & { commit: string }) | null;
}

export const UNKNOWN = 'unknown';

/**
 * Sums what `commits` added. A commit's AI lines are the lines its note's regions cover in the files
 * the commit changed (a note describes only the lines its commit added or changed, as they are in
 * that commit); a line is reviewed when every region covering it is, and takes its tool, source and
 * model from the first, as blame and verify judge it. Paths `isIgnored` are counted apart.
 */
export function summarizeCommits(commits: readonly CommitChange[], notes: ReadonlyMap<string, NoteLike>, isIgnored: (path: string) => boolean): StatsSummary {
  const byTool = new Map<string, number>();
  const bySource = new Map<string, number>();
  const byModel = new Map<string, number>();
  const byAuthor = new Map<string, Tally>();
  const total: Tally = { addedLines: 0, aiLines: 0, reviewedAiLines: 0 };
  const byCommit: CommitTally[] = [];
  let commitsWithoutNote = 0;
  let ignoredLines = 0;
  for (const c of commits) {
    const note = notes.get(c.commit);
    if (!note) commitsWithoutNote++;
    let author = byAuthor.get(c.author);
    if (!author) byAuthor.set(c.author, (author = { addedLines: 0, aiLines: 0, reviewedAiLines: 0 }));
    const own: CommitTally = { commit: c.commit, addedLines: 0, aiLines: 0, reviewedAiLines: 0 };
    byCommit.push(own);
    for (const f of c.files) {
      if (f.added === 0) continue;
      if (isIgnored(f.path)) {
        ignoredLines += f.added;
        continue;
      }
      total.addedLines += f.added;
      author.addedLines += f.added;
      own.addedLines += f.added;
      for (const l of note ? aiLinesOf(c.commit, f.path, note) : []) {
        total.aiLines++;
        author.aiLines++;
        own.aiLines++;
        if (l.reviewed) {
          total.reviewedAiLines++;
          author.reviewedAiLines++;
          own.reviewedAiLines++;
        }
        add(byTool, l.tool ?? UNKNOWN, 1);
        add(bySource, l.source ?? UNKNOWN, 1);
        add(byModel, l.model ?? UNKNOWN, 1);
      }
    }
  }
  return {
    ...total,
    commits: commits.length,
    commitsWithoutNote,
    ignoredLines,
    byTool: record(byTool),
    bySource: record(bySource),
    byModel: record(byModel),
    byAuthor: record(byAuthor),
    byCommit,
  };
}

/** The AI lines of one file in a commit's note, each with its provenance (lineProvenance over the span its regions cover). */
function aiLinesOf(commit: string, path: string, note: NoteLike): LineProvenance[] {
  const regions = Object.hasOwn(note.files, path) ? note.files[path] : [];
  if (regions.length === 0) return [];
  let from = Infinity;
  let to = 0;
  for (const r of regions) {
    from = Math.min(from, r.from);
    to = Math.max(to, r.to);
  }
  return lineProvenance([{ line: from, count: to - from + 1, commit, origPath: path, origLine: from }], new Map([[commit, note]])).filter((l) => l.ai);
}

/**
 * The share of AI lines in a tree: `files` are its text files with their line counts, and, for
 * those that may hold AI lines, every line's provenance (blame of the tree and the notes); a file
 * without `lines` holds none. Paths `isIgnored` are left out.
 */
export function treeShare(files: readonly { path: string; lineCount: number; lines?: readonly LineProvenance[] }[], isIgnored: (path: string) => boolean): TreeShare {
  const out = { lines: 0, aiLines: 0, reviewedAiLines: 0 };
  for (const f of files) {
    if (isIgnored(f.path)) continue;
    out.lines += f.lineCount;
    for (const l of f.lines ?? []) {
      if (!l.ai) continue;
      out.aiLines++;
      if (l.reviewed) out.reviewedAiLines++;
    }
  }
  return { ...out, aiShare: out.lines === 0 ? 0 : out.aiLines / out.lines };
}

function add(map: Map<string, number>, key: string, n: number): void {
  map.set(key, (map.get(key) ?? 0) + n);
}

/** A map as a plain object sorted by key, every key its own property (a tool called "__proto__" included). */
function record<T>(map: Map<string, T>): Record<string, T> {
  return Object.fromEntries([...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
