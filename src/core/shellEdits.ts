/**
 * What an agent's shell command wrote, decided from the texts of the files it changed, before and
 * after it ran (src/store/shellSnapshot.ts reads them from git and the disk). Only the lines a
 * file did not hold before the command count: whatever the user had changed before it ran is in
 * the "before" text, so it stays theirs.
 */
import { changedLines, LineRange } from './agentDiff';
import { lineSimilarity } from './reanchor';
import { coveredLines, Region } from './regions';
import { lineHashes, LineIndex } from './text';

/** One path whose content the command may have changed. */
export interface ShellFile {
  /** Repository-relative, forward slashes. */
  path: string;
  /**
   * Its text before the command: `''` when it did not exist; undefined when it is not known (it
   * was binary, too large, or not read), in which case nothing in it is credited.
   */
  before: string | undefined;
  /** Its text after the command; undefined when it is gone, or is no text file we track. */
  after: string | undefined;
  /**
   * The texts git held for it before the command ran (HEAD's, the index's). A file whose new text
   * is one of them was put back by git (`git checkout -- f`, `git stash`, `git reset --hard`): its
   * lines were written by whoever wrote that version, not by the command.
   */
  gitTexts?: readonly string[];
}

export interface ShellEdit {
  path: string;
  /** The path it had before the command moved it (`mv`, `git mv`): its markers follow it. */
  movedFrom?: string;
  /** The lines of the new text the command wrote, 1-based inclusive; empty for a pure move. */
  lines: LineRange[];
}

/** The share of lines a new file must keep of a file the command removed to count as that file moved (as git judges renames). */
export const MOVE_SIMILARITY = 0.5;

/** Above this many (removed × created) pairs, moves are not looked for: comparing them would cost more than a tool call should. */
export const MAX_MOVE_PAIRS = 20_000;

/**
 * The edits a command made, one per file it wrote lines into or moved. A file created where one
 * with mostly the same lines was removed is that file moved: its lines are diffed against the
 * removed file's, so a rename credits only what changed in it.
 */
export function shellEdits(files: readonly ShellFile[]): ShellEdit[] {
  const moves = pairMoves(
    files.filter((f) => f.after === undefined && f.before),
    files.filter((f) => f.before === '' && f.after !== undefined),
  );
  const edits: ShellEdit[] = [];
  for (const f of files) {
    if (f.after === undefined) continue;
    const from = moves.get(f.path);
    const before = from ? from.before : f.before;
    const after = f.after;
    if (before === undefined || (before === after && !from)) continue;
    if (f.gitTexts?.some((t) => sameText(t, after))) continue;
    const lines = changedLines(before, after);
    if (lines.length > 0 || from) edits.push(from ? { path: f.path, movedFrom: from.path, lines } : { path: f.path, lines });
  }
  return edits;
}

/**
 * Pairs each created file with the removed file it most resembles, when it resembles one alone
 * enough; each removed file is taken once, created files in order.
 */
function pairMoves(removed: readonly ShellFile[], created: readonly ShellFile[]): Map<string, ShellFile> {
  const moves = new Map<string, ShellFile>();
  if (removed.length === 0 || created.length === 0 || removed.length * created.length > MAX_MOVE_PAIRS) return moves;
  const left = removed.map((f) => ({ f, lines: lineHashes(f.before ?? '') }));
  for (const c of created) {
    if (left.length === 0) break;
    const lines = lineHashes(c.after ?? '');
    const scored = left.map((r) => ({ r, score: lineSimilarity(r.lines, lines) })).sort((x, y) => y.score - x.score);
    if (scored[0].score < MOVE_SIMILARITY || scored[1]?.score === scored[0].score) continue;
    moves.set(c.path, scored[0].r.f);
    left.splice(left.indexOf(scored[0].r), 1);
  }
  return moves;
}

/**
 * `lines` without those covered by a region created at or after `since` (an ISO time): another
 * recorder (an edit tool's hook, an overlapping shell call, the editor) claimed them while the
 * command ran, and its claim is the more precise one.
 */
export function unclaimedLines(lines: readonly LineRange[], regions: readonly Region[], since: string, index: LineIndex): LineRange[] {
  const claimed = new Set<number>();
  for (const r of regions) {
    if (r.createdAt < since) continue;
    const { first, last } = coveredLines(r, (l) => index.lineLength(l));
    for (let l = first; l <= last; l++) claimed.add(l + 1);
  }
  if (claimed.size === 0) return [...lines];
  const out: LineRange[] = [];
  for (const { from, to } of lines) {
    let start: number | undefined;
    for (let l = from; l <= to + 1; l++) {
      if (l <= to && !claimed.has(l)) {
        start ??= l;
      } else if (start !== undefined) {
        out.push({ from: start, to: l - 1 });
        start = undefined;
      }
    }
  }
  return out;
}

/**
 * Whether HEAD's move during the command was the command's own commits (`git commit`, `--amend`,
 * a cherry-pick): every commit HEAD gained was committed since the command started. Otherwise
 * (checkout, reset, pull, merge, rebase) the working tree took content from commits made before,
 * by someone else. `committedAt` are the gained commits' committer times, in seconds.
 */
export function headMovedByCommand(committedAt: readonly number[], startedAtMs: number): boolean {
  const since = Math.floor(startedAtMs / 1000);
  return committedAt.length > 0 && committedAt.every((t) => t >= since);
}

/** Equal texts, whatever their line endings (git may convert them on checkout). */
function sameText(a: string, b: string): boolean {
  return a === b || a.replace(/\r\n/g, '\n') === b.replace(/\r\n/g, '\n');
}
