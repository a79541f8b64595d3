/**
 * The gate in corners: it must fail closed (exit 2, or block) and never hang, and nothing outside
 * the repository may be read or marked, whichever way a path gets there.
 */
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { recordFor, serializeMarkerFile } from '../../src/core/markerFile';
import { createRegion } from '../../src/core/regions';
import { hashText } from '../../src/core/text';
import { cleanEnv, CLI, Run, TempRepo } from './helpers';

/** The CLI with a deadline: a hang must fail the test, not stall the run. */
function cliWithin(repo: TempRepo, args: string[], env: NodeJS.ProcessEnv = {}, input = ''): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: repo.root, encoding: 'utf8', input, env: { ...cleanEnv(), ...env }, timeout: 20_000 });
  if (r.error) throw new Error(`ai-provenance ${args.join(' ')}: ${r.error.message} (it hung)`);
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A marker file for `rel` holding one unreviewed region on its first line, written straight into the store. */
function writeMarker(repo: TempRepo, rel: string, content: string, file = path.join(repo.storeDir(), 'files', `${hashText(rel)}.json`)): string {
  const region = createRegion({ source: 'agent', start: { line: 0, character: 0 }, end: { line: 1, character: 0 } });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, serializeMarkerFile(recordFor(rel, content, [region])));
  return file;
}

describe('CLI: the gate fails closed and never hangs', () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = new TempRepo();
    repo.write('a.ts', 'one\ntwo\n');
    repo.commitAll();
    repo.write('a.ts', 'AI\none\ntwo\n');
    assert.equal(repo.cli(['mark', 'a.ts:1']).code, 0);
    repo.git('add', 'a.ts');
  });
  afterEach(() => repo.dispose());

  it('refuses a store whose files folder is a dangling symbolic link (it used to pass as empty)', () => {
    const files = path.join(repo.storeDir(), 'files');
    fs.rmSync(files, { recursive: true });
    fs.symlinkSync(path.join(os.tmpdir(), `aip-gone-${process.pid}`), files);
    for (const args of [['check'], ['check', '--staged'], ['status']]) {
      const r = cliWithin(repo, args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, /symbolic link to nothing/);
    }
  });

  it('refuses a GIT_INDEX_FILE that names a missing file (git reads it as an empty index)', () => {
    const r = cliWithin(repo, ['check', '--staged'], { GIT_INDEX_FILE: path.join(repo.root, '.git', 'no-such-index') });
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /GIT_INDEX_FILE names .*no-such-index, which is not an index file/);
    assert.equal(cliWithin(repo, ['check', '--staged'], { GIT_INDEX_FILE: '.git/index' }).code, 1, 'a relative one is read from the top of the working tree');
  });

  it('does not hang on a policy glob written to backtrack: a policy error, and the strict default applies', () => {
    const name = `${'a'.repeat(120)}.ts`;
    repo.write(name, 'AI\n');
    repo.cli(['mark', name]);
    repo.git('add', name);
    repo.write('.ai-provenance.json', JSON.stringify({ ignore: ['*a*a*a*a*a*a*a*a*a*b'], onError: 'warn' }));
    const r = cliWithin(repo, ['check', '--staged']);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /warning: \.ai-provenance\.json: "ignore": pattern "\*a\*a\*a\*a\*a\*a\*a\*a\*a\*b" has more than 3 wildcards/);
  });

  it('refuses 400,000 globs with a clear policy error instead of crashing', () => {
    repo.write('.ai-provenance.json', JSON.stringify({ ignore: Array.from({ length: 400_000 }, (_, i) => `gen/f${i}.ts`), onError: 'warn' }));
    const r = cliWithin(repo, ['check', '--staged']);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /"ignore" holds 400000 patterns; at most 1000 are allowed; using the strict default policy/);
  });

  it('accepts a policy file saved with a UTF-8 byte-order mark', () => {
    repo.write('.ai-provenance.json', '\ufeff{ "unreviewed": "warn" }\n');
    const r = cliWithin(repo, ['check', '--staged']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.doesNotMatch(r.stderr, /not valid JSON/);
    assert.match(r.stdout, /AI Provenance warning: 1 unreviewed AI region/);
  });

  it('never opens a marker file that is a FIFO: it is moved aside as corrupt and the gate fails closed', function () {
    if (process.platform === 'win32') this.skip();
    const file = path.join(repo.storeDir(), 'files', `${hashText('a.ts')}.json`);
    fs.rmSync(file);
    execFileSync('mkfifo', [file]);
    const r = cliWithin(repo, ['check', '--staged']);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /corrupt marker file/);
    assert.ok(!fs.existsSync(file));
    const status = cliWithin(repo, ['status']);
    assert.doesNotMatch(status.stderr, /\n\s+at /, 'no stack trace');
  });

  it('a policy file that is a FIFO is a policy error, not a hang', function () {
    if (process.platform === 'win32') this.skip();
    execFileSync('mkfifo', [repo.path('.ai-provenance.json')]);
    const r = cliWithin(repo, ['check', '--staged']);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /warning: \.ai-provenance\.json is not a regular file; using the strict default policy/);
  });

  for (const [what, bad] of [
    ['a NUL byte', 'a\0.ts'],
    ['".." segments', '../../outside.txt'],
    ['an absolute path', '/etc/hostname'],
    ['a path inside .git', '.git/config'],
  ] as const) {
    it(`treats a marker file whose path holds ${what} as corrupt: moved aside, no stack trace, never read`, () => {
      const outside = path.join(path.dirname(repo.root), 'outside.txt');
      fs.writeFileSync(outside, 'secret\n');
      try {
        const file = writeMarker(repo, bad, 'secret\n', path.join(repo.storeDir(), 'files', 'zzzz.json'));
        const status = cliWithin(repo, ['status', '--json', '--all']);
        assert.doesNotMatch(status.stdout + status.stderr, /\n\s+at /, 'no stack trace');
        // Like check, status cannot vouch for a store with a corrupt file in it.
        assert.equal(status.code, 2, status.stdout + status.stderr);
        assert.equal(status.stdout, '');
        assert.doesNotMatch(status.stderr, /secret/, 'the outside file is never read');
        assert.ok(!fs.existsSync(file));
        assert.match(cliWithin(repo, ['status']).stderr, /corrupt marker file/);
        const check = cliWithin(repo, ['check']);
        assert.equal(check.code, 2, check.stdout + check.stderr);
        assert.match(check.stderr, /corrupt marker file/);
      } finally {
        fs.rmSync(outside, { force: true });
      }
    });
  }
});

describe('CLI: nothing outside the repository, through symbolic links either', function () {
  if (process.platform === 'win32') return;
  let repo: TempRepo;
  let outside: string;
  beforeEach(() => {
    repo = new TempRepo();
    outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aip-outside-')));
    fs.writeFileSync(path.join(outside, 'passwd'), 'root:x:0:0\n');
    repo.write('src/a.ts', 'one\ntwo\n');
    repo.commitAll();
  });
  afterEach(() => {
    repo.dispose();
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it('refuses mark, unmark and review through a folder link that leads outside', () => {
    fs.symlinkSync(outside, repo.path('etcl'));
    for (const args of [['mark', 'etcl/passwd:1-1'], ['unmark', 'etcl/passwd:1-1'], ['review', 'etcl/passwd'], ['mark', 'etcl/new-file.ts']]) {
      const r = repo.cli(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}`);
      assert.match(r.stderr, /etcl\/[a-z-.]+ is outside the repository/);
    }
    const files = path.join(repo.storeDir(), 'files');
    assert.deepEqual(fs.existsSync(files) ? fs.readdirSync(files) : [], [], 'no marker was written');
  });

  it('refuses a file link that leads outside, and one that leads nowhere outside', () => {
    fs.symlinkSync(path.join(outside, 'passwd'), repo.path('pw'));
    fs.symlinkSync(path.join(outside, 'not-yet'), repo.path('dangling'));
    for (const target of ['pw', 'dangling']) {
      const r = repo.cli(['mark', target]);
      assert.equal(r.code, 2, r.stdout);
      assert.match(r.stderr, /is outside the repository/);
    }
  });

  it('a link inside the repository that leads inside names its target: the file git commits', () => {
    fs.symlinkSync('src/a.ts', repo.path('link.ts'));
    fs.symlinkSync('src', repo.path('lib'));
    assert.match(repo.cli(['mark', 'link.ts:1']).stdout, /^Marked src\/a\.ts:1-1/);
    assert.match(repo.cli(['mark', 'lib/a.ts:2']).stdout, /^Marked src\/a\.ts:2-2/);
    assert.deepEqual(repo.regions().map((r) => [r.path, r.from, r.to]), [['src/a.ts', 1, 2]]);
  });

  it('status never reads an outside file through a link that replaced a marked file', () => {
    repo.write('notes.txt', 'secret\n');
    repo.cli(['mark', 'notes.txt']);
    fs.rmSync(repo.path('notes.txt'));
    fs.writeFileSync(path.join(outside, 'notes.txt'), 'secret\n');
    fs.symlinkSync(path.join(outside, 'notes.txt'), repo.path('notes.txt'));
    const r = repo.cli(['status', '--json', '--all']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).regions, []);
  });

  it("an agent's pre-tool hook does not snapshot a file behind a link that leads outside", () => {
    fs.symlinkSync(outside, repo.path('etcl'));
    const payload = {
      session_id: 's1',
      cwd: repo.root,
      hook_event_name: 'PreToolUse',
      tool_name: 'Edit',
      tool_input: { file_path: path.join(repo.root, 'etcl', 'passwd'), old_string: 'root', new_string: 'toor' },
      tool_use_id: 'toolu_1',
    };
    const r = repo.cli(['record', '--agent', 'claude-code'], { input: JSON.stringify(payload) });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /is outside the repository/);
    const snapshots = path.join(repo.storeDir(), 'snapshots');
    assert.deepEqual(fs.existsSync(snapshots) ? fs.readdirSync(snapshots) : [], []);
  });
});

describe('CLI: installing the hook again keeps every earlier hook', () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = new TempRepo();
    repo.write('a.ts', 'one\n');
    repo.commitAll();
  });
  afterEach(() => repo.dispose());

  it('install, another tool replaces pre-commit, install again, uninstall: the first hook is kept and the latest restored', () => {
    const hooks = path.join(repo.root, '.git', 'hooks');
    const first = '#!/bin/sh\necho first >> ran.txt\n';
    const second = '#!/bin/sh\necho second >> ran.txt\n';
    fs.writeFileSync(path.join(hooks, 'pre-commit'), first, { mode: 0o755 });
    repo.cli(['hook', 'install']);
    fs.writeFileSync(path.join(hooks, 'pre-commit'), second, { mode: 0o755 });
    repo.cli(['hook', 'install']);
    const saved = fs.readdirSync(hooks).filter((n) => n.startsWith('pre-commit.ai-provenance-previous')).sort();
    assert.deepEqual(saved, ['pre-commit.ai-provenance-previous', 'pre-commit.ai-provenance-previous.1']);
    assert.equal(fs.readFileSync(path.join(hooks, 'pre-commit.ai-provenance-previous'), 'utf8'), second);
    assert.equal(fs.readFileSync(path.join(hooks, 'pre-commit.ai-provenance-previous.1'), 'utf8'), first, 'the first hook is not lost');
    // The hook in effect before the second install is the one that runs after the check.
    assert.equal(repo.tryGit('commit', '-q', '--allow-empty', '-m', 'x').code, 0);
    assert.equal(repo.read('ran.txt'), 'second\n');
    // Installing once more over our own hook changes nothing.
    repo.cli(['hook', 'install']);
    assert.equal(fs.readdirSync(hooks).filter((n) => n.startsWith('pre-commit.ai-provenance-previous')).length, 2);
    repo.cli(['hook', 'uninstall']);
    assert.equal(fs.readFileSync(path.join(hooks, 'pre-commit'), 'utf8'), second);
    assert.equal(fs.readFileSync(path.join(hooks, 'pre-commit.ai-provenance-previous.1'), 'utf8'), first);
  });

  it('the same hook put back twice is saved once', () => {
    const hooks = path.join(repo.root, '.git', 'hooks');
    const mine = '#!/bin/sh\nexit 0\n';
    fs.writeFileSync(path.join(hooks, 'pre-commit'), mine, { mode: 0o755 });
    repo.cli(['hook', 'install']);
    fs.writeFileSync(path.join(hooks, 'pre-commit'), mine, { mode: 0o755 });
    repo.cli(['hook', 'install']);
    assert.deepEqual(fs.readdirSync(hooks).filter((n) => n.startsWith('pre-commit.ai-provenance-previous')), ['pre-commit.ai-provenance-previous']);
  });
});
