/**
 * Re-anchoring: mapping regions from the content they were recorded against onto content that
 * changed while nothing was watching (a checkout, another editor, an agent in a terminal).
 * Only lines whose text is identical keep a marker, so a marker never lands on text it did not cover.
 */
import { diffArrays } from 'diff';
import { coveredLines, newId, Region } from './regions';
import { hashText, LineIndex, Position, splitLines } from './text';

/** Above this many changed lines the line diff gives up and only moved-block matching is used. */
const MAX_EDIT_LENGTH = 4000;
/** How many candidate positions a moved line is tried at. */
const MAX_CANDIDATES = 64;

/**
 * For every old line, the new line holding the same text, or -1. Lines are matched by a line diff
 * first; lines the diff calls removed are then looked for among the lines it calls added, so a block
 * that moved keeps its markers. `wanted` limits that second search to lines that carry markers.
 */
export function mapLines(oldHashes: readonly string[], newHashes: readonly string[], wanted?: (oldLine: number) => boolean): Int32Array {
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
  const oldMid = oldHashes.slice(prefix, oldHashes.length - suffix);
  const newMid = newHashes.slice(prefix, newHashes.length - suffix);
  if (oldMid.length > 0 && newMid.length > 0) {
    const changes = diffArrays(oldMid, newMid, { maxEditLength: MAX_EDIT_LENGTH });
    if (changes) {
      let o = prefix;
      let n = prefix;
      for (const c of changes) {
        const count = c.count ?? c.value.length;
        if (c.added) n += count;
        else if (c.removed) o += count;
        else {
          for (let k = 0; k < count; k++) {
            map[o + k] = n + k;
            newUsed[n + k] = 1;
          }
          o += count;
          n += count;
        }
      }
    }
  }
  followMovedBlocks(map, newUsed, oldHashes, newHashes, wanted);
  return map;
}

function followMovedBlocks(
  map: Int32Array,
  newUsed: Uint8Array,
  oldHashes: readonly string[],
  newHashes: readonly string[],
  wanted: ((oldLine: number) => boolean) | undefined,
): void {
  const isCandidate = (i: number): boolean => map[i] < 0 && (!wanted || wanted(i));
  let anyCandidate = false;
  for (let i = 0; i < oldHashes.length && !anyCandidate; i++) anyCandidate = isCandidate(i);
  if (!anyCandidate) return;

  const freeNew = new Map<string, number[]>();
  for (let j = 0; j < newHashes.length; j++) {
    if (newUsed[j]) continue;
    const list = freeNew.get(newHashes[j]);
    if (list) list.push(j);
    else freeNew.set(newHashes[j], [j]);
  }
  const freeOldCount = new Map<string, number>();
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
export function reanchor(regions: readonly Region[], oldHashes: readonly string[], next: LineIndex, newHashes?: readonly string[]): Region[] {
  const hashes = newHashes ?? splitLines(next.text).map(hashText);
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
        : newB + 1 < next.lineCount
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
  return out.sort((a, b) => a.start.line - b.start.line || a.start.character - b.start.character);
}
