/**
 * The note the pre-commit hook prepares for the commit it lets through, so that post-commit only
 * has to store it.
 *
 * The gate has just read the staged files' markers and content; the note of a commit of the
 * staged tree on HEAD is built from the same reads (commitNote.ts prepareNote, as post-commit
 * would build it) and left in the store as `pending-note`: one line of JSON naming everything the
 * note was built from, then the note's text. Post-commit takes it only when all of that is
 * unchanged: the commit's tree and first parent, the writer (this build), the policy file, and
 * every marker file consulted (each by its identity: a write replaces the file). Otherwise
 * (`commit --no-verify`, `--amend`, a hook that restaged files, a marker written in between, a
 * file that is not what was written) it builds the note itself, so the note never depends on
 * which of the two wrote it.
 *
 * This module is on post-commit's quick path: it loads nothing that building a note needs.
 */
import { createHash } from 'node:crypto';
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

interface PendingHeader extends PendingKey {
  format: typeof FORMAT;
  writer: string;
  /** SHA-1 of the note's text, so a damaged file is never taken for a note. */
  body: string;
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

/** Leaves `text` (a serialized note) in the store as the note of the commit `key` describes. */
export function savePendingNote(store: MarkerStore, key: PendingKey, text: string): void {
  const header: PendingHeader = { format: FORMAT, ...key, writer: noteWriter(VERSION), body: bodyHash(text) };
  const file = pendingFile(store);
  // A cache, not a record: written whole under another name and renamed, but not flushed to disk.
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(header)}\n${text}`);
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
 * The text of the pending note when it was prepared for exactly this commit: `tree` on `parent`
 * (undefined for a root commit), with the same writer, policy and markers. Undefined otherwise.
 * The file is removed either way: it serves one commit.
 */
export function takePendingNote(root: string, store: MarkerStore, tree: string, parent: string | undefined): string | undefined {
  let content: Buffer;
  try {
    content = readFileSync(pendingFile(store));
  } catch {
    return undefined;
  }
  discardPendingNote(store);
  const newline = content.indexOf(10);
  if (newline < 0) return undefined;
  let header: unknown;
  try {
    header = JSON.parse(content.toString('utf8', 0, newline));
  } catch {
    return undefined;
  }
  if (!matches(root, store, header, tree, parent)) return undefined;
  const body = content.subarray(newline + 1);
  return bodyHash(body) === header.body ? body.toString('utf8') : undefined;
}

/** The check hash of a note's text: SHA-1 of its bytes (native, so the hook spends well under a millisecond on it). */
function bodyHash(body: Buffer | string): string {
  return createHash('sha1').update(body).digest('hex');
}

function matches(root: string, store: MarkerStore, header: unknown, tree: string, parent: string | undefined): header is PendingHeader {
  if (typeof header !== 'object' || header === null) return false;
  const field = (key: keyof PendingHeader): unknown => Reflect.get(header, key);
  if (field('format') !== FORMAT || field('tree') !== tree || field('parent') !== (parent ?? null) || field('writer') !== noteWriter(VERSION) || typeof field('body') !== 'string') return false;
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
