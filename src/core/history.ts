/**
 * Provenance of committed lines: given where `git blame` says each line comes from (a commit, and
 * the line's number and path in that commit) and the notes of those commits, which lines are
 * AI-written, by what, and whether someone reviewed them. `verify`, `blame` and `stats` all read
 * history through this one module, so they cannot disagree about a line.
 */
import { isReviewed } from './note';
import { coveredLines, Region } from './regions';
import { LineIndex, plural } from './text';

/** One review of a region, as a note holds it. */
export interface NoteReviewLike {
  by: string;
  at: string;
  hash: string;
}

/** One AI region of a note: 1-based inclusive lines in the commit's version of the file. */
export interface NoteRegionLike {
  id: string;
  from: number;
  to: number;
  source: string;
  tool: string | null;
  model?: string;
  hash: string;
  reviews: NoteReviewLike[];
}

/** What history needs of a note: the AI regions per path that its commit added or changed. */
export interface NoteLike {
  files: Readonly<Record<string, readonly NoteRegionLike[]>>;
}

/** A run of final lines that blame traces to one commit, where they are consecutive lines of one path. */
export interface LineOrigin {
  /** First final line, 1-based. */
  line: number;
  count: number;
  /** The commit that wrote these lines, or null for lines not committed yet. */
  commit: string | null;
  /** Path and first line (1-based) in that commit's version. */
  origPath: string;
  origLine: number;
}

/** One line's provenance: the general answer that `blame`, `verify` and `stats` build on. */
export interface LineProvenance {
  /** Final line, 1-based. */
  line: number;
  commit: string | null;
  /** Path and line in the commit's version, where its note describes it. */
  origPath: string;
  origLine: number;
  /** Whether the commit carries a note at all (false for uncommitted lines). */
  noted: boolean;
  /** Some region of the commit's note covers the line. */
  ai: boolean;
  /** Of the first region covering the line; null when not AI. */
  source: string | null;
  tool: string | null;
  model: string | null;
  /** Every region covering the line is reviewed (false when not AI). */
  reviewed: boolean;
  /** The latest valid review of the covering regions: who and when; null when not reviewed. */
  reviewer: string | null;
  reviewedAt: string | null;
  /** Ids of the covering regions, so a review can be recorded on them. */
  regions: string[];
}

/**
 * Every line of `origins` with its provenance, looked up in `notes` (commit -> note; a commit
 * missing from the map carries no note). Lines come out in the order of `origins`, one by one.
 */
export function lineProvenance(origins: readonly LineOrigin[], notes: ReadonlyMap<string, NoteLike>): LineProvenance[] {
  const out: LineProvenance[] = [];
  for (const o of origins) {
    const note = o.commit === null ? undefined : notes.get(o.commit);
    const regions = note && Object.hasOwn(note.files, o.origPath) ? note.files[o.origPath] : [];
    for (let k = 0; k < o.count; k++) {
      const origLine = o.origLine + k;
      const covering = regions.filter((r) => r.from <= origLine && origLine <= r.to);
      out.push(provenanceOf(o.line + k, o.commit, o.origPath, origLine, note !== undefined, covering));
    }
  }
  return out;
}

function provenanceOf(line: number, commit: string | null, origPath: string, origLine: number, noted: boolean, covering: readonly NoteRegionLike[]): LineProvenance {
  const reviewed = covering.length > 0 && covering.every(isReviewed);
  // Only a review of the text as it is in the note counts (its hash is the region's).
  const reviews = reviewed ? covering.flatMap((r) => r.reviews.filter((rv) => rv.hash === r.hash)) : [];
  return { line, commit, origPath, origLine, noted, ...coveredBy(covering, reviewed, reviews) };
}

type Coverage = Pick<LineProvenance, 'ai' | 'source' | 'tool' | 'model' | 'reviewed' | 'reviewer' | 'reviewedAt' | 'regions'>;

/**
 * What the regions covering a line say of it, from a note or from the working tree's markers: AI
 * when any covers it, with the first one's source, tool and model; when `reviewed`, by the latest
 * of `reviews`.
 */
function coveredBy(covering: readonly { id: string; source: string; tool: string | null; model?: string }[], reviewed: boolean, reviews: readonly { by: string; at: string }[]): Coverage {
  const first = covering[0];
  let latest: { by: string; at: string } | undefined;
  for (const r of reviews) if (!latest || r.at > latest.at) latest = r;
  return {
    ai: first !== undefined,
    source: first?.source ?? null,
    tool: first?.tool ?? null,
    model: first?.model ?? null,
    reviewed,
    reviewer: latest?.by ?? null,
    reviewedAt: latest?.at ?? null,
    regions: covering.map((r) => r.id),
  };
}

/** An AI region of the working tree (the marker store), by 1-based inclusive lines of the working-tree file. */
export interface WorkingRegionLike {
  id: string;
  from: number;
  to: number;
  source: string;
  tool: string | null;
  model?: string;
  review: { by: string; at: string } | null;
}

/** The store's regions of a file by the lines they cover in `index` (the file's working-tree text). */
export function workingRegionLines(regions: readonly Region[], index: LineIndex): WorkingRegionLike[] {
  return regions.map((r) => {
    const { first, last } = coveredLines(r, (l) => index.lineLength(l));
    return { id: r.id, from: first + 1, to: last + 1, source: r.source, tool: r.tool, ...(r.model ? { model: r.model } : {}), review: r.review };
  });
}

/**
 * `lines` (a working-tree file's, from lineProvenance) with each uncommitted line (commit null)
 * given its provenance by the working tree's regions, since no note describes it yet: AI when a
 * region covers it, of the first covering region's source, tool and model, reviewed when every
 * covering region is. Committed lines are left as their commits' notes have them.
 */
export function withWorkingRegions(lines: readonly LineProvenance[], regions: readonly WorkingRegionLike[]): LineProvenance[] {
  const sorted = [...regions].sort((a, b) => a.from - b.from || a.to - b.to);
  // One sweep down the file (lines come in order, as lineProvenance gives them): the regions that
  // have begun and not ended, so a large new file with many regions costs lines + regions, not their product.
  let next = 0;
  let active: WorkingRegionLike[] = [];
  return lines.map((l) => {
    if (l.commit !== null) return l;
    while (next < sorted.length && sorted[next].from <= l.line) active.push(sorted[next++]);
    active = active.filter((r) => r.to >= l.line);
    const reviewed = active.length > 0 && active.every((r) => r.review !== null);
    return { ...l, ...coveredBy(active, reviewed, reviewed ? active.flatMap((r) => (r.review ? [r.review] : [])) : []) };
  });
}

/** Consecutive unreviewed AI lines of one file from one commit and one source: what verify names. */
export interface UnreviewedRun {
  path: string;
  from: number;
  to: number;
  source: string;
  tool: string | null;
  commit: string;
}

export interface VerifySummary {
  /** Runs that fail the range, sorted by path and line. */
  unreviewed: UnreviewedRun[];
  /** Runs in paths the policy ignores: reported, never failing. */
  ignored: UnreviewedRun[];
  /** How many unreviewed AI lines fail the range, and in how many files. */
  unreviewedLines: number;
  files: number;
  /** Lines the range adds, and how many of them are AI-written / reviewed (ignored paths included). */
  addedLines: number;
  aiLines: number;
  reviewedAiLines: number;
}

/**
 * Sorts the lines a range adds (per file, in final line order) into runs of unreviewed AI lines,
 * split by what the policy ignores.
 */
export function summarizeRange(files: readonly { path: string; lines: readonly LineProvenance[] }[], isIgnored: (path: string) => boolean): VerifySummary {
  const out: VerifySummary = { unreviewed: [], ignored: [], unreviewedLines: 0, files: 0, addedLines: 0, aiLines: 0, reviewedAiLines: 0 };
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const f of sorted) {
    const ignored = isIgnored(f.path);
    const runs = ignored ? out.ignored : out.unreviewed;
    let last: UnreviewedRun | undefined;
    let count = 0;
    for (const l of f.lines) {
      out.addedLines++;
      if (!l.ai) continue;
      out.aiLines++;
      if (l.reviewed) {
        out.reviewedAiLines++;
        continue;
      }
      const source = l.source ?? 'unknown';
      // A line traced to a commit: uncommitted lines never reach verify, but the type allows them.
      const commit = l.commit ?? '';
      count++;
      if (last && last.to + 1 === l.line && last.commit === commit && last.source === source && last.tool === l.tool) last.to = l.line;
      else {
        last = { path: f.path, from: l.line, to: l.line, source, tool: l.tool, commit };
        runs.push(last);
      }
    }
    if (!ignored && count > 0) {
      out.unreviewedLines += count;
      out.files++;
    }
  }
  return out;
}

/**
 * The first line of `verify`'s output: one sentence with the count and the first location, since
 * a CI log or an error box may show only that line. `missing` is the commits that lack a note when
 * the policy requires notes.
 */
export function verifySentence(summary: Pick<VerifySummary, 'unreviewedLines' | 'files' | 'unreviewed'>, missing: readonly string[], firstLocation?: string, warnOnly = false): string {
  const parts: string[] = [];
  if (summary.unreviewedLines > 0) {
    parts.push(`${plural(summary.unreviewedLines, 'unreviewed AI line')} in ${plural(summary.files, 'file')}${firstLocation ? `, first at ${firstLocation}` : ''}`);
  }
  if (missing.length > 0) {
    parts.push(`${plural(missing.length, 'commit')} without a provenance note (the policy requires notes), first ${missing[0].slice(0, 12)}`);
  }
  if (parts.length === 0) return 'AI Provenance: every AI line this range adds is reviewed.';
  if (warnOnly) return `AI Provenance warning: ${parts.join('; ')} (the repository policy only warns).`;
  const advice = [
    ...(summary.unreviewedLines > 0 ? ['review the lines (ai-provenance review) and push the notes (ai-provenance notes push)'] : []),
    ...(missing.length > 0 ? ['make the commits without a note again where the hook is installed (ai-provenance hook install)'] : []),
  ];
  return `AI Provenance: this range fails verification: ${parts.join('; ')}. To pass, ${advice.join('; ')}.`;
}
