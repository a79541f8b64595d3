/**
 * The store's locks and writes against real processes: writers killed with SIGKILL at random
 * moments, eight writers racing for a dead writer's lock, and the permissions of the user's files
 * that we rewrite. AIP_LOCK_KILLS and AIP_LOCK_TRIALS run more rounds (for hunting a rare race).
 */
import * as assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseMarkerFile, recordFor } from '../../src/core/markerFile';
import { MarkerStore } from '../../src/store/markerStore';
import { TempRepo } from './helpers';
import { WRITER_TEXT } from './storeWriter';

const WRITER = path.join(__dirname, 'storeWriter.js');
const KILLS = Number(process.env.AIP_LOCK_KILLS ?? 100);
const TRIALS = Number(process.env.AIP_LOCK_TRIALS ?? 6);
const WRITERS = 8;
const UPDATES = 10;
/** Writers loaded ahead of their turn: Node takes longer to start than a turn lasts. */
const WARM = 3;

interface Writer {
  child: ChildProcess;
  /** Everything it printed so far. */
  out: string[];
  exited: Promise<number | null>;
}

function startWriter(...args: string[]): Writer {
  const child = spawn(process.execPath, [WRITER, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const out: string[] = [];
  let partial = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop()!;
    out.push(...lines);
  });
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  void exited.then((code) => {
    if (code) process.stderr.write(`writer ${args.join(' ')} exited ${code}: ${err}\n`);
  });
  return { child, out, exited };
}

/** Resolves once the writer has printed `line`; fails if it exits first. */
async function printed(w: Writer, line: string): Promise<void> {
  let gone = false;
  void w.exited.then(() => (gone = true));
  for (;;) {
    if (w.out.includes(line)) return;
    if (gone) throw new Error(`writer exited before printing "${line}" (printed: ${w.out.join(' | ')})`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

async function kill(w: Writer): Promise<void> {
  w.child.kill('SIGKILL');
  await w.exited;
}

/** A store in a fresh folder (the store needs no git for this). */
function freshStore(): MarkerStore {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aip-locks-')));
  return new MarkerStore(root, path.join(root, 'store'));
}

/** A writer's lock, as a crash leaves it: the writer was killed while it held the lock. */
async function deadWritersLock(store: MarkerStore, rel: string): Promise<void> {
  await store.ensureDir();
  const holder = startWriter(store.dir, rel, 'hold');
  await printed(holder, 'holding');
  await kill(holder);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

describe('store locks and writes with real processes', function () {
  this.timeout(180_000);
  const cleanup: string[] = [];
  afterEach(() => {
    for (const dir of cleanup.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it(`a writer killed with SIGKILL at random moments (${KILLS} times) corrupts nothing, loses no acknowledged update, and holds up no later write`, async () => {
    const store = freshStore();
    cleanup.push(store.root);
    await store.ensureDir();
    const rel = 'a.ts';
    let written = 0; // the rev the marker file is known to hold at least
    const nextWrite: number[] = [];
    const warm = Array.from({ length: WARM }, () => startWriter(store.dir, rel, 'loop'));
    for (let i = 0; i < KILLS; i++) {
      const w = warm.shift()!;
      warm.push(startWriter(store.dir, rel, 'loop'));
      await printed(w, 'ready');
      w.child.stdin!.write('go\n');
      await new Promise((r) => setTimeout(r, Math.random() * 80)); // a random moment of its work
      await kill(w);
      for (const line of w.out) if (line.startsWith('ack ')) written = Math.max(written, Number(line.slice(4)));

      let onDisk = 0;
      if (fs.existsSync(store.markerFile(rel))) {
        const parsed = parseMarkerFile(fs.readFileSync(store.markerFile(rel), 'utf8'));
        assert.ok(parsed.ok, `kill ${i}: the marker file is corrupt`);
        onDisk = parsed.record.rev;
      }
      assert.ok(onDisk >= written, `kill ${i}: rev ${written} was acknowledged, the file holds rev ${onDisk}`);
      assert.ok(onDisk <= written + 1, `kill ${i}: at most the one update in flight lands unacknowledged`);

      const t0 = performance.now();
      const record = await store.update(rel, (cur) => cur ?? recordFor(rel, WRITER_TEXT, []));
      nextWrite.push(performance.now() - t0);
      assert.equal(record?.rev, onDisk + 1, `kill ${i}: the next write builds on what is there`);
      written = onDisk + 1;
      assert.deepEqual(fs.readdirSync(store.filesDir), [path.basename(store.markerFile(rel))], `kill ${i}: nothing but the marker file is left`);
    }
    await Promise.all(warm.map(kill));
    console.log(`      ${KILLS} kills, ${written} updates; the write after a kill took ${median(nextWrite).toFixed(1)} ms (median), ${Math.max(...nextWrite).toFixed(1)} ms (slowest)`);
  });

  it(`${WRITERS} writers starting together against a dead writer's lock lose no update (${TRIALS} trials)`, async () => {
    const rel = 'a.ts';
    let lost = 0;
    const firstWrite: number[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      const store = freshStore();
      cleanup.push(store.root);
      await deadWritersLock(store, rel);
      // Old as well as dead: every rule, age or liveness, calls it stale.
      const old = new Date(Date.now() - 60_000);
      fs.utimesSync(`${store.markerFile(rel)}.lock`, old, old);

      const writers = Array.from({ length: WRITERS }, (_, id) => startWriter(store.dir, rel, 'count', String(UPDATES), String(id)));
      for (const w of writers) await printed(w, 'ready');
      const t0 = performance.now();
      for (const w of writers) w.child.stdin!.write('go\n');
      const codes = await Promise.all(writers.map((w) => w.exited));
      firstWrite.push(performance.now() - t0);
      assert.deepEqual(codes, writers.map(() => 0), 'every writer finished');

      const record = await store.read(rel);
      const lines = new Set(record?.regions.map((r) => r.start.line));
      lost += WRITERS * UPDATES - lines.size;
      assert.equal(lines.size, WRITERS * UPDATES, `trial ${trial}: ${WRITERS * UPDATES - lines.size} updates lost`);
      assert.equal(record?.rev, WRITERS * UPDATES, `trial ${trial}: rev`);
    }
    console.log(`      ${lost} of ${TRIALS * WRITERS * UPDATES} updates lost; ${WRITERS} x ${UPDATES} updates took ${median(firstWrite).toFixed(0)} ms (median)`);
  });

  it("the first write after a dead writer's lock goes ahead at once", async () => {
    const store = freshStore();
    cleanup.push(store.root);
    await deadWritersLock(store, 'a.ts');
    const t0 = performance.now();
    const record = await store.update('a.ts', () => recordFor('a.ts', WRITER_TEXT, []));
    console.log(`      first write after a dead writer's lock: ${(performance.now() - t0).toFixed(1)} ms`);
    assert.equal(record?.rev, 1);
    assert.deepEqual(fs.readdirSync(store.filesDir), [path.basename(store.markerFile('a.ts'))]);
  });
});

describe("rewriting the user's files keeps their permissions", () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = new TempRepo();
    repo.write('README.md', 'hello\n');
    repo.commitAll();
  });
  afterEach(() => repo.dispose());

  const mode = (file: string): string => (fs.statSync(file).mode & 0o777).toString(8);

  it('the pre-commit hook keeps its mode when installed again, and stays executable', () => {
    const hook = repo.path('.git/hooks/pre-commit');
    assert.equal(repo.cli(['hook', 'install']).code, 0);
    for (const [before, after] of [[0o755, '755'], [0o700, '700'], [0o750, '750'], [0o640, '750']] as const) {
      fs.chmodSync(hook, before);
      const r = repo.cli(['hook', 'install']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(mode(hook), after, `a ${before.toString(8)} hook`);
    }
  });

  it("an agent's config file keeps its mode (0600) through install and uninstall", () => {
    const config = repo.path('.claude/settings.local.json');
    repo.write('.claude/settings.local.json', '{\n  "model": "opus"\n}\n');
    fs.chmodSync(config, 0o600);
    assert.equal(repo.cli(['agents', 'install', 'claude-code']).code, 0);
    assert.match(repo.read('.claude/settings.local.json'), /record --agent claude-code/);
    assert.equal(mode(config), '600');
    assert.equal(repo.cli(['agents', 'uninstall', 'claude-code']).code, 0);
    assert.doesNotMatch(repo.read('.claude/settings.local.json'), /record --agent/);
    assert.equal(mode(config), '600');
  });
});
