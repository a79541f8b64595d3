/**
 * `ai-provenance record` for shell tools: each agent's documented pre/post hook payloads for its
 * shell tool (test/fixtures/agents) piped to the bundled CLI in a real temporary git repository,
 * a real shell command run between them; the regions must sit on exactly the lines the command
 * wrote, and on none the user had written.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cleanEnv, Run, TempRepo } from './helpers';
import { BASE, FIXTURES, lines, snapshotsLeft } from './agentHelpers';

/** Each agent's shell tool: its pre-tool and post-tool payloads. */
const SHELL: Record<string, [string, string]> = {
  'claude-code': ['claude-code/pre-bash.json', 'claude-code/post-bash.json'],
  codex: ['codex/pre-bash.json', 'codex/post-bash.json'],
  gemini: ['gemini/before-run_shell_command.json', 'gemini/after-run_shell_command.json'],
  copilot: ['copilot/pre-run_in_terminal.json', 'copilot/post-run_in_terminal.json'],
  // Copilot CLI reads the same .github/hooks file, and is recorded as copilot.
  'copilot-cli': ['copilot/cli-pre-bash.json', 'copilot/cli-post-bash.json'],
};

/** The agent a SHELL entry records as. */
const agentOf = (name: string): string => (name === 'copilot-cli' ? 'copilot' : name);

/** A fixture payload with the repository's root in place of __ROOT__ and `patch`'s fields over its own. */
function payload(repo: TempRepo, fixture: string, patch: Record<string, unknown> = {}, root = repo.root): string {
  const text = fs.readFileSync(path.join(FIXTURES, fixture), 'utf8').split('__ROOT__').join(JSON.stringify(root).slice(1, -1));
  return JSON.stringify({ ...JSON.parse(text), ...patch });
}

interface CallOptions {
  agent?: string;
  /** Fields laid over both payloads (another tool_use_id, another cwd). */
  patch?: Record<string, unknown>;
}

function hook(repo: TempRepo, which: 0 | 1, { agent = 'claude-code', patch }: CallOptions = {}): Run {
  return repo.cli(['record', '--agent', agentOf(agent)], { input: payload(repo, SHELL[agent][which], patch) });
}

/** Runs a shell script in the repository, as the agent's tool would. */
function sh(repo: TempRepo, script: string): void {
  const r = spawnSync('sh', ['-c', script], { cwd: repo.root, encoding: 'utf8', env: { ...cleanEnv(), NODE: process.execPath } });
  assert.equal(r.status, 0, `${script}: ${r.stderr}`);
}

/** One shell tool call: the pre-tool hook, the command, the post-tool hook; both hooks must succeed quietly. */
function shellCall(repo: TempRepo, command: string | (() => void), options: CallOptions = {}): void {
  const pre = hook(repo, 0, options);
  assert.deepEqual([pre.code, pre.stdout, pre.stderr], [0, '', ''], 'the pre-tool hook');
  if (typeof command === 'string') sh(repo, command);
  else command();
  const post = hook(repo, 1, options);
  assert.deepEqual([post.code, post.stdout, post.stderr], [0, '', ''], 'the post-tool hook');
}

/** The same edit the fixtures' command makes, for a file other than src/app.ts. */
const SWAP = (file: string): string => `sed -i.bak 's/return x - y;/return y - x;/' ${file} && rm ${file}.bak`;

describe('CLI: record, shell edits', () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = new TempRepo();
    repo.write('src/app.ts', BASE);
    repo.write('src/util.ts', 'export const answer = 42;\n');
    repo.commitAll();
  });
  afterEach(() => repo.dispose());

  describe('each agent', () => {
    for (const agent of Object.keys(SHELL)) {
      it(`${agent}: the fixture's sed -i marks the one line it rewrote`, () => {
        const command = JSON.parse(payload(repo, SHELL[agent][0])).tool_input.command as string;
        shellCall(repo, command, { agent });
        assert.equal(repo.read('src/app.ts').split('\n')[7], '  return y - x;');
        assert.deepEqual(lines(repo), [['src/app.ts', 8, 8, 'agent', agentOf(agent)]]);
        assert.deepEqual(snapshotsLeft(repo), [], 'the post-tool hook takes its snapshot');
      });
    }

    it('records the session and model the payload names', () => {
      shellCall(repo, SWAP('src/app.ts'), { agent: 'codex' });
      const [region] = JSON.parse(repo.cli(['status', '--json']).stdout).regions;
      assert.equal(region.session, '0199a3c2-7d1e-7f20-b6a4-3e5d9c8b7a61');
      assert.equal(region.model, 'gpt-5-codex');
    });
  });

  it('cat > a new file marks its lines', () => {
    shellCall(repo, "cat > src/mul.ts <<'EOF'\nexport function mul(x: number, y: number): number {\n\n  return x * y;\n}\nEOF");
    assert.deepEqual(lines(repo), [['src/mul.ts', 1, 4, 'agent', 'claude-code']]);
  });

  it('a generator writing several files marks each file it wrote and the lines it added to one', () => {
    const script = [
      'const fs = require("fs");',
      'fs.mkdirSync("gen", { recursive: true });',
      'for (const n of ["one", "two", "three"]) fs.writeFileSync(`gen/${n}.ts`, `// generated\\nexport const ${n} = "${n}";\\n`);',
      'fs.appendFileSync("src/app.ts", "export { one } from \'../gen/one\';\\n");',
    ].join(' ');
    shellCall(repo, `"$NODE" -e '${script.replace(/'/g, "'\\''")}'`);
    assert.deepEqual(lines(repo), [
      ['gen/one.ts', 1, 2, 'agent', 'claude-code'],
      ['gen/three.ts', 1, 2, 'agent', 'claude-code'],
      ['gen/two.ts', 1, 2, 'agent', 'claude-code'],
      ['src/app.ts', 10, 10, 'agent', 'claude-code'],
    ]);
  });

  it("a file the user changed before the tool: only the command's lines are recorded (modified, staged, untracked)", () => {
    // The user's work in progress: a modified file, a staged one, an untracked one.
    repo.write('src/app.ts', BASE.replace("import { a } from './a';", "import { a, mine } from './a';\n// my note"));
    repo.write('src/util.ts', 'export const answer = 43;\n');
    repo.git('add', 'src/util.ts');
    repo.write('notes.md', '# Notes\n\nmine\n');
    shellCall(repo, `${SWAP('src/app.ts')} && echo 'export const question = 6 * 7;' >> src/util.ts && echo 'from the agent' >> notes.md`);
    assert.deepEqual(lines(repo), [
      ['notes.md', 4, 4, 'agent', 'claude-code'],
      ['src/app.ts', 9, 9, 'agent', 'claude-code'],
      ['src/util.ts', 2, 2, 'agent', 'claude-code'],
    ]);
  });

  it('a command that changes nothing records nothing and leaves no snapshot', () => {
    repo.write('src/app.ts', BASE + '// the user was here\n');
    shellCall(repo, 'ls -la src && git status --short && cat src/app.ts > /dev/null');
    assert.deepEqual(lines(repo), []);
    assert.deepEqual(snapshotsLeft(repo), []);
  });

  it('a deleted file records nothing', () => {
    shellCall(repo, 'rm src/util.ts && git rm -q --cached src/app.ts');
    assert.deepEqual(lines(repo), []);
  });

  it('a moved file: its markers follow it, and only the lines the command changed in it are credited', () => {
    assert.equal(repo.cli(['mark', 'src/app.ts:4-4', '--source', 'chat', '--tool', 'copilot']).code, 0);
    shellCall(repo, `git mv src/app.ts src/calc.ts && ${SWAP('src/calc.ts')}`);
    assert.deepEqual(lines(repo), [
      ['src/calc.ts', 4, 4, 'chat', 'copilot'],
      ['src/calc.ts', 8, 8, 'agent', 'claude-code'],
    ]);
  });

  it('binary files and files over 8 MB are skipped', () => {
    repo.write('logo.bin', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]));
    repo.commitAll('logo');
    shellCall(repo, () => {
      repo.write('logo.bin', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 9, 9, 9, 10, 65, 10]));
      repo.write('out.bin', Buffer.concat([Buffer.from('text first\n'), Buffer.from([0, 0, 0])]));
      repo.write('big.txt', 'a line of text\n'.repeat(600_000)); // 9 MB
    });
    assert.deepEqual(lines(repo), []);
  });

  it('a file outside the repository records nothing; nor does a shell call outside any repository', () => {
    const outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aip-outside-')));
    try {
      fs.symlinkSync(path.join(outside, 'linked.ts'), repo.path('linked.ts'));
      repo.commitAll('a link to outside');
      shellCall(repo, `echo 'export const x = 1;' > '${outside}/x.ts' && echo 'export const y = 2;' > '${outside}/linked.ts'`);
      assert.deepEqual(lines(repo), []);
      // The payload's cwd is a folder in no repository: nothing to watch, nothing said.
      const elsewhere = { cwd: outside };
      shellCall(repo, `echo 'export const z = 3;' > '${outside}/z.ts'`, { patch: elsewhere });
      assert.deepEqual(lines(repo), []);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it("a human edit before the tool stays human; one during it cannot be told apart (the documented limit: it is credited)", () => {
    repo.write('src/app.ts', BASE.replace('  return x + y;', '  return x + y; // checked by hand'));
    const pre = hook(repo, 0);
    assert.equal(pre.code, 0, pre.stderr);
    // While the command runs, the user saves another change: nothing tells the two apart.
    repo.write('README.md', 'typed by the user while the tool ran\n');
    sh(repo, SWAP('src/app.ts'));
    assert.equal(hook(repo, 1).code, 0);
    assert.deepEqual(lines(repo), [
      ['README.md', 1, 1, 'agent', 'claude-code'],
      ['src/app.ts', 8, 8, 'agent', 'claude-code'],
    ]);
  });

  it("never writes the user's index: a link to it is what the snapshot keeps", () => {
    const index = repo.path('.git/index');
    const before = fs.statSync(index);
    const pre = hook(repo, 0);
    assert.equal(pre.code, 0, pre.stderr);
    const kept = snapshotsLeft(repo).find((n) => n.endsWith('.index'));
    assert.ok(kept, 'the index is kept beside the manifest');
    sh(repo, SWAP('src/app.ts'));
    assert.equal(hook(repo, 1).code, 0);
    const after = fs.statSync(index);
    assert.deepEqual([after.ino, after.mtimeMs, after.size], [before.ino, before.mtimeMs, before.size]);
    assert.deepEqual(lines(repo), [['src/app.ts', 8, 8, 'agent', 'claude-code']]);
  });

  it('a snapshot whose kept index is gone records nothing and says so (every tracked file would look new)', () => {
    assert.equal(hook(repo, 0).code, 0);
    for (const n of snapshotsLeft(repo).filter((f) => f.endsWith('.index'))) fs.rmSync(path.join(repo.storeDir(), 'snapshots', n));
    sh(repo, SWAP('src/app.ts'));
    const post = hook(repo, 1);
    assert.equal(post.code, 1);
    assert.match(post.stderr, /^ai-provenance record \(claude-code\): the index kept before the command is gone; nothing recorded\n$/);
    assert.deepEqual(lines(repo), []);
    assert.deepEqual(snapshotsLeft(repo), []);
  });

  it('a post-tool hook without a pre-tool snapshot records nothing, quietly', () => {
    sh(repo, SWAP('src/app.ts'));
    const post = hook(repo, 1);
    assert.deepEqual([post.code, post.stderr], [0, '']);
    assert.deepEqual(lines(repo), []);
  });

  it('files the policy ignores (a lock file) are skipped', () => {
    shellCall(repo, `printf '{\\n  "lockfileVersion": 3\\n}\\n' > package-lock.json && ${SWAP('src/app.ts')}`);
    assert.deepEqual(lines(repo), [['src/app.ts', 8, 8, 'agent', 'claude-code']]);
  });

  describe('overlapping calls', () => {
    it('two agents at once: each changed line is credited once, to the first post-tool hook that sees it', () => {
      const claude = { agent: 'claude-code' };
      const codex = { agent: 'codex' };
      assert.equal(hook(repo, 0, claude).code, 0);
      assert.equal(hook(repo, 0, codex).code, 0);
      sh(repo, "echo 'export const fromClaude = 1;' >> src/util.ts");
      sh(repo, SWAP('src/app.ts')); // codex's command
      assert.equal(hook(repo, 1, claude).code, 0);
      assert.equal(hook(repo, 1, codex).code, 0);
      // Which of the two wrote a line cannot be told from the files: both lines go to the first post.
      assert.deepEqual(lines(repo), [
        ['src/app.ts', 8, 8, 'agent', 'claude-code'],
        ['src/util.ts', 2, 2, 'agent', 'claude-code'],
      ]);
      assert.deepEqual(snapshotsLeft(repo), []);
    });

    it('two calls of one session are kept apart by their tool call ids', () => {
      const first = { patch: { tool_use_id: 'toolu_first' } };
      const second = { patch: { tool_use_id: 'toolu_second' } };
      assert.equal(hook(repo, 0, first).code, 0);
      sh(repo, "echo 'export const one = 1;' >> src/util.ts");
      assert.equal(hook(repo, 0, second).code, 0);
      sh(repo, SWAP('src/app.ts'));
      assert.equal(hook(repo, 1, second).code, 0);
      assert.deepEqual(lines(repo), [['src/app.ts', 8, 8, 'agent', 'claude-code']], "the second call's snapshot came after the first call's line");
      assert.equal(hook(repo, 1, first).code, 0);
      assert.deepEqual(lines(repo), [
        ['src/app.ts', 8, 8, 'agent', 'claude-code'],
        ['src/util.ts', 2, 2, 'agent', 'claude-code'],
      ]);
      assert.deepEqual(snapshotsLeft(repo), []);
    });

    it("an edit tool's lines recorded while a shell command runs keep their own attribution", () => {
      assert.equal(hook(repo, 0).code, 0);
      // Gemini edits the file through its replace tool, and its own hook records that.
      repo.write('src/app.ts', BASE.replace('  return x + y;', '  const sum = x + y;\n  return sum;'));
      const gemini = repo.cli(['record', '--agent', 'gemini'], { input: payload(repo, 'gemini/after-replace.json') });
      assert.equal(gemini.code, 0, gemini.stderr);
      sh(repo, SWAP('src/app.ts'));
      assert.equal(hook(repo, 1).code, 0);
      assert.deepEqual(lines(repo), [
        ['src/app.ts', 4, 5, 'agent', 'gemini'],
        ['src/app.ts', 9, 9, 'agent', 'claude-code'],
      ]);
    });
  });

  describe('git commands run by the agent', () => {
    it('its own commit: the lines it changed are still recorded', () => {
      shellCall(repo, `${SWAP('src/app.ts')} && git commit -q -am 'swap'`);
      assert.deepEqual(lines(repo), [['src/app.ts', 8, 8, 'agent', 'claude-code']]);
    });

    it("git checkout -- f, git reset --hard, git stash and git stash pop bring back text someone else wrote: nothing is recorded", () => {
      repo.write('src/app.ts', BASE.replace('  return x + y;', '  return y + x; // the user'));
      shellCall(repo, 'git checkout -- src/app.ts');
      assert.equal(repo.read('src/app.ts'), BASE);
      assert.deepEqual(lines(repo), []);
      repo.write('src/util.ts', 'export const answer = 43;\n');
      repo.git('add', 'src/util.ts');
      shellCall(repo, 'git reset -q --hard');
      assert.equal(repo.read('src/util.ts'), 'export const answer = 42;\n');
      assert.deepEqual(lines(repo), []);
      repo.write('src/app.ts', BASE.replace('  return x + y;', '  return y + x; // the user'));
      repo.write('src/util.ts', 'export const answer = 41;\n');
      repo.git('add', 'src/util.ts');
      shellCall(repo, 'git stash -q');
      assert.deepEqual(lines(repo), []);
      shellCall(repo, 'git stash pop -q');
      assert.match(repo.read('src/app.ts'), /the user/);
      assert.deepEqual(lines(repo), []);
    });

    it('checkout of another branch and a merge stopped on conflicts record nothing', () => {
      const old = { GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z', GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z' };
      repo.git('checkout', '-q', '-b', 'other');
      repo.write('src/app.ts', BASE.replace('  return x - y;', '  return x - y - 0; // a teammate'));
      repo.write('src/other.ts', 'export const other = true;\n');
      repo.git('add', '-A');
      assert.equal(repo.tryGitEnv(['commit', '-q', '-m', 'other'], old).code, 0);
      repo.git('checkout', '-q', 'main');
      repo.write('src/app.ts', BASE.replace('  return x - y;', '  return -(y - x);'));
      assert.equal(repo.tryGitEnv(['commit', '-q', '-am', 'main'], old).code, 0);
      shellCall(repo, 'git checkout -q other');
      assert.deepEqual(lines(repo), []);
      repo.git('checkout', '-q', 'main');
      shellCall(repo, 'git merge -q other || true');
      assert.ok(fs.existsSync(path.join(repo.root, '.git', 'MERGE_HEAD')), 'the merge stopped on its conflict');
      assert.deepEqual(lines(repo), []);
    });
  });
});
