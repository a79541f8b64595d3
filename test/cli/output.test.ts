/**
 * What the CLI prints when the reader goes away early (`| head -1`), and how it prints paths that
 * hold line breaks or other control characters, through the bundled CLI in real repositories.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { CLI, cleanEnv, TempRepo } from './helpers';

/** Runs `<cli> <args> | <reader>` in sh; the CLI's exit code comes back on stderr as `cli-exit=N`. */
function piped(repo: TempRepo, args: string, reader: string): { stdout: string; stderr: string; exit: number } {
  const script = `{ "${process.execPath}" "${CLI}" ${args}; echo "cli-exit=$?" >&2; } | ${reader}`;
  const r = spawnSync('sh', ['-c', script], { cwd: repo.root, encoding: 'utf8', env: cleanEnv() });
  const m = /cli-exit=(\d+)\s*$/.exec(r.stderr);
  assert.ok(m, `the CLI's exit code is reported: ${r.stderr}`);
  return { stdout: r.stdout, stderr: r.stderr.slice(0, m.index), exit: Number(m[1]) };
}

describe('CLI: output', () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = new TempRepo();
    repo.write('README.md', 'hello\n');
    repo.commitAll();
  });
  afterEach(() => repo.dispose());

  describe('a reader that stops early (EPIPE)', () => {
    beforeEach(() => {
      // Far more output than a pipe holds (64 KiB), so the CLI is still writing when the reader leaves.
      const original = Array.from({ length: 8000 }, (_, i) => `line ${i}`).join('\n') + '\n';
      const written = Array.from({ length: 8000 }, (_, i) => (i % 2 ? `agent ${i}` : `line ${i}`)).join('\n') + '\n';
      repo.write('big.ts', written);
      const payload = {
        session_id: 's1',
        cwd: repo.root,
        hook_event_name: 'PostToolUse',
        tool_name: 'Write',
        tool_input: { file_path: repo.path('big.ts'), content: written },
        tool_response: { type: 'update', originalFile: original },
      };
      const r = repo.cli(['record', '--agent', 'claude-code'], { input: JSON.stringify(payload) });
      assert.equal(r.code, 0, r.stderr);
    });

    it('status | head -1 prints the first line and exits quietly', () => {
      const r = piped(repo, 'status', 'head -1');
      assert.equal(r.stdout, '4000 unreviewed AI regions in 1 file.\n');
      assert.equal(r.stderr, '', 'no stack trace');
      assert.equal(r.exit, 0);
    });

    it('status --json | head -c 1 exits quietly', () => {
      const r = piped(repo, 'status --json --all', 'head -c 1');
      assert.equal(r.stdout, '{');
      assert.equal(r.stderr, '');
      assert.equal(r.exit, 0);
    });

    it('check keeps its verdict (exit 1) when its reader leaves', () => {
      const r = piped(repo, 'check', 'head -1');
      assert.match(r.stdout, /^AI Provenance blocked this commit: 4000 unreviewed AI regions/);
      assert.equal(r.stderr, '');
      assert.equal(r.exit, 1, 'unreviewed AI code is still reported by the exit code');
    });

    it('an error message whose reader left exits quietly with its own code', () => {
      const script = `{ "${process.execPath}" "${CLI}" mark missing.ts 2>&1 >/dev/null; echo "cli-exit=$?" >&3; } 3>&2 | true`;
      const r = spawnSync('sh', ['-c', script], { cwd: repo.root, encoding: 'utf8', env: cleanEnv() });
      assert.equal(r.stderr, 'cli-exit=2\n');
    });
  });

  describe('paths with control characters', () => {
    const NAME = 'new\nline\t"q".ts';
    const QUOTED = '"new\\nline\\t\\"q\\".ts"';

    beforeEach(() => {
      repo.write(NAME, 'one\ntwo\n');
      repo.write('café.ts', 'un\ndeux\n');
    });

    it('check --staged keeps its one-line verdict and quotes the path the way git does', () => {
      assert.equal(repo.cli(['mark', `${NAME}:2-2`]).code, 0, 'a range after a path with a line break');
      repo.git('add', '-A');
      const r = repo.cli(['check', '--staged']);
      assert.equal(r.code, 1, r.stderr);
      const lines = r.stdout.trimEnd().split('\n');
      assert.equal(lines.length, 2, r.stdout);
      assert.match(lines[0], new RegExp(`first at ${escape(QUOTED)}:2-2\\b`));
      assert.equal(lines[1], `${QUOTED}:2-2  manual`);
      const json = JSON.parse(repo.cli(['check', '--staged', '--json']).stdout);
      assert.equal(json.regions[0].path, NAME, 'JSON keeps the path as it is');
    });

    it('status quotes such paths and leaves other non-ASCII paths alone', () => {
      const marked = repo.cli(['mark', `${NAME}:1`]);
      assert.equal(marked.stdout, `Marked ${QUOTED}:1-1 as AI-written (manual).\n`);
      repo.cli(['mark', 'café.ts:1']);
      const lines = repo.cli(['status']).stdout.trimEnd().split('\n');
      assert.deepEqual(lines.slice(1).sort(), [`${QUOTED}:1-1  manual`, 'café.ts:1-1  manual'].sort());
      assert.equal(JSON.parse(repo.cli(['status', '--json']).stdout).regions.find((r: { path: string }) => r.path !== 'café.ts').path, NAME);
    });
  });
});

function escape(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}
