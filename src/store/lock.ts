/**
 * Cross-process locks on a file, so that VS Code windows, the CLI and agents' hooks can all
 * read-modify-write the same marker file without losing an update.
 *
 * The lock is `<target>.lock` and names its owner: pid (and, on Linux, pid namespace), host, a random
 * token and when it was taken.
 * - It is created whole (a complete temporary file hard-linked into place), so no one ever reads
 *   half of one, and a crash leaves either no lock or a complete one.
 * - A lock whose owner is gone (same host, no such process) is taken at once. The holder touches its
 *   lock every few seconds, so a lock nobody touched for `staleMs` is taken too: its owner is on
 *   another host and stopped, or its pid now belongs to some other process.
 * - Taking a lock over is race-free. Only the waiter that creates `<lock>.takeover-<dead owner's
 *   token>` (an exclusive create: one waiter wins) may replace that lock, which it does with one
 *   rename; a claim left by a waiter that died is claimed in turn the same way. The dead owner
 *   cannot remove its lock any more and no other waiter may, so the lock the winner replaces is
 *   the one it judged. Whoever gets a lock reads it back and holds it only if it names its token.
 * - Release removes the lock only if it still names our token.
 *
 * Libraries such as proper-lockfile judge locks by age alone, so a crashed writer's lock blocks
 * everyone until it ages out, and two waiters can both break the same stale lock; hence our own.
 */
import { randomBytes } from 'node:crypto';
import { constants, promises as fs, readlinkSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { StoreError } from './errors';

export interface LockOptions {
  /** A lock that nobody touched for this long is stale even when its owner cannot be asked (another host). */
  staleMs?: number;
  /** How often the holder touches its lock; well under staleMs. */
  refreshMs?: number;
  /** How long to wait for a live holder. Longer than staleMs, so a lock whose owner stopped is always outwaited. */
  timeoutMs?: number;
  /**
   * Name prefixes (full paths, in the target's folder) of files that only the holder writes, such
   * as the target's temporary files: taking the lock removes any that a killed holder left behind.
   */
  leftovers?: string[];
}

const DEFAULTS = { staleMs: 30_000, refreshMs: 5_000, timeoutMs: 60_000 };

/** A lock's (or a takeover claim's) owner, as written in the file. */
interface Owner {
  pid: number;
  host: string;
  /** Linux's pid namespace: two containers may share a host name and a folder, but not pids. */
  pids?: string;
  token: string;
  /** ISO time the owner took it. */
  since: string;
}

/** A lock or claim file as read through one descriptor, so its content and its times belong to the same file. */
interface Seen {
  owner: Owner | undefined;
  /** Its owner's token, or (for a lock that names no owner) something unique to the file: what a takeover claims. */
  id: string;
  mtimeMs: number;
}

export interface Lock {
  readonly file: string;
  /** Lets go, if the lock is still ours. */
  release(): Promise<void>;
}

const HOST = os.hostname();
const PIDS = pidNamespace();
/** Tokens of the locks and claims this process holds or is trying to take: our own pid's other tokens are leftovers. */
const ours = new Set<string>();

/** Holders in this process of each lock, in turn: they wait here rather than poll the file system, and go the moment it is let go. */
const turns = new Map<string, Promise<void>>();

/** Runs `body` while holding `target`'s lock. */
export async function withLock<T>(target: string, body: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const before = turns.get(target) ?? Promise.resolve();
  let done = (): void => undefined;
  const myTurn = new Promise<void>((resolve) => (done = resolve));
  const turn = before.then(() => myTurn);
  turns.set(target, turn);
  await before;
  try {
    const lock = await acquire(target, options);
    try {
      return await body();
    } finally {
      await lock.release();
    }
  } finally {
    done();
    if (turns.get(target) === turn) turns.delete(target);
  }
}

/** Takes `target`'s lock, waiting for a live holder; throws a StoreError naming the holder when the wait times out. */
export async function acquire(target: string, options: LockOptions = {}): Promise<Lock> {
  const { staleMs, refreshMs, timeoutMs, leftovers = [] } = { ...DEFAULTS, ...options };
  const file = `${target}.lock`;
  const me: Owner = { pid: process.pid, host: HOST, ...(PIDS ? { pids: PIDS } : {}), token: randomBytes(8).toString('hex'), since: new Date().toISOString() };
  ours.add(me.token);
  try {
    await take(file, me, staleMs, timeoutMs);
  } catch (e) {
    // An I/O error may come after the lock became ours (a claim that cannot be removed): do not keep it.
    if ((await look(file).catch(() => undefined))?.id === me.token) await fs.rm(file, { force: true }).catch(() => undefined);
    ours.delete(me.token);
    throw e instanceof StoreError ? e : new StoreError(`cannot lock ${target}: ${(e as Error).message}`);
  }
  // Tidying only: a leftover that cannot be removed must not stop the write.
  await removeLeftovers(file, me, leftovers).catch(() => undefined);
  const timer = setInterval(() => void touch(file, me).catch(() => undefined), refreshMs);
  timer.unref();
  return {
    file,
    release: async () => {
      clearInterval(timer);
      try {
        if ((await look(file))?.id === me.token) await fs.rm(file, { force: true });
      } finally {
        ours.delete(me.token);
      }
    },
  };
}

async function take(file: string, me: Owner, staleMs: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let delay = 2;
  for (;;) {
    if ((await createWhole(file, me)) && (await look(file))?.id === me.token) return;
    const seen = await look(file);
    if (seen && isStale(seen, staleMs) && (await takeOver(file, seen, me, staleMs)) && (await look(file))?.id === me.token) return;
    if (Date.now() > deadline) {
      throw new StoreError(
        `timed out after ${Math.round(timeoutMs / 1000)} s waiting for the lock ${file}, held by ${seen ? describe(seen) : 'processes that keep taking it'}. ` +
          'If that process hangs, end it; if it is not running, delete the lock file.',
      );
    }
    if (!seen) {
      await sleep(1); // let go between our two looks: try again at once
      continue;
    }
    await sleep(delay * (1 + Math.random()));
    delay = Math.min(delay * 2, 100);
  }
}

function describe(seen: Seen): string {
  if (!seen.owner) return `an unknown process (the lock names no owner; last touched ${new Date(seen.mtimeMs).toISOString()})`;
  const { pid, host, since } = seen.owner;
  return `process ${pid} on ${here(seen.owner) ? 'this machine' : host} since ${since}`;
}

/** Gone (on this host, no such process, or a leftover of our own pid) or no longer touched by its holder. */
function isStale(seen: Seen, staleMs: number): boolean {
  const owner = seen.owner;
  if (owner && here(owner)) {
    if (owner.pid === process.pid) return !ours.has(owner.token);
    if (!alive(owner.pid)) return true;
  }
  return Date.now() - seen.mtimeMs > staleMs;
}

function alive(pid: number): boolean {
  // 0 and negative numbers would ask about process groups, not a process.
  if (!Number.isSafeInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, it is someone else's.
    return errno(e) !== 'ESRCH';
  }
}

/** Replaces a stale lock with ours, if we are the one waiter allowed to. */
async function takeOver(file: string, stale: Seen, me: Owner, staleMs: number): Promise<boolean> {
  const claims = await claim(file, stale.id, me, staleMs);
  if (!claims) return false;
  try {
    // Nobody else may replace it now and its owner is gone: if it still names that owner, it stays so until we rename.
    if ((await look(file))?.id !== stale.id) return false;
    const tmp = `${file}.new-${me.token}`;
    await fs.writeFile(tmp, record(me));
    await fs.rename(tmp, file);
    return true;
  } finally {
    for (const c of claims) await fs.rm(c, { force: true });
  }
}

/**
 * Makes us the one waiter allowed to replace the lock (or claim) `id`: we create its takeover
 * claim, or claim the claim if a waiter that died left it. Returns the claim files to remove when
 * done, or undefined when a live waiter is already at it.
 */
async function claim(file: string, id: string, me: Owner, staleMs: number, depth = 0): Promise<string[] | undefined> {
  const claimFile = `${file}.takeover-${id}`;
  if (await createWhole(claimFile, me)) return [claimFile];
  const claimer = await look(claimFile);
  if (!claimer || depth >= 4 || !isStale(claimer, staleMs)) return undefined;
  const deeper = await claim(file, claimer.id, me, staleMs, depth + 1);
  return deeper && [...deeper, claimFile];
}

/** How often a waiter writes its record again when a holder clearing leftovers took it. */
const RECREATE_ATTEMPTS = 1000;

/** Creates `file` naming us, whole or not at all; false if it exists. */
async function createWhole(file: string, me: Owner): Promise<boolean> {
  const tmp = `${file}.new-${me.token}`;
  for (let attempt = 0; ; attempt++) {
    await fs.writeFile(tmp, record(me));
    try {
      await fs.link(tmp, file);
      return true;
    } catch (e) {
      const code = errno(e);
      if (code === 'EEXIST') return false;
      // A holder removing leftovers took our temporary file (it cannot tell a live waiter's from a
      // dead one's: a writer just killed is alive until reaped): write it again. Under load with many
      // writers that happened more than three times in a row, and the write failed.
      if (code === 'ENOENT' && attempt < RECREATE_ATTEMPTS) continue;
      if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EINVAL'].includes(code ?? '')) throw e;
    } finally {
      await fs.rm(tmp, { force: true });
    }
    // No hard links on this file system (FAT, some network shares): create and fill it; a reader may see
    // it empty for a moment, and one left empty by a crash is judged by its age.
    try {
      const handle = await fs.open(file, 'wx');
      try {
        await handle.writeFile(record(me));
      } finally {
        await handle.close();
      }
      return true;
    } catch (e) {
      if (errno(e) === 'EEXIST' || busyOnWindows(e)) return false;
      throw e;
    }
  }
}

/** What a lock or claim file says; undefined if there is none. */
async function look(file: string): Promise<Seen | undefined> {
  let handle: fs.FileHandle;
  try {
    // Non-blocking, so that a FIFO put in the lock's place cannot hang us.
    handle = await fs.open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    if (errno(e) === 'ENOENT' || busyOnWindows(e)) return undefined;
    throw new StoreError(`cannot read the lock ${file}: ${(e as Error).message}`);
  }
  try {
    const st = await handle.stat({ bigint: true });
    if (!st.isFile()) throw new StoreError(`${file} is not a lock file; remove it`);
    const text = await handle.readFile('utf8');
    const mtimeMs = Number(st.mtimeMs);
    const owner = parseOwner(text) ?? legacyOwner(text, `ino${st.ino}`, mtimeMs);
    return { owner, id: owner?.token ?? `ino${st.ino}`, mtimeMs };
  } finally {
    await handle.close();
  }
}

function parseOwner(text: string): Owner | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null || !('pid' in v) || !('host' in v) || !('token' in v) || !('since' in v)) return undefined;
  const { pid, host, token, since } = v;
  const pids = 'pids' in v ? v.pids : undefined;
  // The token goes into a file name: hex only.
  if (typeof pid !== 'number' || typeof host !== 'string' || typeof token !== 'string' || !/^[0-9a-f]{8,64}$/.test(token) || typeof since !== 'string') return undefined;
  if (pids !== undefined && typeof pids !== 'string') return undefined;
  return { pid, host, ...(pids !== undefined ? { pids } : {}), token, since };
}

/** AI Provenance 0.1 wrote its pid alone, on this machine. */
function legacyOwner(text: string, id: string, mtimeMs: number): Owner | undefined {
  const m = /^(\d+)\s*$/.exec(text);
  return m ? { pid: Number(m[1]), host: HOST, ...(PIDS ? { pids: PIDS } : {}), token: id, since: new Date(mtimeMs).toISOString() } : undefined;
}

function record(me: Owner): string {
  return `${JSON.stringify(me)}\n`;
}

/** Tells waiters we are alive. */
async function touch(file: string, me: Owner): Promise<void> {
  if ((await look(file))?.id !== me.token) return;
  const now = new Date();
  await fs.utimes(file, now, now);
}

/**
 * What killed lockers and holders left beside the lock: temporary owner records, takeover claims,
 * the holder's own temporary files. Only a holder removes them, and while a lock is held no
 * takeover of it is under way, so nothing removed here is still needed (a waiter whose temporary
 * file goes writes it again).
 */
async function removeLeftovers(file: string, me: Owner, leftovers: string[]): Promise<void> {
  const dir = path.dirname(file);
  const prefixes = [`${path.basename(file)}.`, ...leftovers.map((p) => path.basename(p))];
  for (const name of await fs.readdir(dir)) {
    if (name.includes(me.token) || !prefixes.some((p) => name.startsWith(p))) continue;
    await fs.rm(path.join(dir, name), { force: true });
  }
}

/** Whether the owner's pid can be asked about here: same host, same pid namespace. */
function here(owner: Owner): boolean {
  return owner.host === HOST && owner.pids === PIDS;
}

function pidNamespace(): string | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    return readlinkSync('/proc/self/ns/pid');
  } catch {
    return undefined;
  }
}

/** Windows refuses to open a file that is being deleted until the last reader closes it: it is as good as gone. */
function busyOnWindows(e: unknown): boolean {
  return process.platform === 'win32' && errno(e) === 'EPERM';
}

function errno(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException).code;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
