/**
 * The `Assisted-by` trailers of policy `"trailers": "assisted-by"`, added by the commit-message
 * hooks from the AI lines the commit is about to record. The lines are the very ones the commit's
 * note will list: the note is built (buildCommitNote) for the tree the index holds, against the
 * commit's parent, so the trailers and the note cannot disagree.
 *
 * prepare-commit-msg adds them to a message that is already written (`-m`, `-F`, `--amend`,
 * `-c`, a squash, VS Code's commit box). A message still to be written in the editor gets none
 * (a trailer in it would turn an abort, leaving the message empty, into a commit). When an editor
 * opens, the trailers also wait in a file of the store for commit-msg, which adds them to the
 * message as written, unless it is empty, none twice. A hook never fails the commit: problems are
 * reported as lines for stderr.
 */
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { assistedByValues, ASSISTED_BY, foldsIntoAnother, hasMessage, PENDING_FILE } from '../core/trailers';
import { buildCommitNote } from './commitNote';
import { getConfig, git, gitPath } from './git';
import { commitId } from './history';
import { Repository } from './repository';
import { rebaseInProgress } from './rewrite';


interface Pending {
  /** HEAD when the trailers were computed: a file left by an aborted commit never reaches another. */
  head: string | null;
  values: string[];
}

/** The message file and what git says of it (prepare-commit-msg's arguments). */
export interface MessageHook {
  file: string;
  /** `message`, `template`, `merge`, `squash`, `commit`, or undefined (an empty message for the editor). */
  source?: string;
  /** The commit named with `source` `commit`: `HEAD` for `--amend` (and for `-c HEAD`). */
  object?: string;
  /** An editor opens after this hook (git sets GIT_EDITOR to ":" for its hooks when none will). */
  editor: boolean;
}

async function commentChar(root: string): Promise<string> {
  const c = await getConfig(root, 'core.commentChar');
  return c && c !== 'auto' ? c : '#';
}

/** The trailer values the index's AI lines call for, against `parent` (the empty tree when undefined). */
async function valuesFor(repo: Repository, parent: string | undefined): Promise<string[]> {
  // The index as a tree (what git commit writes next anyway): the note's own arithmetic then applies.
  const tree = (await git(repo.root, ['write-tree'])).trim();
  const note = await buildCommitNote(repo, tree, parent, '', (by) => by);
  return assistedByValues(Object.values(note.files).flat());
}

/** Adds the trailers with git's own placement (before comments and git's scissors line), none twice. */
async function addTrailers(root: string, file: string, values: string[]): Promise<void> {
  const args = ['interpret-trailers', '--in-place', '--no-divider', '--if-exists', 'addIfDifferent', '--if-missing', 'add'];
  for (const v of values) args.push('--trailer', `${ASSISTED_BY}: ${v}`);
  await git(root, [...args, '--', file]);
}

/** The trailers policy, or a line for stderr when the policy file is invalid (then no trailers: the gate reports it too). */
async function trailersWanted(repo: Repository, hook: string): Promise<{ wanted: boolean; problem?: string }> {
  const { policy, error } = await repo.policy();
  if (error) return { wanted: false, problem: `AI Provenance (${hook}): ${error}; no Assisted-by trailers were added.` };
  return { wanted: policy.trailers === 'assisted-by' };
}

/** prepare-commit-msg. Returns lines for stderr. */
export async function prepareMessage(repo: Repository, hook: MessageHook): Promise<string[]> {
  const pending = path.join(repo.store.dir, PENDING_FILE);
  await fs.rm(pending, { force: true });
  const { wanted, problem } = await trailersWanted(repo, 'prepare-commit-msg');
  if (!wanted) return problem ? [problem] : [];
  // A merge brings commits that carry their own trailers; a rebase keeps the messages it replays.
  if (hook.source === 'merge' || existsSync(await gitPath(repo.root, 'MERGE_HEAD'))) return [];
  if (await rebaseInProgress(repo.root)) return [];
  const [text, comment] = await Promise.all([fs.readFile(hook.file, 'utf8'), commentChar(repo.root)]);
  if (foldsIntoAnother(text, comment)) return [];
  const head = await commitId(repo.root, 'HEAD');
  // An amend replaces HEAD: its lines are judged against HEAD's parent, so those it had count too.
  const amend = hook.source === 'commit' && hook.object === 'HEAD' && head !== undefined;
  if (amend && (await commitId(repo.root, 'HEAD^2'))) return []; // amending a merge: a merge still
  const parent = amend ? await commitId(repo.root, 'HEAD^1') : head;
  const values = await valuesFor(repo, parent);
  if (values.length === 0) return [];
  // Shown in the editor when there is a message to show them under (an amend's, say).
  if (hasMessage(text, comment)) await addTrailers(repo.root, hook.file, values);
  if (hook.editor) {
    await fs.mkdir(repo.store.dir, { recursive: true });
    await fs.writeFile(pending, JSON.stringify({ head: head ?? null, values } satisfies Pending));
  }
  return [];
}

/** commit-msg: the trailers prepare-commit-msg kept for a message written in the editor. Returns lines for stderr. */
export async function finishMessage(repo: Repository, file: string): Promise<string[]> {
  const pendingFile = path.join(repo.store.dir, PENDING_FILE);
  let pending: Pending | undefined;
  try {
    const raw: unknown = JSON.parse(await fs.readFile(pendingFile, 'utf8'));
    if (isPending(raw)) pending = raw;
  } catch {
    return []; // None waiting (or unreadable, which prepare-commit-msg never writes).
  } finally {
    await fs.rm(pendingFile, { force: true });
  }
  if (!pending || pending.head !== ((await commitId(repo.root, 'HEAD')) ?? null)) return [];
  const { wanted, problem } = await trailersWanted(repo, 'commit-msg');
  if (!wanted) return problem ? [problem] : [];
  const text = await fs.readFile(file, 'utf8');
  if (!hasMessage(text, await commentChar(repo.root))) return [];
  await addTrailers(repo.root, file, pending.values);
  return [];
}

function isPending(v: unknown): v is Pending {
  if (typeof v !== 'object' || v === null || !('head' in v) || !('values' in v)) return false;
  const { head, values } = v;
  return (head === null || typeof head === 'string') && Array.isArray(values) && values.every((x) => typeof x === 'string');
}
