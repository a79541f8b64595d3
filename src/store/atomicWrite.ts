/**
 * Atomic, durable file writes for the store and for the user's files we edit (hooks, agents'
 * configs): readers see the old file or the new one, never half of one; once the write returns,
 * the new content survives a crash or a power cut (as far as the platform flushes); and a file we
 * replace keeps its permissions.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { StoreError } from './errors';

export interface WriteOptions {
  /** Permissions of a file that does not exist yet (the umask applies); a file that exists keeps its own. */
  mode?: number;
  /** It must stay runnable (a git hook): whoever may read it may also run it. */
  executable?: boolean;
}

/** How writeAtomic's temporary files for `file` begin (a writer killed mid-write leaves one). */
export function tempPrefix(file: string): string {
  return `${file}.tmp-`;
}

/** Writes a temporary file in the same folder, flushes it, renames it over `file`, and flushes the folder. */
export async function writeAtomic(file: string, data: string, options: WriteOptions = {}): Promise<void> {
  const tmp = `${tempPrefix(file)}${process.pid}-${randomBytes(4).toString('hex')}`;
  let handle: fs.FileHandle | undefined;
  try {
    const existing = await modeOf(file);
    handle = await fs.open(tmp, 'wx', options.mode ?? 0o666);
    await handle.writeFile(data);
    // A new file gets what open() made of the mode under the umask; a replaced file its own mode exactly.
    let mode = existing ?? ((await handle.stat()).mode & 0o777);
    if (options.executable) mode |= (mode & 0o444) >> 2;
    await handle.chmod(mode);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.rename(tmp, file);
  } catch (e) {
    await handle?.close().catch(() => undefined);
    await fs.rm(tmp, { force: true });
    throw new StoreError(`cannot write ${file}: ${(e as Error).message}`);
  }
  await syncDir(path.dirname(file));
}

/** The permission bits of an existing file; undefined if there is none. */
async function modeOf(file: string): Promise<number | undefined> {
  try {
    return (await fs.stat(file)).mode & 0o777;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/**
 * Flushes a folder, so that a rename or removal in it survives a power cut. Windows cannot open a
 * folder this way, and some file systems refuse to flush one: there it is as durable as they make it.
 */
export async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    if (!['EINVAL', 'ENOTSUP', 'EOPNOTSUPP', 'EISDIR', 'EPERM', 'EACCES'].includes(code)) throw new StoreError(`cannot flush ${dir}: ${(e as Error).message}`);
  } finally {
    await handle?.close();
  }
}
