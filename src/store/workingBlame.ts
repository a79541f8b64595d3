/**
 * `ai-provenance blame`'s reading of one working-tree file: every line with the commit that wrote
 * it (git blame; lines moved and copied followed when asked) and what that commit's note says of it; a line
 * not committed yet takes its provenance from the marker store, which describes the working tree.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { LineProvenance, lineProvenance, withWorkingRegions, workingRegionLines } from '../core/history';
import { LineIndex } from '../core/text';
import { BlameOptions } from './blame';
import { git } from './git';
import { workingProvenance } from './history';
import { StoreError } from './markerStore';
import { Repository, UnsupportedFileError } from './repository';

export interface WorkingBlame {
  /** Every line, 1-based, in order. */
  lines: LineProvenance[];
  /** The lines' text as git splits the file (at line feeds), without line breaks. */
  text: string[];
}

/**
 * Blames the working-tree file `rel` (repository-relative). Refuses, with an UnsupportedFileError
 * naming the reason, a directory, a missing, binary or oversized file, and a file git does not track.
 */
export async function blameWorkingFile(repo: Repository, rel: string, follow: Pick<BlameOptions, 'moves' | 'copies'> = {}): Promise<WorkingBlame> {
  // Blame, the longest part, starts first; the checks and the store are read while it runs.
  const blaming = workingProvenance(repo.root, rel, follow);
  blaming.catch(() => undefined); // awaited below, unless a check refuses the file first
  const st = await fs.stat(repo.store.absolute(rel)).catch(() => undefined);
  if (st?.isDirectory()) throw new UnsupportedFileError(`${rel} is a directory; blame takes one file`);
  const content = await repo.readWorkingFile(rel);
  if (content === undefined) throw new UnsupportedFileError(`${rel} does not exist in the working tree`);
  const regions = await repo.regions(rel, content);
  const blamed = await blaming;
  // Blame found no commit of it: HEAD does not hold it, which is fine only for a file git tracks.
  if (blamed.length === 0 && !(await isTracked(repo.root, rel))) throw new UnsupportedFileError(`${rel} is not tracked by git, so no commit wrote any of it; git add it to blame it`);
  const text = gitLines(content);
  // A file HEAD does not hold (added, not committed yet) or a repository without commits: no line is committed.
  const lines = blamed.length > 0 || text.length === 0 ? blamed : lineProvenance([{ line: 1, count: text.length, commit: null, origPath: rel, origLine: 1 }], new Map());
  if (lines.some((l) => l.commit === null)) await assertMarkersReadable(repo, rel);
  return { lines: withWorkingRegions(lines, workingRegionLines(regions, new LineIndex(content))), text };
}

/**
 * Uncommitted lines are AI or not by the file's marker file; one found corrupt was moved aside
 * (and read as none), so "human-written" would be a claim nobody can back: an error, as status gives.
 */
async function assertMarkersReadable(repo: Repository, rel: string): Promise<void> {
  const prefix = `${path.basename(repo.store.markerFile(rel))}.`;
  const corrupt = (await repo.store.quarantined()).filter((q) => path.basename(q).startsWith(prefix));
  if (corrupt.length) {
    throw new StoreError(`the marker file of ${rel} was corrupt and moved aside (${corrupt.join(', ')}), so its uncommitted lines cannot be told AI or human. Inspect and delete it (then mark the affected lines again if needed).`);
  }
}

/** Whether git tracks `rel` (it is in the index). */
async function isTracked(root: string, rel: string): Promise<boolean> {
  const out = await git(root, ['ls-files', '-z', '--cached', '--', `:(literal)${rel}`]);
  return out.split('\0').includes(rel);
}

/** The lines of a text as git blame counts them: ended by line feeds, a last line without one counted too. */
function gitLines(content: string): string[] {
  if (content === '') return [];
  const lines = content.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}
