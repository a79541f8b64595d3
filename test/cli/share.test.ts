import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cleanEnv, Run, TempRepo } from './helpers';
import { aiCommit, BareRemote, cloneOf, installHooks, noteSpans, spans, writeNote } from './shareHelpers';

const lines = (...ls: string[]): string => ls.join('\n') + '\n';

/** Runs git without waiting, so that two clones can push at the same time. */
function gitAsync(repo: TempRepo, ...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd: repo.root, env: cleanEnv() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const remoteNotes = (remote: BareRemote): string | undefined => {
  try {
    return remote.git('rev-parse', '-q', '--verify', 'refs/notes/ai-provenance').trim();
  } catch {
    return undefined;
  }
};

describe('CLI: sharing notes with git push / fetch / pull', function () {
  this.timeout(90000);
  let remote: BareRemote;
  const repos: TempRepo[] = [];
  const clone = (email = 'dev@example.com'): TempRepo => {
    const r = cloneOf(remote, email);
    repos.push(r);
    return r;
  };
  beforeEach(() => {
    remote = new BareRemote();
    const seed = clone();
    seed.write('a.ts', lines('one', 'two', 'three'));
    seed.commitAll('base');
    seed.git('push', '-q', 'origin', 'main');
  });
  afterEach(() => {
    for (const r of repos.splice(0)) r.dispose();
    remote.dispose();
  });

  it('a plain git push carries the notes; a teammate\'s git pull brings them; branches pushed as before', () => {
    const alice = clone('alice@example.com');
    installHooks(alice);
    const bob = clone('bob@example.com');
    installHooks(bob);
    assert.deepEqual(alice.git('config', '--get-all', 'remote.origin.fetch').trim().split('\n'), [
      '+refs/heads/*:refs/remotes/origin/*',
      '+refs/notes/ai-provenance*:refs/ai-provenance/remotes/origin/notes*',
    ]);
    assert.equal(alice.tryGit('config', '--get-all', 'remote.origin.push').code, 1, 'no push refspec: what git push pushes is unchanged');
    // A fetch from a remote that has no notes yet still works (the refspec is a pattern).
    assert.equal(bob.tryGit('fetch', '-q').code, 0);

    alice.write('a.ts', lines('one', 'AI two', 'three'));
    const commit = aiCommit(alice, 'ai', [{ path: 'a.ts', from: 2, to: 2, id: 'r1' }]);
    const pushed = alice.tryGit('push', '-q', 'origin', 'main');
    assert.equal(pushed.code, 0, pushed.stderr);
    assert.equal(pushed.stderr, '');
    assert.equal(remote.git('rev-parse', 'main').trim(), commit);
    assert.equal(remoteNotes(remote), alice.git('rev-parse', 'refs/notes/ai-provenance').trim());
    assert.deepEqual(remote.git('for-each-ref', '--format=%(refname)').trim().split('\n'), ['refs/heads/main', 'refs/notes/ai-provenance'], 'nothing else was pushed');

    const pulled = bob.tryGit('pull', '-q', '--ff-only');
    assert.equal(pulled.code, 0, pulled.stderr);
    assert.deepEqual(spans(bob, 'HEAD'), [['a.ts', 2, 2, 'r1']]);
  });

  it('two clones pushing at the same time lose nothing; two reviews of one commit both survive', async () => {
    const seed = repos[0];
    seed.write('a.ts', lines('one', 'AI shared', 'three'));
    const shared = aiCommit(seed, 'shared', [{ path: 'a.ts', from: 2, to: 2, id: 's' }]);
    seed.git('push', '-q', 'origin', 'main', 'refs/notes/ai-provenance');
    const alice = clone('alice@example.com');
    const bob = clone('bob@example.com');
    for (const [who, r] of [['Alice <alice@example.com>', alice], ['Bob <bob@example.com>', bob]] as const) {
      installHooks(r);
      r.git('fetch', '-q');
      r.git('update-ref', 'refs/notes/ai-provenance', 'refs/ai-provenance/remotes/origin/notes');
      writeNote(r, shared, [{ path: 'a.ts', from: 2, to: 2, id: 's', reviewedBy: who }]);
      r.git('checkout', '-q', '-b', `work-${r === alice ? 'alice' : 'bob'}`);
      r.write(`${r === alice ? 'alice' : 'bob'}.ts`, lines('AI'));
      aiCommit(r, 'mine', [{ path: `${r === alice ? 'alice' : 'bob'}.ts`, from: 1, to: 1, id: r === alice ? 'ra' : 'rb' }]);
    }
    const [pa, pb] = await Promise.all([gitAsync(alice, 'push', '-q', 'origin', 'work-alice'), gitAsync(bob, 'push', '-q', 'origin', 'work-bob')]);
    assert.equal(pa.code, 0, pa.stderr);
    assert.equal(pb.code, 0, pb.stderr);
    assert.equal(pa.stderr + pb.stderr, '', 'no notes push failed');

    const ci = clone('ci@example.com');
    const fetched = ci.cli(['notes', 'fetch']);
    assert.equal(fetched.code, 0, fetched.stderr);
    assert.deepEqual(noteSpans(ci, shared)?.map((s) => [s.id, s.reviewed, s.reviewers]), [['s', true, ['Alice <alice@example.com>', 'Bob <bob@example.com>']]]);
    assert.deepEqual(spans(ci, 'origin/work-alice'), [['alice.ts', 1, 1, 'ra']]);
    assert.deepEqual(spans(ci, 'origin/work-bob'), [['bob.ts', 1, 1, 'rb']]);
  });

  it('notes push / notes fetch without hooks (CI): a rejected push fetches, merges and pushes again', () => {
    const a = clone();
    const b = clone();
    a.write('a.ts', lines('one', 'AI a', 'three'));
    const ca = aiCommit(a, 'a', [{ path: 'a.ts', from: 2, to: 2, id: 'a' }]);
    b.write('b.ts', lines('AI b'));
    const cb = aiCommit(b, 'b', [{ path: 'b.ts', from: 1, to: 1, id: 'b' }]);
    a.git('push', '-q', 'origin', 'HEAD:refs/heads/a');
    b.git('push', '-q', 'origin', 'HEAD:refs/heads/b');
    const first = a.cli(['notes', 'push']);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout, 'Notes pushed to origin.\n');
    const second = b.cli(['notes', 'push', 'origin']);
    assert.equal(second.code, 0, second.stderr);
    const fetched = a.cli(['notes', 'fetch', 'origin']);
    assert.equal(fetched.code, 0, fetched.stderr);
    assert.match(fetched.stdout, /^Notes fetched from origin: fast-forwarded\.$/m);
    assert.deepEqual(spans(a, ca), [['a.ts', 2, 2, 'a']]);
    assert.deepEqual(spans(a, cb), [['b.ts', 1, 1, 'b']]);
    assert.match(a.cli(['notes', 'push', 'nowhere']).stderr, /nowhere/);
    assert.equal(a.cli(['notes', 'push', 'nowhere']).code, 2);
    assert.equal(a.cli(['notes', 'frobnicate']).code, 2);
  });

  it('a failed notes push never fails the branch push: one line on stderr', () => {
    // The remote refuses notes refs (a host that allows only branches).
    const hook = path.join(remote.root, 'hooks', 'pre-receive');
    fs.writeFileSync(hook, '#!/bin/sh\nwhile read old new ref; do case "$ref" in refs/notes/*) echo "notes not allowed" >&2; exit 1;; esac; done\nexit 0\n', { mode: 0o755 });
    const a = clone();
    installHooks(a);
    a.write('a.ts', lines('one', 'AI', 'three'));
    const commit = aiCommit(a, 'ai', [{ path: 'a.ts', from: 2, to: 2, id: 'x' }]);
    const r = a.tryGit('push', '-q', 'origin', 'main');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(remote.git('rev-parse', 'main').trim(), commit, 'the branch was pushed');
    const ours = r.stderr.split('\n').filter((l) => l.startsWith('AI Provenance'));
    assert.equal(ours.length, 1, r.stderr);
    assert.match(ours[0], /^AI Provenance could not push the notes to origin \(the branches are pushed anyway; retry with ai-provenance notes push origin\)/);
    assert.equal(remoteNotes(remote), undefined);
  });

  it('an existing pre-push hook is chained: it runs first and can still stop the push; uninstall restores everything', () => {
    const a = clone();
    const hooks = path.join(a.root, '.git', 'hooks');
    const mine = '#!/bin/sh\necho "mine ran with $1" >> "$(git rev-parse --git-dir)/mine.log"\ncat >> "$(git rev-parse --git-dir)/mine.log"\n[ -f "$(git rev-parse --git-dir)/block" ] && exit 1\nexit 0\n';
    fs.writeFileSync(path.join(hooks, 'pre-push'), mine, { mode: 0o755 });
    fs.writeFileSync(path.join(hooks, 'post-rewrite'), '#!/bin/sh\ncat > "$(git rev-parse --git-dir)/rewrite.log"\n', { mode: 0o755 });
    const configBefore = a.git('config', '--list', '--local');
    installHooks(a);
    a.write('a.ts', lines('one', 'AI', 'three'));
    aiCommit(a, 'ai', [{ path: 'a.ts', from: 2, to: 2, id: 'x' }]);

    fs.writeFileSync(path.join(a.root, '.git', 'block'), '');
    const blocked = a.tryGit('push', '-q', 'origin', 'main');
    assert.notEqual(blocked.code, 0, 'the user\'s hook still blocks the push');
    assert.equal(remoteNotes(remote), undefined, 'and the notes are not pushed either');
    fs.rmSync(path.join(a.root, '.git', 'block'));
    const pushed = a.tryGit('push', '-q', 'origin', 'main');
    assert.equal(pushed.code, 0, pushed.stderr);
    assert.notEqual(remoteNotes(remote), undefined);
    const log = fs.readFileSync(path.join(a.root, '.git', 'mine.log'), 'utf8');
    assert.match(log, /mine ran with origin\nrefs\/heads\/main [0-9a-f]{40} refs\/heads\/main [0-9a-f]{40}\n/, 'with git\'s arguments and stdin');
    assert.doesNotMatch(log, /refs\/notes/, 'our notes push does not run the user\'s hook again');

    a.git('commit', '-q', '--amend', '--no-verify', '-m', 'amended');
    assert.match(fs.readFileSync(path.join(a.root, '.git', 'rewrite.log'), 'utf8'), /^[0-9a-f]{40} [0-9a-f]{40}\n$/, 'post-rewrite chained with its stdin');
    assert.deepEqual(spans(a, 'HEAD'), [['a.ts', 2, 2, 'x']]);

    const un = a.cli(['hook', 'uninstall']);
    assert.equal(un.code, 0, un.stderr);
    assert.equal(fs.readFileSync(path.join(hooks, 'pre-push'), 'utf8'), mine);
    assert.equal(fs.readFileSync(path.join(hooks, 'post-rewrite'), 'utf8'), '#!/bin/sh\ncat > "$(git rev-parse --git-dir)/rewrite.log"\n');
    for (const h of ['post-merge', 'post-commit', 'pre-commit']) assert.equal(fs.existsSync(path.join(hooks, h)), false, h);
    assert.deepEqual(fs.readdirSync(hooks).filter((f) => f.includes('ai-provenance')), []);
    assert.equal(a.git('config', '--list', '--local'), configBefore, 'the fetch refspec is gone');
    assert.equal(a.git('for-each-ref', 'refs/ai-provenance/'), '');
  });

  it('pulling a host\'s squash merge of my branch carries my notes onto it automatically', () => {
    const dev = clone();
    installHooks(dev);
    dev.git('checkout', '-q', '-b', 'feature');
    dev.write('a.ts', lines('one', 'AI two', 'three'));
    aiCommit(dev, 'f1', [{ path: 'a.ts', from: 2, to: 2, id: 'f1', reviewedBy: 'Dev <dev@example.com>' }]);
    dev.write('f.ts', lines('AI f', 'human'));
    aiCommit(dev, 'f2', [{ path: 'f.ts', from: 1, to: 1, id: 'f2' }]);
    dev.git('push', '-q', 'origin', 'feature');
    // The host: main moved on, then a squash merge of feature, made where no hook runs.
    const host = clone('host@example.com');
    host.write('other.ts', lines('unrelated'));
    host.commitAll('meanwhile on main');
    host.git('fetch', '-q', 'origin', 'feature');
    host.git('merge', '-q', '--squash', 'origin/feature');
    host.git('commit', '-q', '--no-verify', '-m', 'Feature (#1)');
    const squash = host.git('rev-parse', 'HEAD').trim();
    host.git('push', '-q', 'origin', 'main');

    dev.git('checkout', '-q', 'main');
    const pulled = dev.tryGit('pull', '-q', '--ff-only');
    assert.equal(pulled.code, 0, pulled.stderr);
    assert.equal(dev.git('rev-parse', 'HEAD').trim(), squash);
    assert.deepEqual(noteSpans(dev, squash)?.map((s) => [s.path, s.from, s.to, s.id, s.reviewed]), [
      ['a.ts', 2, 2, 'f1', true],
      ['f.ts', 1, 1, 'f2', false],
    ]);
    assert.equal(noteSpans(dev, 'HEAD~1'), undefined, 'the unrelated commit gets nothing');
  });

  it('pull --rebase over a local commit carries my notes onto the pulled squash merge too (git runs post-rewrite, not post-merge)', () => {
    const dev = clone();
    installHooks(dev);
    dev.git('checkout', '-q', '-b', 'feature');
    dev.write('a.ts', lines('one', 'AI two', 'three'));
    aiCommit(dev, 'f1', [{ path: 'a.ts', from: 2, to: 2, id: 'f1' }]);
    dev.git('push', '-q', 'origin', 'feature');
    const host = clone('host@example.com');
    host.git('fetch', '-q', 'origin', 'feature');
    host.git('merge', '-q', '--squash', 'origin/feature');
    host.git('commit', '-q', '--no-verify', '-m', 'Feature (#1)');
    const squash = host.git('rev-parse', 'HEAD').trim();
    host.git('push', '-q', 'origin', 'main');

    dev.git('checkout', '-q', 'main');
    dev.write('local.ts', lines('mine'));
    dev.commitAll('local work, not pushed yet');
    const pulled = dev.tryGit('pull', '-q', '--rebase');
    assert.equal(pulled.code, 0, pulled.stderr);
    assert.equal(dev.git('rev-parse', 'HEAD~1').trim(), squash, 'the local commit sits on the squash merge');
    assert.deepEqual(noteSpans(dev, squash)?.map((s) => [s.path, s.from, s.to, s.id]), [['a.ts', 2, 2, 'f1']]);
  });
});
