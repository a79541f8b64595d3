import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseGateFile } from '../../src/core/gateFile';
import { recordFor, serializeMarkerFile } from '../../src/core/markerFile';
import { createRegion, lineSpan } from '../../src/core/regions';
import { hashText, LineIndex } from '../../src/core/text';
import { TempRepo } from './helpers';

describe('CLI: check --staged, the commit gate', () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = new TempRepo();
    repo.write('a.ts', 'l1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\n');
    repo.commitAll();
  });
  afterEach(() => repo.dispose());

  const checkStaged = (): { code: number; lines: string[]; json: { path: string; from: number; to: number }[] } => {
    const r = repo.cli(['check', '--staged']);
    const j = repo.cli(['check', '--staged', '--json']);
    return { code: r.code, lines: r.stdout.trimEnd().split('\n'), json: JSON.parse(j.stdout).regions };
  };

  it('blocks a real commit, naming path:from-to, and lets it through after review', () => {
    repo.write('a.ts', 'l1\nl2\nAI one\nAI two\nl3\nl4\nl5\nl6\nl7\nl8\n');
    assert.equal(repo.cli(['mark', 'a.ts:3-4', '--source', 'inline', '--tool', 'copilot']).code, 0);
    assert.match(repo.cli(['hook', 'install']).stdout, /Installed/);
    repo.git('add', 'a.ts');
    const blocked = repo.tryGit('commit', '-m', 'ai change');
    assert.notEqual(blocked.code, 0);
    const firstLine = blocked.stderr.split('\n').find((l) => l.trim() !== '');
    assert.equal(firstLine, 'AI Provenance blocked this commit: 1 unreviewed AI region in 1 file, first at a.ts:3-4. Review them in the AI Provenance panel or with ai-provenance review, then commit again.');
    assert.match(blocked.stderr, /^a\.ts:3-4 {2}inline$/m);
    assert.match(blocked.stderr, /--no-verify/);
    assert.equal(repo.git('rev-list', '--count', 'HEAD').trim(), '1', 'nothing was committed');

    assert.equal(repo.cli(['review', 'a.ts:3-4']).code, 0);
    const passed = repo.tryGit('commit', '-m', 'ai change');
    assert.equal(passed.code, 0, passed.stderr);
    assert.equal(repo.git('rev-list', '--count', 'HEAD').trim(), '2');
  });

  it('judges a partially staged file on its staged half', () => {
    repo.write('a.ts', 'AI top\nl1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nAI bottom\n');
    repo.cli(['mark', 'a.ts:1']);
    repo.cli(['mark', 'a.ts:10']);
    // Stage only the bottom hunk, as `git add -p` would.
    const patch = repo.git('diff', '-U0', 'a.ts');
    const bottomOnly = patch.replace(/@@ -0,0 \+1 @@\n\+AI top\n/, '');
    assert.notEqual(bottomOnly, patch);
    const patchFile = path.join(os.tmpdir(), `aip-${process.pid}.patch`);
    fs.writeFileSync(patchFile, bottomOnly);
    repo.git('apply', '--cached', '--unidiff-zero', patchFile);
    fs.rmSync(patchFile);
    const staged = checkStaged();
    assert.equal(staged.code, 1);
    assert.deepEqual(staged.json.map((r) => [r.path, r.from, r.to]), [['a.ts', 9, 9]], 'the staged file has the bottom line at 9');
    assert.equal(staged.lines[1], 'a.ts:9-9  manual');
    assert.equal(repo.cli(['check']).code, 1, 'the working tree still holds both');
  });

  it('passes when only unstaged files hold AI code', () => {
    repo.write('b.ts', 'human\n');
    repo.write('a.ts', 'l1\nAI\nl2\nl3\nl4\nl5\nl6\nl7\nl8\n');
    repo.cli(['mark', 'a.ts:2']);
    repo.git('add', 'b.ts');
    const r = checkStaged();
    assert.equal(r.code, 0);
    assert.equal(r.lines[0], 'AI Provenance: no unreviewed AI code.');
  });

  it('follows a staged rename and ignores a staged deletion', () => {
    repo.cli(['mark', 'a.ts:2-3']);
    repo.git('mv', 'a.ts', 'moved.ts');
    assert.deepEqual(checkStaged().json.map((r) => [r.path, r.from, r.to]), [['moved.ts', 2, 3]]);
    repo.git('rm', '-q', '--cached', 'moved.ts');
    assert.equal(checkStaged().code, 0);
  });

  it('follows a file moved with mv before its first commit, where git sees no rename', () => {
    repo.write('new.ts', 'one\ntwo\nthree\n');
    repo.cli(['mark', 'new.ts:2']);
    fs.mkdirSync(repo.path('lib'));
    fs.renameSync(repo.path('new.ts'), repo.path('lib/new.ts'));
    repo.git('add', 'lib/new.ts');
    const r = checkStaged();
    assert.equal(r.code, 1);
    assert.deepEqual(r.json.map((x) => [x.path, x.from, x.to]), [['lib/new.ts', 2, 2]]);
    assert.match(r.lines[0], /first at lib\/new\.ts:2-2/);
    // The markers moved with the file for good.
    assert.deepEqual(repo.regions().map((x) => x.path), ['lib/new.ts']);
  });

  it('status follows a file moved in a terminal while the editor was closed; other content inherits nothing', () => {
    repo.cli(['mark', 'a.ts:4-5']);
    fs.renameSync(repo.path('a.ts'), repo.path('b.ts'));
    repo.write('c.ts', 'not the same text\n');
    assert.deepEqual(repo.regions().map((x) => [x.path, x.from, x.to]), [['b.ts', 4, 5]]);
    const check = repo.cli(['check']);
    assert.equal(check.code, 1);
    assert.match(check.stdout, /^b\.ts:4-5 {2}manual$/m);
    // Two files gone with the same content: which one moved is unknowable, so nothing moves.
    repo.write('d.ts', 'same\n');
    repo.write('e.ts', 'same\n');
    repo.cli(['mark', 'd.ts']);
    repo.cli(['mark', 'e.ts']);
    fs.rmSync(repo.path('d.ts'));
    fs.renameSync(repo.path('e.ts'), repo.path('f.ts'));
    assert.deepEqual(repo.regions().map((x) => x.path).sort(), ['b.ts']);
  });

  it('follows a file moved and then edited while nothing watched, if it kept at least half its lines', () => {
    const body = Array.from({ length: 10 }, (_, i) => `line ${i + 1}`);
    repo.write('long.ts', body.join('\n') + '\n');
    repo.cli(['mark', 'long.ts:6-7']);
    fs.rmSync(repo.path('long.ts'));
    // Moved with three lines rewritten at the top: 7 of 10 lines kept.
    repo.write('renamed.ts', ['new 1', 'new 2', 'new 3', ...body.slice(3)].join('\n') + '\n');
    // Another new file shares less than half.
    repo.write('other.ts', ['x', 'y', 'z', 'w', 'v', 'u', 'line 1', 'line 2', 'line 3', 'line 4'].join('\n') + '\n');
    assert.deepEqual(repo.regions().map((x) => [x.path, x.from, x.to]), [['renamed.ts', 6, 7]]);
  });

  it('leaves gate.json for the editor: the total count and the first hundred regions', () => {
    const text = Array.from({ length: 300 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
    repo.write('many.ts', text);
    const index = new LineIndex(text);
    const regions = Array.from({ length: 150 }, (_, k) => createRegion({ source: 'agent', ...lineSpan(index, 2 * k + 1, 2 * k + 1) }));
    fs.mkdirSync(path.join(repo.storeDir(), 'files'), { recursive: true });
    fs.writeFileSync(path.join(repo.storeDir(), 'files', `${hashText('many.ts')}.json`), serializeMarkerFile(recordFor('many.ts', text, regions, 1)));
    repo.git('add', 'many.ts');
    const r = repo.cli(['check', '--staged']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout.trimEnd().split('\n').length, 151, 'the sentence and every region on stdout');
    const parsed = parseGateFile(fs.readFileSync(path.join(repo.storeDir(), 'gate.json'), 'utf8'));
    assert.ok(parsed.ok, 'the reader the extension uses accepts what the hook wrote');
    const gate = parsed.gate;
    assert.equal(gate.count, 150);
    assert.equal(gate.regions.length, 100);
    assert.deepEqual([gate.regions[0].path, gate.regions[0].from, gate.regions[99].from], ['many.ts', 1, 199]);
  });

  it('works on the first commit of a repository', () => {
    const fresh = new TempRepo();
    try {
      fresh.write('new.ts', 'a\nb\n');
      fresh.cli(['mark', 'new.ts:2']);
      fresh.cli(['hook', 'install']);
      fresh.git('add', 'new.ts');
      const r = fresh.tryGit('commit', '-m', 'first');
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /new\.ts:2-2/);
    } finally {
      fresh.dispose();
    }
  });

  it('sees what `git commit -a` and `git commit <paths>` are about to commit (temporary index files)', () => {
    repo.cli(['hook', 'install']);
    repo.write('a.ts', 'l1\nAI\nl2\nl3\nl4\nl5\nl6\nl7\nl8\n');
    repo.cli(['mark', 'a.ts:2']);
    const all = repo.tryGit('commit', '-a', '-m', 'all');
    assert.notEqual(all.code, 0, 'commit -a stages a.ts in a temporary index: blocked');
    assert.match(all.stderr, /a\.ts:2-2/);
    const paths = repo.tryGit('commit', '-m', 'paths', '--', 'a.ts');
    assert.notEqual(paths.code, 0, 'commit <paths> uses a temporary index too: blocked');
    repo.cli(['review', 'a.ts']);
    assert.equal(repo.tryGit('commit', '-m', 'paths', '--', 'a.ts').code, 0);
  });

  it('fails closed when the store cannot be read, unless the policy says warn', () => {
    repo.write('a.ts', 'l1\nAI\n');
    repo.git('add', 'a.ts');
    const store = repo.storeDir();
    fs.mkdirSync(path.dirname(store), { recursive: true });
    fs.rmSync(store, { recursive: true, force: true });
    fs.writeFileSync(store, 'a file where the store directory should be');
    const r = repo.cli(['check', '--staged']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^ai-provenance check: cannot (list|read)/);
    repo.write('.ai-provenance.json', '{"onError": "warn"}');
    const warned = repo.cli(['check', '--staged']);
    assert.equal(warned.code, 0);
    assert.match(warned.stderr, /could not check .* the repository policy says warn/);
  });

  it('honours the policy: ignored paths, warn instead of block', () => {
    repo.write('package-lock.json', '{"x": 1}\n');
    repo.cli(['mark', 'package-lock.json']);
    repo.git('add', 'package-lock.json');
    assert.equal(checkStaged().code, 0, 'lock files are ignored by default');
    repo.write('a.ts', 'l1\nAI\n');
    repo.cli(['mark', 'a.ts:2']);
    repo.git('add', 'a.ts');
    assert.equal(checkStaged().code, 1);
    repo.write('.ai-provenance.json', '{"unreviewed": "warn"}');
    const warned = repo.cli(['check', '--staged']);
    assert.equal(warned.code, 0);
    assert.match(warned.stdout, /^AI Provenance warning: 1 unreviewed AI region/);
    repo.write('.ai-provenance.json', '{"unreviewed": "warm"}');
    const typo = repo.cli(['check', '--staged']);
    assert.equal(typo.code, 1, 'an invalid policy falls back to the strict default');
    assert.match(typo.stderr, /"unreviewed" must be "block" or "warn"/);
    repo.write('.ai-provenance.json', '{"ignore": ["*.ts"]}');
    assert.equal(repo.cli(['check', '--staged']).code, 0);
  });
});

describe('CLI: hook install, uninstall, status', () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = new TempRepo();
    repo.write('a.ts', 'x\n');
    repo.commitAll();
  });
  afterEach(() => repo.dispose());

  const hook = (): string => path.join(repo.root, '.git', 'hooks', 'pre-commit');

  it('keeps an existing hook, runs it after the check, is idempotent, and uninstall restores it', () => {
    const existing = '#!/bin/sh\necho "previous hook ran" > previous-ran.txt\n';
    fs.writeFileSync(hook(), existing, { mode: 0o755 });
    assert.equal(repo.cli(['hook', 'status']).code, 1);
    assert.match(repo.cli(['hook', 'install']).stdout, /previous pre-commit hook runs after the check/);
    assert.match(repo.cli(['hook', 'install']).stdout, /Installed/);
    assert.equal(fs.readFileSync(path.join(repo.root, '.git', 'hooks', 'pre-commit.ai-provenance-previous'), 'utf8'), existing, 'a second install does not clobber the kept hook');
    assert.equal(repo.cli(['hook', 'status']).code, 0);
    repo.write('a.ts', 'y\n');
    repo.git('add', 'a.ts');
    assert.equal(repo.tryGit('commit', '-q', '-m', 'x').code, 0);
    assert.ok(fs.existsSync(repo.path('previous-ran.txt')), 'the previous hook ran');
    assert.match(repo.cli(['hook', 'uninstall']).stdout, /previous hook is back/);
    assert.equal(fs.readFileSync(hook(), 'utf8'), existing);
  });

  it('does not run the previous hook when the check blocks', () => {
    fs.writeFileSync(hook(), '#!/bin/sh\necho ran > previous-ran.txt\n', { mode: 0o755 });
    repo.cli(['hook', 'install']);
    repo.write('a.ts', 'AI\n');
    repo.cli(['mark', 'a.ts']);
    repo.git('add', 'a.ts');
    assert.notEqual(repo.tryGit('commit', '-m', 'x').code, 0);
    assert.ok(!fs.existsSync(repo.path('previous-ran.txt')));
  });

  it('installs into core.hooksPath', () => {
    repo.git('config', 'core.hooksPath', 'my-hooks');
    repo.cli(['hook', 'install']);
    assert.ok(fs.existsSync(repo.path('my-hooks/pre-commit')));
    assert.ok(!fs.existsSync(hook()));
  });

  it('leaves hook managers\' files alone and prints the line that integrates', () => {
    repo.write('.husky/pre-commit', 'npm test\n');
    repo.git('config', 'core.hooksPath', '.husky/_');
    const husky = repo.cli(['hook', 'install']);
    assert.match(husky.stdout, /husky manages .* Add this line to \.husky\/pre-commit:\s+npx --no-install ai-provenance check --staged/s);
    assert.equal(repo.read('.husky/pre-commit'), 'npm test\n');
    assert.ok(!fs.existsSync(repo.path('.husky/_/pre-commit')));
    assert.equal(repo.cli(['hook', 'status']).code, 1);
    repo.write('.husky/pre-commit', 'npm test\nnpx --no-install ai-provenance check --staged\n');
    assert.equal(repo.cli(['hook', 'status']).code, 1, 'the post-commit line is still missing');
    assert.match(repo.cli(['hook', 'status']).stdout, /pre-commit: run by the hook manager\n {2}post-commit: not yet/);
    repo.write('.husky/post-commit', 'npx --no-install ai-provenance hook run post-commit\n');
    for (const h of ['post-rewrite', 'post-merge', 'pre-push', 'prepare-commit-msg', 'commit-msg']) repo.write(`.husky/${h}`, `npx --no-install ai-provenance hook run ${h}\n`);
    assert.equal(repo.cli(['hook', 'status']).code, 0);

    repo.git('config', '--unset', 'core.hooksPath');
    repo.write('.pre-commit-config.yaml', 'repos: []\n');
    fs.writeFileSync(hook(), '#!/usr/bin/env python3\n# File generated by pre-commit: https://pre-commit.com\n', { mode: 0o755 });
    const pc = repo.cli(['hook', 'install']);
    assert.match(pc.stdout, /pre-commit framework .*entry: npx --no-install ai-provenance check --staged/s);
    assert.match(fs.readFileSync(hook(), 'utf8'), /pre-commit\.com/);

    fs.rmSync(repo.path('.pre-commit-config.yaml'));
    fs.rmSync(hook());
    repo.write('lefthook.yml', 'pre-commit:\n  commands: {}\n');
    assert.match(repo.cli(['hook', 'install']).stdout, /lefthook manages/);
    assert.ok(!fs.existsSync(hook()));
  });

  it('installs into the common hooks directory from a worktree, with a store per worktree', () => {
    const wt = path.join(path.dirname(repo.root), `${path.basename(repo.root)}-wt`);
    repo.git('worktree', 'add', '-q', wt);
    try {
      assert.equal(repo.cli(['hook', 'install'], { cwd: wt }).code, 0);
      assert.ok(fs.existsSync(hook()));
      repo.cli(['mark', 'a.ts'], { cwd: wt });
      assert.equal(repo.regions().length, 0, 'the main worktree has its own store');
      assert.equal(JSON.parse(repo.cli(['status', '--json'], { cwd: wt }).stdout).regions.length, 1);
    } finally {
      repo.git('worktree', 'remove', '--force', wt);
    }
  });

  it('without Node it blocks by default, and warns only for a policy the CLI found valid with onError warn', () => {
    repo.cli(['hook', 'install']);
    const script = fs.readFileSync(hook(), 'utf8').replace(/^AIP_NODE=.*$/m, "AIP_NODE='/nonexistent/node'");
    fs.writeFileSync(hook(), script, { mode: 0o755 });
    // A PATH with git and the shell tools the hook uses, but no node.
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'aip-bin-'));
    for (const tool of ['git', 'dirname', 'cmp']) {
      const real = execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
      fs.symlinkSync(real, path.join(bin, tool));
    }
    const env = { PATH: bin };
    const commit = (): { status: number | null; stderr: string } =>
      spawnSync(path.join(bin, 'git'), ['commit', '-q', '--allow-empty', '-m', 'x'], { cwd: repo.root, env: { ...env, HOME: os.tmpdir(), GIT_CONFIG_NOSYSTEM: '1' }, encoding: 'utf8' });
    const blocked = commit();
    assert.notEqual(blocked.status, 0);
    assert.match(blocked.stderr, /Node\.js or the ai-provenance CLI was not found/);
    repo.write('.ai-provenance.json', '{ "onError": "warn" }\n');
    assert.notEqual(commit().status, 0, 'a policy no Node has validated yet does not loosen the gate');
    repo.cli(['check']);
    const warned = commit();
    assert.equal(warned.status, 0, warned.stderr);
    assert.match(warned.stderr, /policy says warn/);
    // An invalid policy that merely holds the text: the shell used to grep for it and let commits through.
    repo.write('.ai-provenance.json', '{ "onError": "warn", "unreviewed": "allow" }\n');
    assert.notEqual(commit().status, 0, 'edited since Node validated it');
    repo.cli(['check']);
    const invalid = commit();
    assert.notEqual(invalid.status, 0, invalid.stderr);
    assert.match(invalid.stderr, /blocked this commit/);
    fs.rmSync(bin, { recursive: true, force: true });
  });

});
