// Shared by the review, gutter and hover suites: the extension's API, the bundled CLI run against
// the test workspace (as a developer would from a terminal), and polling for asynchronous UI state.

import * as assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { AiProvenanceTestApi } from '../../src/extension';
import { hashText } from '../../src/core/text';

export const EXTENSION_ID = 'aiprovenance.ai-provenance';

export async function getApi(): Promise<AiProvenanceTestApi> {
  const ext = vscode.extensions.getExtension<AiProvenanceTestApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
  const api = await ext.activate();
  assert.ok(api.testing, 'activate() returned no test internals: VS Code must run the extension for tests (ExtensionMode.Test)');
  return api;
}

export function root(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test run must open a workspace folder');
  return folder.uri.fsPath;
}

export function uriOf(rel: string): vscode.Uri {
  return vscode.Uri.file(path.join(root(), rel));
}

export function writeFile(rel: string, content: string): vscode.Uri {
  const abs = path.join(root(), rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, content);
  return vscode.Uri.file(abs);
}

/** `n` numbered lines of code, so previews and positions are easy to check. */
export function numberedLines(n: number, prefix = 'line'): string {
  return Array.from({ length: n }, (_, i) => `const ${prefix}${i + 1} = ${i + 1};`).join('\n') + '\n';
}

function cliPath(): string {
  return path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'dist', 'cli.js');
}

/** Runs the bundled CLI in the workspace; throws with its output when it fails. */
export function cli(...args: string[]): string {
  return cliIn(root(), ...args);
}

/** Runs the bundled CLI in another directory (a teammate's clone). */
export function cliIn(cwd: string, ...args: string[]): string {
  return execFileSync(process.execPath, [cliPath(), ...args], { cwd, encoding: 'utf8', stdio: 'pipe' });
}

export function git(...args: string[]): { status: number; out: string } {
  return gitIn(root(), ...args);
}

export function gitIn(cwd: string, ...args: string[]): { status: number; out: string } {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
  return { status: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

export interface CliRegion {
  id: string;
  path: string;
  from: number;
  to: number;
  source: string;
  tool: string | null;
  reviewed: boolean;
}

/** Every region in the store, as `ai-provenance status --json --all` reports it. */
/**
 * Whether the store holds a marker file for `rel`, read straight from disk: unlike `status`, which
 * follows moved files itself, this shows what the extension did.
 */
export function hasMarkerFile(rel: string): boolean {
  const store = git('rev-parse', '--path-format=absolute', '--git-path', 'ai-provenance').out.trim();
  return fs.existsSync(path.join(store, 'files', `${hashText(rel)}.json`));
}

export function storeRegions(): CliRegion[] {
  return (JSON.parse(cli('status', '--json', '--all')) as { regions: CliRegion[] }).regions;
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
      last = value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Marks every unreviewed region in the workspace reviewed, so a test starts from a clean panel.
 * Other suites leave documents closing in the background; one that closes after the command ran
 * brings its stored regions back into the panel, so this repeats until the panel stays empty.
 */
export async function reviewEverything(api: AiProvenanceTestApi): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await vscode.commands.executeCommand('aiProvenance.markAllReviewed', { confirm: false });
    try {
      await waitFor('an empty review panel', () => api.testing.review.tree().length === 0, 3000);
      await sleep(200);
      if (api.testing.review.tree().length === 0) return;
    } catch (e) {
      if (attempt < 4) continue;
      const left = api.testing.review.tree().map((f) => `${'uri' in f.node ? f.node.uri.fsPath : f.label} [${f.children.map((c) => c.label).join(', ')}]`);
      assert.fail(`${(e as Error).message}; still listed: ${left.join('; ')}`);
    }
  }
}

/** Closes every editor; unsaved changes a test left behind are reverted first, so no save prompt blocks the run. */
export async function closeAllEditors(): Promise<void> {
  for (const doc of vscode.workspace.textDocuments.filter((d) => d.isDirty && d.uri.scheme === 'file')) {
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
