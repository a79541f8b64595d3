import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { recordFor } from '../../src/core/markerFile';
import { createRegion } from '../../src/core/regions';
import { MarkerStore, OutsideRepositoryError, StoreProblem } from '../../src/store/markerStore';

describe('MarkerStore', () => {
  let root: string;
  let store: MarkerStore;
  beforeEach(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aip-store-')));
    store = new MarkerStore(root, path.join(root, '.git', 'ai-provenance'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const region = (): ReturnType<typeof createRegion> => createRegion({ source: 'chat', start: { line: 0, character: 0 }, end: { line: 1, character: 0 } });

  it('maps paths inside the repository and refuses everything else', () => {
    assert.equal(store.relative('src/a.ts'), 'src/a.ts');
    assert.equal(store.relative(path.join(root, 'src', 'b.ts')), 'src/b.ts');
    assert.equal(store.relative('src/../c.ts'), 'c.ts');
    for (const bad of ['../x.ts', '/etc/passwd', '.', '.git/config', path.join(root, '.git')]) {
      assert.throws(() => store.relative(bad), OutsideRepositoryError, bad);
    }
  });

  it('writes atomically and leaves no temporary or lock files behind', async () => {
    await store.update('a.ts', () => recordFor('a.ts', 'x\ny\n', [region()]));
    const names = fs.readdirSync(store.filesDir);
    assert.equal(names.length, 1);
    assert.match(names[0], /^[0-9a-z]{11}\.json$/);
    const back = await store.read('a.ts');
    assert.equal(back?.rev, 1);
    assert.equal(back?.regions.length, 1);
  });

  it('serializes concurrent updates: none is lost', async () => {
    const text = 'line\n'.repeat(20);
    const onLine = (i: number): ReturnType<typeof createRegion> => createRegion({ source: 'chat', start: { line: i, character: 0 }, end: { line: i, character: 4 } });
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.update('a.ts', (cur) => recordFor('a.ts', text, [...(cur?.regions ?? []), onLine(i)]))),
    );
    const back = await store.read('a.ts');
    assert.equal(back?.regions.length, 20);
    assert.equal(back?.rev, 20);
  });

  it('breaks a stale lock left by a crashed writer', async () => {
    await store.ensureDir();
    const lock = `${store.markerFile('a.ts')}.lock`;
    fs.writeFileSync(lock, '999999\n');
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(lock, old, old);
    await store.update('a.ts', () => recordFor('a.ts', 'x\n', [region()]));
    assert.equal((await store.read('a.ts'))?.regions.length, 1);
    assert.ok(!fs.existsSync(lock));
  });

  it('waits for a live lock instead of writing over its holder', async () => {
    await store.ensureDir();
    const lock = `${store.markerFile('a.ts')}.lock`;
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      fs.writeFileSync(lock, `${holder.pid}\n`);
      let done = false;
      const pending = store.update('a.ts', () => recordFor('a.ts', 'x\n', [region()])).then(() => (done = true));
      await new Promise((r) => setTimeout(r, 150));
      assert.equal(done, false, 'still waiting while the lock is held');
      fs.rmSync(lock);
      await pending;
      assert.equal(done, true);
    } finally {
      holder.kill();
    }
  });

  it('moves a corrupt file aside, reports it, and carries on', async () => {
    await store.ensureDir();
    fs.writeFileSync(store.markerFile('a.ts'), 'not json');
    const problems: StoreProblem[] = [];
    store.onProblem((p) => problems.push(p));
    assert.equal(await store.read('a.ts'), undefined);
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /Corrupt marker file \(not valid JSON.*\) moved aside to .*\.corrupt-/);
    assert.equal(fs.readFileSync(problems[0].file, 'utf8'), 'not json');
    assert.deepEqual(await store.quarantined(), [problems[0].file]);
    await store.update('a.ts', () => recordFor('a.ts', 'x\n', [region()]));
    assert.equal((await store.list()).length, 1, 'a new record can be written in its place');
  });

  it('heads() gives the path and content hash of every record, as list() does', async () => {
    const long = `${'deep/'.repeat(300)}file.ts`; // past the opening heads() reads
    for (const p of ['a.ts', 'src/b c.ts', long]) await store.update(p, () => recordFor(p, `${p}\n`, [region()]));
    const fromList = (await store.list()).map((r) => ({ path: r.path, contentHash: r.contentHash }));
    const byPath = (x: { path: string }, y: { path: string }): number => (x.path < y.path ? -1 : 1);
    assert.deepEqual((await store.heads()).sort(byPath), fromList.sort(byPath));
    assert.equal(fromList.length, 3);
  });

  it('renames a record to the new path', async () => {
    await store.update('old.ts', () => recordFor('old.ts', 'x\n', [region()]));
    await store.rename('old.ts', 'dir/new.ts');
    assert.equal(await store.read('old.ts'), undefined);
    assert.equal((await store.read('dir/new.ts'))?.path, 'dir/new.ts');
  });
});

describe('Repository policy', () => {
  it('re-reads .ai-provenance.json when it changes (the extension keeps a Repository open for hours)', async () => {
    const { Repository } = await import('../../src/store/repository');
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aip-policy-')));
    try {
      const repo = new Repository(root, new MarkerStore(root, path.join(root, '.git', 'ai-provenance')));
      assert.equal((await repo.policy()).policy.unreviewed, 'block');
      fs.writeFileSync(path.join(root, '.ai-provenance.json'), '{"unreviewed": "warn"}');
      assert.equal((await repo.policy()).policy.unreviewed, 'warn');
      fs.writeFileSync(path.join(root, '.ai-provenance.json'), '{"unreviewed": "never"}');
      const broken = await repo.policy();
      assert.equal(broken.policy.unreviewed, 'block');
      assert.match(broken.error ?? '', /"unreviewed" must be/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
