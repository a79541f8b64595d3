/**
 * `ai-provenance record --agent …`: each agent's documented hook payloads (test/fixtures/agents)
 * piped to the bundled CLI in real temporary git repositories, after the file changed the way the
 * tool changes it; the regions must sit on exactly the lines the tool wrote.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TempRepo } from './helpers';
import { BASE, FIXTURES, lines, replaceIn, snapshotsLeft } from './agentHelpers';

/** A fixture payload with the repository's root in place of __ROOT__. */
function payload(repo: TempRepo, name: string): string {
  const text = fs.readFileSync(path.join(FIXTURES, name), 'utf8');
  return text.split('__ROOT__').join(JSON.stringify(repo.root).slice(1, -1));
}

function record(repo: TempRepo, agent: string, fixture: string): { code: number; stderr: string; stdout: string } {
  return repo.cli(['record', '--agent', agent], { input: payload(repo, fixture) });
}

describe('CLI: record --agent', () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = new TempRepo();
    repo.write('src/app.ts', BASE);
    repo.commitAll();
  });
  afterEach(() => repo.dispose());

  describe('claude-code', () => {
    it('an Edit payload piped after the edit marks exactly the changed lines', () => {
      replaceIn(repo, 'src/app.ts', '  return x + y;', '  const sum = x + y;\n  return sum;');
      const r = record(repo, 'claude-code', 'claude-code/post-edit.json');
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, '', 'nothing on stdout: agents parse it');
      assert.deepEqual(lines(repo), [['src/app.ts', 4, 5, 'agent', 'claude-code']]);
      const region = JSON.parse(repo.cli(['status', '--json']).stdout).regions[0];
      assert.equal(region.session, '8b2c6f0e-5a4d-4c1b-9f3e-2d7a1c9e4b10');
    });

    it('PreToolUse snapshots the file and PostToolUse consumes the snapshot', () => {
      const pre = record(repo, 'claude-code', 'claude-code/pre-edit.json');
      assert.equal(pre.code, 0, pre.stderr);
      assert.equal(snapshotsLeft(repo).length, 1);
      assert.deepEqual(lines(repo), [], 'a pre-tool hook records nothing');
      replaceIn(repo, 'src/app.ts', '  return x + y;', '  const sum = x + y;\n  return sum;');
      assert.equal(record(repo, 'claude-code', 'claude-code/post-edit.json').code, 0);
      assert.deepEqual(snapshotsLeft(repo), []);
      assert.deepEqual(lines(repo), [['src/app.ts', 4, 5, 'agent', 'claude-code']]);
    });

    it("does not credit a human's edit made between two agent calls", () => {
      record(repo, 'claude-code', 'claude-code/pre-edit.json');
      replaceIn(repo, 'src/app.ts', '  return x + y;', '  const sum = x + y;\n  return sum;');
      assert.equal(record(repo, 'claude-code', 'claude-code/post-edit.json').code, 0);
      // The human types between the two tool calls.
      replaceIn(repo, 'src/app.ts', "import { a } from './a';", "import { a, human } from './a';");
      record(repo, 'claude-code', 'claude-code/pre-edit-sub.json');
      replaceIn(repo, 'src/app.ts', '  return x - y;', '  const diff = x - y;\n  return diff;');
      assert.equal(record(repo, 'claude-code', 'claude-code/post-edit-sub.json').code, 0);
      assert.deepEqual(lines(repo), [
        ['src/app.ts', 4, 5, 'agent', 'claude-code'],
        ['src/app.ts', 9, 10, 'agent', 'claude-code'],
      ]);
    });

    it('MultiEdit marks each edited place', () => {
      replaceIn(repo, 'src/app.ts', '  return x - y;', '  const diff = x - y;\n  return diff;');
      replaceIn(repo, 'src/app.ts', "import { a } from './a';", "import { a, b } from './a';");
      assert.equal(record(repo, 'claude-code', 'claude-code/post-multiedit.json').code, 0);
      assert.deepEqual(lines(repo), [
        ['src/app.ts', 1, 1, 'agent', 'claude-code'],
        ['src/app.ts', 8, 9, 'agent', 'claude-code'],
      ]);
    });

    it('Write with a PreToolUse snapshot marks only the lines that differ, not the human edit before it', () => {
      replaceIn(repo, 'src/app.ts', "import { a } from './a';", "import { a, c } from './a';"); // the human
      assert.equal(record(repo, 'claude-code', 'claude-code/pre-write.json').code, 0);
      repo.write('src/app.ts', JSON.parse(payload(repo, 'claude-code/post-write.json')).tool_input.content);
      assert.equal(record(repo, 'claude-code', 'claude-code/post-write.json').code, 0);
      assert.deepEqual(lines(repo), [['src/app.ts', 11, 13, 'agent', 'claude-code']]);
    });

    it('Write without a snapshot credits the whole content the tool wrote', () => {
      repo.write('src/app.ts', JSON.parse(payload(repo, 'claude-code/post-write.json')).tool_input.content);
      assert.equal(record(repo, 'claude-code', 'claude-code/post-write.json').code, 0);
      assert.deepEqual(lines(repo), [['src/app.ts', 1, 13, 'agent', 'claude-code']]);
    });

    it('keeps existing regions of the file, re-anchored', () => {
      assert.equal(repo.cli(['mark', 'src/app.ts:7-9', '--source', 'chat', '--tool', 'copilot']).code, 0);
      replaceIn(repo, 'src/app.ts', '  return x + y;', '  const sum = x + y;\n  return sum;');
      assert.equal(record(repo, 'claude-code', 'claude-code/post-edit.json').code, 0);
      assert.deepEqual(lines(repo), [
        ['src/app.ts', 4, 5, 'agent', 'claude-code'],
        ['src/app.ts', 8, 10, 'chat', 'copilot'],
      ]);
    });

    it('ignores tools that write no file', () => {
      const r = record(repo, 'claude-code', 'claude-code/post-read.json');
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, '');
      assert.deepEqual(lines(repo), []);
    });
  });

  describe('cursor', () => {
    it('an afterFileEdit payload piped after the edit marks exactly the changed lines', () => {
      replaceIn(repo, 'src/app.ts', '  return x + y;', '  const sum = x + y;\n  return sum;');
      replaceIn(repo, 'src/app.ts', '  return x - y;', '  return y - x;');
      const r = record(repo, 'cursor', 'cursor/afterFileEdit.json');
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(lines(repo), [
        ['src/app.ts', 4, 5, 'agent', 'cursor'],
        ['src/app.ts', 9, 9, 'agent', 'cursor'],
      ]);
      const region = JSON.parse(repo.cli(['status', '--json']).stdout).regions[0];
      assert.equal(region.session, 'c7d1f2a0-3b4e-4f5a-8c6d-9e0f1a2b3c4d');
      assert.equal(region.model, 'claude-4.5-sonnet');
    });

    it('afterTabFileEdit is Tab completion: recorded as inline text from cursor', () => {
      replaceIn(repo, 'src/app.ts', '  return x - y;', '  return x - y - 0;');
      const r = record(repo, 'cursor', 'cursor/afterTabFileEdit.json');
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(lines(repo), [['src/app.ts', 8, 8, 'inline', 'cursor']]);
    });
  });

  describe('codex', () => {
    const applyPatch = (): void => {
      replaceIn(repo, 'src/app.ts', '  return x + y;', '  const sum = x + y;\n  return sum;');
      repo.write('src/util.ts', "export const answer = 42;\nexport const question = '?';\n");
    };

    it('apply_patch with a PreToolUse snapshot marks the updated and the added file', () => {
      assert.equal(record(repo, 'codex', 'codex/pre-apply_patch.json').code, 0);
      assert.equal(snapshotsLeft(repo).length, 2);
      applyPatch();
      const r = record(repo, 'codex', 'codex/post-apply_patch.json');
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(snapshotsLeft(repo), []);
      assert.deepEqual(lines(repo), [
        ['src/app.ts', 4, 5, 'agent', 'codex'],
        ['src/util.ts', 1, 2, 'agent', 'codex'],
      ]);
      assert.equal(JSON.parse(repo.cli(['status', '--json']).stdout).regions[0].model, 'gpt-5-codex');
    });

    it('apply_patch without a snapshot is rebuilt from the patch hunks', () => {
      applyPatch();
      replaceIn(repo, 'src/app.ts', "import { a } from './a';", "import { a, human } from './a';"); // not the agent
      assert.equal(record(repo, 'codex', 'codex/post-apply_patch.json').code, 0);
      assert.deepEqual(lines(repo), [
        ['src/app.ts', 4, 5, 'agent', 'codex'],
        ['src/util.ts', 1, 2, 'agent', 'codex'],
      ]);
    });
  });

  describe('copilot (VS Code agent hooks)', () => {
    it('editFiles names only the files: the PreToolUse snapshot tells what changed', () => {
      assert.equal(record(repo, 'copilot', 'copilot/pre-editFiles.json').code, 0);
      replaceIn(repo, 'src/app.ts', '  return x - y;', '  return y - x;');
      const r = record(repo, 'copilot', 'copilot/post-editFiles.json');
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(lines(repo), [['src/app.ts', 8, 8, 'agent', 'copilot']]);
    });

    it('editFiles without a snapshot says so and records nothing', () => {
      replaceIn(repo, 'src/app.ts', '  return x - y;', '  return y - x;');
      const r = record(repo, 'copilot', 'copilot/post-editFiles.json');
      assert.equal(r.code, 1);
      assert.match(r.stderr, /no pre-tool snapshot of src\/app\.ts/);
      assert.equal(r.stderr.trim().split('\n').length, 1);
      assert.deepEqual(lines(repo), []);
    });

    it('replace_string_in_file is rebuilt from oldString/newString', () => {
      replaceIn(repo, 'src/app.ts', '  return x + y;', '  const sum = x + y;\n  return sum;');
      assert.equal(record(repo, 'copilot', 'copilot/post-replace_string_in_file.json').code, 0);
      assert.deepEqual(lines(repo), [['src/app.ts', 4, 5, 'agent', 'copilot']]);
    });

    it('multi_replace_string_in_file marks every replacement', () => {
      replaceIn(repo, 'src/app.ts', '  return x + y;', '  const sum = x + y;\n  return sum;');
      replaceIn(repo, 'src/app.ts', '  return x - y;', '  const diff = x - y;\n  return diff;');
      assert.equal(record(repo, 'copilot', 'copilot/post-multi_replace_string_in_file.json').code, 0);
      assert.deepEqual(lines(repo), [
        ['src/app.ts', 4, 5, 'agent', 'copilot'],
        ['src/app.ts', 9, 10, 'agent', 'copilot'],
      ]);
    });

    it('create_file marks the new file', () => {
      repo.write('src/new.ts', 'export function greet(name: string): string {\n  return `Hello, ${name}`;\n}\n');
      assert.equal(record(repo, 'copilot', 'copilot/post-create_file.json').code, 0);
      assert.deepEqual(lines(repo), [['src/new.ts', 1, 3, 'agent', 'copilot']]);
    });
  });

  describe('gemini', () => {
    it('BeforeTool snapshot + AfterTool write_file marks only the lines write_file changed', () => {
      replaceIn(repo, 'src/app.ts', "import { a } from './a';", "import { a, c } from './a';"); // the human
      assert.equal(record(repo, 'gemini', 'gemini/before-write_file.json').code, 0);
      repo.write('src/app.ts', JSON.parse(payload(repo, 'gemini/after-write_file.json')).tool_input.content);
      const r = record(repo, 'gemini', 'gemini/after-write_file.json');
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(lines(repo), [['src/app.ts', 11, 13, 'agent', 'gemini']]);
      assert.deepEqual(snapshotsLeft(repo), []);
    });

    it('replace is rebuilt from old_string/new_string', () => {
      replaceIn(repo, 'src/app.ts', '  return x + y;', '  const sum = x + y;\n  return sum;');
      assert.equal(record(repo, 'gemini', 'gemini/after-replace.json').code, 0);
      assert.deepEqual(lines(repo), [['src/app.ts', 4, 5, 'agent', 'gemini']]);
    });
  });

  describe('bad input: one line on stderr, nothing written, a non-blocking exit code', () => {
    const agents = ['claude-code', 'cursor', 'codex', 'copilot', 'gemini'];

    const expectRefused = (r: { code: number; stderr: string }, pattern: RegExp): void => {
      assert.equal(r.code, 1, 'exit 1: every agent treats it as a non-blocking hook error (2 would block)');
      assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
      assert.match(r.stderr, pattern);
      assert.deepEqual(lines(repo), []);
      assert.deepEqual(snapshotsLeft(repo), []);
    };

    for (const agent of agents) {
      it(`${agent}: a payload that is not JSON`, () => {
        expectRefused(repo.cli(['record', '--agent', agent], { input: '{"tool_name": "Edit", ' }), /not valid JSON/);
      });
      it(`${agent}: an empty payload`, () => {
        expectRefused(repo.cli(['record', '--agent', agent], { input: '' }), /empty/);
      });
    }

    it('an unknown agent', () => {
      expectRefused(repo.cli(['record', '--agent', 'aider'], { input: '{}' }), /--agent must be one of/);
    });

    it('a mistyped option in a hand-edited hook line does not block the agent', () => {
      const r = repo.cli(['record', '--agnet', 'claude-code'], { input: '{}' });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /unknown option --agnet/);
      assert.deepEqual(lines(repo), []);
    });

    it('a documented field of the wrong type', () => {
      const bad = JSON.parse(payload(repo, 'claude-code/post-edit.json'));
      bad.tool_input.new_string = 42;
      expectRefused(repo.cli(['record', '--agent', 'claude-code'], { input: JSON.stringify(bad) }), /new_string/);
    });

    it('a file outside the repository', () => {
      const outside = JSON.parse(payload(repo, 'claude-code/post-edit.json'));
      outside.tool_input.file_path = path.join(path.dirname(repo.root), 'elsewhere.ts');
      expectRefused(repo.cli(['record', '--agent', 'claude-code'], { input: JSON.stringify(outside) }), /outside the repository/);
      const pre = JSON.parse(payload(repo, 'claude-code/pre-edit.json'));
      pre.tool_input.file_path = '/etc/hostname';
      expectRefused(repo.cli(['record', '--agent', 'claude-code'], { input: JSON.stringify(pre) }), /outside the repository/);
    });

    it('a file behind a symlink that leads outside the repository: nothing read, nothing recorded', () => {
      const outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aip-outside-')));
      try {
        fs.writeFileSync(path.join(outside, 'app.ts'), BASE);
        fs.symlinkSync(outside, repo.path('linked'));
        fs.symlinkSync(path.join(outside, 'app.ts'), repo.path('src/link.ts'));
        for (const rel of ['linked/app.ts', 'src/link.ts']) {
          const pre = JSON.parse(payload(repo, 'claude-code/pre-edit.json'));
          pre.tool_input.file_path = repo.path(rel);
          expectRefused(repo.cli(['record', '--agent', 'claude-code'], { input: JSON.stringify(pre) }), /outside the repository/);
          const post = JSON.parse(payload(repo, 'claude-code/post-write.json'));
          post.tool_input.file_path = repo.path(rel);
          post.tool_input.content = BASE;
          expectRefused(repo.cli(['record', '--agent', 'claude-code'], { input: JSON.stringify(post) }), /outside the repository/);
        }
      } finally {
        fs.rmSync(outside, { recursive: true, force: true });
      }
    });

    it('a file that no longer exists', () => {
      fs.rmSync(repo.path('src/app.ts'));
      expectRefused(record(repo, 'cursor', 'cursor/afterFileEdit.json'), /src\/app\.ts no longer exists/);
    });

    it('a binary file', () => {
      repo.write('src/app.ts', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]));
      expectRefused(record(repo, 'gemini', 'gemini/after-replace.json'), /binary/);
      expectRefused(record(repo, 'gemini', 'gemini/before-write_file.json'), /binary/);
    });

    it('a huge file', () => {
      repo.write('src/app.ts', 'x'.repeat(8 * 1024 * 1024 + 1));
      expectRefused(record(repo, 'claude-code', 'claude-code/post-edit.json'), /too large/);
    });

    it('text the payload says was written is not in the file', () => {
      expectRefused(record(repo, 'claude-code', 'claude-code/post-edit.json'), /not in src\/app\.ts/);
    });
  });

  it('removes stale snapshots left by tools that never finished', () => {
    assert.equal(record(repo, 'claude-code', 'claude-code/pre-edit.json').code, 0);
    const [name] = snapshotsLeft(repo);
    const file = path.join(repo.storeDir(), 'snapshots', name);
    const old = new Date(Date.now() - 7 * 60 * 60 * 1000);
    fs.utimesSync(file, old, old);
    // Another call, whose own post hook runs: the old snapshot of the call that never finished goes.
    replaceIn(repo, 'src/app.ts', '  return x - y;', '  const diff = x - y;\n  return diff;');
    assert.equal(record(repo, 'claude-code', 'claude-code/post-edit-sub.json').code, 0);
    assert.deepEqual(snapshotsLeft(repo), []);
    assert.deepEqual(lines(repo), [['src/app.ts', 8, 9, 'agent', 'claude-code']]);
  });
});
