import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { tempPrefix, writeAtomic } from '../../src/store/atomicWrite';
import { StoreError } from '../../src/store/errors';
import { acquire, withLock } from '../../src/store/lock';

/** The pid of a process that has ended. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

/** Our pid namespace, which a lock records on Linux. */
const pids = process.platform === 'linux' ? { pids: fs.readlinkSync('/proc/self/ns/pid') } : {};

function owner(pid: number, host = os.hostname(), token = Math.random().toString(16).slice(2).padEnd(16, '0')): string {
  return `${JSON.stringify({ pid, host, ...pids, token, since: new Date().toISOString() })}\n`;
}

function age(file: string, ms: number): void {
  const then = new Date(Date.now() - ms);
  fs.utimesSync(file, then, then);
}

async function until(what: string, test: () => boolean): Promise<void> {
  const deadline = Date.now() + 8000;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('lock', () => {
  let dir: string;
  let target: string;
  let lock: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aip-lock-'));
    target = path.join(dir, 'a.json');
    lock = `${target}.lock`;
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const held = (body: () => Promise<void> = async () => undefined, timeoutMs = 5000): Promise<void> => withLock(target, body, { timeoutMs });

  it('is taken at once from an owner that is gone, however recently it touched the lock', async () => {
    for (const content of [owner(deadPid()), `${deadPid()}\n` /* 0.1's format */]) {
      fs.writeFileSync(lock, content);
      await held(async () => assert.notEqual(fs.readFileSync(lock, 'utf8'), content, 'the lock names us now'));
      assert.deepEqual(fs.readdirSync(dir), [], 'released, nothing left behind');
    }
  });

  it('waits for a live owner, and times out with an error that names it', async () => {
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      fs.writeFileSync(lock, owner(sleeper.pid!));
      await assert.rejects(withLock(target, async () => assert.fail('must not run'), { timeoutMs: 300 }), (e: Error) => {
        assert.ok(e instanceof StoreError);
        assert.match(e.message, new RegExp(`timed out .* waiting for the lock .*a\\.json\\.lock, held by process ${sleeper.pid} on this machine since `));
        return true;
      });
      assert.ok(fs.existsSync(lock), "the live owner's lock stays");
    } finally {
      sleeper.kill();
    }
  });

  it('judges an owner on another host by whether it still touches the lock', async () => {
    fs.writeFileSync(lock, owner(1, 'another-host'));
    await assert.rejects(held(undefined, 300), /held by process 1 on another-host/);
    age(lock, 60_000);
    await held();
    assert.deepEqual(fs.readdirSync(dir), []);

    // Same host name, another pid namespace (a container sharing the folder): its pids mean nothing here.
    const dead = deadPid();
    fs.writeFileSync(lock, `${JSON.stringify({ pid: dead, host: os.hostname(), pids: 'pid:[1]', token: 'dddddddddddddddd', since: new Date().toISOString() })}\n`);
    await assert.rejects(held(undefined, 300), new RegExp(`held by process ${dead} on `));
    age(lock, 60_000);
    await held();
  });

  it('touches its lock while it holds it', async () => {
    const l = await acquire(target, { refreshMs: 20 });
    try {
      age(lock, 60_000);
      await until('the lock is touched again', () => Date.now() - fs.statSync(lock).mtimeMs < 30_000);
    } finally {
      await l.release();
    }
  });

  it('lets go only of a lock that is still its own', async () => {
    const l = await acquire(target);
    const other = owner(process.ppid, os.hostname());
    fs.writeFileSync(lock, other);
    await l.release();
    assert.equal(fs.readFileSync(lock, 'utf8'), other);
  });

  it("takes over a dead owner's lock through a claim left by a waiter that died too, and clears both", async () => {
    const deadToken = 'aaaaaaaaaaaaaaaa';
    fs.writeFileSync(lock, owner(deadPid(), os.hostname(), deadToken));
    fs.writeFileSync(`${lock}.takeover-${deadToken}`, owner(deadPid(), os.hostname(), 'bbbbbbbbbbbbbbbb'));
    fs.writeFileSync(`${lock}.new-cccccccccccccccc`, owner(deadPid())); // a locker killed before it linked its record
    fs.writeFileSync(`${tempPrefix(target)}123-abcd`, 'half a marker'); // a holder killed mid-write
    await withLock(target, async () => undefined, { leftovers: [tempPrefix(target)], timeoutMs: 5000 });
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  it('takes the lock though holders clearing leftovers take its record again and again before it is linked', async () => {
    // Stands in for busy holders: every record a waiter writes to link as the lock goes at once,
    // ten times over (under load, eight writers did this to a waiter more than three times in a row).
    let taken = 0;
    const watcher = fs.watch(dir, (_event, name) => {
      if (taken < 10 && name && name.startsWith(`${path.basename(lock)}.new-`) && fs.existsSync(path.join(dir, name))) {
        fs.rmSync(path.join(dir, name), { force: true });
        taken++;
      }
    });
    try {
      const l = await acquire(target, { timeoutMs: 5000 });
      await l.release();
    } finally {
      watcher.close();
    }
    assert.ok(taken >= 4, `records taken before they were linked: ${taken}`);
  });

  it("gives a dead owner's lock to one of many lockers racing for it, then to each in turn", async () => {
    fs.writeFileSync(lock, owner(deadPid()));
    let inside = 0;
    let most = 0;
    let count = 0;
    const hold = async (): Promise<void> => {
      const l = await acquire(target, { timeoutMs: 20_000 }); // the lock itself, without withLock's queue in this process
      most = Math.max(most, ++inside);
      await new Promise((r) => setTimeout(r, 5)); // long enough for a second holder, if there were one, to come in
      count++;
      inside--;
      await l.release();
    };
    await Promise.all(Array.from({ length: 20 }, hold));
    assert.equal(count, 20);
    assert.equal(most, 1, 'never two holders at once');
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  it('queues holders in one process', async () => {
    const order: number[] = [];
    await Promise.all([1, 2, 3].map((n) => held(async () => void order.push(n))));
    assert.deepEqual(order, [1, 2, 3]);
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  it('refuses at once something that is not a lock file in its place', async () => {
    fs.mkdirSync(lock);
    await assert.rejects(held(), /is not a lock file/);
  });
});

describe('writeAtomic', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aip-write-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const mode = (f: string): number => fs.statSync(f).mode & 0o777;

  it('keeps the mode of the file it replaces', async () => {
    const f = path.join(dir, 'settings.json');
    for (const m of [0o600, 0o640, 0o755]) {
      fs.writeFileSync(f, 'old');
      fs.chmodSync(f, m);
      await writeAtomic(f, 'new');
      assert.equal(fs.readFileSync(f, 'utf8'), 'new');
      assert.equal(mode(f), m);
    }
  });

  it('makes a new file with the given mode less the umask, and keeps an executable one runnable', async () => {
    const plain = path.join(dir, 'plain');
    fs.writeFileSync(plain, '', { mode: 0o755 }); // what the umask makes of 0755
    const f = path.join(dir, 'hook');
    await writeAtomic(f, '#!/bin/sh\n', { mode: 0o755, executable: true });
    assert.equal(mode(f), mode(plain));
    fs.chmodSync(f, 0o640);
    await writeAtomic(f, '#!/bin/sh\n', { mode: 0o755, executable: true });
    assert.equal(mode(f), 0o750);
  });

  it('leaves nothing behind when it fails', async () => {
    const f = path.join(dir, 'taken');
    fs.mkdirSync(f); // rename cannot replace a folder with a file
    await assert.rejects(writeAtomic(f, 'x'), StoreError);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['taken']);
  });
});
