// Capture in a real VS Code: every accept kind of a (fixture) inline completion becomes a region
// covering exactly the inserted text; typing, paste, formatting, snippets, suggestions, renames,
// undo and reloads from disk create none. Ranges are asserted exactly.

import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import type { AiProvenanceTestApi } from '../../src/extension';
import { DecorationReport } from '../../src/extension/gutter';
import { FixtureCompletions } from './fixtures/inlineProvider';
import { cli, closeAllEditors, getApi, storeRegions, uriOf, waitFor, writeFile } from './reviewHelpers';

interface Seen {
  text: string;
  start: [number, number];
  end: [number, number];
  source: string;
}

let api: AiProvenanceTestApi;
let fixture: FixtureCompletions;
let counter = 0;

/** A fresh file in the workspace, open in an editor with the cursor at `cursor`, tracked. */
async function open(content: string, cursor: [number, number], ext = 'ts'): Promise<vscode.TextEditor> {
  const uri = writeFile(`capture/file${++counter}.${ext}`, content);
  const doc = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(doc);
  await api.getRegions(uri); // waits until the tracker has loaded it
  place(editor, ...cursor);
  return editor;
}

function place(editor: vscode.TextEditor, line: number, character: number): void {
  const p = new vscode.Position(line, character);
  editor.selection = new vscode.Selection(p, p);
}

/** The document's regions, with the text each covers. */
async function regions(editor: vscode.TextEditor): Promise<Seen[]> {
  const doc = editor.document;
  return (await api.getRegions(doc.uri)).map((r) => ({
    text: doc.getText(new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character)),
    start: [r.start.line, r.start.character],
    end: [r.end.line, r.end.character],
    source: r.source,
  }));
}

async function type(text: string): Promise<void> {
  for (const ch of text) await vscode.commands.executeCommand('type', { text: ch });
}

/** Waits until the accept's follow-up window has closed, so what comes next is judged on its own. */
const settle = (editor: vscode.TextEditor) => waitFor('the accept window to close', () => !api.testing.capture.capturing(editor.document.uri));

// Twice: with the editor's own edit reasons (the proposed API, which a development host grants), and
// without them, as an installed extension in stable VS Code sees edits.
for (const mode of ['editor reasons', 'stable API'] as const) suite(`Capture (${mode})`, () => {
  suiteSetup(async function () {
    this.timeout(60_000);
    api = await getApi();
    api.testing.capture.useDetailedReasons(mode === 'editor reasons');
    fixture = new FixtureCompletions();
  });

  suiteTeardown(async function () {
    // Reverting every document the suite left dirty takes a while on a busy machine.
    this.timeout(120_000);
    api.testing.capture.useDetailedReasons(true);
    fixture.dispose();
    await vscode.workspace.getConfiguration('aiProvenance.capture').update('inlineCompletions', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('aiProvenance.capture').update('nextEditSuggestions', undefined, vscode.ConfigurationTarget.Global);
    await closeAllEditors();
  });

  test('Tab on a completion marks exactly the inserted text', async () => {
    const editor = await open('function answer() {\n  \n}\n', [1, 2]);
    await fixture.accept(editor, { insertText: 'return 42;' });
    assert.strictEqual(editor.document.lineAt(1).text, '  return 42;');
    assert.deepStrictEqual(await regions(editor), [{ text: 'return 42;', start: [1, 2], end: [1, 12], source: 'inline' }]);
  });

  test('a multi-line completion is one region over all its lines', async () => {
    const editor = await open('const xs = [\n', [1, 0]);
    await fixture.accept(editor, { insertText: '  1,\n  2,\n];' });
    assert.deepStrictEqual(await regions(editor), [{ text: '  1,\n  2,\n];', start: [1, 0], end: [3, 2], source: 'inline' }]);
  });

  test('a completion starting with a line break, accepted at the end of a typed line, marks only the lines it wrote', async () => {
    const reports: DecorationReport[] = [];
    const sub = api.testing.review.onDidDecorate((r) => reports.push(r));
    try {
      // "Write a comment, press Tab": the ghost text starts on the next line.
      const editor = await open('// add two numbers\n', [0, 18]);
      await fixture.accept(editor, { insertText: '\nfunction add(a, b) {\n  return a + b;\n}' });
      assert.strictEqual(editor.document.getText(), '// add two numbers\nfunction add(a, b) {\n  return a + b;\n}\n');
      assert.deepStrictEqual(await regions(editor), [{ text: 'function add(a, b) {\n  return a + b;\n}', start: [1, 0], end: [3, 1], source: 'inline' }]);
      const uri = editor.document.uri;
      const drawn = await waitFor('the gutter icons', () => [...reports].reverse().find((r) => r.uri === uri.toString() && r.unreviewed.length === 1));
      assert.deepStrictEqual(drawn.unreviewed, [[1, 3]], 'no icon on the comment line');
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(0, 3));
      const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      assert.ok(!text.includes('AI-written code'), 'no AI hover on the comment line');
      await editor.document.save();
      const rel = vscode.workspace.asRelativePath(uri, false);
      await waitFor('lines 2-4 in the store', () => storeRegions().some((r) => r.path === rel && r.from === 2 && r.to === 4));
      assert.ok(!storeRegions().some((r) => r.path === rel && r.from === 1), 'the comment line is not in the store');
    } finally {
      sub.dispose();
    }
  });

  test('a completion ending with a line break, accepted at the start of a line, leaves that line unmarked', async () => {
    const editor = await open('const human = 1;\n', [0, 0]);
    await fixture.accept(editor, { insertText: 'const ai = 2;\n' });
    assert.strictEqual(editor.document.getText(), 'const ai = 2;\nconst human = 1;\n');
    const marked = await regions(editor);
    assert.deepStrictEqual(marked.map((r) => [r.text, r.start[0]]), [['const ai = 2;\n', 0]]);
    assert.deepStrictEqual(marked[0].end, [1, 0], 'ends at the start of the human line, which it does not cover');
  });

  test('a completion that finishes a typed word marks only what it added', async () => {
    const editor = await open('function f() {\n  \n}\n', [1, 2]);
    await type('ret');
    await settle(editor);
    // The provider replaces the typed prefix, as real providers do.
    await fixture.accept(editor, { insertText: 'return 1;', range: new vscode.Range(1, 2, 1, 5) });
    assert.strictEqual(editor.document.lineAt(1).text, '  return 1;');
    assert.deepStrictEqual(await regions(editor), [{ text: 'urn 1;', start: [1, 5], end: [1, 11], source: 'inline' }]);
  });

  test('accepting word by word and line by line marks exactly each accepted part', async () => {
    const editor = await open('\n', [0, 0]);
    const completion = 'const total = add(1, 2);\nconsole.log(total);';
    fixture.set(editor, { insertText: completion });
    const accepted = () => editor.document.getText().replace(/\n$/, '');
    try {
      for (const command of ['editor.action.inlineSuggest.acceptNextWord', 'editor.action.inlineSuggest.acceptNextLine']) {
        await fixture.acceptOffered(editor, command);
        const text = accepted();
        assert.ok(text.length > 0 && completion.startsWith(text), `accepted a prefix of the completion: ${JSON.stringify(text)}`);
        const end = editor.document.positionAt(text.length);
        assert.deepStrictEqual(await regions(editor), [{ text, start: [0, 0], end: [end.line, end.character], source: 'inline-partial' }]);
      }
    } finally {
      fixture.clear();
    }
  });

  test("a completion's follow-up command edits elsewhere in the file are AI too", async () => {
    const editor = await open('\nexport function f() {\n  \n}\n', [2, 2]);
    const follow = vscode.commands.registerCommand('aipTest.addImport', async () => {
      await editor.edit((b) => b.insert(new vscode.Position(0, 0), "import { add } from './math';"));
    });
    try {
      await fixture.accept(editor, { insertText: 'return add(1, 2);', command: { command: 'aipTest.addImport', title: 'import' } });
      await waitFor('the follow-up edit', () => editor.document.lineAt(0).text.startsWith('import'));
    } finally {
      follow.dispose();
    }
    assert.deepStrictEqual(await regions(editor), [
      { text: "import { add } from './math';", start: [0, 0], end: [0, 29], source: 'inline' },
      { text: 'return add(1, 2);', start: [2, 2], end: [2, 19], source: 'inline' },
    ]);
  });

  test('a snippet completion is marked, and text typed into its placeholders is not', async () => {
    const editor = await open('\n', [0, 0]);
    await fixture.accept(editor, { insertText: new vscode.SnippetString('for (const ${1:item} of items) {\n\t$0\n}') });
    const text = editor.document.getText();
    assert.ok(text.startsWith('for (const item of items) {'), JSON.stringify(text));
    const marked = await regions(editor);
    assert.strictEqual(marked.length, 1);
    assert.strictEqual(marked[0].source, 'inline');
    assert.ok(marked[0].text.startsWith('for (const ') && marked[0].text.endsWith('}'), JSON.stringify(marked[0].text));
  });

  test('typing right after an accept is not marked', async () => {
    const editor = await open('let a = \n', [0, 8]);
    await fixture.accept(editor, { insertText: '1' });
    await type(' + 2;');
    assert.strictEqual(editor.document.lineAt(0).text, 'let a = 1 + 2;');
    assert.deepStrictEqual(await regions(editor), [{ text: '1', start: [0, 8], end: [0, 9], source: 'inline' }]);
  });

  test('typing, auto-closed pairs, multi-cursor typing and IME composition are never marked', async () => {
    const editor = await open('a\nb\n', [0, 1]);
    await type(' = call(');
    editor.selections = [new vscode.Selection(0, 0, 0, 0), new vscode.Selection(1, 0, 1, 0)];
    await type('xy');
    place(editor, 1, 3);
    await vscode.commands.executeCommand('compositionStart');
    await vscode.commands.executeCommand('type', { text: 'e' });
    await vscode.commands.executeCommand('replacePreviousChar', { text: 'é', replaceCharCnt: 1 });
    await vscode.commands.executeCommand('compositionEnd');
    assert.ok(editor.document.getText().includes('call()'), `auto-closed pair: ${JSON.stringify(editor.document.getText())}`);
    assert.ok(editor.document.lineAt(1).text.startsWith('xy'), editor.document.lineAt(1).text);
    assert.deepStrictEqual(await regions(editor), []);
  });

  test('paste is never marked, even right after an accept', async () => {
    const editor = await open('x = \n', [0, 4]);
    await fixture.accept(editor, { insertText: 'compute()' });
    await vscode.env.clipboard.writeText(' + pasted(1, 2)');
    const before = editor.document.getText();
    await vscode.commands.executeCommand('editor.action.clipboardPasteAction');
    await waitFor('the paste', () => editor.document.getText() !== before);
    assert.strictEqual(editor.document.lineAt(0).text, 'x = compute() + pasted(1, 2)');
    assert.deepStrictEqual(await regions(editor), [{ text: 'compute()', start: [0, 4], end: [0, 13], source: 'inline' }]);
  });

  test('Format Document and format on save are never marked, even right after an accept', async () => {
    const formatter = vscode.languages.registerDocumentFormattingEditProvider({ pattern: '**/*.fmt' }, {
      provideDocumentFormattingEdits: (doc) => {
        const edits: vscode.TextEdit[] = [];
        for (let i = 0; i < doc.lineCount; i++) {
          const line = doc.lineAt(i);
          if (line.text.startsWith('  ')) continue;
          if (line.text.length) edits.push(vscode.TextEdit.insert(line.range.start, '  '));
        }
        return edits;
      },
    });
    try {
      const editor = await open('alpha\nbeta\n', [1, 4], 'fmt');
      await fixture.accept(editor, { insertText: ' gamma' });
      // Without the editor's reasons a format cannot be told from a follow-up command's edit
      // during the follow-up window (0.5 s after Tab); no one formats that fast by hand.
      if (mode === 'stable API') await settle(editor);
      await vscode.commands.executeCommand('editor.action.formatDocument');
      await waitFor('the format', () => editor.document.lineAt(0).text === '  alpha');
      assert.deepStrictEqual(await regions(editor), [{ text: ' gamma', start: [1, 6], end: [1, 12], source: 'inline' }]);

      await settle(editor);
      await editor.edit((b) => b.insert(new vscode.Position(2, 0), 'delta\n'));
      await vscode.workspace.getConfiguration('editor', editor.document).update('formatOnSave', true, vscode.ConfigurationTarget.Global);
      try {
        await editor.document.save();
      } finally {
        await vscode.workspace.getConfiguration('editor', editor.document).update('formatOnSave', undefined, vscode.ConfigurationTarget.Global);
      }
      assert.strictEqual(editor.document.lineAt(2).text, '  delta');
      assert.deepStrictEqual(await regions(editor), [{ text: ' gamma', start: [1, 6], end: [1, 12], source: 'inline' }]);
    } finally {
      formatter.dispose();
    }
  });

  test('snippets and suggest-widget completions are never marked', async () => {
    const editor = await open('\n', [0, 0]);
    await vscode.commands.executeCommand('editor.action.insertSnippet', { snippet: 'if (${1:cond}) {\n\t$0\n}' });
    assert.ok(editor.document.getText().startsWith('if (cond) {'));
    await vscode.commands.executeCommand('leaveSnippet');
    const provider = vscode.languages.registerCompletionItemProvider({ pattern: '**/*.ts' }, {
      provideCompletionItems: () => [new vscode.CompletionItem('suggestedName', vscode.CompletionItemKind.Variable)],
    });
    try {
      const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
      place(editor, end.line, end.character);
      await type('sugg');
      // Nothing tells when the suggest widget is up: accept until it took, asking again now and then.
      let asked = 0;
      await waitFor('the suggestion to be accepted', async () => {
        if (editor.document.getText().includes('suggestedName')) return true;
        if (Date.now() - asked > 1000) {
          asked = Date.now();
          await vscode.commands.executeCommand('editor.action.triggerSuggest');
        }
        await vscode.commands.executeCommand('acceptSelectedSuggestion');
        return false;
      }, 30_000);
    } finally {
      provider.dispose();
    }
    assert.ok(editor.document.getText().includes('suggestedName'), 'the suggestion was accepted');
    assert.deepStrictEqual(await regions(editor), []);
  });

  test('rename and code-action edits across files are never marked', async () => {
    const a = await open('const oldName = 1;\n', [0, 0]);
    const b = await open('use(oldName);\n', [0, 0]);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(a.document.uri, new vscode.Range(0, 6, 0, 13), 'newName');
    edit.replace(b.document.uri, new vscode.Range(0, 4, 0, 11), 'newName');
    edit.insert(a.document.uri, new vscode.Position(0, 0), '// eslint-disable-next-line\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.strictEqual(b.document.lineAt(0).text, 'use(newName);');
    assert.deepStrictEqual(await regions(a), []);
    assert.deepStrictEqual(await regions(b), []);
  });

  test('undo removes the accepted region and redo restores it', async () => {
    const editor = await open('const v = \n', [0, 10]);
    await fixture.accept(editor, { insertText: 'Math.max(1, 2);' });
    const accepted = [{ text: 'Math.max(1, 2);', start: [0, 10] as [number, number], end: [0, 25] as [number, number], source: 'inline' }];
    assert.deepStrictEqual(await regions(editor), accepted);
    await vscode.commands.executeCommand('undo');
    assert.strictEqual(editor.document.lineAt(0).text, 'const v = ');
    assert.deepStrictEqual(await regions(editor), []);
    await vscode.commands.executeCommand('redo');
    assert.strictEqual(editor.document.lineAt(0).text, 'const v = Math.max(1, 2);');
    assert.deepStrictEqual(await regions(editor), accepted);
  });

  test('undoing a deletion of AI text brings its region back', async () => {
    const editor = await open('const w = \n', [0, 10]);
    await fixture.accept(editor, { insertText: 'compute();' });
    await settle(editor);
    await editor.edit((b) => b.delete(new vscode.Range(0, 10, 0, 20)));
    assert.deepStrictEqual(await regions(editor), []);
    await vscode.commands.executeCommand('undo');
    assert.deepStrictEqual(await regions(editor), [{ text: 'compute();', start: [0, 10], end: [0, 20], source: 'inline' }]);
  });

  test('regions persist in the store with their exact lines', async () => {
    const editor = await open('// header\nfunction g() {\n  \n}\n', [2, 2]);
    await fixture.accept(editor, { insertText: 'return "kept";' });
    await editor.document.save();
    const rel = vscode.workspace.asRelativePath(editor.document.uri, false);
    await waitFor('the region in the store', () => storeRegions().some((r) => r.path === rel && r.from === 3 && r.to === 3 && r.source === 'inline'));
  });

  test('a file edited while closed opens with its regions re-anchored', async () => {
    const rel = `capture/closed${++counter}.ts`;
    const uri = writeFile(rel, 'function k() {\n  return 1;\n}\n');
    cli('mark', `${rel}:2-2`, '--source', 'inline');
    // Edited while nothing watched: two lines added above.
    fs.writeFileSync(uri.fsPath, '// one\n// two\n' + fs.readFileSync(uri.fsPath, 'utf8'));
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    assert.deepStrictEqual(await regions(editor), [{ text: '  return 1;\n', start: [3, 0], end: [4, 0], source: 'inline' }]);
  });

  test('a reload from disk re-anchors regions and marks nothing', async () => {
    const editor = await open('top\nfunction h() {\n  \n}\n', [2, 2]);
    await fixture.accept(editor, { insertText: 'return 7;' });
    await editor.document.save();
    await settle(editor);
    fs.writeFileSync(editor.document.uri.fsPath, 'top\n// added by a checkout\n// and another\nfunction h() {\n  return 7;\n}\n');
    await waitFor('the reload', () => editor.document.lineCount === 7, 15_000);
    assert.deepStrictEqual(await regions(editor), [{ text: 'return 7;', start: [4, 2], end: [4, 11], source: 'inline' }]);
  });

  test('renaming a file carries its regions', async () => {
    const editor = await open('x\n', [0, 1]);
    await fixture.accept(editor, { insertText: ' = 1;' });
    await editor.document.save();
    const from = editor.document.uri;
    const to = uriOf(`capture/renamed${counter}.ts`);
    const edit = new vscode.WorkspaceEdit();
    edit.renameFile(from, to);
    assert.ok(await vscode.workspace.applyEdit(edit));
    const rel = vscode.workspace.asRelativePath(to, false);
    await waitFor('the region under the new name', () => storeRegions().some((r) => r.path === rel && r.from === 1));
    const moved = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(to));
    assert.deepStrictEqual(await regions(moved), [{ text: ' = 1;', start: [0, 1], end: [0, 6], source: 'inline' }]);
  });

  test('Mark Selection as AI and as Human', async () => {
    const editor = await open('one\ntwo\nthree\n', [0, 0]);
    editor.selection = new vscode.Selection(0, 1, 1, 2);
    await vscode.commands.executeCommand('aiProvenance.markSelectionAsAI');
    assert.deepStrictEqual(await regions(editor), [{ text: 'ne\ntw', start: [0, 1], end: [1, 2], source: 'manual' }]);
    editor.selection = new vscode.Selection(0, 2, 1, 0);
    await vscode.commands.executeCommand('aiProvenance.markSelectionAsHuman');
    assert.deepStrictEqual((await regions(editor)).map((r) => r.text), ['n', 'tw']);
  });

  test('with inline capture turned off Tab still accepts and nothing is marked', async () => {
    const config = vscode.workspace.getConfiguration('aiProvenance.capture');
    await config.update('inlineCompletions', false, vscode.ConfigurationTarget.Global);
    await config.update('nextEditSuggestions', false, vscode.ConfigurationTarget.Global);
    try {
      await waitFor('Tab handed back to the editor', () => api.testing.capture.interceptedCommands().length === 0);
      const editor = await open('let off = \n', [0, 10]);
      await fixture.accept(editor, { insertText: 'true;' });
      assert.strictEqual(editor.document.lineAt(0).text, 'let off = true;');
      assert.deepStrictEqual(await regions(editor), []);
    } finally {
      await config.update('inlineCompletions', undefined, vscode.ConfigurationTarget.Global);
      await config.update('nextEditSuggestions', undefined, vscode.ConfigurationTarget.Global);
    }
    await waitFor('Tab taken over again', () => api.testing.capture.interceptedCommands().length > 0);
    const editor = await open('let on = \n', [0, 9]);
    await fixture.accept(editor, { insertText: 'true;' });
    assert.deepStrictEqual(await regions(editor), [{ text: 'true;', start: [0, 9], end: [0, 14], source: 'inline' }]);
  });
});
