/**
 * The note the pre-commit hook prepares for the commit it lets through, so that post-commit only
 * has to store it.
 *
 * The gate has just read the staged files' markers and content; the note of a commit of the
 * staged tree on HEAD is built from the same reads (commitNote.ts prepareNote, as post-commit
 * would build it), written into the repository as a blob, and named in the store's
 * `pending-note`: JSON naming the blob and everything the note was built from. Post-commit takes
 * it only when all of that is unchanged: the commit's tree and first parent, the writer (this
 * build), the policy file, and every marker file consulted (each by its identity: a write
 * replaces the file). Otherwise (`commit --no-verify`, `--amend`, a hook that restaged files, a
 * marker written in between, a file that is not what was written) it builds the note itself, so
 * the note never depends on which of the two wrote it.
 *
 * The blob is taken as named: damage to the file (cut short, a garbled id, a blob that is gone)
 * leads to building the note, but a file rewritten on purpose to name another blob is not caught
 * (whoever can write .git can write the notes ref as well).
 *
 * This module is on post-commit's quick path: it loads nothing that building a note needs.
 */
import { readFileSync, renameSync, rmSync, Stats, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { noteWriter } from '../core/note';
import { POLICY_FILE } from '../core/policyFile';
import { VERSION } from '../core/version';
import { MarkerStore } from './markerStore';

const PENDING_FILE = 'pending-note';
const FORMAT = 1;

/** What a prepared note was built from (the first line of the pending file, with the note's hash). */
export interface PendingKey {
  /** The staged tree the note describes, and the commit it was diffed against (null: none yet). */
  tree: string;
  parent: string | null;
  /** The policy file's stamp (policyStamp) when it was read. */
  policy: string;
  /** Marker file name -> its identity when read ('absent': there was none). */
  markers: Record<string, string>;
}

interface Pending extends PendingKey {
  format: typeof FORMAT;
  writer: string;
  /** The blob holding the note's text (serializeNote's). */
  blob: string;
}

function pendingFile(store: MarkerStore): string {
  return path.join(store.dir, PENDING_FILE);
}

/** Which version of the policy file a stat describes: an edit changes the size or the times, a replacement the inode. */
export function policyStamp(st: Stats): string {
  return `${st.mtimeMs}:${st.size}:${st.ino}:${st.ctimeMs}`;
}

/** The policy file's stamp now ('absent' when there is none; undefined when it cannot be told). */
function currentPolicyStamp(root: string): string | undefined {
  try {
    const st = statSync(path.join(root, POLICY_FILE), { throwIfNoEntry: false });
    return st ? policyStamp(st) : 'absent';
  } catch {
    return undefined;
  }
}

/** Leaves in the store `blob` (a serialized note, in the repository) as the note of the commit `key` describes. */
export function savePendingNote(store: MarkerStore, key: PendingKey, blob: string): void {
  const pending: Pending = { format: FORMAT, ...key, writer: noteWriter(VERSION), blob };
  const file = pendingFile(store);
  // A cache, not a record: written whole under another name and renamed, but not flushed to disk.
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(pending) + '\n');
  renameSync(tmp, file);
}

/** Removes the pending note, if any. Never fails: one that does not match is never taken anyway. */
export function discardPendingNote(store: MarkerStore): void {
  try {
    rmSync(pendingFile(store), { force: true });
  } catch {
    // As said.
  }
}

/**
 * The blob of the pending note when it was prepared for exactly this commit: `tree` on `parent`
 * (undefined for a root commit), with the same writer, policy and markers. Undefined otherwise.
 * The file is removed either way: it serves one commit.
 */
export function takePendingNote(root: string, store: MarkerStore, tree: string, parent: string | undefined): string | undefined {
  let pending: unknown;
  try {
    pending = JSON.parse(readFileSync(pendingFile(store), 'utf8'));
  } catch {
    return undefined; // None, or not JSON.
  } finally {
    discardPendingNote(store);
  }
  return matches(root, store, pending, tree, parent) ? pending.blob : undefined;
}

function matches(root: string, store: MarkerStore, pending: unknown, tree: string, parent: string | undefined): pending is Pending {
  if (typeof pending !== 'object' || pending === null) return false;
  const field = (key: keyof Pending): unknown => Reflect.get(pending, key);
  if (field('format') !== FORMAT || field('tree') !== tree || field('parent') !== (parent ?? null) || field('writer') !== noteWriter(VERSION)) return false;
  const blob = field('blob');
  if (typeof blob !== 'string' || !/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(blob)) return false;
  const policy = field('policy');
  if (typeof policy !== 'string' || policy !== currentPolicyStamp(root)) return false;
  const markers = field('markers');
  if (typeof markers !== 'object' || markers === null || Array.isArray(markers)) return false;
  for (const [name, identity] of Object.entries(markers)) {
    // Names are marker file names (a hash and .json), never a path elsewhere.
    if (!/^[0-9a-z]{11}\.json$/.test(name) || typeof identity !== 'string' || store.identityOf(name) !== identity) return false;
  }
  return true;
}
