// The Explorer shows which files hold unreviewed AI code: a badge with the count and the
// unreviewed colour, carried up to the folders above (propagate), from the panel's own model.

import * as assert from 'assert';
import * as vscode from 'vscode';
import type { AiProvenanceTestApi } from '../../src/extension';
import { cli, closeAllEditors, getApi, numberedLines, reviewEverything, uriOf, waitFor, writeFile } from './reviewHelpers';

suite('Explorer decorations', () => {
  let api: AiProvenanceTestApi;
  const decoration = (rel: string) => api.testing.review.explorerDecoration(uriOf(rel));

  suiteSetup(async function () {
    this.timeout(60_000);
    api = await getApi();
    await closeAllEditors();
    await reviewEverything(api);
  });

  test('a file with unreviewed AI code gets a count badge and colour that its folders inherit', async () => {
    writeFile('explorer/deep/marked.ts', numberedLines(10, 'marked'));
    writeFile('explorer/deep/plain.ts', numberedLines(10, 'plain'));
    cli('mark', 'explorer/deep/marked.ts:2-3', '--source', 'inline');
    cli('mark', 'explorer/deep/marked.ts:7', '--source', 'chat');
    const d = await waitFor('the badge of marked.ts', () => decoration('explorer/deep/marked.ts')?.badge === '2' && decoration('explorer/deep/marked.ts'));
    assert.strictEqual(d.tooltip, '2 unreviewed AI regions');
    assert.strictEqual((d.color as vscode.ThemeColor | undefined)?.id, 'aiProvenance.explorerUnreviewedForeground');
    assert.strictEqual(d.propagate, true, 'the folders above show the colour too');
    assert.strictEqual(decoration('explorer/deep/plain.ts'), undefined);
    // Folders get theirs from VS Code's propagation, not a badge of their own.
    assert.strictEqual(decoration('explorer/deep'), undefined);
  });

  test('reviewing the file removes its decoration', async () => {
    writeFile('explorer/reviewed.ts', numberedLines(5, 'reviewed'));
    cli('mark', 'explorer/reviewed.ts:1', '--source', 'inline');
    await waitFor('the badge', () => decoration('explorer/reviewed.ts')?.badge === '1');
    assert.strictEqual(decoration('explorer/reviewed.ts')?.tooltip, '1 unreviewed AI region');
    cli('review', 'explorer/reviewed.ts');
    await waitFor('no badge', () => decoration('explorer/reviewed.ts') === undefined);
  });
});
