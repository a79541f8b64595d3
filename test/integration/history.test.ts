// Committed provenance in a real VS Code: after a commit the panel keeps listing the unreviewed AI
// lines, the hover names the commit and its note's review, and a review made in the editor is
// recorded in the note of the commit that wrote the lines, so `verify` passes without a rewrite.

import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { hashText } from '../../src/core/text';
import type { HistoryReport } from '../../src/extension/historyView';
import { cli, cliIn, closeAllEditors, getApi, git, gitIn, numberedLines, reviewEverything, root, storeRegions, waitFor, writeFile } from './reviewHelpers';

async function hoverText(uri: vscode.Uri, line: number): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(line, 2));
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

function note(commit: string): { files: Record<string, { from: number; to: number; reviews: { by: string }[] }[]> } | undefined {
  const r = git('notes', '--ref=ai-provenance', 'show', commit);
  return r.status === 0 ? JSON.parse(r.out) : undefined;
}

function commit(message: string, ...paths: string[]): string {
  assert.strictEqual(git('add', ...paths).status, 0);
  const r = git('commit', '-q', '--no-verify', '-m', message);
  assert.strictEqual(r.status, 0, r.out);
  return git('rev-parse', 'HEAD').out.trim();
}

suite('Committed provenance', () => {
  suiteSetup(() => {
    cli('hook', 'install');
  });
  suiteTeardown(async () => {
    cli('hook', 'uninstall');
    await closeAllEditors();
  });

  test('a committed AI line stays in the panel, its hover names the commit, and reviewing it in the editor records the review in the note', async () => {
    const api = await getApi();
    await reviewEverything(api);
    const rel = 'history/app.ts';
    const uri = writeFile(rel, numberedLines(6));
    const base = commit('base', rel);
    const lines = numberedLines(6).split('\n');
    lines.splice(2, 0, 'const ai1 = compute(1);', 'const ai2 = compute(2);');
    writeFile(rel, lines.join('\n'));
    cli('mark', `${rel}:3-4`, '--source', 'agent', '--tool', 'claude-code');
    // --no-verify skips the gate, not the note: the unreviewed lines are recorded.
    const head = commit('AI lines, unreviewed', rel);
    const written = note(head)?.files[rel];
    assert.deepStrictEqual(written?.map((r) => [r.from, r.to, r.reviews.length]), [[3, 4, 0]], `note of ${head}: ${JSON.stringify(note(head))}`);

    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    await waitFor('the committed region in the panel', () => api.testing.review.tree().find((f) => f.label === 'app.ts')?.children.length === 1);
    await api.testing.review.refreshCommitted();
    assert.ok(!api.testing.review.committedTree()?.files.some((f) => f.label === 'app.ts'), 'lines with a local marker are listed once, with the file');
    const unreviewed = await hoverText(uri, 2);
    assert.match(unreviewed, /AI-written code/);
    assert.ok(unreviewed.includes(`Committed in \`${head.slice(0, 12)}\``), unreviewed);
    assert.match(unreviewed, /not reviewed in its note/);
    assert.strictEqual(await hoverText(uri, 0), '', 'a human line committed earlier has no hover');

    const [region] = await api.getRegions(uri);
    await vscode.commands.executeCommand('aiProvenance.markReviewed', { uri: uri.toString(), id: region.id });
    const reviews = await waitFor('the review in the note', () => note(head)?.files[rel]?.[0].reviews.length === 1 && note(head)!.files[rel][0].reviews);
    assert.strictEqual(reviews[0].by, 'Test User <test@example.com>');
    assert.match(cli('verify', `${base}..${head}`), /^AI Provenance: /);
    await waitFor('the panel without the region', () => !api.testing.review.tree().some((f) => f.label === 'app.ts'));
    const reviewed = await hoverText(uri, 3);
    assert.match(reviewed, /reviewed .* by Test User/);
  });

  test("a teammate's committed AI line, with no marker in this clone, gets its hover from the commit's note", async () => {
    const api = await getApi();
    await reviewEverything(api);
    const rel = 'history/teammate.ts';
    const uri = writeFile(rel, numberedLines(4));
    commit('base', rel);
    const added = 'const fromCodex = 42;';
    const text = numberedLines(4).replace('const line2 = 2;\n', `const line2 = 2;\n${added}\n`);
    writeFile(rel, text);
    const head = commit('teammate commit', rel);
    // The note as a teammate's clone wrote it, fetched here; this clone's store knows nothing of it.
    const region = { id: 'teammate0001', from: 3, to: 3, source: 'agent', tool: 'codex', model: 'gpt-5-codex', author: 'mate@example.com', createdAt: '2026-11-20T10:00:00.000Z', hash: hashText(added), lines: [hashText(added)], reviews: [] };
    assert.strictEqual(git('notes', '--ref=ai-provenance', 'add', '-f', '-m', JSON.stringify({ version: 1, writer: 'ai-provenance 0.2.0', files: { [rel]: [region] } }), head).status, 0);

    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    assert.deepStrictEqual(await api.getRegions(uri), [], 'no marker in this clone');
    const hover = await waitFor('the hover from the note', async () => {
      const t = await hoverText(uri, 2);
      return t.includes('AI-written code') && t;
    });
    assert.match(hover, /unreviewed/);
    assert.match(hover, /agent edit \(codex, gpt\\?-5\\?-codex\)/); // Markdown source: "-" escaped
    assert.ok(hover.includes(`Committed in \`${head.slice(0, 12)}\``), hover);
    assert.strictEqual(await hoverText(uri, 1), '', 'the human line beside it has no hover');

    // The hover's "Mark file reviewed" records this reviewer in the teammate's note.
    await vscode.commands.executeCommand('aiProvenance.markFileReviewed', { uri: uri.toString() });
    const reviews = await waitFor('the review in the note', () => note(head)?.files[rel]?.[0].reviews.length === 1 && note(head)!.files[rel][0].reviews);
    assert.strictEqual(reviews[0].by, 'Test User <test@example.com>');
    assert.match(await hoverText(uri, 2), /reviewed .* by Test User/);
  });

  test('Show AI History draws exactly the committed AI lines, by their review, and heads the file with its AI share', async () => {
    const api = await getApi();
    await reviewEverything(api);
    const rel = 'history/shown.ts';
    const base = ['const line1 = 1;', 'const line2 = 2;', 'const line3 = 3;', 'const line4 = 4;'];
    const uri = writeFile(rel, base.join('\n') + '\n');
    const first = commit('base', rel);
    const lines = ['const line1 = 1;', 'const line2 = 2;', 'const ai1 = 1;', 'const ai2 = 2;', 'const line3 = 3;', 'const ai3 = 3;', 'const line4 = 4;'];
    writeFile(rel, lines.join('\n') + '\n');
    const head = commit('AI lines', rel);
    const region = (id: string, from: number, to: number, reviewed: boolean) => {
      const slice = lines.slice(from - 1, to);
      const hash = hashText(slice.join('\n'));
      return { id, from, to, source: 'chat', tool: 'copilot', author: 'mate@example.com', createdAt: '2026-11-20T10:00:00.000Z', hash, lines: slice.map(hashText), reviews: reviewed ? [{ by: 'Mate <mate@example.com>', at: '2026-11-21T10:00:00.000Z', hash }] : [] };
    };
    const written = { version: 1, writer: 'ai-provenance 0.2.0', files: { [rel]: [region('shown0000001', 3, 4, true), region('shown0000002', 6, 6, false)] } };
    assert.strictEqual(git('notes', '--ref=ai-provenance', 'add', '-f', '-m', JSON.stringify(written), head).status, 0);
    // One more AI line, not committed: the ordinary gutter's, counted in the share but not drawn here.
    writeFile(rel, [...lines, 'const uncommitted = 5;'].join('\n') + '\n');
    cli('mark', `${rel}:8-8`, '--source', 'agent', '--tool', 'codex');

    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const drawn = new Promise<HistoryReport>((resolve) => {
      const sub = api.testing.review.onDidDrawHistory((r) => {
        if (r.uri !== uri.toString()) return;
        sub.dispose();
        resolve(r);
      });
    });
    await vscode.commands.executeCommand('aiProvenance.showHistory');
    const report = await drawn;
    assert.deepStrictEqual(report.reviewed, [2, 3], 'lines 3-4, reviewed in the note');
    assert.deepStrictEqual(report.unreviewed, [5], 'line 6, not reviewed');
    // 4 AI lines of 8 (three committed, one marked), two of them unreviewed.
    assert.strictEqual(report.header, '$(sparkle) 50% AI-written · 2 of 4 lines unreviewed');
    // Every line's hover says where it came from, the human ones too.
    const human = await hoverText(uri, 4);
    assert.ok(human.includes(`Committed in \`${first.slice(0, 12)}\``) && human.includes('does not list this line as AI-written'), human);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    assert.ok(lenses.some((l) => l.command?.title === report.header), JSON.stringify(lenses.map((l) => l.command?.title)));

    // Reviewing the file records the committed line in its note and the marker in the store: all reviewed.
    const next = new Promise<HistoryReport>((resolve) => {
      const sub = api.testing.review.onDidDrawHistory((r) => {
        if (r.uri !== uri.toString() || r.unreviewed.length) return;
        sub.dispose();
        resolve(r);
      });
    });
    await vscode.commands.executeCommand('aiProvenance.markFileReviewed', { uri: uri.toString() });
    const after = await next;
    assert.deepStrictEqual(after.reviewed, [2, 3, 5]);
    assert.strictEqual(after.header, '$(sparkle) 50% AI-written · all reviewed');

    // A file HEAD does not hold: its marked lines still make the header.
    const fresh = writeFile('history/fresh.ts', 'const a = 1;\nconst b = 2;\n');
    cli('mark', 'history/fresh.ts:2-2', '--source', 'chat');
    const freshDrawn = new Promise<HistoryReport>((resolve) => {
      const sub = api.testing.review.onDidDrawHistory((r) => {
        if (r.uri !== fresh.toString() || !r.header) return;
        sub.dispose();
        resolve(r);
      });
    });
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(fresh));
    assert.strictEqual((await freshDrawn).header, '$(sparkle) 50% AI-written · 1 of 1 lines unreviewed');

    await vscode.commands.executeCommand('aiProvenance.hideHistory');
    const hidden = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    assert.ok(!hidden.some((l) => l.command?.title.includes('AI-written')), 'no header once hidden');
    assert.strictEqual(await hoverText(uri, 4), '', 'a human line has no hover once hidden');
  });

  test("a teammate's pushed AI lines are listed under \"Committed, not reviewed\" after a pull; reviewing them there records the review in the note and verify passes", async () => {
    const api = await getApi();
    await reviewEverything(api);
    const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aip-team-')));
    const remote = path.join(tmp, 'remote.git');
    const mate = path.join(tmp, 'mate');
    const ok = (r: { status: number; out: string }): string => {
      assert.strictEqual(r.status, 0, r.out);
      return r.out;
    };
    try {
      // A shared remote holding this repository's history, and a teammate's clone of it with the hooks installed.
      ok(gitIn(tmp, 'init', '-q', '--bare', remote));
      ok(git('remote', 'add', 'team', remote));
      ok(git('push', '-q', 'team', 'HEAD:refs/heads/main'));
      ok(gitIn(tmp, 'clone', '-q', '-b', 'main', remote, mate));
      ok(gitIn(mate, 'config', 'user.email', 'mate@example.com'));
      ok(gitIn(mate, 'config', 'user.name', 'Mate'));
      cliIn(mate, 'hook', 'install');
      // Their agent writes two lines; the post-commit hook writes the note, pre-push pushes it with the branch.
      const rel = 'history/team.ts';
      const lines = numberedLines(6, 'team').split('\n');
      lines.splice(2, 0, 'const fromAgent = compute(1);', 'const alsoAgent = compute(2);');
      fs.mkdirSync(path.join(mate, 'history'), { recursive: true });
      fs.writeFileSync(path.join(mate, rel), lines.join('\n'));
      cliIn(mate, 'mark', `${rel}:3-4`, '--source', 'agent', '--tool', 'codex');
      ok(gitIn(mate, 'add', rel));
      ok(gitIn(mate, 'commit', '-q', '--no-verify', '-m', 'teammate: agent lines'));
      const head = ok(gitIn(mate, 'rev-parse', 'HEAD')).trim();
      ok(gitIn(mate, 'push', '-q', 'origin', 'main'));

      // Here: the hooks take up the new remote (its notes come with a fetch), then fetch and merge.
      const badge = api.testing.review.badge();
      const statusBar = api.testing.review.statusBarText();
      cli('hook', 'install');
      const base = ok(git('rev-parse', 'HEAD')).trim();
      ok(git('fetch', '-q', 'team'));
      ok(git('merge', '-q', '--ff-only', 'team/main'));
      assert.strictEqual(note(head)?.files[rel]?.[0].reviews.length, 0, 'the teammate\'s note arrived with the merge');
      assert.throws(() => cli('verify', `${base}..${head}`), (e: { status?: number }) => e.status === 1, 'verify fails on the unreviewed lines');

      const group = await waitFor('the committed group', () => api.testing.review.committedTree()?.files.some((f) => f.label === 'team.ts') && api.testing.review.committedTree());
      assert.deepStrictEqual([group.label, group.description, group.files.map((f) => f.label)], ['Committed, not reviewed', '1', ['team.ts']]);
      assert.match(group.tooltip, /2 AI-written lines in 1 file/);
      assert.match(group.tooltip, /verify` in CI fails on them/);
      const [file] = group.files;
      assert.strictEqual(file.contextValue, 'committedFile');
      assert.deepStrictEqual(file.children.map((c) => [c.label, c.description, c.contextValue]), [['Lines 3–4', `${head.slice(0, 7)} · codex`, 'committedRegion']]);
      assert.deepStrictEqual(storeRegions().filter((r) => r.path === rel), [], 'this clone has no marker of them');
      // Not counted with what blocks the next commit.
      assert.strictEqual(api.testing.review.badge(), badge);
      assert.strictEqual(api.testing.review.statusBarText(), statusBar);
      assert.ok(!api.testing.review.tree().some((f) => f.label === 'team.ts'));

      // Clicking the row reveals the lines.
      const row = file.children[0];
      await vscode.commands.executeCommand(row.command!.command, ...(row.command!.arguments ?? []));
      const editor = vscode.window.activeTextEditor;
      assert.strictEqual(editor?.document.uri.fsPath, path.join(root(), rel));
      assert.deepStrictEqual([editor.selection.start.line, editor.selection.end.line], [2, 3]);

      // The row's inline "mark reviewed": the review goes into the teammate's note, the group empties, verify passes.
      await vscode.commands.executeCommand('aiProvenance.markReviewed', row.node);
      const reviews = note(head)?.files[rel]?.[0].reviews;
      assert.deepStrictEqual(reviews?.map((r) => r.by), ['Test User <test@example.com>']);
      await waitFor('an empty committed group, hidden', () => api.testing.review.committedTree() === undefined);
      assert.match(cli('verify', `${base}..${head}`), /^AI Provenance: /);
    } finally {
      git('remote', 'remove', 'team');
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
