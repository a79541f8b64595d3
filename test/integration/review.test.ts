// The review panel, the status bar and every review command, in a real VS Code, against the real
// store: regions are created with the bundled CLI (as from a terminal) and checked back with it.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { AiProvenanceTestApi } from '../../src/extension';
import { cli, closeAllEditors, getApi, git, numberedLines, reviewEverything, root, storeRegions, uriOf, waitFor, writeFile } from './reviewHelpers';

suite('Review panel and commands', () => {
  let api: AiProvenanceTestApi;

  suiteSetup(async function () {
    this.timeout(60_000);
    api = await getApi();
    writeFile('review/alpha.ts', numberedLines(12, 'alpha'));
    writeFile('review/beta.ts', numberedLines(8, 'beta'));
  });

  setup(async () => {
    await closeAllEditors();
    await reviewEverything(api);
  });

  const fileRow = (name: string) => api.testing.review.tree().find((f) => f.label === name);

  test('the panel lists files with their unreviewed regions, line ranges, first lines and counts', async () => {
    cli('mark', 'review/alpha.ts:2-3', '--source', 'inline', '--tool', 'copilot');
    cli('mark', 'review/alpha.ts:7-7', '--source', 'chat');
    cli('mark', 'review/beta.ts:4-6', '--source', 'agent', '--tool', 'claude-code');
    const alpha = await waitFor('alpha.ts with two regions in the panel', () => fileRow('alpha.ts')?.children.length === 2 && fileRow('alpha.ts'));
    assert.strictEqual(alpha.description, 'review · 2');
    assert.strictEqual(alpha.contextValue, 'file');
    assert.deepStrictEqual(alpha.children.map((c) => [c.label, c.description, c.contextValue]), [
      ['Lines 2–3', 'const alpha2 = 2;', 'region'],
      ['Line 7', 'const alpha7 = 7;', 'region'],
    ]);
    const beta = await waitFor('beta.ts in the panel', () => fileRow('beta.ts'));
    assert.deepStrictEqual(beta.children.map((c) => c.label), ['Lines 4–6']);
    // Files are sorted by path, and the panel's total agrees with the CLI.
    const labels = api.testing.review.tree().map((f) => f.label);
    assert.ok(labels.indexOf('alpha.ts') < labels.indexOf('beta.ts'));
    const unreviewed = storeRegions().filter((r) => !r.reviewed).length;
    assert.strictEqual(api.testing.review.tree().reduce((n, f) => n + f.children.length, 0), unreviewed);
  });

  test('the status bar shows the workspace count', async () => {
    cli('mark', 'review/alpha.ts:1-1', '--source', 'inline');
    cli('mark', 'review/beta.ts:1-2', '--source', 'inline');
    await waitFor('status bar "$(sparkle) 2"', () => api.testing.review.statusBarText() === '$(sparkle) 2');
    await vscode.commands.executeCommand('aiProvenance.markAllReviewed', { confirm: false });
    await waitFor('status bar "$(sparkle) 0"', () => api.testing.review.statusBarText() === '$(sparkle) 0');
  });

  test('clicking a region opens the file and selects the region', async () => {
    cli('mark', 'review/alpha.ts:5-6', '--source', 'inline');
    const row = await waitFor('a region row', () => fileRow('alpha.ts')?.children[0]);
    assert.ok(row.command, 'a region row has a click command');
    await vscode.commands.executeCommand(row.command.command, ...(row.command.arguments ?? []));
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor);
    assert.strictEqual(editor.document.uri.fsPath, uriOf('review/alpha.ts').fsPath);
    assert.deepStrictEqual([editor.selection.start.line, editor.selection.start.character, editor.selection.end.line, editor.selection.end.character], [4, 0, 6, 0]);
  });

  test('inline action on a region marks only that region reviewed', async () => {
    cli('mark', 'review/alpha.ts:2-3', '--source', 'inline');
    cli('mark', 'review/alpha.ts:9-10', '--source', 'chat');
    const alpha = await waitFor('two regions', () => fileRow('alpha.ts')?.children.length === 2 && fileRow('alpha.ts'));
    const count = await vscode.commands.executeCommand<number>('aiProvenance.markReviewed', alpha.children[0].node);
    assert.strictEqual(count, 1);
    const stored = storeRegions().filter((r) => r.path === 'review/alpha.ts');
    assert.deepStrictEqual(stored.filter((r) => !r.reviewed).map((r) => [r.from, r.to]), [[9, 10]]);
    await waitFor('one region left in the panel', () => fileRow('alpha.ts')?.children.length === 1);
    assert.strictEqual(fileRow('alpha.ts')!.children[0].label, 'Lines 9–10');
  });

  test('inline action on a file marks the whole file reviewed', async () => {
    cli('mark', 'review/beta.ts:1-2', '--source', 'inline');
    cli('mark', 'review/beta.ts:5-5', '--source', 'chat');
    cli('mark', 'review/alpha.ts:4-4', '--source', 'chat');
    const beta = await waitFor('beta.ts', () => fileRow('beta.ts')?.children.length === 2 && fileRow('beta.ts'));
    assert.strictEqual(await vscode.commands.executeCommand<number>('aiProvenance.markFileReviewed', beta.node), 2);
    await waitFor('beta.ts gone from the panel', () => !fileRow('beta.ts'));
    assert.ok(fileRow('alpha.ts'), 'the other file stays listed');
    assert.ok(storeRegions().filter((r) => r.path === 'review/beta.ts').every((r) => r.reviewed));
  });

  test('markReviewed and markFileReviewed work on the active editor', async () => {
    cli('mark', 'review/alpha.ts:2-3', '--source', 'inline');
    cli('mark', 'review/alpha.ts:8-8', '--source', 'chat');
    cli('mark', 'review/alpha.ts:11-11', '--source', 'chat');
    const doc = await vscode.workspace.openTextDocument(uriOf('review/alpha.ts'));
    const editor = await vscode.window.showTextDocument(doc);
    await waitFor('three regions loaded', async () => (await api.getRegions(doc.uri)).filter((r) => !r.reviewed).length === 3);
    // The cursor on a line without AI code changes nothing.
    editor.selection = new vscode.Selection(5, 0, 5, 0);
    assert.strictEqual(await vscode.commands.executeCommand('aiProvenance.markReviewed'), 0);
    editor.selection = new vscode.Selection(7, 3, 7, 3);
    assert.strictEqual(await vscode.commands.executeCommand('aiProvenance.markReviewed'), 1);
    const after = await api.getRegions(doc.uri);
    assert.deepStrictEqual(after.filter((r) => !r.reviewed).map((r) => r.start.line), [1, 10]);
    assert.strictEqual(await vscode.commands.executeCommand('aiProvenance.markFileReviewed'), 2);
    assert.ok((await api.getRegions(doc.uri)).every((r) => r.reviewed));
    await waitFor('the store to agree', () => storeRegions().filter((r) => r.path === 'review/alpha.ts').every((r) => r.reviewed));
    await waitFor('alpha.ts gone from the panel', () => !fileRow('alpha.ts'));
  });

  test('markAllReviewed (the title action) empties the panel and the check passes', async () => {
    cli('mark', 'review/alpha.ts:1-2', '--source', 'inline');
    cli('mark', 'review/beta.ts:3-3', '--source', 'inline');
    await waitFor('two files', () => fileRow('alpha.ts') && fileRow('beta.ts'));
    const count = await vscode.commands.executeCommand<number>('aiProvenance.markAllReviewed', { confirm: false });
    assert.ok(count >= 2, `marked ${count}`);
    await waitFor('an empty panel', () => api.testing.review.tree().length === 0);
    assert.strictEqual(cli('check').split('\n')[0].startsWith('No unreviewed') || storeRegions().every((r) => r.reviewed), true);
  });

  test('next/previous unreviewed move across files in panel order and wrap around', async () => {
    cli('mark', 'review/alpha.ts:3-4', '--source', 'inline');
    cli('mark', 'review/alpha.ts:9-9', '--source', 'inline');
    cli('mark', 'review/beta.ts:6-7', '--source', 'chat');
    await waitFor('three regions', () => api.testing.review.tree().reduce((n, f) => n + f.children.length, 0) === 3);
    const editor = await vscode.window.showTextDocument(uriOf('review/alpha.ts'));
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    const where = () => {
      const e = vscode.window.activeTextEditor!;
      return `${path.basename(e.document.uri.fsPath)}:${e.selection.start.line + 1}-${e.selection.end.line}`;
    };
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      await vscode.commands.executeCommand('aiProvenance.nextUnreviewed');
      seen.push(where());
    }
    assert.deepStrictEqual(seen, ['alpha.ts:3-4', 'alpha.ts:9-9', 'beta.ts:6-7', 'alpha.ts:3-4']);
    await vscode.commands.executeCommand('aiProvenance.previousUnreviewed');
    assert.strictEqual(where(), 'beta.ts:6-7', 'previous from the first region wraps to the last');
    await vscode.commands.executeCommand('aiProvenance.previousUnreviewed');
    assert.strictEqual(where(), 'alpha.ts:9-9');
  });

  test('installHook and uninstallHook write and restore .git/hooks/pre-commit', async () => {
    const hookFile = path.join(root(), git('rev-parse', '--git-path', 'hooks').out.trim(), 'pre-commit');
    const hookPath = path.isAbsolute(hookFile) ? hookFile : path.join(root(), hookFile);
    await vscode.commands.executeCommand('aiProvenance.uninstallHook');
    assert.ok(!fs.existsSync(hookPath), 'no hook to start with');
    await vscode.commands.executeCommand('aiProvenance.installHook');
    const script = fs.readFileSync(hookPath, 'utf8');
    assert.match(script, /# ai-provenance pre-commit hook/);
    const node = /^AIP_NODE='([^']*)'/m.exec(script)![1];
    const cliFile = /^AIP_CLI='([^']*)'/m.exec(script)![1];
    assert.ok(path.isAbsolute(node) && fs.existsSync(node), `the recorded Node exists: ${node}`);
    assert.doesNotMatch(path.basename(node), /code|electron/i, 'the recorded Node is not the editor binary');
    assert.ok(fs.existsSync(cliFile), `the recorded CLI exists: ${cliFile}`);
    await vscode.commands.executeCommand('aiProvenance.uninstallHook');
    assert.ok(!fs.existsSync(hookPath), 'uninstall removes our hook');
  });

  test('a commit blocked by the hook is reported with the count and first location; after review it passes', async function () {
    this.timeout(60_000);
    await vscode.commands.executeCommand('aiProvenance.installHook');
    try {
      writeFile('review/gate.ts', numberedLines(6, 'gate'));
      cli('mark', 'review/gate.ts:2-4', '--source', 'inline', '--tool', 'copilot');
      git('add', 'review/gate.ts');
      const blocked = new Promise<{ count: number; message: string }>((resolve) => {
        const sub = api.testing.review.onDidBlockCommit((b) => {
          sub.dispose();
          resolve(b);
        });
      });
      const first = git('commit', '-m', 'AI code nobody read');
      assert.notStrictEqual(first.status, 0, `the hook must block: ${first.out}`);
      const report = await Promise.race([blocked, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no blocked-commit report')), 30_000))]);
      assert.strictEqual(report.count, 1);
      assert.match(report.message, /blocked the commit: 1 unreviewed AI region, the first at review\/gate\.ts:2-4/);
      await waitFor('gate.ts in the panel', () => fileRow('gate.ts'));
      await vscode.commands.executeCommand('aiProvenance.markFileReviewed', fileRow('gate.ts')!.node);
      const second = git('commit', '-m', 'Reviewed AI code');
      assert.strictEqual(second.status, 0, second.out);
    } finally {
      await vscode.commands.executeCommand('aiProvenance.uninstallHook');
    }
  });

  test('refresh and showLog run', async () => {
    // A line no earlier test marked: the tracker's merge loses new AI text recorded by another
    // writer over a region an open document holds unchanged (reported to the lead).
    cli('mark', 'review/beta.ts:8-8', '--source', 'inline');
    await vscode.commands.executeCommand('aiProvenance.refresh');
    try {
      await waitFor('beta.ts after refresh', () => fileRow('beta.ts'));
    } catch (e) {
      assert.fail(`${(e as Error).message}; tree ${JSON.stringify(api.testing.review.tree().map((f) => f.label))}; store ${JSON.stringify(storeRegions().filter((r) => r.path === 'review/beta.ts'))}; live ${JSON.stringify(await api.getRegions(uriOf('review/beta.ts')))}; docs ${vscode.workspace.textDocuments.map((d) => d.uri.path).join(',')}`);
    }
    await vscode.commands.executeCommand('aiProvenance.showLog');
  });
});
