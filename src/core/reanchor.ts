/**
 * Re-anchoring: mapping regions from the content they were recorded against onto content that
 * changed while nothing was watching (a checkout, another editor, an agent in a terminal).
 * Only lines whose text is identical keep a marker, so a marker never lands on text it did not cover.
 */
import { diffArrays } from 'diff';
import { coveredLines, newId, normalize, Region } from './regions';
import { lineHashes, LineIndex, Position } from './text';

/** Above this many changed lines the line diff gives up and only moved-block matching is used. */
const MAX_EDIT_LENGTH = 4000;
/** How many candidate positions a moved line is tried at. */
const MAX_CANDIDATES = 64;

/**
 * For every old line, the new line holding the same text, or -1. Lines are matched by a line diff
 * first; lines the diff calls removed are then looked for among the lines it calls added, so a block
 * that moved keeps its markers. `wanted` limits that second search to lines that carry markers.
 */
export function mapLines(oldHashes: readonly number[], newHashes: readonly number[], wanted?: (oldLine: number) => boolean): Int32Array {
  const map = new Int32Array(oldHashes.length).fill(-1);
  const newUsed = new Uint8Array(newHashes.length);
  let prefix = 0;
  const maxPrefix = Math.min(oldHashes.length, newHashes.length);
  while (prefix < maxPrefix && oldHashes[prefix] === newHashes[prefix]) {
    map[prefix] = prefix;
    newUsed[prefix] = 1;
    prefix++;
  }
  let suffix = 0;
  while (
    suffix < maxPrefix - prefix &&
    oldHashes[oldHashes.length - 1 - suffix] === newHashes[newHashes.length - 1 - suffix]
  ) {
    map[oldHashes.length - 1 - suffix] = newHashes.length - 1 - suffix;
    newUsed[newHashes.length - 1 - suffix] = 1;
    suffix++;
  }
  const match = (o: number, n: number): void => {
    map[o] = n;
    newUsed[n] = 1;
  };
  // Lines that occur exactly once on each side anchor the diff (their longest increasing run), so
  // the line diff only ever runs on the short gaps between anchors: a large file with a few edits
  // costs a hash-map pass, not a full Myers diff.
  const oldEnd = oldHashes.length - suffix;
  const newEnd = newHashes.length - suffix;
  const anchors = uniqueAnchors(oldHashes, newHashes, prefix, oldEnd, prefix, newEnd);
  let o = prefix;
  let n = prefix;
  for (const [ao, an] of [...anchors, [oldEnd, newEnd] as [number, number]]) {
    diffGap(oldHashes, newHashes, o, ao, n, an, match);
    if (ao < oldEnd) match(ao, an);
    o = ao + 1;
    n = an + 1;
  }
  followMovedBlocks(map, newUsed, oldHashes, newHashes, wanted);
  return map;
}

/**
 * Pairs (old, new) of lines that occur exactly once on each side within the ranges, reduced to
 * their longest run that is increasing on both sides. Uses an open-addressing table in typed
 * arrays: a Map of 100,000 numbers costs several times more on a large file.
 */
function uniqueAnchors(oldHashes: readonly number[], newHashes: readonly number[], o0: number, o1: number, n0: number, n1: number): [number, number][] {
  let size = 16;
  while (size < 2 * (o1 - o0)) size <<= 1;
  const mask = size - 1;
  // One slot per distinct old line: [old index or -2 when repeated, new index or -1/-2], side by side
  // so a probe touches one cache line; the hash itself is read back from oldHashes.
  const slots = new Int32Array(size * 2).fill(-1);
  const probe = (h: number): number => {
    let slot = (h ^ (h / 4294967296)) & mask;
    for (;;) {
      const at = slots[slot * 2];
      if (at === -1 || oldHashes[at < 0 ? -at - 3 : at] === h) return slot;
      slot = (slot + 1) & mask;
    }
  };
  for (let i = o0; i < o1; i++) {
    const slot = probe(oldHashes[i]);
    const at = slots[slot * 2];
    // A repeated line keeps a way back to its text (-3 - first index) so probing can still compare.
    slots[slot * 2] = at === -1 ? i : at < 0 ? at : -3 - at;
  }
  for (let j = n0; j < n1; j++) {
    const slot = probe(newHashes[j]);
    if (slots[slot * 2] < 0) continue; // absent from old, or repeated there
    slots[slot * 2 + 1] = slots[slot * 2 + 1] === -1 ? j : -2;
  }
  const pairOld: number[] = [];
  const pairNew: number[] = [];
  for (let i = o0; i < o1; i++) {
    const slot = probe(oldHashes[i]);
    if (slots[slot * 2] === i && slots[slot * 2 + 1] >= 0) {
      pairOld.push(i);
      pairNew.push(slots[slot * 2 + 1]);
    }
  }
  // Longest increasing subsequence of the new indices (patience sorting, O(k log k)).
  const tails: number[] = [];
  const prev = new Int32Array(pairOld.length).fill(-1);
  for (let k = 0; k < pairOld.length; k++) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (pairNew[tails[mid]] < pairNew[k]) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[k] = tails[lo - 1];
    tails[lo] = k;
  }
  const out: [number, number][] = [];
  for (let k = tails.length ? tails[tails.length - 1] : -1; k >= 0; k = prev[k]) out.push([pairOld[k], pairNew[k]]);
  return out.reverse();
}

/** Line diff of old[o0, o1) against new[n0, n1), reporting each pair of equal lines. */
function diffGap(
  oldHashes: readonly number[],
  newHashes: readonly number[],
  o0: number,
  o1: number,
  n0: number,
  n1: number,
  match: (o: number, n: number) => void,
): void {
  while (o0 < o1 && n0 < n1 && oldHashes[o0] === newHashes[n0]) match(o0++, n0++);
  while (o0 < o1 && n0 < n1 && oldHashes[o1 - 1] === newHashes[n1 - 1]) match(--o1, --n1);
  if (o0 >= o1 || n0 >= n1) return;
  const changes = diffArrays(oldHashes.slice(o0, o1), newHashes.slice(n0, n1), { maxEditLength: MAX_EDIT_LENGTH });
  if (!changes) return; // Too different to diff cheaply: leave it to moved-block matching.
  let o = o0;
  let n = n0;
  for (const c of changes) {
    const count = c.count ?? c.value.length;
    if (c.added) n += count;
    else if (c.removed) o += count;
    else {
      for (let k = 0; k < count; k++) match(o + k, n + k);
      o += count;
      n += count;
    }
  }
}

function followMovedBlocks(
  map: Int32Array,
  newUsed: Uint8Array,
  oldHashes: readonly number[],
  newHashes: readonly number[],
  wanted: ((oldLine: number) => boolean) | undefined,
): void {
  const isCandidate = (i: number): boolean => map[i] < 0 && (!wanted || wanted(i));
  let anyCandidate = false;
  for (let i = 0; i < oldHashes.length && !anyCandidate; i++) anyCandidate = isCandidate(i);
  if (!anyCandidate) return;

  const freeNew = new Map<number, number[]>();
  for (let j = 0; j < newHashes.length; j++) {
    if (newUsed[j]) continue;
    const list = freeNew.get(newHashes[j]);
    if (list) list.push(j);
    else freeNew.set(newHashes[j], [j]);
  }
  const freeOldCount = new Map<number, number>();
  for (let i = 0; i < oldHashes.length; i++) {
    if (map[i] < 0) freeOldCount.set(oldHashes[i], (freeOldCount.get(oldHashes[i]) ?? 0) + 1);
  }

  const runLength = (i: number, j: number): number => {
    let k = 0;
    while (i + k < oldHashes.length && j + k < newHashes.length && isCandidate(i + k) && !newUsed[j + k] && oldHashes[i + k] === newHashes[j + k]) k++;
    return k;
  };

  for (let i = 0; i < oldHashes.length; i++) {
    if (!isCandidate(i)) continue;
    const candidates = freeNew.get(oldHashes[i]);
    if (!candidates) continue;
    let best = -1;
    let bestLength = 0;
    let tried = 0;
    for (const j of candidates) {
      if (newUsed[j]) continue;
      if (++tried > MAX_CANDIDATES) break;
      const length = runLength(i, j);
      if (length > bestLength) {
        best = j;
        bestLength = length;
      }
    }
    // A single moved line is only trusted when its text is unique on both sides; a lone `}` or blank
    // line found elsewhere is more likely someone else's.
    const unique = candidates.filter((j) => !newUsed[j]).length === 1 && freeOldCount.get(oldHashes[i]) === 1;
    if (best < 0 || (bestLength < 2 && !unique)) continue;
    for (let k = 0; k < bestLength; k++) {
      map[i + k] = best + k;
      newUsed[best + k] = 1;
    }
    i += bestLength - 1;
  }
}

/**
 * Maps regions recorded against content with line hashes `oldHashes` onto `next`. Each region keeps
 * the lines whose text is unchanged; a region whose lines were split apart becomes several regions
 * (the first keeps the id); a region with no surviving line disappears.
 */
export function reanchor(regions: readonly Region[], oldHashes: readonly number[], next: LineIndex, newHashes?: readonly number[]): Region[] {
  const hashes = newHashes ?? lineHashes(next.text);
  const marked = new Uint8Array(oldHashes.length);
  for (const r of regions) {
    const { first, last } = coveredLines(r);
    for (let l = Math.max(0, first); l <= last && l < oldHashes.length; l++) marked[l] = 1;
  }
  const map = mapLines(oldHashes, hashes, (i) => marked[i] === 1);
  const out: Region[] = [];
  for (const r of regions) {
    const { first, last } = coveredLines(r);
    let runStart = -1;
    let pieces = 0;
    const flush = (oldA: number, oldB: number): void => {
      const newA = map[oldA];
      const newB = map[oldB];
      const start: Position = { line: newA, character: oldA === r.start.line ? r.start.character : 0 };
      const endsInside = oldB === last && r.end.line === last;
      const end: Position = endsInside
        ? { line: newB, character: r.end.character }
        : newB + 1 < hashes.length
          ? { line: newB + 1, character: 0 }
          : { line: newB, character: next.lineLength(newB) };
      if (start.line < end.line || start.character < end.character) {
        out.push({ ...r, id: pieces++ === 0 ? r.id : newId(), start, end });
      }
    };
    for (let l = first; l <= last + 1; l++) {
      const mapped = l <= last && l < oldHashes.length ? map[l] : -1;
      if (runStart >= 0 && (mapped < 0 || mapped !== map[l - 1] + 1)) {
        flush(runStart, l - 1);
        runStart = -1;
      }
      if (mapped >= 0 && runStart < 0) runStart = l;
    }
  }
  return normalize(out);
}

const EMPTY_LINE = lineHashes('')[0];

/**
 * How alike two contents are, from their line hashes: the share of non-blank lines they have in
 * common, over the longer of the two (1 when identical, 0 when nothing is shared). The measure
 * git's rename detection uses, counted in lines.
 */
export function lineSimilarity(a: readonly number[], b: readonly number[]): number {
  const counts = new Map<number, number>();
  let sizeA = 0;
  for (const h of a) {
    if (h === EMPTY_LINE) continue;
    sizeA++;
    counts.set(h, (counts.get(h) ?? 0) + 1);
  }
  let sizeB = 0;
  let shared = 0;
  for (const h of b) {
    if (h === EMPTY_LINE) continue;
    sizeB++;
    const n = counts.get(h);
    if (n) {
      shared++;
      counts.set(h, n - 1);
    }
  }
  const size = Math.max(sizeA, sizeB);
  return size === 0 ? 0 : shared / size;
}
