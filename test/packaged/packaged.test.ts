// The .vsix as a user installs it: it activates from the installed folder by itself, in Restricted
// Mode and in a window without a git repository, where it leaves Tab and the git hooks alone.

import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { AiProvenanceTestApi } from '../../src/extension';
import { EXTENSION_ID, waitFor } from '../integration/reviewHelpers';

function env(name: string): string {
  const value = process.env[name];
  assert.ok(value, `${name} is not set: run these tests through scripts/run-integration.mjs`);
  return value;
}

function folder(): string {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'the run opens a folder');
  return f.uri.fsPath;
}

suite('The packaged extension (.vsix installed into VS Code)', () => {
  let extension: vscode.Extension<AiProvenanceTestApi>;
  let repo: string;

  // A git repository inside the folder, not opened yet: the window starts with none.
  suiteSetup(() => {
    repo = path.join(folder(), 'repo');
    fs.mkdirSync(repo, { recursive: true });
    fs.writeFileSync(path.join(repo, 'a.ts'), 'export const a = 1;\n');
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: repo });
  });

  test('is installed from the .vsix, not loaded from the source folder', () => {
    const found = vscode.extensions.getExtension<AiProvenanceTestApi>(EXTENSION_ID);
    assert.ok(found, `${EXTENSION_ID} is not installed, or VS Code disabled it in Restricted Mode`);
    extension = found;
    const installed = fs.realpathSync(env('AIP_INSTALLED_EXTENSIONS_DIR'));
    const at = fs.realpathSync(extension.extensionPath);
    assert.ok(at.startsWith(installed + path.sep), `${at} is not inside the extensions folder ${installed}`);
    assert.ok(!at.startsWith(fs.realpathSync(env('AIP_SOURCE_DIR'))), `${at} is the source folder`);
    assert.ok(!fs.existsSync(path.join(at, 'src')), 'no sources in the installed extension');
  });

  test('activates by itself in Restricted Mode, outside any git repository', async function () {
    this.timeout(90_000);
    assert.strictEqual(vscode.workspace.isTrusted, false, 'the folder is opened in Restricted Mode');
    // Nothing here calls activate(): VS Code must start it (onStartupFinished), and would not
    // in Restricted Mode without `capabilities.untrustedWorkspaces`.
    await waitFor('VS Code to activate the extension', () => extension.isActive, 60_000);
    const commands = new Set(await vscode.commands.getCommands(true));
    for (const id of ['aiProvenance.markReviewed', 'aiProvenance.nextUnreviewed', 'aiProvenance.installHook']) assert.ok(commands.has(id), `${id} is registered`);
    assert.ok(extension.exports.testing, 'the runner asked for the test internals (AIP_TEST_INTERNALS)');
  });

  test('takes Tab over only while a git repository is open, and gives it back when none remains', async function () {
    this.timeout(90_000);
    const capture = extension.exports.testing.capture;
    assert.deepStrictEqual(capture.interceptedCommands(), [], 'no repository: the editor keeps its accept commands');
    const doc = await vscode.workspace.openTextDocument(path.join(repo, 'a.ts'));
    await vscode.window.showTextDocument(doc);
    await waitFor('Tab taken over', () => capture.interceptedCommands().includes('editor.action.inlineSuggest.commit'), 30_000);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await waitFor('Tab given back', () => capture.interceptedCommands().length === 0, 60_000);
  });

  test('installs no hooks in Restricted Mode', async function () {
    this.timeout(60_000);
    const doc = await vscode.workspace.openTextDocument(path.join(repo, 'a.ts'));
    await vscode.window.showTextDocument(doc);
    // Refused at once, with an error message that stays up (so the command's promise waits on it).
    void vscode.commands.executeCommand('aiProvenance.installHook');
    // Trusted, this command asks which agents to set up; restricted, it says no at once.
    const agents = vscode.commands.executeCommand('aiProvenance.installAgentHooks').then(() => 'returned', () => 'returned');
    const verdict = await Promise.race([agents, new Promise((resolve) => setTimeout(resolve, 20_000, 'still asking'))]);
    if (verdict !== 'returned') await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.strictEqual(verdict, 'returned', 'Install Agent Hooks asked which agents to set up');
    assert.strictEqual(fs.existsSync(path.join(repo, '.git', 'hooks', 'pre-commit')), false, 'no pre-commit hook');
    for (const config of ['.claude', '.cursor', '.codex', '.gemini', '.github']) assert.strictEqual(fs.existsSync(path.join(repo, config)), false, `no ${config}`);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
