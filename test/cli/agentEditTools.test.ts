/**
 * `ai-provenance record --agent …` for every edit tool and field of the five agents: Claude Code's
 * NotebookEdit and userModified, Gemini CLI's modified_by_user and IDE accept, Copilot CLI's payloads
 * from .github/hooks, Cursor's preToolUse/postToolUse, the repository found from the file's path
 * (multi-root, no cwd, two repositories in one payload), formatter-first tolerance, and payloads
 * from another host. The fixtures (test/fixtures/agents/<agent>/README.md cites their sources) are
 * piped to the bundled CLI in real temporary repositories after the file changed the way the tool
 * changes it; the regions must sit on exactly the lines the tool wrote and nowhere else.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Run, TempRepo } from './helpers';
import { BASE, FIXTURES, lines, replaceIn, snapshotsLeft } from './agentHelpers';

/** A fixture payload with the repositories' roots in place of __ROOT__ and __ROOT2__. */
function fixture(name: string, root: string, root2 = root): string {
  const text = fs.readFileSync(path.join(FIXTURES, name), 'utf8');
  const inJson = (p: string): string => JSON.stringify(p).slice(1, -1);
  return text.split('__ROOT2__').join(inJson(root2)).split('__ROOT__').join(inJson(root));
}

function parsed(name: string, repo: TempRepo): Record<string, any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return JSON.parse(fixture(name, repo.root));
}

function record(repo: TempRepo, agent: string, input: string, cwd?: string): Run {
  return repo.cli(['record', '--agent', agent], { input, cwd });
}

function recordFixture(repo: TempRepo, agent: string, name: string): Run {
  return record(repo, agent, fixture(name, repo.root));
}

function ok(r: Run): void {
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '', 'nothing to say');
  assert.equal(r.stdout, '', 'nothing on stdout: agents parse it');
}

/** The text of 1-based line `n` of a file. */
function lineOf(repo: TempRepo, rel: string, n: number): string {
  return repo.read(rel).split('\n')[n - 1];
}

describe('CLI: record --agent, every edit tool and field', () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = new TempRepo();
    repo.write('src/app.ts', BASE);
    repo.write('notebooks/analysis.ipynb', fs.readFileSync(path.join(FIXTURES, 'claude-code/analysis.ipynb'), 'utf8'));
    repo.commitAll();
  });
  afterEach(() => repo.dispose());

  describe('claude-code NotebookEdit: the .ipynb lines holding the cell source the tool wrote', () => {
    const NB = 'notebooks/analysis.ipynb';
    const writeUpdated = (name: string): void => repo.write(NB, parsed(name, repo).tool_response.updated_file);

    it('replace: only the source line the tool added, not the lines it kept nor the cleared outputs', () => {
      writeUpdated('claude-code/post-notebookedit.json');
      ok(recordFixture(repo, 'claude-code', 'claude-code/post-notebookedit.json'));
      assert.deepEqual(lines(repo), [[NB, 21, 21, 'agent', 'claude-code']]);
      assert.equal(lineOf(repo, NB, 21).trim(), '"df.describe()"');
    });

    it('replace with the source stored as one string: the one line holding the cell', () => {
      writeUpdated('claude-code/post-notebookedit-one-string.json');
      ok(recordFixture(repo, 'claude-code', 'claude-code/post-notebookedit-one-string.json'));
      assert.deepEqual(lines(repo), [[NB, 18, 18, 'agent', 'claude-code']]);
      assert.match(lineOf(repo, NB, 18), /^ {3}"source": "import pandas/);
    });

    it('insert: every source line of the new cell', () => {
      writeUpdated('claude-code/post-notebookedit-insert.json');
      ok(recordFixture(repo, 'claude-code', 'claude-code/post-notebookedit-insert.json'));
      assert.deepEqual(lines(repo), [[NB, 38, 40, 'agent', 'claude-code']]);
      assert.equal(lineOf(repo, NB, 38).trim(), '"import matplotlib.pyplot as plt\\n",');
    });

    it("a human's edit to another cell between PreToolUse and PostToolUse stays human", () => {
      ok(recordFixture(repo, 'claude-code', 'claude-code/pre-notebookedit.json'));
      assert.equal(snapshotsLeft(repo).length, 1);
      replaceIn(repo, NB, '"Monthly totals."', '"Monthly totals, by region."'); // the human, while the tool waits
      const updated: string = parsed('claude-code/post-notebookedit.json', repo).tool_response.updated_file;
      repo.write(NB, updated.replace('"Monthly totals."', '"Monthly totals, by region."'));
      ok(recordFixture(repo, 'claude-code', 'claude-code/post-notebookedit.json'));
      assert.deepEqual(snapshotsLeft(repo), []);
      assert.deepEqual(lines(repo), [[NB, 21, 21, 'agent', 'claude-code']]);
    });

    it('without the tool result or a snapshot the old source is unknown: the whole cell is credited', () => {
      writeUpdated('claude-code/post-notebookedit.json');
      const bare = parsed('claude-code/post-notebookedit.json', repo);
      delete bare.tool_response;
      ok(record(repo, 'claude-code', JSON.stringify(bare)));
      assert.deepEqual(lines(repo), [[NB, 19, 21, 'agent', 'claude-code']]);
    });

    it('delete records nothing', () => {
      const del = parsed('claude-code/post-notebookedit.json', repo);
      del.tool_input.edit_mode = 'delete';
      ok(record(repo, 'claude-code', JSON.stringify(del)));
      assert.deepEqual(lines(repo), []);
    });
  });

  describe('claude-code userModified: the lines the user changed before accepting stay human', () => {
    it('Edit: tool_response holds the user\'s text, tool_input the proposal', () => {
      replaceIn(repo, 'src/app.ts', '  return x + y;', '  const sum = x + y;\n  return Math.round(sum);');
      ok(recordFixture(repo, 'claude-code', 'claude-code/post-edit-usermodified.json'));
      assert.deepEqual(lines(repo), [['src/app.ts', 4, 4, 'agent', 'claude-code']]);
    });

    it("Edit whose tool_input was updated to the user's text: the PreToolUse snapshot has the proposal", () => {
      ok(recordFixture(repo, 'claude-code', 'claude-code/pre-edit-usermodified.json'));
      replaceIn(repo, 'src/app.ts', '  return x + y;', '  const sum = x + y;\n  return Math.round(sum);');
      ok(recordFixture(repo, 'claude-code', 'claude-code/post-edit-usermodified-input.json'));
      assert.deepEqual(lines(repo), [['src/app.ts', 4, 4, 'agent', 'claude-code']]);
    });

    it('userModified with no way to tell the proposal: nothing recorded, one line says why', () => {
      replaceIn(repo, 'src/app.ts', '  return x + y;', '  const sum = x + y;\n  return Math.round(sum);');
      const r = recordFixture(repo, 'claude-code', 'claude-code/post-edit-usermodified-input.json');
      assert.equal(r.code, 1);
      assert.equal(r.stderr.trim().split('\n').length, 1);
      assert.match(r.stderr, /the user changed the tool's proposal for src\/app\.ts before accepting it/);
      assert.deepEqual(lines(repo), []);
    });

    it('Write: only the written lines the model proposed', () => {
      repo.write('src/app.ts', parsed('claude-code/post-write-usermodified.json', repo).tool_response.content);
      ok(recordFixture(repo, 'claude-code', 'claude-code/post-write-usermodified.json'));
      assert.deepEqual(lines(repo), [
        ['src/app.ts', 11, 11, 'agent', 'claude-code'],
        ['src/app.ts', 13, 13, 'agent', 'claude-code'],
      ]);
      assert.equal(lineOf(repo, 'src/app.ts', 12), '  return Math.imul(x, y);');
    });
  });

  describe('gemini: modified_by_user and the IDE accept', () => {
    const USER = BASE.replace('  return x + y;', '  const sum = x + y;\n  return Math.round(sum);');

    it('modify with external editor: ai_proposed_content is the proposal', () => {
      repo.write('src/app.ts', USER);
      ok(recordFixture(repo, 'gemini', 'gemini/after-replace-modified.json'));
      assert.deepEqual(lines(repo), [['src/app.ts', 4, 4, 'agent', 'gemini']]);
    });

    it("an IDE accept that rewrote old_string/new_string to the whole file: the BeforeTool snapshot's proposal tells the user's line", () => {
      ok(recordFixture(repo, 'gemini', 'gemini/before-replace.json'));
      repo.write('src/app.ts', USER);
      ok(recordFixture(repo, 'gemini', 'gemini/after-replace-ide.json'));
      assert.deepEqual(snapshotsLeft(repo), []);
      assert.deepEqual(lines(repo), [['src/app.ts', 4, 4, 'agent', 'gemini']]);
    });

    it('an IDE accept of the proposal as it was: exactly the proposed lines', () => {
      const accepted = BASE.replace('  return x + y;', '  const sum = x + y;\n  return sum;');
      ok(recordFixture(repo, 'gemini', 'gemini/before-replace.json'));
      repo.write('src/app.ts', accepted);
      const ide = parsed('gemini/after-replace-ide.json', repo);
      ide.tool_input.new_string = accepted;
      ok(record(repo, 'gemini', JSON.stringify(ide)));
      assert.deepEqual(lines(repo), [['src/app.ts', 4, 5, 'agent', 'gemini']]);
    });

    it('write_file modified by the user, after a BeforeTool snapshot', () => {
      const after = parsed('gemini/after-write_file-modified.json', repo);
      const before = { ...after, hook_event_name: 'BeforeTool', tool_input: { file_path: after.tool_input.file_path, content: after.tool_input.ai_proposed_content }, tool_response: undefined };
      ok(record(repo, 'gemini', JSON.stringify(before)));
      repo.write('src/app.ts', after.tool_input.content);
      ok(record(repo, 'gemini', JSON.stringify(after)));
      assert.deepEqual(lines(repo), [
        ['src/app.ts', 11, 11, 'agent', 'gemini'],
        ['src/app.ts', 13, 13, 'agent', 'gemini'],
      ]);
    });
  });

  describe('copilot: Copilot CLI and cloud-agent payloads from .github/hooks', () => {
    it('edit (PascalCase event, snake_case fields): PreToolUse snapshot, a human edit while the tool waits stays human', () => {
      ok(recordFixture(repo, 'copilot', 'copilot/cli-pre-edit.json'));
      replaceIn(repo, 'src/app.ts', "import { a } from './a';", "import { a, human } from './a';"); // the human
      replaceIn(repo, 'src/app.ts', '  return x - y;', '  const diff = x - y;\n  return diff;'); // the tool
      ok(recordFixture(repo, 'copilot', 'copilot/cli-post-edit.json'));
      assert.deepEqual(snapshotsLeft(repo), []);
      assert.deepEqual(lines(repo), [['src/app.ts', 8, 9, 'agent', 'copilot']]);
    });

    it('edit (camelCase event): toolArgs is a JSON string', () => {
      replaceIn(repo, 'src/app.ts', '  return x + y;', '  const sum = x + y;\n  return sum;');
      ok(recordFixture(repo, 'copilot', 'copilot/cli-post-edit-camel.json'));
      assert.deepEqual(lines(repo), [['src/app.ts', 4, 5, 'agent', 'copilot']]);
    });

    it('create: the whole new file', () => {
      repo.write('src/new.ts', parsed('copilot/cli-post-create.json', repo).tool_input.file_text);
      ok(recordFixture(repo, 'copilot', 'copilot/cli-post-create.json'));
      assert.deepEqual(lines(repo), [['src/new.ts', 1, 3, 'agent', 'copilot']]);
    });

    it('apply_patch (camelCase): toolArgs is the raw patch', () => {
      replaceIn(repo, 'src/app.ts', '  return x - y;', '  const diff = x - y;\n  return diff;');
      repo.write('src/util.ts', 'export const answer = 42;\n');
      ok(recordFixture(repo, 'copilot', 'copilot/cli-post-apply_patch-camel.json'));
      assert.deepEqual(lines(repo), [
        ['src/app.ts', 8, 9, 'agent', 'copilot'],
        ['src/util.ts', 1, 1, 'agent', 'copilot'],
      ]);
    });

    it('a denied tool call records nothing and says nothing', () => {
      ok(recordFixture(repo, 'copilot', 'copilot/cli-post-edit-denied.json'));
      assert.deepEqual(lines(repo), []);
    });

    it("VS Code's create_file without content: the new file is the tool's", () => {
      repo.write('src/new.ts', 'export function greet(name: string): string {\n  return `Hello, ${name}`;\n}\n');
      ok(recordFixture(repo, 'copilot', 'copilot/post-create_file-nocontent.json'));
      assert.deepEqual(lines(repo), [['src/new.ts', 1, 3, 'agent', 'copilot']]);
    });
  });

  describe('cursor: preToolUse / postToolUse', () => {
    it('preToolUse snapshots, postToolUse leaves the record to afterFileEdit, which consumes the snapshot', () => {
      ok(recordFixture(repo, 'cursor', 'cursor/preToolUse-StrReplace.json'));
      assert.equal(snapshotsLeft(repo).length, 1);
      replaceIn(repo, 'src/app.ts', '  return x - y;', '  const diff = x - y;\n  return diff;');
      ok(recordFixture(repo, 'cursor', 'cursor/postToolUse-StrReplace.json'));
      assert.deepEqual(lines(repo), []);
      ok(recordFixture(repo, 'cursor', 'cursor/afterFileEdit-StrReplace.json'));
      assert.deepEqual(snapshotsLeft(repo), []);
      assert.deepEqual(lines(repo), [['src/app.ts', 8, 9, 'agent', 'cursor']]);
    });

    it("a human's edit between two tool calls stays human", () => {
      replaceIn(repo, 'src/app.ts', '  return x + y;', '  const sum = x + y;\n  return sum;');
      replaceIn(repo, 'src/app.ts', '  return x - y;', '  return y - x;');
      ok(recordFixture(repo, 'cursor', 'cursor/afterFileEdit.json'));
      replaceIn(repo, 'src/app.ts', "import { a } from './a';", "import { a, human } from './a';"); // the human
      ok(recordFixture(repo, 'cursor', 'cursor/preToolUse-StrReplace.json'));
      replaceIn(repo, 'src/app.ts', '  return y - x;', '  const diff = x - y;\n  return diff;');
      const second = parsed('cursor/afterFileEdit-StrReplace.json', repo);
      second.edits[0].old_string = '  return y - x;';
      ok(record(repo, 'cursor', JSON.stringify(second)));
      assert.deepEqual(lines(repo), [
        ['src/app.ts', 4, 5, 'agent', 'cursor'],
        ['src/app.ts', 9, 10, 'agent', 'cursor'],
      ]);
    });
  });

  describe('formatter-first tolerance (a formatter hook ran before ours)', () => {
    /** What the tool wrote (afterFileEdit.json), then a formatter: 4-space indent, double quotes. */
    const toolThenFormatter = (tool: string): string =>
      tool.replace(/^ {2}(?=\S)/gm, '    ').replace(/'/g, '"');

    it('reflowed edits are found by their lines; the human lines the formatter changed stay human', () => {
      const tool = BASE.replace('  return x + y;', '  const sum = x + y;\n  return sum;').replace('  return x - y;', '  return y - x;');
      repo.write('src/app.ts', toolThenFormatter(tool));
      ok(recordFixture(repo, 'cursor', 'cursor/afterFileEdit.json'));
      assert.deepEqual(lines(repo), [
        ['src/app.ts', 4, 5, 'agent', 'cursor'],
        ['src/app.ts', 9, 9, 'agent', 'cursor'],
      ]);
      assert.equal(lineOf(repo, 'src/app.ts', 1), 'import { a } from "./a";');
    });

    it('an edit the formatter changed beyond whitespace is left out and one stderr line says so', () => {
      const payload = parsed('cursor/afterFileEdit.json', repo);
      payload.edits[1].new_string = "  return x - y || 'none';";
      const tool = BASE.replace('  return x + y;', '  const sum = x + y;\n  return sum;').replace('  return x - y;', "  return x - y || 'none';");
      repo.write('src/app.ts', toolThenFormatter(tool));
      const r = record(repo, 'cursor', JSON.stringify(payload));
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr.trim().split('\n').length, 1);
      assert.match(r.stderr, /1 of 3 lines the tool wrote are no longer in src\/app\.ts as written/);
      assert.deepEqual(lines(repo), [['src/app.ts', 4, 5, 'agent', 'cursor']]);
    });

    it('with a preToolUse snapshot: the same lines, and the formatted human lines are not credited', () => {
      ok(recordFixture(repo, 'cursor', 'cursor/preToolUse-StrReplace.json'));
      const tool = BASE.replace('  return x - y;', '  const diff = x - y;\n  return diff;');
      repo.write('src/app.ts', toolThenFormatter(tool));
      ok(recordFixture(repo, 'cursor', 'cursor/afterFileEdit-StrReplace.json'));
      assert.deepEqual(lines(repo), [['src/app.ts', 8, 9, 'agent', 'cursor']]);
    });

    it('nothing the tool wrote is left: exit 1, nothing recorded', () => {
      const payload = parsed('cursor/afterFileEdit-StrReplace.json', repo);
      payload.edits[0].new_string = "  const diff = 'x' - y;\n  return diff;";
      repo.write('src/app.ts', BASE.replace('  return x - y;', '  const diff = "x" - y;\n  return diff + 0;'));
      const r = record(repo, 'cursor', JSON.stringify(payload));
      assert.equal(r.code, 1);
      assert.match(r.stderr, /not in src\/app\.ts/);
      assert.deepEqual(lines(repo), []);
    });
  });

  describe('the repository is found from the file, not the payload cwd', () => {
    let other: TempRepo;
    beforeEach(() => {
      other = new TempRepo();
      other.write('src/app.ts', BASE);
      other.commitAll();
    });
    afterEach(() => other.dispose());

    it("a Cursor edit in the second root of a multi-root workspace records in that root's repository", () => {
      replaceIn(other, 'src/app.ts', '  return x + y;', '  const sum = x + y;\n  return sum;');
      ok(record(repo, 'cursor', fixture('cursor/afterFileEdit-second-root.json', repo.root, other.root)));
      assert.deepEqual(lines(other), [['src/app.ts', 4, 5, 'agent', 'cursor']]);
      assert.deepEqual(lines(repo), []);
    });

    it('a VS Code hook call without cwd, run outside any repository', () => {
      const nowhere = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aip-nowhere-')));
      try {
        replaceIn(repo, 'src/app.ts', '  return x + y;', '  const sum = x + y;\n  return sum;');
        ok(record(repo, 'copilot', fixture('copilot/post-replace_string_in_file-nocwd.json', repo.root), nowhere));
        assert.deepEqual(lines(repo), [['src/app.ts', 4, 5, 'agent', 'copilot']]);
      } finally {
        fs.rmSync(nowhere, { recursive: true, force: true });
      }
    });

    it('files of one payload in two repositories each go to their own', () => {
      replaceIn(repo, 'src/app.ts', '  return x + y;', '  const sum = x + y;\n  return sum;');
      replaceIn(other, 'src/app.ts', '  return x - y;', '  const diff = x - y;\n  return diff;');
      ok(record(repo, 'copilot', fixture('copilot/post-multi_replace-two-repos.json', repo.root, other.root)));
      assert.deepEqual(lines(repo), [['src/app.ts', 4, 5, 'agent', 'copilot']]);
      assert.deepEqual(lines(other), [['src/app.ts', 8, 9, 'agent', 'copilot']]);
    });

    it('a pre-tool snapshot of a file in the second root is kept in, and taken from, that repository', () => {
      const pre = parsed('cursor/preToolUse-StrReplace.json', repo);
      pre.tool_input.file_path = other.path('src/app.ts');
      pre.workspace_roots = [repo.root, other.root];
      ok(record(repo, 'cursor', JSON.stringify(pre)));
      assert.deepEqual(snapshotsLeft(repo), []);
      assert.equal(snapshotsLeft(other).length, 1);
      replaceIn(other, 'src/app.ts', '  return x - y;', '  const diff = x - y;\n  return diff;');
      const post = parsed('cursor/afterFileEdit-StrReplace.json', repo);
      post.file_path = other.path('src/app.ts');
      post.workspace_roots = [repo.root, other.root];
      ok(record(repo, 'cursor', JSON.stringify(post)));
      assert.deepEqual(snapshotsLeft(other), []);
      assert.deepEqual(lines(other), [['src/app.ts', 8, 9, 'agent', 'cursor']]);
    });
  });

  describe('.claude/settings.json run by another host: harmless, never a second region', () => {
    it('VS Code sends its own payload to the claude-code hook: ignored, and the copilot hook records once', () => {
      replaceIn(repo, 'src/app.ts', '  return x + y;', '  const sum = x + y;\n  return sum;');
      ok(recordFixture(repo, 'claude-code', 'copilot/post-replace_string_in_file.json'));
      assert.deepEqual(lines(repo), []);
      ok(recordFixture(repo, 'copilot', 'copilot/post-replace_string_in_file.json'));
      assert.deepEqual(lines(repo), [['src/app.ts', 4, 5, 'agent', 'copilot']]);
    });

    it("Cursor's third-party hooks send Cursor's payload to the claude-code hook: ignored, no snapshot, no error", () => {
      ok(recordFixture(repo, 'claude-code', 'cursor/preToolUse-StrReplace.json'));
      assert.deepEqual(snapshotsLeft(repo), []);
      repo.write('src/new.ts', 'export function greet(name: string): string {\n  return `Hello, ${name}`;\n}\n');
      ok(recordFixture(repo, 'claude-code', 'cursor/postToolUse-Write.json'));
      // Even if it named the event as Claude Code does: Cursor's Write input has no `content`.
      const renamed = parsed('cursor/postToolUse-Write.json', repo);
      renamed.hook_event_name = 'PostToolUse';
      ok(record(repo, 'claude-code', JSON.stringify(renamed)));
      assert.deepEqual(lines(repo), []);
    });
  });
});
