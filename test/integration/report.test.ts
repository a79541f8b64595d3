// "AI Provenance: Show Report" in a real VS Code: the command opens a webview panel with the report
// of the workspace repository's whole history (the figures of `stats --json`, the unreviewed AI
// lines where they are), in the page's webview mode; a line link's message opens the file there,
// and a message naming anything else opens nothing.

import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import { cli, closeAllEditors, getApi, git, numberedLines, root, uriOf, waitFor, writeFile } from './reviewHelpers';

function commit(message: string, ...paths: string[]): string {
  assert.strictEqual(git('add', ...paths).status, 0);
  const r = git('commit', '-q', '--no-verify', '-m', message);
  assert.strictEqual(r.status, 0, r.out);
  return git('rev-parse', 'HEAD').out.trim();
}

/** The webview tabs of the report panel. */
function reportTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('aiProvenance.report'));
}

suite('Report panel', () => {
  suiteSetup(() => {
    cli('hook', 'install');
  });
  suiteTeardown(async () => {
    cli('hook', 'uninstall');
    await closeAllEditors();
  });

  test('Show Report opens a panel with the report of the whole history: stats --json\'s figures, the unreviewed lines, and a line link opens the file there', async function () {
    this.timeout(120_000);
    const api = await getApi();
    const rel = 'report/app.ts';
    writeFile(rel, numberedLines(6));
    cli('mark', `${rel}:2-3`, '--source', 'agent', '--tool', 'codex');
    const head = commit('AI lines for the report', rel);
    await closeAllEditors(); // no active file: the workspace's repository

    await vscode.commands.executeCommand('aiProvenance.showReport');
    const shown = api.testing.report.shown();
    assert.ok(shown, 'the panel shows a report');
    assert.strictEqual(shown.title, `AI Provenance Report: ${path.basename(root())}`);
    assert.strictEqual(shown.root, root());
    assert.deepStrictEqual(shown.data.stats, JSON.parse(cli('stats', '--json')), 'the figures of stats --json');
    assert.strictEqual(shown.data.stats.head, head);
    const file = shown.data.unreviewed.top.find((f) => f.path === rel);
    assert.deepStrictEqual(file?.runs.map((r) => [r.from, r.to, r.tool, r.commit]), [[2, 3, 'codex', head]]);
    // The tab model follows the panel's creation a moment later.
    const tabs = await waitFor("the report panel's tab", () => reportTabs().length > 0 && reportTabs());
    assert.strictEqual(tabs.length, 1, 'one report panel');
    assert.strictEqual(tabs[0].label, shown.title);
    assert.ok(tabs[0].isActive, 'the panel is in front');
    // The page in its webview mode: a script by nonce only, VS Code's colours, links that post messages.
    assert.match(shown.html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-[^']+'; script-src 'nonce-[^']+';/);
    assert.match(shown.html, /--fg: var\(--vscode-editor-foreground\)/);
    assert.ok(shown.html.includes(`<a href="#" class="run" data-path="${rel}" data-line="2"`), 'the run links its first line');

    // The page posts {type: "open"} when a line link is clicked: the file opens there, beside the report.
    await api.testing.report.receive({ type: 'open', path: rel, line: 2 });
    const editor = vscode.window.activeTextEditor;
    assert.strictEqual(editor?.document.uri.fsPath, uriOf(rel).fsPath);
    assert.strictEqual(editor.selection.active.line, 1);
    assert.strictEqual(reportTabs().length, 1, 'the report stays open');
    // Anything else is ignored: a path the report does not link, a line that is no line, another type.
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    const activeFile = (): string | undefined => vscode.window.activeTextEditor?.document.uri.fsPath;
    assert.strictEqual(activeFile(), undefined);
    for (const message of [{ type: 'open', path: '../outside.ts', line: 1 }, { type: 'open', path: 'README.md', line: 1 }, { type: 'open', path: rel, line: 0 }, { type: 'open', path: rel, line: '2' }, { type: 'run', path: rel, line: 2 }, 'open', null]) {
      await api.testing.report.receive(message);
      assert.strictEqual(activeFile(), undefined, `${JSON.stringify(message)} opened a file`);
    }

    // Run again: the same panel, brought to the front with the new figures.
    writeFile(rel, numberedLines(7));
    commit('one more line', rel);
    await vscode.commands.executeCommand('aiProvenance.showReport');
    assert.strictEqual(reportTabs().length, 1, 'still one report panel');
    assert.deepStrictEqual(api.testing.report.shown()?.data.stats, JSON.parse(cli('stats', '--json')));
    assert.notStrictEqual(api.testing.report.shown()?.data.stats.head, head);
  });
});
