/**
 * Automatic carry after a pull: a pulled commit that has no note but whose change is exactly the
 * change of one of our unmerged branches (the host squash-merged it where no hook runs) gets that
 * branch's provenance, as `notes carry <merge-base>..<branch> <commit>` would give it.
 *
 * Kept cheap for the common case: when every pulled commit has a note, it costs one rev-list and
 * one notes read. "The same change" is git's patch id (line numbers and whitespace ignored), so a
 * squash onto a main that moved since the branch started still matches.
 */
import { git, GitError } from './git';
import { readNotes } from './notes';
import { carryRange } from './rewrite';

/** How many pulled commits and candidate branches are looked at, at most. */
const MAX_PULLED = 50;
const MAX_BRANCHES = 20;

async function patchId(root: string, from: string, to: string): Promise<string | undefined> {
  const diff = await git(root, ['diff-tree', '-p', '--no-color', '--no-ext-diff', '--no-textconv', '--full-index', '-r', from, to]);
  if (!diff.trim()) return undefined;
  return (await git(root, ['patch-id', '--stable'], diff)).split(' ')[0] || undefined;
}

async function revParse(root: string, rev: string): Promise<string | undefined> {
  try {
    return (await git(root, ['rev-parse', '-q', '--verify', `${rev}^{commit}`])).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Looks at the commits ORIG_HEAD..HEAD brought (after a pull; `exclude` the ones a rebase rewrote)
 * and carries provenance onto each unnoted one that squashes one of our branches. Returns the
 * commits that got a note.
 */
export async function autoCarry(root: string, exclude: ReadonlySet<string> = new Set()): Promise<string[]> {
  const orig = await revParse(root, 'ORIG_HEAD');
  const head = await revParse(root, 'HEAD');
  if (!orig || !head || orig === head) return [];
  const pulled = (await git(root, ['rev-list', '--no-merges', `--max-count=${MAX_PULLED}`, head, '--not', orig])).split('\n').filter((c) => c && !exclude.has(c));
  if (pulled.length === 0) return [];
  const notes = await readNotes(root, pulled);
  const unnoted = pulled.filter((c) => !notes.has(c));
  if (unnoted.length === 0) return [];
  // Our branches that git does not see as merged: a squash-merged branch is one of them.
  const branches = (await git(root, ['for-each-ref', '--sort=-committerdate', `--count=${MAX_BRANCHES * 4}`, '--format=%(objectname)', '--no-merged', head, 'refs/heads/']))
    .split('\n')
    .filter(Boolean)
    .slice(0, MAX_BRANCHES);
  if (branches.length === 0) return [];
  const candidates: { base: string; tip: string; id: string }[] = [];
  for (const tip of new Set(branches)) {
    const base = (await git(root, ['merge-base', tip, head]).catch(() => '')).trim();
    if (!base) continue;
    const id = await patchId(root, base, tip);
    if (id) candidates.push({ base, tip, id });
  }
  const carried: string[] = [];
  for (const commit of unnoted) {
    const parent = await revParse(root, `${commit}^`);
    if (!parent) continue;
    const id = await patchId(root, parent, commit).catch((e: unknown) => {
      if (e instanceof GitError) return undefined;
      throw e;
    });
    const match = candidates.find((c) => c.id === id);
    if (!match) continue;
    const result = await carryRange(root, match.base, match.tip, commit);
    if (result.noted > 0) carried.push(commit);
  }
  return carried;
}
