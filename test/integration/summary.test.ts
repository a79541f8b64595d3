// The panel, its badge and the status bar count what the commit gate blocks, from one summary:
// regions in paths the repository policy ignores are not counted, in closed files or open ones,
// and a policy edit re-sorts them. Typing in a file with regions wakes no full store rescan.

import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { AiProvenanceTestApi } from '../../src/extension';
import { cli, closeAllEditors, EXTENSION_ID, getApi, numberedLines, reviewEverything, root, storeRegions, waitFor, writeFile } from './reviewHelpers';

/** How many regions `ai-provenance check --json` (the bundled CLI, as the hook runs it) says block. */
function gateCount(): number {
  const cliJs = path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'dist', 'cli.js');
  const r = spawnSync(process.execPath, [cliJs, 'check', '--json'], { cwd: root(), encoding: 'utf8' });
  assert.ok(r.status === 0 || r.status === 1, `check exited ${r.status}: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { regions: unknown[] }).regions.length;
}

function shown(api: AiProvenanceTestApi): { panel: number; badge: number; statusBar: string | undefined } {
  return { panel: api.testing.review.tree().reduce((n, f) => n + f.children.length, 0), badge: api.testing.review.badge() ?? 0, statusBar: api.testing.review.statusBarText() };
}

/** Waits until the panel, the badge and the status bar all show the gate's count, and returns it. */
async function agreeWithGate(api: AiProvenanceTestApi, expected: number): Promise<void> {
  const gate = gateCount();
  assert.strictEqual(gate, expected, 'the gate counts what the test expects');
  const want = { panel: gate, badge: gate, statusBar: `$(sparkle) ${gate}` };
  let last = shown(api);
  try {
    await waitFor(`the panel, badge and status bar at the gate's ${gate}`, () => {
      last = shown(api);
      return JSON.stringify(last) === JSON.stringify(want);
    });
  } catch {
    assert.deepStrictEqual(last, want);
  }
}

const POLICY = '.ai-provenance.json';

suite('One summary for the panel, the status bar and the gate', () => {
  let api: AiProvenanceTestApi;

  suiteSetup(async function () {
    this.timeout(60_000);
    api = await getApi();
    await closeAllEditors();
    await reviewEverything(api);
  });

  suiteTeardown(async function () {
    this.timeout(60_000);
    fs.rmSync(path.join(root(), POLICY), { force: true });
    await closeAllEditors();
    await reviewEverything(api);
  });

  test('regions in paths the policy ignores are not counted, closed or open, and a policy edit re-sorts them', async function () {
    this.timeout(90_000);
    writeFile(POLICY, JSON.stringify({ ignore: ['summary/gen/**'] }) + '\n');
    writeFile('summary/src/app.ts', numberedLines(6, 'app'));
    writeFile('summary/gen/api.ts', numberedLines(6, 'api'));
    writeFile('summary/package-lock.json', '{\n  "lockfileVersion": 3\n}\n'); // a default ignore
    cli('mark', 'summary/src/app.ts:1-2', '--source', 'agent');
    cli('mark', 'summary/gen/api.ts:2-3', '--source', 'agent');
    cli('mark', 'summary/gen/api.ts:5-5', '--source', 'chat');
    cli('mark', 'summary/package-lock.json:2-2', '--source', 'agent');
    assert.strictEqual(storeRegions().filter((r) => !r.reviewed && r.path.startsWith('summary/')).length, 4);
    await agreeWithGate(api, 1);
    assert.deepStrictEqual(api.testing.review.tree().map((f) => f.label), ['app.ts']);

    // Open (live) documents are sorted by the same policy, while the user types in them.
    const gen = await vscode.window.showTextDocument(vscode.Uri.file(path.join(root(), 'summary/gen/api.ts')));
    await waitFor('the open document\'s regions', async () => (await api.getRegions(gen.document.uri)).length === 2);
    await gen.edit((b) => b.insert(new vscode.Position(0, 0), '// typed\n'));
    await vscode.window.showTextDocument(vscode.Uri.file(path.join(root(), 'summary/src/app.ts')));
    await agreeWithGate(api, 1);

    // The policy no longer ignores gen/: its regions count, in the panel as at the gate.
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.window.showTextDocument(gen.document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    writeFile(POLICY, JSON.stringify({ ignore: [] }) + '\n');
    await agreeWithGate(api, 3);
    fs.rmSync(path.join(root(), POLICY));
    await agreeWithGate(api, 3);
  });

  test('typing in a file with regions, saving it, and another writer\'s change wake no full store rescan', async function () {
    this.timeout(90_000);
    writeFile('summary/typing.ts', numberedLines(40, 'typing'));
    writeFile('summary/other.ts', numberedLines(4, 'other'));
    cli('mark', 'summary/typing.ts:10-12', '--source', 'inline');
    cli('mark', 'summary/typing.ts:20-25', '--source', 'chat');
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(path.join(root(), 'summary/typing.ts')));
    await waitFor('the document\'s regions', async () => (await api.getRegions(editor.document.uri)).length === 2);
    await waitFor('both regions in the panel', () => api.testing.review.tree().find((f) => f.label === 'typing.ts')?.children.length === 2);

    const before = api.testing.review.storeActivity();
    editor.selection = new vscode.Selection(2, 0, 2, 0);
    for (const key of 'let x = 1;\n'.repeat(10)) await vscode.commands.executeCommand('type', { text: key });
    await waitFor('the regions moved by typing', async () => (await api.getRegions(editor.document.uri))[0]?.start.line === 19);
    await editor.document.save();
    await waitFor('the saved positions in the store', () => storeRegions().some((r) => r.path === 'summary/typing.ts' && r.from === 20));
    // A sentinel: once another writer's change to another file shows in the panel, every store
    // event before it (the typing's and the save's) has been handled.
    cli('mark', 'summary/other.ts:1-1', '--source', 'agent');
    await waitFor('the other writer\'s change in the panel', () => api.testing.review.tree().some((f) => f.label === 'other.ts'));
    const after = api.testing.review.storeActivity();
    const spent = { fullScans: after.fullScans - before.fullScans, fileScans: after.fileScans - before.fileScans, markerReads: after.markerReads - before.markerReads };
    console.log(`      store activity while typing 110 keys, saving, and one outside change: ${JSON.stringify(spent)}`);
    // A count, not a time. (Marker reads are printed only: documents other suites closed may still be re-read now.)
    assert.strictEqual(spent.fullScans, 0, 'no full store rescan');
  });
});
