/**
 * `ai-provenance record --agent …` for the agents added after the first five: each agent's documented
 * payloads (test/fixtures/agents/<agent>, sources in each folder's README.md) piped to the bundled CLI
 * in real temporary git repositories, after the file changed the way the tool changes it; the regions
 * must sit on exactly the lines the tool wrote, and never on a line a person wrote in between.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TempRepo } from './helpers';
import { BASE, FIXTURES, lines, replaceIn, snapshotsLeft } from './agentHelpers';

const NEW_FILE = 'export function greet(name: string): string {\n  return `Hello, ${name}`;\n}\n';

type Json = Record<string, unknown>;

/** A fixture payload with the repository's root in place of __ROOT__. */
function payload(repo: TempRepo, name: string): string {
  const text = fs.readFileSync(path.join(FIXTURES, name), 'utf8');
  return text.split('__ROOT__').join(JSON.stringify(repo.root).slice(1, -1));
}

function fixture(repo: TempRepo, name: string): Json {
  return JSON.parse(payload(repo, name));
}

function record(repo: TempRepo, agent: string, input: string | Json): { code: number; stderr: string; stdout: string } {
  const text = typeof input === 'string' ? payload(repo, input) : JSON.stringify(input);
  return repo.cli(['record', '--agent', agent], { input: text });
}

/** Records and insists on a silent success: agents read stdout, and exit 0 is what they expect. */
function recordOk(repo: TempRepo, agent: string, input: string | Json): void {
  const r = record(repo, agent, input);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '', 'nothing on stdout: agents parse it');
  assert.equal(r.stderr, '');
}

/** What the tools of the fixtures do to src/app.ts. */
const addSum = (repo: TempRepo): void => replaceIn(repo, 'src/app.ts', '  return x + y;', '  const sum = x + y;\n  return sum;');
const subDiff = (repo: TempRepo): void => replaceIn(repo, 'src/app.ts', '  return x - y;', '  const diff = x - y;\n  return diff;');
/** A person's edit the agents must not be credited with. */
const human = (repo: TempRepo): void => replaceIn(repo, 'src/app.ts', "import { a } from './a';", "import { a, human } from './a';");

function region(repo: TempRepo, i = 0): Json {
  return JSON.parse(repo.cli(['status', '--json', '--all']).stdout).regions[i];
}

describe('CLI: record --agent, the agents beyond the first five', () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = new TempRepo();
    repo.write('src/app.ts', BASE);
    repo.commitAll();
  });
  afterEach(() => repo.dispose());

  /** The pre-tool snapshot, then a person's edit before the tool runs, then the tool: only the tool's lines. */
  function preHumanPost(agent: string, pre: string, post: string, tool: (repo: TempRepo) => void = addSum): void {
    human(repo);
    recordOk(repo, agent, pre);
    assert.equal(snapshotsLeft(repo).length, 1, 'the pre-tool hook took a snapshot');
    assert.deepEqual(lines(repo), [], 'a pre-tool hook records nothing');
    tool(repo);
    recordOk(repo, agent, post);
    assert.deepEqual(snapshotsLeft(repo), [], 'the post-tool hook used the snapshot');
  }

  describe('cline', () => {
    it('PreToolUse snapshot, a human edit, replace_in_file: exactly the replaced lines, with the task and model', () => {
      preHumanPost('cline', 'cline/PreToolUse-replace_in_file.json', 'cline/PostToolUse-replace_in_file.json');
      assert.deepEqual(lines(repo), [['src/app.ts', 4, 5, 'agent', 'cline']]);
      assert.equal(region(repo).session, '1764000000000');
      assert.equal(region(repo).model, 'claude-sonnet-4-5');
    });

    it('replace_in_file without a snapshot is rebuilt from its SEARCH/REPLACE blocks (the path relative to the workspace root)', () => {
      addSum(repo);
      human(repo);
      recordOk(repo, 'cline', 'cline/PostToolUse-replace_in_file.json');
      assert.deepEqual(lines(repo), [['src/app.ts', 4, 5, 'agent', 'cline']]);
    });

    it('write_to_file of a new file marks all of it', () => {
      repo.write('src/new.ts', NEW_FILE);
      recordOk(repo, 'cline', 'cline/PostToolUse-write_to_file.json');
      assert.deepEqual(lines(repo), [['src/new.ts', 1, 3, 'agent', 'cline']]);
    });

    it("the SDK runtime's tool_call / tool_result for editor: paired by the call id", () => {
      preHumanPost('cline', 'cline/tool_call-editor.json', 'cline/tool_result-editor.json', subDiff);
      assert.deepEqual(lines(repo), [['src/app.ts', 8, 9, 'agent', 'cline']]);
      assert.equal(region(repo).session, 'conv_01');
    });

    it('a tool that failed records nothing', () => {
      addSum(repo);
      const failed = fixture(repo, 'cline/PostToolUse-replace_in_file.json');
      (failed.postToolUse as Json).success = false;
      recordOk(repo, 'cline', failed);
      assert.deepEqual(lines(repo), []);
    });
  });

  describe('windsurf', () => {
    it('pre_write_code snapshot, a human edit, post_write_code: exactly the edited lines, with the conversation and model', () => {
      preHumanPost('windsurf', 'windsurf/pre_write_code.json', 'windsurf/post_write_code.json');
      assert.deepEqual(lines(repo), [['src/app.ts', 4, 5, 'agent', 'windsurf']]);
      assert.equal(region(repo).session, 'traj-7f3a');
      assert.equal(region(repo).model, 'SWE-1.5');
    });

    it('post_write_code alone is rebuilt from its edits; a new file from an edit with empty old_string', () => {
      addSum(repo);
      human(repo);
      recordOk(repo, 'windsurf', 'windsurf/post_write_code.json');
      repo.write('src/new.ts', NEW_FILE);
      recordOk(repo, 'windsurf', 'windsurf/post_write_code-new.json');
      assert.deepEqual(lines(repo), [
        ['src/app.ts', 4, 5, 'agent', 'windsurf'],
        ['src/new.ts', 1, 3, 'agent', 'windsurf'],
      ]);
    });

    it('a read records nothing', () => {
      recordOk(repo, 'windsurf', 'windsurf/post_read_code.json');
      assert.deepEqual(lines(repo), []);
    });
  });

  describe('kiro', () => {
    it('preToolUse snapshot, a human edit, fs_write str_replace: exactly the replaced lines', () => {
      preHumanPost('kiro', 'kiro/preToolUse-fs_write.json', 'kiro/postToolUse-fs_write.json');
      assert.deepEqual(lines(repo), [['src/app.ts', 4, 5, 'agent', 'kiro']]);
    });

    it('fs_write str_replace without a snapshot, and create with a relative path (v3 event names)', () => {
      addSum(repo);
      human(repo);
      recordOk(repo, 'kiro', 'kiro/postToolUse-fs_write.json');
      repo.write('src/new.ts', NEW_FILE);
      recordOk(repo, 'kiro', 'kiro/PostToolUse-fs_write-create.json');
      assert.deepEqual(lines(repo), [
        ['src/app.ts', 4, 5, 'agent', 'kiro'],
        ['src/new.ts', 1, 3, 'agent', 'kiro'],
      ]);
      assert.equal(region(repo, 1).session, 'sess_01J9');
    });

    it('fs_write insert and append are found where they went', () => {
      const insert = fixture(repo, 'kiro/postToolUse-fs_write.json');
      insert.tool_input = { command: 'insert', path: repo.path('src/app.ts'), insert_line: 5, new_str: '// added by kiro' };
      replaceIn(repo, 'src/app.ts', '}\n\nexport function sub', '}\n// added by kiro\n\nexport function sub');
      recordOk(repo, 'kiro', insert);
      const append = fixture(repo, 'kiro/postToolUse-fs_write.json');
      append.tool_input = { command: 'append', path: repo.path('src/app.ts'), new_str: '// added by kiro\n' };
      repo.write('src/app.ts', repo.read('src/app.ts') + '// added by kiro\n');
      recordOk(repo, 'kiro', append);
      assert.deepEqual(lines(repo), [
        ['src/app.ts', 6, 6, 'agent', 'kiro'],
        ['src/app.ts', 11, 11, 'agent', 'kiro'],
      ]);
    });
  });

  describe('opencode', () => {
    it('tool.execute.before snapshot, a human edit, edit: exactly the replaced lines, with the session', () => {
      preHumanPost('opencode', 'opencode/tool.execute.before-edit.json', 'opencode/tool.execute.after-edit.json');
      assert.deepEqual(lines(repo), [['src/app.ts', 4, 5, 'agent', 'opencode']]);
      assert.equal(region(repo).session, 'ses_4a1b2c');
    });

    it("edit without a snapshot uses the file as OpenCode read it (its oldString may match only loosely)", () => {
      human(repo);
      const before = repo.read('src/app.ts');
      addSum(repo);
      const after = fixture(repo, 'opencode/tool.execute.after-edit.json');
      const args = after.args as Json;
      args.oldString = 'return x + y;'; // OpenCode's trimmed-line matching found it anyway
      args.newString = 'const sum = x + y;\nreturn sum;';
      ((after.metadata as Json).filediff as Json).before = before;
      recordOk(repo, 'opencode', after);
      assert.deepEqual(lines(repo), [['src/app.ts', 4, 5, 'agent', 'opencode']]);
    });

    it('write of a new file marks all of it', () => {
      repo.write('src/new.ts', NEW_FILE);
      recordOk(repo, 'opencode', 'opencode/tool.execute.after-write.json');
      assert.deepEqual(lines(repo), [['src/new.ts', 1, 3, 'agent', 'opencode']]);
    });
  });

  describe('amp', () => {
    it('tool.call snapshot, a human edit, edit_file: exactly the replaced lines, with the thread', () => {
      preHumanPost('amp', 'amp/tool.call-edit_file.json', 'amp/tool.result-edit_file.json');
      assert.deepEqual(lines(repo), [['src/app.ts', 4, 5, 'agent', 'amp']]);
      assert.equal(region(repo).session, 'T-0f6e1c2a');
    });

    it('create_file marks the new file; a result that is not done records nothing', () => {
      repo.write('src/new.ts', NEW_FILE);
      recordOk(repo, 'amp', 'amp/tool.result-create_file.json');
      addSum(repo);
      const failed = fixture(repo, 'amp/tool.result-edit_file.json');
      failed.status = 'error';
      recordOk(repo, 'amp', failed);
      assert.deepEqual(lines(repo), [['src/new.ts', 1, 3, 'agent', 'amp']]);
    });

    it('edit_file whose input names only the file: the snapshot tells what changed', () => {
      const pre = fixture(repo, 'amp/tool.call-edit_file.json');
      const post = fixture(repo, 'amp/tool.result-edit_file.json');
      pre.input = { path: repo.path('src/app.ts') };
      post.input = { path: repo.path('src/app.ts') };
      recordOk(repo, 'amp', pre);
      addSum(repo);
      recordOk(repo, 'amp', post);
      assert.deepEqual(lines(repo), [['src/app.ts', 4, 5, 'agent', 'amp']]);
    });
  });

  describe('pi', () => {
    it('tool_call snapshot, a human edit, edit with a relative path: exactly the replaced lines', () => {
      preHumanPost('pi', 'pi/tool_call-edit.json', 'pi/tool_result-edit.json');
      assert.deepEqual(lines(repo), [['src/app.ts', 4, 5, 'agent', 'pi']]);
    });

    it('write marks the new file; an edit that failed records nothing', () => {
      repo.write('src/new.ts', NEW_FILE);
      recordOk(repo, 'pi', 'pi/tool_result-write.json');
      addSum(repo);
      const failed = fixture(repo, 'pi/tool_result-edit.json');
      failed.isError = true;
      recordOk(repo, 'pi', failed);
      assert.deepEqual(lines(repo), [['src/new.ts', 1, 3, 'agent', 'pi']]);
    });
  });

  describe('droid', () => {
    it('PreToolUse snapshot, a human edit, Edit: exactly the replaced lines, with the session', () => {
      preHumanPost('droid', 'droid/pre-Edit.json', 'droid/post-Edit.json');
      assert.deepEqual(lines(repo), [['src/app.ts', 4, 5, 'agent', 'droid']]);
      assert.equal(region(repo).session, 'droid-3c9d');
    });

    it('Create marks the new file; the camelCase payload of earlier releases is read too', () => {
      repo.write('src/new.ts', NEW_FILE);
      recordOk(repo, 'droid', 'droid/post-Create.json');
      const snake = fixture(repo, 'droid/post-Edit.json');
      const camel = { hookEventName: snake.hook_event_name, sessionId: snake.session_id, cwd: snake.cwd, toolName: snake.tool_name, toolInput: snake.tool_input };
      addSum(repo);
      recordOk(repo, 'droid', camel);
      assert.deepEqual(lines(repo), [
        ['src/app.ts', 4, 5, 'agent', 'droid'],
        ['src/new.ts', 1, 3, 'agent', 'droid'],
      ]);
    });
  });

  describe('qwen', () => {
    it('PreToolUse snapshot, a human edit, edit: exactly the replaced lines', () => {
      preHumanPost('qwen', 'qwen/pre-edit.json', 'qwen/post-edit.json');
      assert.deepEqual(lines(repo), [['src/app.ts', 4, 5, 'agent', 'qwen']]);
      assert.equal(region(repo).session, 'qwen-5e2f');
    });

    it("an edit the user modified before accepting: only the lines the model proposed are the agent's", () => {
      replaceIn(repo, 'src/app.ts', '  return x + y;', '  const sum = x + y; // checked\n  return sum;');
      const post = fixture(repo, 'qwen/post-edit.json');
      const input = post.tool_input as Json;
      input.ai_proposed_content = input.new_string;
      input.new_string = '  const sum = x + y; // checked\n  return sum;';
      input.modified_by_user = true;
      recordOk(repo, 'qwen', post);
      assert.deepEqual(lines(repo), [['src/app.ts', 5, 5, 'agent', 'qwen']]);
    });

    it('write_file of a new file marks all of it', () => {
      repo.write('src/new.ts', NEW_FILE);
      recordOk(repo, 'qwen', 'qwen/post-write_file.json');
      assert.deepEqual(lines(repo), [['src/new.ts', 1, 3, 'agent', 'qwen']]);
    });
  });

  describe('copilot-cli', () => {
    it('preToolUse (no result yet) snapshot, a human edit, postToolUse with toolArgs as JSON text: exactly the edited lines', () => {
      preHumanPost('copilot-cli', 'copilot-cli/preToolUse-edit.json', 'copilot-cli/postToolUse-edit.json');
      assert.deepEqual(lines(repo), [['src/app.ts', 4, 5, 'agent', 'copilot-cli']]);
      assert.equal(region(repo).session, 'c0p1-2026');
    });

    it('create marks the new file; bash records nothing and says nothing', () => {
      repo.write('src/new.ts', NEW_FILE);
      recordOk(repo, 'copilot-cli', 'copilot-cli/postToolUse-create.json');
      recordOk(repo, 'copilot-cli', 'copilot-cli/postToolUse-bash.json');
      assert.deepEqual(lines(repo), [['src/new.ts', 1, 3, 'agent', 'copilot-cli']]);
    });
  });

  describe('codebuddy and tabnine (Claude Code and Gemini CLI payloads)', () => {
    it("codebuddy: PreToolUse snapshot, a human edit, Edit: exactly the replaced lines, as codebuddy's", () => {
      preHumanPost('codebuddy', 'codebuddy/pre-Edit.json', 'codebuddy/post-Edit.json');
      assert.deepEqual(lines(repo), [['src/app.ts', 4, 5, 'agent', 'codebuddy']]);
    });

    it("tabnine: BeforeTool snapshot, a human edit, replace: exactly the replaced lines, as tabnine's", () => {
      preHumanPost('tabnine', 'tabnine/BeforeTool-replace.json', 'tabnine/AfterTool-replace.json');
      assert.deepEqual(lines(repo), [['src/app.ts', 4, 5, 'agent', 'tabnine']]);
    });
  });

  describe('bad input: one line on stderr, nothing written, exit 1 (non-blocking for every agent)', () => {
    const agents = ['cline', 'windsurf', 'kiro', 'opencode', 'amp', 'droid', 'qwen', 'copilot-cli', 'codebuddy', 'tabnine', 'pi'];
    const expectRefused = (r: { code: number; stderr: string; stdout: string }, pattern: RegExp): void => {
      assert.equal(r.code, 1);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, pattern);
      assert.deepEqual(lines(repo), []);
      assert.deepEqual(snapshotsLeft(repo), []);
    };
    for (const agent of agents) {
      it(`${agent}: not JSON, and empty`, () => {
        expectRefused(repo.cli(['record', '--agent', agent], { input: '{"tool' }), /not valid JSON/);
        expectRefused(repo.cli(['record', '--agent', agent], { input: ' ' }), /empty/);
      });
    }

    it('a field of the wrong type is named', () => {
      const bad = fixture(repo, 'windsurf/post_write_code.json');
      ((bad.tool_info as Json).edits as Json[])[0].new_string = 7;
      expectRefused(record(repo, 'windsurf', bad), /tool_info\.edits\[0\]\.new_string/);
      const noBlocks = fixture(repo, 'cline/PostToolUse-replace_in_file.json');
      ((noBlocks.postToolUse as Json).parameters as Json).diff = 'no markers here';
      expectRefused(record(repo, 'cline', noBlocks), /SEARCH\/REPLACE/);
      const args = fixture(repo, 'copilot-cli/postToolUse-edit.json');
      args.toolArgs = '{not json';
      expectRefused(record(repo, 'copilot-cli', args), /toolArgs is not a JSON object/);
    });
  });
});
