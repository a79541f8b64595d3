// Gutter decorations and the hover, in a real VS Code. What was drawn comes from the extension's
// redraw reports (the API cannot read decorations back); the hover through the real provider call.

import * as assert from 'assert';
import * as vscode from 'vscode';
import type { AiProvenanceTestApi } from '../../src/extension';
import { DecorationReport, REDRAW_INTERVAL_MS } from '../../src/extension/gutter';
import { cli, closeAllEditors, getApi, numberedLines, reviewEverything, waitFor, writeFile } from './reviewHelpers';

suite('Gutter and hover', () => {
  let api: AiProvenanceTestApi;
  let reports: DecorationReport[] = [];
  let sub: vscode.Disposable;

  suiteSetup(async function () {
    this.timeout(60_000);
    api = await getApi();
    sub = api.testing.review.onDidDecorate((r) => reports.push(r));
  });

  suiteTeardown(async () => {
    sub?.dispose();
    await vscode.workspace.getConfiguration('aiProvenance.gutter').update('showReviewed', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('aiProvenance.gutter').update('enabled', undefined, vscode.ConfigurationTarget.Global);
  });

  setup(async () => {
    await closeAllEditors();
    await reviewEverything(api);
    reports = [];
  });

  const lastFor = (uri: vscode.Uri) => [...reports].reverse().find((r) => r.uri === uri.toString());

  async function openMarked(rel: string, lines: number, ...marks: string[][]): Promise<vscode.TextEditor> {
    const uri = writeFile(rel, numberedLines(lines, 'g'));
    for (const m of marks) cli('mark', ...m);
    const editor = await vscode.window.showTextDocument(uri);
    await waitFor('the regions to load', async () => (await api.getRegions(uri)).length >= marks.length);
    return editor;
  }

  test('an icon on every line of an unreviewed region, nothing elsewhere', async () => {
    const editor = await openMarked('gutter/one.ts', 20, ['gutter/one.ts:3-5', '--source', 'inline'], ['gutter/one.ts:10-10', '--source', 'chat']);
    const uri = editor.document.uri;
    const report = await waitFor('a redraw with both regions', () => lastFor(uri)?.unreviewed.length === 2 && lastFor(uri));
    assert.deepStrictEqual(report.unreviewed, [[2, 4], [9, 9]]);
    assert.deepStrictEqual(report.reviewed, [], 'reviewed lines are not drawn by default');
  });

  test('reviewing removes the icon; showReviewed draws the fainter one; enabled=false clears all', async () => {
    const editor = await openMarked('gutter/two.ts', 10, ['gutter/two.ts:2-3', '--source', 'inline']);
    const uri = editor.document.uri;
    await waitFor('the unreviewed icon', () => lastFor(uri)?.unreviewed.length === 1);
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    await vscode.commands.executeCommand('aiProvenance.markReviewed');
    await waitFor('no unreviewed icon', () => lastFor(uri)?.unreviewed.length === 0);
    assert.deepStrictEqual(lastFor(uri)!.reviewed, []);

    const gutter = vscode.workspace.getConfiguration('aiProvenance.gutter');
    await gutter.update('showReviewed', true, vscode.ConfigurationTarget.Global);
    await waitFor('the reviewed icon', () => lastFor(uri)?.reviewed.length === 1);
    assert.deepStrictEqual(lastFor(uri)!.reviewed, [[1, 2]]);

    await gutter.update('enabled', false, vscode.ConfigurationTarget.Global);
    await waitFor('nothing drawn', () => { const r = lastFor(uri); return r && r.reviewed.length === 0 && r.unreviewed.length === 0; });
    await gutter.update('enabled', undefined, vscode.ConfigurationTarget.Global);
    await gutter.update('showReviewed', undefined, vscode.ConfigurationTarget.Global);
    await waitFor('back to defaults', () => lastFor(uri)?.reviewed.length === 0);
  });

  test('a setting of another area does not redraw the gutter', async () => {
    const editor = await openMarked('gutter/three.ts', 10, ['gutter/three.ts:4-4', '--source', 'inline']);
    await waitFor('drawn', () => lastFor(editor.document.uri)?.unreviewed.length === 1);
    await waitFor('no redraw pending', () => api.testing.review.gutterIdle());
    const before = reports.length;
    await vscode.workspace.getConfiguration('aiProvenance.statusBar').update('enabled', false, vscode.ConfigurationTarget.Global);
    await waitFor('the status bar to hide', () => api.testing.review.statusBarText() === undefined);
    await vscode.workspace.getConfiguration('aiProvenance.statusBar').update('enabled', undefined, vscode.ConfigurationTarget.Global);
    await waitFor('the status bar to show', () => api.testing.review.statusBarText() !== undefined);
    // A redraw the settings caused would be scheduled by now (the same change event reached the status bar).
    await waitFor('no redraw pending', () => api.testing.review.gutterIdle());
    assert.strictEqual(reports.length, before, 'the gutter was not redrawn for a status-bar setting');
  });

  test('typing is throttled, and only the editor whose regions changed is redrawn', async () => {
    const other = await openMarked('gutter/other.ts', 10, ['gutter/other.ts:2-2', '--source', 'inline']);
    const editor = await openMarked('gutter/typing.ts', 30, ['gutter/typing.ts:20-22', '--source', 'inline']);
    await vscode.window.showTextDocument(other.document, vscode.ViewColumn.Two, true);
    const uri = editor.document.uri;
    await waitFor('drawn', () => lastFor(uri)?.unreviewed.length === 1);
    await waitFor('no redraw pending', () => api.testing.review.gutterIdle());
    reports = [];
    // 20 newlines above the region: each one moves it, so each one changes the document's regions.
    const started = Date.now();
    for (let i = 0; i < 20; i++) {
      await editor.edit((b) => b.insert(new vscode.Position(0, 0), '\n'));
    }
    const elapsed = Date.now() - started;
    await waitFor('the region drawn at its new place', () => lastFor(uri)?.unreviewed[0]?.[0] === 39);
    await waitFor('no redraw pending', () => api.testing.review.gutterIdle());
    const mine = reports.filter((r) => r.uri === uri.toString());
    // At most one redraw per REDRAW_INTERVAL_MS while the edits keep coming, plus the first and the trailing one.
    const allowed = Math.ceil(elapsed / REDRAW_INTERVAL_MS) + 2;
    console.log(`      20 edits in ${elapsed} ms: ${mine.length} redraws (allowed ${allowed})`);
    assert.ok(mine.length <= allowed, `20 edits in ${elapsed} ms caused ${mine.length} redraws (allowed ${allowed})`);
    assert.deepStrictEqual(reports.filter((r) => r.uri === other.document.uri.toString()), [], 'the other editor was not redrawn');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('hover says source, tool, when and who, and offers the review links', async () => {
    const editor = await openMarked('gutter/hover.ts', 10, ['gutter/hover.ts:3-4', '--source', 'inline', '--tool', 'copilot', '--model', 'gpt-test']);
    const uri = editor.document.uri;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(3, 4));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /AI-written code\*\* · unreviewed · lines 3–4/);
    assert.match(text, /Source: inline completion \(copilot, gpt\\-test\)/);
    assert.match(text, /Written (just now|\d+ minutes? ago) \(/);
    assert.match(text, /by test@example\\\.com/);
    assert.match(text, /\[Mark reviewed\]\(command:aiProvenance\.markReviewed\?/);
    assert.match(text, /\[Mark file reviewed\]\(command:aiProvenance\.markFileReviewed\?/);

    const plain = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(7, 4));
    const plainText = plain.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.doesNotMatch(plainText, /AI-written/, 'no hover on human lines');

    // The link's arguments are what a click runs.
    const link = /\(command:aiProvenance\.markReviewed\?([^ )]+)/.exec(text)![1];
    const args = JSON.parse(decodeURIComponent(link)) as unknown[];
    assert.strictEqual(await vscode.commands.executeCommand('aiProvenance.markReviewed', ...args), 1);
    assert.ok((await api.getRegions(uri)).every((r) => r.reviewed));
    const after = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(3, 4));
    const afterText = after.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(afterText, /· reviewed ·/);
    assert.match(afterText, /Reviewed (just now|\d+ minutes? ago) .* by test@example\\\.com/);
    assert.doesNotMatch(afterText, /Mark reviewed/);
  });
});
