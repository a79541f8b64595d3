// VS Code's own chat editing session, driven for real: a test chat participant
// (test/fixtures/chat-extension) streams text edits the way Copilot's edit tools do, and the
// editor's Keep and Undo commands resolve them. Undo arrives as one whole-document replacement.

import * as assert from 'assert';
import * as vscode from 'vscode';
import type { AiProvenanceTestApi } from '../../src/extension';
import { closeAllEditors, getApi, storeRegions, waitFor, writeFile } from './reviewHelpers';

interface ChatFixture {
  vendor: string;
  plan(uri: vscode.Uri, edits: vscode.TextEdit[]): void;
  planFiles(files: { uri: vscode.Uri; edits: vscode.TextEdit[] }[]): void;
  pending(): number;
  requests(): string[];
}

/** What the test did and saw, with times, for a failure message. */
const events: string[] = [];
let lastEvent = 0;
const note = (what: string) => {
  lastEvent = Date.now();
  events.push(`${new Date().toISOString().slice(11, 23)} ${what}`);
};

const FIXTURE_ID = 'aip-test.chat-fixture';

suite('Chat editing session', () => {
  let api: AiProvenanceTestApi;
  let chat: ChatFixture;

  suiteSetup(async function () {
    this.timeout(60_000);
    api = await getApi();
    const ext = vscode.extensions.getExtension<ChatFixture>(FIXTURE_ID);
    assert.ok(ext, `the test extension ${FIXTURE_ID} is not loaded (see scripts/run-integration.mjs)`);
    chat = await ext.activate();
    // A request sent before the model is resolved fails before it reaches the participant.
    await waitFor('the test language model', async () => (await vscode.lm.selectChatModels({ vendor: chat.vendor })).length > 0);
    const watched = (d: vscode.TextDocument) => d.uri.path.includes('/chat/');
    const shown = (t: string) => JSON.stringify(t.length > 60 ? `${t.slice(0, 60)}…` : t);
    subscriptions.push(
      vscode.workspace.onDidOpenTextDocument((d) => watched(d) && note(`open ${d.uri.scheme} ${shown(d.getText())}`)),
      vscode.workspace.onDidCloseTextDocument((d) => watched(d) && note(`close ${d.uri.scheme}`)),
      vscode.workspace.onDidSaveTextDocument((d) => watched(d) && note(`save ${d.uri.scheme}`)),
      vscode.workspace.onDidChangeTextDocument((e) => watched(e.document) && e.contentChanges.length > 0 && note(`change ${e.document.uri.scheme} → ${shown(e.document.getText())}`)),
    );
  });

  const subscriptions: vscode.Disposable[] = [];
  /** The failure message's tail: what happened, in order. */
  const story = () => `\nevents:\n  ${events.join('\n  ')}\nrequests the participant answered: ${chat.requests().join('; ')}`;

  suiteTeardown(async () => {
    subscriptions.forEach((d) => d.dispose());
    await vscode.commands.executeCommand('workbench.action.chat.newChat').then(undefined, () => undefined);
    await closeAllEditors();
  });

  /** Sends a chat request that applies `edits` to the document, and waits until the response was applied and saved. */
  async function ask(doc: vscode.TextDocument, edits: vscode.TextEdit[], done: (text: string) => boolean): Promise<void> {
    chat.plan(doc.uri, edits);
    await send();
    await waitFor('the chat edit in the document', () => done(doc.getText()), 20_000);
    // VS Code saves the file when the response completes.
    await waitFor('the chat edit saved', () => !doc.isDirty, 20_000);
  }

  /** Sends the planned request. */
  async function send(): Promise<void> {
    // Sent again until the participant took the plan: a busy workbench may drop a request it is not ready for.
    const deadline = Date.now() + 60_000;
    while (chat.pending() > 0) {
      note('send request');
      await vscode.commands.executeCommand('workbench.action.chat.open', { query: '@aipedit edit the file', isPartialQuery: false, modelSelector: { vendor: chat.vendor } });
      await waitFor('the participant to take the request', () => chat.pending() === 0, 10_000).catch((e: unknown) => {
        if (Date.now() > deadline) throw e;
      });
    }
  }

  /**
   * Runs an editor command until `done`: Keep and Undo are disabled while the response is still
   * settling in the workbench (after the file was saved), and then do nothing.
   */
  async function press(command: string, what: string, done: () => boolean, state: () => string): Promise<void> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      note(`press ${what}`);
      await vscode.commands.executeCommand(command);
      note(`pressed ${what}`);
      try {
        await waitFor(what, done, 2_000);
        return;
      } catch (e) {
        // Once seen under load (Undo never took): say what the editor held, for the next look.
        if (Date.now() > deadline) throw new Error(`${(e as Error).message}; ${state()}${story()}`);
      }
    }
  }

  /** The chat session's model of the file's text before its pending edits. */
  const original = (doc: vscode.TextDocument) => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'chat-editing-text-model' && d.uri.path === doc.uri.path);

  const marked = async (doc: vscode.TextDocument) =>
    (await api.getRegions(doc.uri)).map((r) => ({ text: doc.getText(new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character)), source: r.source }));

  test('Undo of a second chat edit keeps the regions of the first, kept one', async function () {
    this.timeout(120_000);
    const uri = writeFile('chat/undo.ts', 'top();\nbottom();\n');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    await api.getRegions(uri);

    await ask(doc, [vscode.TextEdit.insert(new vscode.Position(1, 0), 'chatOne();\nchatTwo();\n')], (t) => t.includes('chatTwo();'));
    const kept = 'top();\nchatOne();\nchatTwo();\nbottom();\n';
    assert.strictEqual(doc.getText(), kept);
    await waitFor('the chat region', async () => (await marked(doc)).length === 1);
    assert.deepStrictEqual(await marked(doc), [{ text: 'chatOne();\nchatTwo();\n', source: 'chat' }]);

    await vscode.window.showTextDocument(doc);
    const state = () => `document: ${JSON.stringify(doc.getText())}, dirty ${doc.isDirty}; chat original: ${JSON.stringify(original(doc)?.getText())}; active editor: ${vscode.window.activeTextEditor?.document.uri.toString()}`;
    await press('chatEditor.action.accept', 'Keep', () => original(doc)?.getText() === kept, state);

    // The next request rewrites a kept line and adds one; then Undo. Under load the workbench
    // sometimes settles a request's edit by itself about 250 ms after the response ends (the chat
    // session's original becomes the edited text, with no Keep pressed; cause not found in VS Code):
    // then there is nothing to undo, and the request is asked again, from the text as kept.
    let before = { text: kept, marked: await marked(doc) };
    for (let attempt = 1; ; attempt++) {
      const line2 = doc.lineAt(2).text;
      await ask(doc, [vscode.TextEdit.replace(new vscode.Range(2, 0, 2, line2.length), `chatTwoBetter${attempt}();\nchatThree${attempt}();`)], (t) => t.includes(`chatThree${attempt}();`));
      assert.ok((await marked(doc)).every((r) => r.source === 'chat'));
      await vscode.window.showTextDocument(doc);
      // Undo pressed before the workbench has diffed the edit undoes nothing and settles the file as
      // it is. Wait until nothing moves.
      await waitFor('the chat session to settle', () => Date.now() - lastEvent > 1_500);
      if (original(doc)?.getText() === doc.getText()) {
        note(`attempt ${attempt}: the workbench kept the edit by itself`);
        assert.ok(attempt < 3, `the workbench kept every edit by itself before Undo${story()}`);
        before = { text: doc.getText(), marked: await marked(doc) };
        continue;
      }
      await press('chatEditor.action.reject', 'Undo', () => doc.getText() === before.text, state);
      break;
    }
    assert.deepStrictEqual(await marked(doc), before.marked);
    assert.ok(before.marked.length === 1 && before.marked[0].source === 'chat' && before.marked[0].text.startsWith('chatOne();\n'), `the kept requests' lines are chat: ${JSON.stringify(before.marked)}`);
    await doc.save();
    const rel = vscode.workspace.asRelativePath(uri, false);
    await waitFor('the kept lines still unreviewed in the store', () => storeRegions().some((r) => r.path === rel && r.from === 2 && r.source === 'chat'));
  });

  /** Opens a new file with `text` in an editor, its regions loaded. */
  async function open(rel: string, text: string): Promise<vscode.TextDocument> {
    const uri = writeFile(rel, text);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    await api.getRegions(uri);
    return doc;
  }

  const newChat = () => vscode.commands.executeCommand('workbench.action.chat.newChat');

  test('Keep All of one request that edits two files marks the lines it wrote in both', async function () {
    this.timeout(120_000);
    await newChat();
    const one = await open('chat/two-a.ts', 'a();\n');
    const two = await open('chat/two-b.ts', 'b();\n');
    chat.planFiles([
      { uri: one.uri, edits: [vscode.TextEdit.insert(new vscode.Position(1, 0), 'chatA();\n')] },
      { uri: two.uri, edits: [vscode.TextEdit.insert(new vscode.Position(0, 0), 'chatB1();\nchatB2();\n')] },
    ]);
    await send();
    await waitFor('both chat edits applied and saved', () => one.getText() === 'a();\nchatA();\n' && two.getText() === 'chatB1();\nchatB2();\nb();\n' && !one.isDirty && !two.isDirty, 20_000);
    const state = () => `one: ${JSON.stringify(one.getText())}, original ${JSON.stringify(original(one)?.getText())}; two: ${JSON.stringify(two.getText())}, original ${JSON.stringify(original(two)?.getText())}`;
    await press('chatEditing.acceptAllFiles', 'Keep All', () => original(one)?.getText() === one.getText() && original(two)?.getText() === two.getText(), state);
    assert.deepStrictEqual(await marked(one), [{ text: 'chatA();\n', source: 'chat' }]);
    assert.deepStrictEqual(await marked(two), [{ text: 'chatB1();\nchatB2();\n', source: 'chat' }]);
  });

  test('Several requests in one chat, kept together: the lines of each are chat, the lines between them human', async function () {
    this.timeout(120_000);
    await newChat();
    const doc = await open('chat/several.ts', 'first();\nmiddle();\nlast();\n');
    await ask(doc, [vscode.TextEdit.insert(new vscode.Position(1, 0), 'chatOne();\n')], (t) => t.includes('chatOne();'));
    await ask(doc, [vscode.TextEdit.insert(new vscode.Position(3, 0), 'chatTwo();\n')], (t) => t.includes('chatTwo();'));
    assert.strictEqual(doc.getText(), 'first();\nchatOne();\nmiddle();\nchatTwo();\nlast();\n');
    await vscode.window.showTextDocument(doc);
    const state = () => `document ${JSON.stringify(doc.getText())}, original ${JSON.stringify(original(doc)?.getText())}`;
    await press('chatEditing.acceptAllFiles', 'Keep All', () => original(doc)?.getText() === doc.getText(), state);
    assert.deepStrictEqual(await marked(doc), [
      { text: 'chatOne();\n', source: 'chat' },
      { text: 'chatTwo();\n', source: 'chat' },
    ]);
  });

  test('Typing in the file while a chat edit is pending stays human; the chat lines are chat once kept', async function () {
    this.timeout(120_000);
    await newChat();
    const doc = await open('chat/typing.ts', 'top();\nbottom();\n');
    await ask(doc, [vscode.TextEdit.insert(new vscode.Position(1, 0), 'chatLine();\n')], (t) => t.includes('chatLine();'));
    const editor = await vscode.window.showTextDocument(doc);
    // The user types at the end of the last line while the edit still waits for Keep or Undo.
    editor.selection = new vscode.Selection(2, 9, 2, 9);
    for (const ch of ' // typed') await vscode.commands.executeCommand('type', { text: ch });
    assert.strictEqual(doc.getText(), 'top();\nchatLine();\nbottom(); // typed\n');
    await doc.save();
    const state = () => `document ${JSON.stringify(doc.getText())}, original ${JSON.stringify(original(doc)?.getText())}`;
    await press('chatEditing.acceptAllFiles', 'Keep All', () => original(doc)?.getText() === doc.getText(), state);
    assert.deepStrictEqual(await marked(doc), [{ text: 'chatLine();\n', source: 'chat' }]);
  });

  test('A new chat after a kept edit: its request is captured too, the first one\'s lines unchanged', async function () {
    this.timeout(120_000);
    await newChat();
    const doc = await open('chat/newchat.ts', 'a();\nz();\n');
    await ask(doc, [vscode.TextEdit.insert(new vscode.Position(1, 0), 'fromFirst();\n')], (t) => t.includes('fromFirst();'));
    await vscode.window.showTextDocument(doc);
    const state = () => `document ${JSON.stringify(doc.getText())}, original ${JSON.stringify(original(doc)?.getText())}`;
    await press('chatEditing.acceptAllFiles', 'Keep All', () => original(doc)?.getText() === doc.getText(), state);
    await newChat();
    await waitFor('the first chat session closed', () => original(doc) === undefined);
    // Below z(), so the two requests' lines stay two regions.
    await ask(doc, [vscode.TextEdit.insert(new vscode.Position(3, 0), 'fromSecond();\n')], (t) => t.includes('fromSecond();'));
    await vscode.window.showTextDocument(doc);
    await press('chatEditing.acceptAllFiles', 'Keep All', () => original(doc)?.getText() === doc.getText(), state);
    assert.deepStrictEqual(await marked(doc), [
      { text: 'fromFirst();\n', source: 'chat' },
      { text: 'fromSecond();\n', source: 'chat' },
    ]);
  });

  test('Revert File, which replaces every line between the first and the last it changes, keeps the regions of the lines it restores', async () => {
    const uri = writeFile('chat/revert.ts', 'a();\naiOne();\naiTwo();\nz();\n');
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    await api.getRegions(uri);
    editor.selection = new vscode.Selection(1, 0, 3, 0);
    await vscode.commands.executeCommand('aiProvenance.markSelectionAsAI');
    await doc.save();
    const ai = [{ text: 'aiOne();\naiTwo();\n', source: 'manual' }];
    assert.deepStrictEqual(await marked(doc), ai);
    // Human edits above and below the AI lines; the revert then rewrites all four lines at once.
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(0, 0), 'x');
    edit.insert(uri, new vscode.Position(3, 0), 'y');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.deepStrictEqual(await marked(doc), ai);
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await waitFor('the revert', () => doc.getText() === 'a();\naiOne();\naiTwo();\nz();\n' && !doc.isDirty);
    assert.deepStrictEqual(await marked(doc), ai);
  });
});
