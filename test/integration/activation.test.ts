// The extension starts in a real VS Code on a git workspace and exposes what SPEC promises.

import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { waitFor } from './reviewHelpers';

const EXTENSION_ID = 'aiprovenance.ai-provenance';

// Every command named in SPEC.md ("The editor" section).
const SPEC_COMMANDS = [
  'aiProvenance.markReviewed',
  'aiProvenance.markFileReviewed',
  'aiProvenance.markAllReviewed',
  'aiProvenance.markSelectionAsAI',
  'aiProvenance.markSelectionAsHuman',
  'aiProvenance.nextUnreviewed',
  'aiProvenance.previousUnreviewed',
  'aiProvenance.installHook',
  'aiProvenance.uninstallHook',
  'aiProvenance.showLog',
];

function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test run must open a workspace folder');
  return folder.uri.fsPath;
}

suite('Activation', () => {
  let extension: vscode.Extension<unknown>;
  let api: unknown;

  suiteSetup(() => {
    const found = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(found, `extension ${EXTENSION_ID} is not loaded`);
    extension = found;
  });

  // This suite runs first (files run in name order) and nothing here calls activate(): VS Code
  // itself must start the extension, from its activation events, in the fresh git workspace the
  // runner opened.
  test('activates in a git workspace by itself', async function () {
    this.timeout(90_000);
    const inside = execFileSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: workspaceRoot(), encoding: 'utf8' });
    assert.strictEqual(inside.trim(), 'true', 'the workspace is a git repository');
    await waitFor('VS Code to activate the extension', () => extension.isActive, 60_000);
    api = extension.exports;
  });

  test('registers every command in SPEC', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = SPEC_COMMANDS.filter((id) => !registered.has(id));
    assert.deepStrictEqual(missing, [], `commands not registered: ${missing.join(', ')}`);
  });

  test('activate() returns an API with getRegions and onDidChangeRegions', () => {
    assert.ok(api && typeof api === 'object', 'activate() returned no API object');
    const { getRegions, onDidChangeRegions } = api as Record<string, unknown>;
    assert.strictEqual(typeof getRegions, 'function', 'api.getRegions is not a function');
    // A vscode.Event is a function you call with a listener; it returns a Disposable.
    assert.strictEqual(typeof onDidChangeRegions, 'function', 'api.onDidChangeRegions is not an event');
    const subscription = (onDidChangeRegions as vscode.Event<unknown>)(() => undefined);
    assert.strictEqual(typeof subscription.dispose, 'function');
    subscription.dispose();
  });

  test('creates the store directory in the git dir', () => {
    const cwd = workspaceRoot();
    const storePath = execFileSync('git', ['rev-parse', '--git-path', 'ai-provenance'], { cwd, encoding: 'utf8' }).trim();
    const store = path.resolve(cwd, storePath);
    assert.ok(fs.existsSync(store) && fs.statSync(store).isDirectory(), `no store directory at ${store}`);
  });
});
