/**
 * What `ai-provenance report` and the editor's report page show, as plain data: the figures of
 * `stats --json` as they are, the same sums per stretch of time, and where the unreviewed AI lines
 * are (verify's runs, grouped by file). The page is drawn from this by core/reportHtml.ts and
 * carries it inside as JSON, so a test or a tool reads exactly what was drawn.
 */
import { UnreviewedRun } from './history';
import { StatsJson, Tally } from './stats';

export const REPORT_VERSION = 1;

export type TimeUnit = 'day' | 'week' | 'month' | 'year';

/** The commits of one stretch of time (UTC) and what they added. */
export interface TimeBucket extends Tally {
  /** The stretch's first day: YYYY-MM-DD (a week starts on a Monday), YYYY-MM for a month, YYYY for a year. */
  start: string;
  commits: number;
}

export interface Timeline {
  unit: TimeUnit;
  /** Every stretch from the oldest commit's to the newest's, empty ones included, oldest first. */
  buckets: TimeBucket[];
}

/** A file's unreviewed AI lines: how many, and the runs verify would name (line numbers as in the report's commit). */
export interface UnreviewedFile {
  path: string;
  lines: number;
  runs: { from: number; to: number; source: string; tool: string | null; commit: string }[];
  /** Runs left out of `runs` (a file with very many). */
  moreRuns: number;
}

export interface UnreviewedFiles {
  /** "tree": the unreviewed AI lines in the tree of `commit` (HEAD); "range": those the range adds, in `commit` (its head). */
  scope: 'tree' | 'range';
  commit: string;
  /** All of them, and in how many files. */
  lines: number;
  files: number;
  /** The files with the most, most first (ties by path); at most MAX_FILES. */
  top: UnreviewedFile[];
}

export interface ReportData {
  version: typeof REPORT_VERSION;
  /** The repository's folder name, for the title. */
  repository: string;
  /** Whether the clone has a notes ref at all (without one, every line counts as human-written). */
  notesRef: boolean;
  stats: StatsJson;
  timeline: Timeline;
  unreviewed: UnreviewedFiles;
}

/** The most stretches a timeline is drawn with: the finest unit that stays within it is taken. */
export const MAX_BUCKETS = 60;
export const MAX_FILES = 20;
export const MAX_RUNS = 50;

const DAY = 86_400;

/**
 * Sums commits by stretches of time: by day, else week, else month (whichever is the finest that
 * needs at most MAX_BUCKETS stretches to span them), else year. `time` is seconds since the epoch;
 * stretches are in UTC, so a report reads the same wherever it is made.
 */
export function timeline(commits: readonly (Tally & { time: number })[]): Timeline {
  if (commits.length === 0) return { unit: 'day', buckets: [] };
  let first = Infinity;
  let last = -Infinity;
  for (const c of commits) {
    first = Math.min(first, c.time);
    last = Math.max(last, c.time);
  }
  const units: TimeUnit[] = ['day', 'week', 'month'];
  const unit = units.find((u) => index(u, last) - index(u, first) + 1 <= MAX_BUCKETS) ?? 'year';
  const from = index(unit, first);
  const buckets: TimeBucket[] = [];
  for (let i = from; i <= index(unit, last); i++) buckets.push({ start: label(unit, i), commits: 0, addedLines: 0, aiLines: 0, reviewedAiLines: 0 });
  for (const c of commits) {
    const b = buckets[index(unit, c.time) - from];
    b.commits++;
    b.addedLines += c.addedLines;
    b.aiLines += c.aiLines;
    b.reviewedAiLines += c.reviewedAiLines;
  }
  return { unit, buckets };
}

/** The number of the stretch holding `time`, counted from the epoch (weeks from the Monday before it). */
function index(unit: TimeUnit, time: number): number {
  const day = Math.floor(time / DAY);
  if (unit === 'day') return day;
  // 1970-01-01 was a Thursday: Monday-based weeks start 3 days earlier.
  if (unit === 'week') return Math.floor((day + 3) / 7);
  const d = new Date(day * DAY * 1000);
  return unit === 'month' ? d.getUTCFullYear() * 12 + d.getUTCMonth() : d.getUTCFullYear();
}

function label(unit: TimeUnit, i: number): string {
  if (unit === 'year') return String(i);
  if (unit === 'month') return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
  const day = unit === 'day' ? i : i * 7 - 3;
  return new Date(day * DAY * 1000).toISOString().slice(0, 10);
}

/**
 * verify's runs of unreviewed AI lines (core/history.ts summarizeRange, over a range's added lines
 * or a tree's) as files: how many lines each holds, the files with the most first.
 */
export function unreviewedFiles(runs: readonly UnreviewedRun[], scope: UnreviewedFiles['scope'], commit: string): UnreviewedFiles {
  const byPath = new Map<string, UnreviewedRun[]>();
  for (const r of runs) {
    let list = byPath.get(r.path);
    if (!list) byPath.set(r.path, (list = []));
    list.push(r);
  }
  const files = [...byPath].map(([path, list]): UnreviewedFile => {
    const sorted = [...list].sort((a, b) => a.from - b.from);
    return {
      path,
      lines: list.reduce((n, r) => n + r.to - r.from + 1, 0),
      runs: sorted.slice(0, MAX_RUNS).map((r) => ({ from: r.from, to: r.to, source: r.source, tool: r.tool, commit: r.commit })),
      moreRuns: Math.max(0, sorted.length - MAX_RUNS),
    };
  });
  files.sort((a, b) => b.lines - a.lines || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { scope, commit, lines: files.reduce((n, f) => n + f.lines, 0), files: files.length, top: files.slice(0, MAX_FILES) };
}

/** The report's data from what the store read: `stats --json`, each counted commit's figures with its time, and the unreviewed runs. */
export function buildReport(input: { repository: string; notesRef: boolean; stats: StatsJson; byCommit: readonly (Tally & { time: number })[]; unreviewed: readonly UnreviewedRun[] }): ReportData {
  const { stats } = input;
  return {
    version: REPORT_VERSION,
    repository: input.repository,
    notesRef: input.notesRef,
    stats,
    timeline: timeline(input.byCommit),
    unreviewed: unreviewedFiles(input.unreviewed, stats.range === null ? 'tree' : 'range', stats.tree?.commit ?? stats.head),
  };
}
