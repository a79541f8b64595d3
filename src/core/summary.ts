/**
 * The repository-level summary: which unreviewed regions hold a commit back and which ones the
 * policy ignores. The gate (`check`), `status`, the review panel, its badge, the status bar and
 * navigation all count from this one function, so they cannot disagree about a path.
 */
import { Review } from './regions';

/** One file's regions (any shape that says whether it was reviewed). */
export interface FileRegionList<R> {
  path: string;
  regions: readonly R[];
}

/** One file's unreviewed regions, in the order given. Never empty. */
export interface UnreviewedFile<R> {
  path: string;
  regions: R[];
}

export interface Summary<R> {
  /** Files whose unreviewed regions hold a commit back, sorted by path. */
  blocking: UnreviewedFile<R>[];
  /** Files with unreviewed regions that the policy ignores (lock files, generated code), sorted by path. */
  ignored: UnreviewedFile<R>[];
  /** How many unreviewed regions block: the count the gate reports. */
  blockingCount: number;
  /** How many unreviewed regions sit in ignored files. */
  ignoredCount: number;
}

/**
 * Sorts every file's unreviewed regions into what blocks and what the policy ignores. Regions
 * without a `review` are unreviewed; files with none are left out.
 */
export function summarize<R extends { review?: Review | null }>(files: Iterable<FileRegionList<R>>, isIgnored: (path: string) => boolean): Summary<R> {
  const out: Summary<R> = { blocking: [], ignored: [], blockingCount: 0, ignoredCount: 0 };
  for (const f of files) {
    const regions = f.regions.filter((r) => !r.review);
    if (regions.length === 0) continue;
    if (isIgnored(f.path)) {
      out.ignored.push({ path: f.path, regions });
      out.ignoredCount += regions.length;
    } else {
      out.blocking.push({ path: f.path, regions });
      out.blockingCount += regions.length;
    }
  }
  out.blocking.sort(byPath);
  out.ignored.sort(byPath);
  return out;
}

function byPath(a: { path: string }, b: { path: string }): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}
