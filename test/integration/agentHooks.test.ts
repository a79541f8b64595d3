// Agents in a terminal, in a real VS Code: a file an agent rewrites on disk while it is open in the
// editor gets the agent's markers, on exactly the lines it wrote, without any reload by the user.
// The agent is played by its hooks: the bundled CLI's `record --agent` fed the documented payloads.

import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { AiProvenanceTestApi } from '../../src/extension';
import { cli, closeAllEditors, EXTENSION_ID, getApi, root, waitFor, writeFile } from './reviewHelpers';

let api: AiProvenanceTestApi;

/** Runs `ai-provenance record --agent <agent>` as the agent's hook does: the payload on stdin. */
function hook(agent: string, payload: object): void {
  const cliJs = path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'dist', 'cli.js');
  // In desktop VS Code the extension host's binary is Electron; this makes it behave as Node (code-server's already is).
  const r = spawnSync(process.execPath, [cliJs, 'record', '--agent', agent], {
    cwd: root(),
    input: JSON.stringify(payload),
    encoding: 'utf8',
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  assert.strictEqual(r.status, 0, `record --agent ${agent} failed: ${r.stderr}`);
}

async function openTracked(rel: string, content: string): Promise<vscode.TextDocument> {
  const uri = writeFile(rel, content);
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  await api.getRegions(uri);
  return doc;
}

/** The document's regions as [first line, last line] (1-based, like the CLI), source and tool. */
async function lineRegions(doc: vscode.TextDocument): Promise<[number, number, string, string | null][]> {
  return (await api.getRegions(doc.uri)).map((r) => {
    const last = r.end.character === 0 && r.end.line > r.start.line ? r.end.line - 1 : r.end.line;
    return [r.start.line + 1, last + 1, r.source, r.tool];
  });
}

suite('Agents in a terminal', () => {
  suiteSetup(async function () {
    this.timeout(60_000);
    api = await getApi();
  });

  teardown(closeAllEditors);

  test('a Claude Code Edit made on disk while the file is open gets its markers live', async function () {
    this.timeout(30_000);
    const rel = 'agents/claude.ts';
    const abs = path.join(root(), rel);
    const doc = await openTracked(rel, 'export function add(x: number, y: number): number {\n  return x + y;\n}\n');
    const base = { session_id: 'sess-int-1', cwd: root(), tool_use_id: 'toolu_int_1' };
    const input = { file_path: abs, old_string: '  return x + y;', new_string: '  const sum = x + y;\n  return sum;' };

    hook('claude-code', { ...base, hook_event_name: 'PreToolUse', tool_name: 'Edit', tool_input: input });
    fs.writeFileSync(abs, 'export function add(x: number, y: number): number {\n  const sum = x + y;\n  return sum;\n}\n'); // the tool
    hook('claude-code', { ...base, hook_event_name: 'PostToolUse', tool_name: 'Edit', tool_input: input, tool_response: { filePath: abs, success: true } });

    await waitFor('the editor to show the agent\'s text', () => doc.getText().includes('const sum'));
    const regions = await waitFor('the agent region in the editor', async () => {
      const r = await lineRegions(doc);
      return r.length > 0 && r;
    });
    assert.deepStrictEqual(regions, [[2, 3, 'agent', 'claude-code']]);
    assert.strictEqual(doc.isDirty, false, 'the user did not have to reload or save anything');
  });

  test('a Cursor afterFileEdit keeps the regions the file already had, re-anchored', async function () {
    this.timeout(30_000);
    const rel = 'agents/cursor.ts';
    const abs = path.join(root(), rel);
    const doc = await openTracked(rel, 'const a = 1;\nconst b = 2;\nconst c = 3;\n');
    cli('mark', `${rel}:3`, '--source', 'chat', '--tool', 'copilot');
    await waitFor('the marked line in the editor', async () => (await lineRegions(doc)).length === 1);

    fs.writeFileSync(abs, 'const a = 1;\nconst inserted = 42;\nconst b = 2;\nconst c = 3;\n'); // Cursor's agent writes
    hook('cursor', {
      conversation_id: 'conv-int', generation_id: 'gen-int', hook_event_name: 'afterFileEdit', workspace_roots: [root()],
      file_path: abs, edits: [{ old_string: 'const a = 1;\n', new_string: 'const a = 1;\nconst inserted = 42;\n' }],
    });

    const regions = await waitFor('both regions in the editor', async () => {
      const r = await lineRegions(doc);
      return r.length === 2 && r;
    });
    assert.deepStrictEqual(regions, [
      [2, 2, 'agent', 'cursor'],
      [4, 4, 'chat', 'copilot'],
    ]);
  });
});
