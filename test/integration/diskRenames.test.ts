import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { cli, getApi, hasMarkerFile, numberedLines, root, storeRegions, uriOf, waitFor, writeFile } from './reviewHelpers';

suite('Files moved outside the editor', () => {
  test('a file renamed on disk (a terminal mv) keeps its markers at the new path', async () => {
    await getApi();
    writeFile('moved/before.ts', numberedLines(12, 'moved'));
    cli('mark', 'moved/before.ts:4-6', '--source', 'agent', '--tool', 'claude-code');
    fs.mkdirSync(path.join(root(), 'moved', 'sub'), { recursive: true });
    fs.renameSync(path.join(root(), 'moved', 'before.ts'), path.join(root(), 'moved', 'sub', 'after.ts'));
    await waitFor('the extension to move the marker file', () => hasMarkerFile('moved/sub/after.ts') && !hasMarkerFile('moved/before.ts'));
    const moved = await waitFor('the markers at the new path', () => {
      const r = storeRegions().filter((x) => x.path.startsWith('moved/'));
      return r.length === 1 && r[0].path === 'moved/sub/after.ts' ? r : undefined;
    });
    assert.deepStrictEqual([moved[0].from, moved[0].to, moved[0].source, moved[0].tool], [4, 6, 'agent', 'claude-code']);
    // Opening the moved file shows them.
    const doc = await vscode.workspace.openTextDocument(uriOf('moved/sub/after.ts'));
    const regions = await (await getApi()).getRegions(doc.uri);
    assert.deepStrictEqual(regions.map((r) => [r.start.line, r.end.line]), [[3, 6]]);
  });

  test('a folder moved on disk carries the markers of every file in it', async () => {
    writeFile('folder/old/one.ts', numberedLines(6, 'one'));
    writeFile('folder/old/deeper/two.ts', numberedLines(6, 'two'));
    cli('mark', 'folder/old/one.ts:2');
    cli('mark', 'folder/old/deeper/two.ts:3-4');
    fs.renameSync(path.join(root(), 'folder', 'old'), path.join(root(), 'folder', 'new'));
    await waitFor('the extension to move both marker files', () => hasMarkerFile('folder/new/one.ts') && hasMarkerFile('folder/new/deeper/two.ts'));
    const moved = await waitFor('the markers in the moved folder', () => {
      const r = storeRegions().filter((x) => x.path.startsWith('folder/'));
      return r.length === 2 && r.every((x) => x.path.startsWith('folder/new/')) ? r : undefined;
    });
    assert.deepStrictEqual(moved.map((r) => [r.path, r.from, r.to]).sort(), [
      ['folder/new/deeper/two.ts', 3, 4],
      ['folder/new/one.ts', 2, 2],
    ]);
  });

  test('a file written where git ignores it is nobody\'s move', async () => {
    fs.appendFileSync(path.join(root(), '.git', 'info', 'exclude'), '\nbuild-output/\n');
    const text = numberedLines(8, 'built');
    writeFile('moved/source.ts', text);
    writeFile('moved/plain.ts', numberedLines(8, 'plain'));
    cli('mark', 'moved/source.ts:2-3');
    cli('mark', 'moved/plain.ts:4');
    // In one batch: the source copied into an ignored folder and deleted, and an ordinary move.
    writeFile('build-output/source.ts', text);
    fs.rmSync(path.join(root(), 'moved', 'source.ts'));
    fs.renameSync(path.join(root(), 'moved', 'plain.ts'), path.join(root(), 'moved', 'plain-moved.ts'));
    await waitFor('the ordinary move to be followed', () => hasMarkerFile('moved/plain-moved.ts'));
    assert.equal(hasMarkerFile('build-output/source.ts'), false);
    assert.equal(hasMarkerFile('moved/source.ts'), true, 'the gone file keeps its markers');
  });

  test('a new file with other content does not inherit the markers of a deleted one', async () => {
    writeFile('moved/other.ts', numberedLines(5, 'different'));
    writeFile('moved/witness.ts', numberedLines(5, 'witness'));
    cli('mark', 'moved/other.ts:1');
    cli('mark', 'moved/witness.ts:2');
    fs.rmSync(path.join(root(), 'moved', 'other.ts'));
    writeFile('moved/fresh.ts', numberedLines(5, 'unrelated'));
    // An ordinary move right after it: once it is followed, the watcher has seen the new file too.
    fs.renameSync(path.join(root(), 'moved', 'witness.ts'), path.join(root(), 'moved', 'witness-moved.ts'));
    await waitFor('the ordinary move to be followed', () => hasMarkerFile('moved/witness-moved.ts'));
    assert.deepStrictEqual(storeRegions().filter((x) => x.path === 'moved/fresh.ts'), []);
  });
});
