/**
 * What one run has read of the staged or committed files: their records (with the identity of
 * each marker file read), their text by blob, and their regions placed in that text. The
 * pre-commit hook's gate fills it, and the note it prepares for the commit (pendingNote.ts) reads
 * from it, so each marker file and blob is read and each file's regions placed once.
 */
import { FileRecord } from '../core/markerFile';
import { Region } from '../core/regions';
import { newReadLog, ReadLog } from './markerStore';

export interface Reads extends ReadLog {
  /** Blob id -> its text (undefined: binary). */
  texts: Map<string, string | undefined>;
  /** regionsKey -> the record's regions placed in the blob's text (regionsIn). */
  regions: Map<string, Region[]>;
}

export function newReads(): Reads {
  return { ...newReadLog(), texts: new Map(), regions: new Map() };
}

/** Where `regions` keeps a record's regions in a blob: a record is read once per run, so its path names it. */
export function regionsKey(record: FileRecord, blob: string): string {
  return `${blob} ${record.path}`;
}
