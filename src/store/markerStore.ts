/**
 * The marker store: one JSON file per source file under `git rev-parse --git-path ai-provenance`.
 * Writes are atomic and durable (atomicWrite.ts) and serialized across processes by a lock per
 * marker file (lock.ts), so two VS Code windows and the CLI writing at once lose no update, and a
 * writer that dies holds up no one.
 */
import { BigIntStats, closeSync, constants, lstatSync, openSync, promises as fs, readFileSync, readSync, realpathSync, statSync, watch, FSWatcher } from 'node:fs';
import * as path from 'node:path';
import { FileRecord, invalidRepositoryPath, parseMarkerFile, peekMarkerFile, RecordHead, serializeMarkerFile } from '../core/markerFile';
import { hashText } from '../core/text';
import { syncDir, tempPrefix, writeAtomic } from './atomicWrite';
import { OutsideRepositoryError, StoreError } from './errors';
import { realLocation } from './realPath';
import { withLock } from './lock';

export { writeAtomic } from './atomicWrite';
export { OutsideRepositoryError, StoreError } from './errors';

/** Enough of a marker file's opening to hold its path and content hash (paths longer than that are read whole). */
const HEAD_BYTES = 1024;

/** One marker file that changed, as the store's watcher reports it. */
export interface MarkerChange {
  /** The marker file's name in the store's `files` folder (a hash of the path it describes). */
  name: string;
  /** What it holds now; undefined when it is gone (deleted, moved, or moved aside as corrupt). */
  record: FileRecord | undefined;
  /** Written by this process through this store: reported from memory, nothing was read back. */
  own: boolean;
}

/**
 * What changed in a store: the marker files, or `files: undefined` when the watcher cannot say
 * which (the platform gave no name, or the watch failed): then everything must be re-read.
 */
export interface StoreChange {
  files: MarkerChange[] | undefined;
}

/**
 * What one operation read from the store: each path's record (undefined: none), and the identity
 * of each marker file read (file name -> inode, size and times; 'absent' when there was none). A
 * result built from these records stays valid while every marker file still has that identity:
 * every write replaces the file (a new inode), so a changed identity is a changed record.
 */
export interface ReadLog {
  records: Map<string, FileRecord | undefined>;
  identities: Map<string, string>;
}

export function newReadLog(): ReadLog {
  return { records: new Map(), identities: new Map() };
}

/** Something the user should hear about that did not stop the operation. */
export interface StoreProblem {
  /** The marker file concerned. */
  file: string;
  message: string;
}

const CORRUPT_SUFFIX = '.corrupt-';
/**
 * Marker files are opened non-blocking: their type is checked first (a FIFO is never opened), and
 * should one be swapped in between, opening it still returns at once instead of waiting for a writer.
 */
const READ_NONBLOCK = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

export class MarkerStore {
  readonly filesDir: string;
  private readonly problemListeners = new Set<(p: StoreProblem) => void>();
  /** While someone watches: marker file name -> what this process wrote there and the file's identity after the write, until the watcher reports it. */
  private readonly written = new Map<string, { identity: string | undefined; record: FileRecord | undefined }>();
  private watchers = 0;
  /** Marker files this process is writing right now: the watcher waits for their identity (a slow fsync outlasts its debounce). */
  private readonly writing = new Set<string>();

  /** `root` is the repository's working tree; `dir` what `git rev-parse --git-path ai-provenance` names. */
  constructor(readonly root: string, readonly dir: string) {
    this.filesDir = path.join(dir, 'files');
  }

  async ensureDir(): Promise<void> {
    await fs.mkdir(this.filesDir, { recursive: true });
  }

  onProblem(listener: (p: StoreProblem) => void): { dispose(): void } {
    this.problemListeners.add(listener);
    return { dispose: () => this.problemListeners.delete(listener) };
  }

  /**
   * Repository-relative path with forward slashes, from a relative or absolute one; refuses anything
   * outside. Judged on the real location, symbolic links resolved: a path through a link that leads
   * outside is outside, and a link inside that leads to another file inside names that file, where
   * its content lives and what git commits. Every way in (CLI, agent hooks, the editor) passes here.
   */
  relative(input: string): string {
    let real: string;
    try {
      real = realLocation(path.resolve(this.root, input));
    } catch (e) {
      throw new StoreError(`cannot resolve ${input}: ${(e as Error).message}`);
    }
    const rel = path.relative(this.realRoot(), real);
    if (rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) throw new OutsideRepositoryError(input, this.root);
    const posix = rel.split(path.sep).join('/');
    if (invalidRepositoryPath(posix)) throw new OutsideRepositoryError(input, this.root);
    return posix;
  }

  /** Throws OutsideRepositoryError when `rel` (a stored path) leads outside the repository through a symbolic link. */
  assertInside(rel: string): void {
    this.relative(this.absolute(rel));
  }

  private realRootCache?: string;
  private realRoot(): string {
    if (this.realRootCache === undefined) {
      try {
        this.realRootCache = realpathSync.native(this.root);
      } catch {
        this.realRootCache = this.root;
      }
    }
    return this.realRootCache;
  }

  absolute(rel: string): string {
    return path.join(this.root, ...rel.split('/'));
  }

  /** Marker file names are a hash of the path, so any path (deep, long, odd characters) maps to one flat file. */
  markerFile(rel: string): string {
    return path.join(this.filesDir, `${hashText(rel)}.json`);
  }

  /**
   * The record for a path, or undefined. A corrupt file is moved aside and reported; a newer format
   * throws. With `log`, a path read before is answered from it, and what is read is added to it.
   */
  async read(rel: string, log?: ReadLog): Promise<FileRecord | undefined> {
    if (log?.records.has(rel)) return log.records.get(rel);
    const file = this.markerFile(rel);
    const record = await this.readFile(file, rel, log && ((id) => log.identities.set(path.basename(file), id)));
    log?.records.set(rel, record);
    return record;
  }

  /** Which version of the marker file of `rel` is on disk now ('absent' when none; undefined when unknown). */
  identity(rel: string): string | undefined {
    return identity(this.markerFile(rel));
  }

  /** The same for a marker file named as ReadLog names them. */
  identityOf(name: string): string | undefined {
    return identity(path.join(this.filesDir, name));
  }

  private async readFile(file: string, expectedPath?: string, seen?: (identity: string) => void): Promise<FileRecord | undefined> {
    let text: string;
    try {
      // Synchronous on purpose: marker files are small, and the pre-commit hook reads hundreds of
      // them, where each asynchronous read costs several thread-pool round trips (about 5x slower).
      // The identity is taken before reading: a file replaced after it has another identity, which
      // is what whoever keeps the log compares with, so a log never vouches for text it did not read.
      const st = lstatSync(file, { bigint: true });
      if (!st.isFile()) {
        await this.quarantine(file, 'it is not a regular file');
        return undefined;
      }
      seen?.(identityOfStat(st));
      const fd = openSync(file, READ_NONBLOCK);
      try {
        text = readFileSync(fd, 'utf8');
      } finally {
        closeSync(fd);
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        seen?.('absent');
        return undefined;
      }
      if (e instanceof StoreError) throw e;
      throw new StoreError(`cannot read marker file ${file}: ${(e as Error).message}`);
    }
    const parsed = parseMarkerFile(text);
    if (!parsed.ok) {
      if (parsed.newer) throw new StoreError(`marker file ${file} was ${parsed.error}; update AI Provenance`);
      await this.quarantine(file, parsed.error);
      return undefined;
    }
    if (expectedPath !== undefined && parsed.record.path !== expectedPath) {
      await this.quarantine(file, `it names "${parsed.record.path}", expected "${expectedPath}"`);
      return undefined;
    }
    return parsed.record;
  }

  /** Moves a corrupt marker file aside (never deletes it) and tells whoever listens. */
  private async quarantine(file: string, reason: string): Promise<void> {
    const backup = `${file}${CORRUPT_SUFFIX}${new Date().toISOString().replace(/[:.]/g, '-')}`;
    try {
      await fs.rename(file, backup);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new StoreError(`cannot move corrupt marker file ${file} aside: ${(e as Error).message}`);
      return; // Someone else moved it first.
    }
    const problem = { file: backup, message: `Corrupt marker file (${reason}) moved aside to ${backup}` };
    for (const l of this.problemListeners) l(problem);
  }

  /** Corrupt marker files that were moved aside and not yet dealt with. The gate refuses to pass while any remain. */
  async quarantined(): Promise<string[]> {
    try {
      const names = await fs.readdir(this.filesDir);
      return names.filter((n) => n.includes(CORRUPT_SUFFIX)).map((n) => path.join(this.filesDir, n));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return this.absent();
      throw new StoreError(`cannot list ${this.filesDir}: ${(e as Error).message}`);
    }
  }

  /**
   * The marker folder could not be listed because it does not exist: an empty store, unless a
   * symbolic link (the folder or the store itself) leads nowhere, which must not pass for empty.
   */
  private async absent(): Promise<[]> {
    for (const p of [this.filesDir, this.dir]) {
      const there = await fs.lstat(p).then(
        () => true,
        (e: NodeJS.ErrnoException) => {
          if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return false;
          throw new StoreError(`cannot read ${p}: ${e.message}`);
        },
      );
      if (!there) continue;
      if (await fs.stat(p).then(() => true, () => false)) return [];
      throw new StoreError(`${p} is a symbolic link to nothing, so the marker store cannot be read`);
    }
    return [];
  }

  /**
   * The path and content hash of every record, from the first bytes of each marker file (a whole
   * read where those do not hold them): about a sixth of list()'s cost, for the pre-commit hook.
   */
  async heads(): Promise<RecordHead[]> {
    const out: RecordHead[] = [];
    const opening = Buffer.alloc(HEAD_BYTES);
    for (const name of await this.names()) {
      const file = path.join(this.filesDir, name);
      let head: RecordHead | undefined;
      try {
        // Anything but a regular file is left to the whole read, which moves it aside.
        if (lstatSync(file).isFile()) {
          const fd = openSync(file, READ_NONBLOCK);
          try {
            head = peekMarkerFile(opening.toString('utf8', 0, readSync(fd, opening, 0, HEAD_BYTES, 0)));
          } finally {
            closeSync(fd);
          }
        }
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw new StoreError(`cannot read marker file ${file}: ${(e as Error).message}`);
      }
      head ??= await this.readFile(file);
      if (head) out.push({ path: head.path, contentHash: head.contentHash });
    }
    return out;
  }

  /** Every record in the store. */
  async list(): Promise<FileRecord[]> {
    const records = await Promise.all((await this.names()).map((n) => this.readFile(path.join(this.filesDir, n))));
    return records.filter((r): r is FileRecord => r !== undefined);
  }

  /** The marker files' names. */
  private async names(): Promise<string[]> {
    try {
      return (await fs.readdir(this.filesDir)).filter((n) => n.endsWith('.json'));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return this.absent();
      throw new StoreError(`cannot list ${this.filesDir}: ${(e as Error).message}`);
    }
  }

  /**
   * Read-modify-write under the file's lock. `fn` gets the freshest record and returns the new one
   * (or undefined to delete it). The record's `rev` is bumped here.
   */
  async update(rel: string, fn: (current: FileRecord | undefined) => FileRecord | undefined | Promise<FileRecord | undefined>): Promise<FileRecord | undefined> {
    await this.ensureDir();
    const file = this.markerFile(rel);
    // A writer killed mid-write leaves its temporary file: whoever takes the lock next removes it.
    const leftovers = [tempPrefix(file)];
    return withLock(file, async () => {
      const current = await this.read(rel);
      const next = await fn(current);
      const name = path.basename(file);
      this.writing.add(name);
      try {
        if (!next) {
          await fs.rm(file, { force: true });
          await syncDir(this.filesDir);
          this.noteWrite(file, undefined);
          return undefined;
        }
        const record = { ...next, path: rel, rev: (current?.rev ?? 0) + 1 };
        await writeAtomic(file, serializeMarkerFile(record));
        this.noteWrite(file, record);
        return record;
      } finally {
        this.writing.delete(name);
      }
    }, { leftovers });
  }

  /** Moves a file's record to a new path (the file was renamed or moved). */
  async rename(from: string, to: string): Promise<void> {
    const record = await this.read(from);
    if (!record) return;
    await this.update(to, () => ({ ...record, path: to }));
    await this.update(from, () => undefined);
  }

  async remove(rel: string): Promise<void> {
    await this.update(rel, () => undefined);
  }

  /**
   * Calls `listener` (debounced) with the marker files that anyone wrote or removed. Files another
   * process wrote are read once here; this process's own writes are recognised by the file's
   * identity (inode, size, times) right after the write and reported from memory, so a window
   * never re-reads what it just wrote. `files` is undefined when the platform cannot name the file.
   */
  watch(listener: (change: StoreChange) => void, debounceMs = 50): { dispose(): void } {
    let timer: NodeJS.Timeout | undefined;
    let watcher: FSWatcher | undefined;
    let names = new Set<string>();
    let everything = false;
    let delivering = Promise.resolve();
    let disposed = false;
    const deliver = async (): Promise<void> => {
      const batch = names;
      const all = everything;
      names = new Set();
      everything = false;
      if (disposed) return;
      if (all) return listener({ files: undefined });
      const files: MarkerChange[] = [];
      for (const name of batch) {
        if (this.writing.has(name)) {
          // Our own write is still being flushed: look again once its identity is known.
          names.add(name);
          schedule();
          continue;
        }
        const file = path.join(this.filesDir, name);
        const mine = this.written.get(name);
        // Forgotten once reported (one write, one event), so memory holds only writes in flight.
        this.written.delete(name);
        if (mine?.identity !== undefined && mine.identity === identity(file)) {
          files.push({ name, record: mine.record, own: true });
          continue;
        }
        try {
          files.push({ name, record: await this.readFile(file), own: false });
        } catch {
          return listener({ files: undefined }); // Unreadable now: let the full scan report it.
        }
      }
      if (files.length && !disposed) listener({ files });
    };
    const schedule = (): void => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        delivering = delivering.then(deliver, deliver);
      }, debounceMs);
    };
    try {
      watcher = watch(this.filesDir, (_event, name) => {
        // No name: the platform could not say which file (Windows reports a buffer overflow so).
        if (!name) everything = true;
        else if (String(name).endsWith('.json')) names.add(String(name));
        else return; // a lock or temporary file
        schedule();
      });
      // The folder was deleted or the watch broke: whatever happened, nothing can be trusted.
      watcher.on('error', () => {
        everything = true;
        schedule();
      });
      this.watchers++;
    } catch {
      watcher = undefined;
    }
    return {
      dispose: () => {
        disposed = true;
        if (timer) clearTimeout(timer);
        if (watcher) {
          watcher.close();
          if (--this.watchers === 0) this.written.clear();
        }
      },
    };
  }

  /** Remembers what this process just wrote (under the file's lock), so the watcher can tell it from another writer's change. */
  private noteWrite(file: string, record: FileRecord | undefined): void {
    if (this.watchers === 0) return;
    this.written.set(path.basename(file), { identity: identity(file), record });
  }
}

/**
 * Which version of a file is on disk: an atomic write makes a new inode, so another writer's file
 * always differs. Synchronous so that a write's identity is taken before any watcher event for it
 * can be delivered (one stat, no read).
 */
function identity(file: string): string | undefined {
  try {
    const st = statSync(file, { bigint: true, throwIfNoEntry: false });
    return st ? identityOfStat(st) : 'absent';
  } catch {
    return undefined; // Unknown: never taken for our own write.
  }
}

function identityOfStat(st: BigIntStats): string {
  return `${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
}
