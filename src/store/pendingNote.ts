/**
 * The note the pre-commit hook prepares for the commit it lets through, so that post-commit only
 * has to store it.
 *
 * The gate has just read the staged files' markers and content; the note of a commit of the
 * staged tree on HEAD is built from the same reads (computeNote, as post-commit would build it)
 * and left in the store as `pending-note`: one line of JSON naming everything the note was built
 * from, then the note's text. Post-commit takes it only when all of that is unchanged: the commit's
 * tree and first parent, the writer (this build), the policy file, and every marker file consulted
 * (each by its identity: a write replaces the file). Otherwise (`commit --no-verify`, `--amend`, a
 * hook that restaged files, a marker written in between, a file that is not what was written) it
 * builds the note itself, so the note never depends on which of the two wrote it.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { noteWriter, serializeNote } from '../core/note';
import { hashText } from '../core/text';
import { VERSION } from '../core/version';
import { computeNote, identityOf } from './commitNote';
import { git, GitError } from './git';
import { Reads } from './reads';
import { Repository } from './repository';

const PENDING_FILE = 'pending-note';
const FORMAT = 1;

/** The first line of the pending file. */
interface PendingHeader {
  format: typeof FORMAT;
  /** The staged tree the note describes, and the commit it was diffed against (null: none yet). */
  tree: string;
  parent: string | null;
  writer: string;
  /** Repository.policyStamp of the policy applied. */
  policy: string;
  /** Marker file name -> its identity when read ('absent': there was none). */
  markers: Record<string, string>;
  /** hashText of the note's text, so a damaged file is never taken for a note. */
  body: string;
}

function pendingFile(repo: Repository): string {
  return path.join(repo.store.dir, PENDING_FILE);
}

/**
 * Leaves the note of a commit of the index on HEAD in the store, from what the gate read
 * (`reads`) plus what the note needs besides. Never fails: without a pending note post-commit
 * builds the note itself, so any problem here only removes it.
 */
export async function prepareNote(repo: Repository, reads: Reads): Promise<void> {
  const file = pendingFile(repo);
  try {
    const [tree, parent, identify] = await Promise.all([
      git(repo.root, ['write-tree']).then((out) => out.trim()),
      git(repo.root, ['rev-parse', '-q', '--verify', 'HEAD^{commit}']).then(
        (out) => out.trim(),
        (e: unknown) => {
          if (e instanceof GitError && e.exitCode === 1) return undefined; // No commit yet.
          throw e;
        },
      ),
      identityOf(repo.root),
    ]);
    const writer = noteWriter(VERSION);
    const { note, settled } = await computeNote(repo, tree, parent, writer, identify, reads);
    const policy = repo.policyStamp;
    const markers = Object.fromEntries(reads.identities);
    if (!settled || policy === undefined || Object.values(markers).includes('unknown')) throw new Error('not reusable');
    const text = serializeNote(note);
    const header: PendingHeader = { format: FORMAT, tree, parent: parent ?? null, writer, policy, markers, body: hashText(text) };
    // A cache, not a record: written whole under another name and renamed, but not flushed to disk.
    const tmp = `${file}.tmp-${process.pid}`;
    writeFileSync(tmp, `${JSON.stringify(header)}\n${text}`);
    renameSync(tmp, file);
  } catch {
    discard(file);
  }
}

function discard(file: string): void {
  try {
    rmSync(file, { force: true });
  } catch {
    // Nothing more to do: a pending note that does not match is never taken.
  }
}

/**
 * The text of the pending note when it was prepared for exactly this commit: `tree` on `parent`
 * (undefined for a root commit), with the same writer, policy and markers. Undefined otherwise.
 * The file is removed either way: it serves one commit.
 */
export function takePendingNote(repo: Repository, tree: string, parent: string | undefined): string | undefined {
  const file = pendingFile(repo);
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  discard(file);
  const newline = content.indexOf('\n');
  if (newline < 0) return undefined;
  let header: unknown;
  try {
    header = JSON.parse(content.slice(0, newline));
  } catch {
    return undefined;
  }
  if (!matches(repo, header, tree, parent)) return undefined;
  const text = content.slice(newline + 1);
  return hashText(text) === header.body ? text : undefined;
}

function matches(repo: Repository, header: unknown, tree: string, parent: string | undefined): header is PendingHeader {
  if (typeof header !== 'object' || header === null) return false;
  const field = (key: keyof PendingHeader): unknown => Reflect.get(header, key);
  if (field('format') !== FORMAT || field('tree') !== tree || field('parent') !== (parent ?? null) || field('writer') !== noteWriter(VERSION) || typeof field('body') !== 'string') return false;
  const policy = field('policy');
  if (typeof policy !== 'string' || policy !== repo.currentPolicyStamp()) return false;
  const markers = field('markers');
  if (typeof markers !== 'object' || markers === null || Array.isArray(markers)) return false;
  for (const [name, identity] of Object.entries(markers)) {
    // Names are marker file names (a hash and .json), never a path elsewhere.
    if (!/^[0-9a-z]{11}\.json$/.test(name) || typeof identity !== 'string' || repo.store.identityOf(name) !== identity) return false;
  }
  return true;
}
