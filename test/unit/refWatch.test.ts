/** store/refWatch.ts: a commit, a checkout and a note each wake the watcher; an edit in the working tree does not. */
import * as assert from 'node:assert/strict';
import { NOTES_REF } from '../../src/core/note';
import { watchRefs } from '../../src/store/refWatch';
import { TempRepo } from '../cli/helpers';

async function until(what: string, probe: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!probe()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('watchRefs: HEAD, branches and the notes ref', function () {
  this.timeout(30_000);
  let repo: TempRepo;
  let calls: number;
  let watching: { dispose(): void };
  beforeEach(async () => {
    repo = new TempRepo('aip-refwatch-');
    repo.write('a.txt', 'a\n');
    repo.commitAll('first');
    calls = 0;
    watching = await watchRefs(repo.root, () => calls++, 10);
  });
  afterEach(() => {
    watching.dispose();
    repo.dispose();
  });

  /** Runs `act` and waits for the watcher's call, then for the burst to end. */
  async function wakes(what: string, act: () => void): Promise<void> {
    const before = calls;
    act();
    await until(what, () => calls > before);
    await new Promise((r) => setTimeout(r, 100));
  }

  const commit = (text: string): void => {
    repo.write('a.txt', text);
    repo.commitAll(text);
  };

  it('fires for a commit, a checkout, a commit on a branch with a slash, a note added to a fresh notes ref, and packed refs', async () => {
    await wakes('a commit', () => commit('b\n'));
    await wakes('a checkout', () => repo.git('checkout', '-q', '-b', 'topic'));
    await wakes('a commit on the new branch', () => commit('c\n'));
    await wakes('a branch with a slash checked out', () => repo.git('checkout', '-q', '-b', 'team/feature'));
    await wakes('a commit on it', () => commit('d\n'));
    await wakes('the first note', () => repo.git('notes', `--ref=${NOTES_REF}`, 'add', '-m', '{}', 'HEAD'));
    await wakes('a second note', () => repo.git('notes', `--ref=${NOTES_REF}`, 'add', '-m', '{}', 'HEAD~1'));
    await wakes('packed refs', () => repo.git('pack-refs', '--all'));
    await wakes('a commit on a packed branch', () => commit('e\n'));
  });

  it('keeps watching through bursts of commits and notes (git renames a lock file each time)', async () => {
    for (let i = 0; i < 30; i++) {
      commit(`burst ${i}\n`);
      repo.git('notes', `--ref=${NOTES_REF}`, 'add', '-f', '-m', `{"n": ${i}}`, 'HEAD');
    }
    await wakes('a commit after the burst', () => commit('after\n'));
    await wakes('a note after the burst', () => repo.git('notes', `--ref=${NOTES_REF}`, 'add', '-f', '-m', '{}', 'HEAD'));
  });

  it('does not fire for a working-tree edit, another branch or another notes ref, and not after dispose', async () => {
    await wakes('our first note', () => repo.git('notes', `--ref=${NOTES_REF}`, 'add', '-m', '{}', 'HEAD'));
    calls = 0;
    repo.git('branch', 'other');
    repo.git('notes', 'add', '-m', 'plain git note', 'HEAD');
    repo.write('a.txt', 'edited\n');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(calls, 0, 'nothing that moves HEAD, its branch or our notes');
    watching.dispose();
    repo.git('commit', '-qam', 'after dispose');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(calls, 0);
  });
});
