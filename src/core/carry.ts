/**
 * Carrying a note's regions from the commits a history rewrite replaced (amend, rebase, squash,
 * cherry-pick, a host's squash merge) onto the commit that replaced them. Pure arithmetic on line
 * hashes: the store layer reads the notes, the files and the diff, and writes the result.
 *
 * The rule is the one re-anchoring keeps everywhere: a region lands only on lines whose text is
 * the text it covered (its per-line hashes), never on text it did not cover; and, since a note
 * holds only what its commit added or changed, only on lines the new commit adds or changes.
 */
import { unquoteGitPath } from './gitPath';
import { mapLines } from './reanchor';
import { hashText } from './text';

/** The part of a note region that carrying reads and rewrites; other fields travel untouched. */
export interface CarriedRegion {
  id: string;
  /** 1-based, inclusive. */
  from: number;
  to: number;
  /** hashText of lines from..to joined with "\n". */
  hash: string;
  /** hashText of each line from..to. */
  lines: string[];
}

/** One old commit's regions of one file, with that file's text in the old commit when it can be read. */
export interface CarrySource<R extends CarriedRegion> {
  regions: readonly R[];
  /** The old file's lines (without terminators); they let a line diff place repeated lines by their context. */
  oldLines?: readonly string[];
}

/** The file in the new commit. */
export interface CarryTarget {
  /** The new file's lines (without terminators). */
  lines: readonly string[];
  /** Whether 0-based line i is one the new commit adds or changes (relative to its first parent). */
  added: (line: number) => boolean;
}

/** A note hash (11 base-36 digits) as the number lineHashes computes; NaN (matching nothing) when malformed. */
function hashNumber(h: string): number {
  return /^[0-9a-z]{11}$/.test(h) ? parseInt(h, 36) : NaN;
}

function lineNumbers(lines: readonly string[]): number[] {
  return lines.map((l) => hashNumber(hashText(l)));
}

/**
 * The regions of `sources`, re-anchored onto `target`: each region line goes to the new line that
 * holds the same text (by a line diff of the old file against the new one where the old file is
 * known, else by finding the region's own lines in the new file), provided the new commit adds or
 * changes that line. A region whose lines end up apart becomes several pieces (the first keeps the
 * id, the others get `<id>-<offset>`, deterministic so that carrying twice gives the same note); a
 * region with no line left disappears. Reviews travel unchanged: a review names the hash of the text
 * it saw, so a region that arrives whole is still reviewed and a piece of one is not.
 */
export function carryRegions<R extends CarriedRegion>(sources: readonly CarrySource<R>[], target: CarryTarget): R[] {
  const newHashes = lineNumbers(target.lines);
  const out: R[] = [];
  for (const source of sources) {
    const placed = source.regions.map((r) => placeRegion(r, source.oldLines, newHashes, target));
    source.regions.forEach((r, i) => out.push(...pieces(r, placed[i], target.lines)));
  }
  return out.sort((a, b) => a.from - b.from || a.to - b.to || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** For each line of the region (by offset), the 0-based new line it lands on, or -1. */
function placeRegion(r: CarriedRegion, oldLines: readonly string[] | undefined, newHashes: readonly number[], target: CarryTarget): Int32Array {
  const length = r.to - r.from + 1;
  const own = Array.from({ length }, (_, k) => hashNumber(r.lines[k] ?? ''));
  const at = new Int32Array(length).fill(-1);
  const accept = (k: number, j: number): boolean => j >= 0 && j < newHashes.length && target.added(j) && newHashes[j] === own[k];
  if (oldLines) {
    const oldHashes = lineNumbers(oldLines);
    const map = mapLines(oldHashes, newHashes, (i) => i >= r.from - 1 && i < r.to);
    for (let k = 0; k < length; k++) {
      const i = r.from - 1 + k;
      // The note must describe this old line (a stale note never lends its region to other text).
      if (i < oldHashes.length && oldHashes[i] === own[k] && accept(k, map[i])) at[k] = map[i];
    }
  }
  if (at.some((j) => j < 0)) {
    // Lines the file diff could not place (no old file, a file renamed or rewritten): look for the
    // region's own lines among the lines the commit adds, with every other line hidden so that
    // nothing else can match.
    const taken = new Set(at);
    const visible = newHashes.map((h, j) => (target.added(j) && !taken.has(j) ? h : -1 - j));
    const map = mapLines(own, visible);
    for (let k = 0; k < length; k++) if (at[k] < 0 && accept(k, map[k]) && !taken.has(map[k])) at[k] = map[k];
  }
  return at;
}

/** The region cut into runs of consecutive old lines that landed on consecutive new lines. */
function pieces<R extends CarriedRegion>(r: R, at: Int32Array, newLines: readonly string[]): R[] {
  const out: R[] = [];
  let start = -1;
  for (let k = 0; k <= at.length; k++) {
    const continues = k < at.length && at[k] >= 0 && start >= 0 && at[k] === at[k - 1] + 1;
    if (start >= 0 && !continues) {
      const from = at[start] + 1;
      const to = at[k - 1] + 1;
      const text = newLines.slice(from - 1, to);
      out.push({
        ...r,
        id: out.length === 0 ? r.id : `${r.id}-${start}`,
        from,
        to,
        lines: r.lines.slice(start, k),
        hash: hashText(text.join('\n')),
      });
      start = -1;
    }
    if (k < at.length && at[k] >= 0 && start < 0) start = k;
  }
  return out;
}

/**
 * Parses `git diff --unified=0` / `git diff-tree -U0` output (no colour, `a/` `b/` prefixes) into
 * the 1-based line ranges each new path adds or changes. Deleted files are left out. A file's
 * `+++` header is taken only right after its `diff --git` line: an added line whose text begins
 * with "++ " reads as "+++ " too.
 */
export function addedLines(diff: string): Map<string, [number, number][]> {
  const out = new Map<string, [number, number][]>();
  let current: [number, number][] | undefined;
  let inHeader = false;
  for (const line of diff.split('\n')) {
    if (line.startsWith('diff --git ')) {
      current = undefined;
      inHeader = true;
      continue;
    }
    if (inHeader && line.startsWith('+++ ')) {
      inHeader = false;
      const name = unquoteGitPath(line.slice(4));
      const p = name === '/dev/null' ? undefined : stripPrefix(name);
      current = p === undefined ? undefined : out.get(p) ?? [];
      if (p !== undefined && current) out.set(p, current);
      continue;
    }
    // Most lines are the diff's text; only hunk headers need the expression.
    const m = line.startsWith('@@ ') ? /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line) : null;
    if (m && current) {
      inHeader = false;
      const start = Number(m[1]);
      const count = m[2] === undefined ? 1 : Number(m[2]);
      if (count > 0) current.push([start, start + count - 1]);
    }
  }
  return out;
}

function stripPrefix(p: string): string {
  return p.startsWith('b/') ? p.slice(2) : p;
}
