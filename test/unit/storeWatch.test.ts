import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { recordFor } from '../../src/core/markerFile';
import { createRegion } from '../../src/core/regions';
import { MarkerChange, MarkerStore, StoreChange } from '../../src/store/markerStore';

/** Polls until `probe` holds (the watcher is asynchronous); fails after a generous limit. */
async function until(what: string, probe: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!probe()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('MarkerStore.watch: which marker files changed, and who wrote them', () => {
  let root: string;
  let ours: MarkerStore;
  let theirs: MarkerStore; // another process (a window, the CLI) writing the same store
  let changes: StoreChange[];
  let watching: { dispose(): void };
  const record = (rel: string, tool: string) => recordFor(rel, 'x\ny\n', [createRegion({ source: 'chat', tool, start: { line: 0, character: 0 }, end: { line: 1, character: 0 } })]);
  const reported = (): MarkerChange[] => changes.flatMap((c) => c.files ?? []);

  beforeEach(async () => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aip-watch-')));
    const dir = path.join(root, '.git', 'ai-provenance');
    ours = new MarkerStore(root, dir);
    theirs = new MarkerStore(root, dir);
    await ours.ensureDir();
    changes = [];
    watching = ours.watch((c) => changes.push(c), 10);
  });
  afterEach(() => {
    watching.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('names the file another writer changed, with the record it now holds', async () => {
    await theirs.update('src/a.ts', () => record('src/a.ts', 'copilot'));
    await until('a change', () => reported().length > 0);
    const [change] = reported();
    assert.equal(change.name, path.basename(ours.markerFile('src/a.ts')));
    assert.equal(change.own, false);
    assert.equal(change.record?.path, 'src/a.ts');
    assert.equal(change.record?.regions[0].tool, 'copilot');
    assert.ok(changes.every((c) => c.files !== undefined), 'no full rescan asked for');
  });

  it('reports its own writes from memory, as own, with what was written', async () => {
    const written = await ours.update('src/a.ts', () => record('src/a.ts', 'copilot'));
    await until('a change', () => reported().length > 0);
    assert.deepEqual(reported().map((c) => ({ own: c.own, rev: c.record?.rev })), [{ own: true, rev: written?.rev }]);
  });

  it('tells another writer\'s change that follows its own write apart', async () => {
    await ours.update('src/a.ts', () => record('src/a.ts', 'ours'));
    await theirs.update('src/a.ts', (current) => current && { ...current, regions: current.regions.map((r) => ({ ...r, tool: 'theirs' })) });
    await until('their change', () => reported().some((c) => !c.own));
    const last = reported()[reported().length - 1];
    assert.equal(last.own, false);
    assert.equal(last.record?.regions[0].tool, 'theirs');
    assert.equal(last.record?.rev, 2);
  });

  it('reports a removed marker file with no record', async () => {
    await theirs.update('src/a.ts', () => record('src/a.ts', 'copilot'));
    await until('the write', () => reported().length > 0);
    changes = [];
    await theirs.remove('src/a.ts');
    await until('the removal', () => reported().length > 0);
    assert.deepEqual(reported().map((c) => [c.name, c.record, c.own]), [[path.basename(ours.markerFile('src/a.ts')), undefined, false]]);
  });

  it('ignores lock and temporary files', async () => {
    fs.writeFileSync(path.join(ours.filesDir, 'abc.json.lock'), '1\n');
    fs.writeFileSync(path.join(ours.filesDir, 'abc.json.tmp-1-x'), '{}');
    await theirs.update('b.ts', () => record('b.ts', 'x'));
    await until('a change', () => reported().length > 0);
    assert.deepEqual(reported().map((c) => c.record?.path), ['b.ts']);
  });
});
