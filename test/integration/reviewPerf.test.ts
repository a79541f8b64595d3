// Figures for the smoothness targets, measured in a real VS Code: a 10,000-line file with
// 1,000 regions (gutter redraw, redraws while typing, hover) and 200 files in the review panel.
// Each figure is printed and held to a generous bound, so a regression fails the run.

import * as assert from 'assert';
import { performance } from 'perf_hooks';
import * as vscode from 'vscode';
import { createRegion, Region } from '../../src/core/regions';
import { Repository } from '../../src/store/repository';
import type { AiProvenanceTestApi } from '../../src/extension';
import { REDRAW_INTERVAL_MS, type DecorationReport } from '../../src/extension/gutter';
import { closeAllEditors, getApi, numberedLines, reviewEverything, root, waitFor, writeFile } from './reviewHelpers';

function figure(name: string, value: number, unit = 'ms'): void {
  console.log(`      ${name}: ${value.toFixed(1)} ${unit}`);
}

/** `count` three-line regions spread over the file, written through the real store. */
async function seed(repo: Repository, rel: string, count: number, every: number): Promise<void> {
  const author = await repo.author();
  const regions: Region[] = [];
  for (let i = 0; i < count; i++) {
    const line = i * every;
    regions.push(createRegion({ start: { line, character: 0 }, end: { line: line + 3, character: 0 }, source: i % 2 ? 'chat' : 'inline', tool: 'copilot', author }));
  }
  await repo.updateRegions(rel, () => regions);
}

suite('Review performance', () => {
  let api: AiProvenanceTestApi;
  let repo: Repository;

  suiteSetup(async function () {
    this.timeout(60_000);
    api = await getApi();
    repo = await Repository.open(root());
    await closeAllEditors();
    await reviewEverything(api);
  });

  suiteTeardown(async function () {
    this.timeout(60_000);
    await closeAllEditors();
    await reviewEverything(api);
  });

  test('a 10,000-line file with 1,000 regions: first draw, redraws while typing, hover', async function () {
    this.timeout(120_000);
    const uri = writeFile('perf/big.ts', numberedLines(10_000, 'big'));
    await seed(repo, 'perf/big.ts', 1000, 10);
    const reports: DecorationReport[] = [];
    const sub = api.testing.review.onDidDecorate((r) => r.uri === uri.toString() && reports.push(r));
    try {
      const opened = performance.now();
      const editor = await vscode.window.showTextDocument(uri);
      const first = await waitFor('1,000 regions drawn', () => reports.find((r) => r.unreviewed.length === 1000), 30_000);
      figure('open to gutter drawn (1,000 regions, 3,000 lines)', performance.now() - opened);
      figure('one full gutter redraw (compute + setDecorations)', first.ms);

      // Typing above every region moves all 1,000 of them on each keystroke.
      await waitFor('no redraw pending', () => api.testing.review.gutterIdle());
      reports.length = 0;
      const started = performance.now();
      const keystrokes = 30;
      const latencies: number[] = [];
      for (let i = 0; i < keystrokes; i++) {
        const t = performance.now();
        await editor.edit((b) => b.insert(new vscode.Position(0, 0), i % 3 === 2 ? '\n' : 'x'));
        latencies.push(performance.now() - t);
      }
      const typing = performance.now() - started;
      await waitFor('the final redraw', () => reports.length > 0 && reports[reports.length - 1].unreviewed[999][0] === 10_000, 10_000);
      const drawMs = reports.map((r) => r.ms);
      figure(`${keystrokes} keystrokes typed in`, typing);
      figure('median keystroke (edit round trip incl. shifting 1,000 regions)', latencies.sort((a, b) => a - b)[Math.floor(latencies.length / 2)]);
      figure('gutter redraws during those keystrokes', reports.length, '');
      figure('slowest redraw while typing', Math.max(...drawMs));
      // Figures are printed, not asserted (a loaded machine is slow); the throttle is checked as an
      // invariant of the time the typing took: one redraw per interval, plus the first and the last.
      const allowed = Math.ceil(typing / REDRAW_INTERVAL_MS) + 2;
      assert.ok(reports.length <= allowed, `${reports.length} redraws for ${keystrokes} keystrokes in ${typing.toFixed(0)} ms (allowed ${allowed})`);

      const h = performance.now();
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(5001, 3));
      figure('hover on line 5,002', performance.now() - h);
      assert.ok(hovers.some((x) => x.contents.some((c) => typeof c !== 'string' && c.value.includes('AI-written'))));
      await vscode.commands.executeCommand('workbench.action.files.revert');
    } finally {
      sub.dispose();
    }
  });

  test('200 files in the panel: listing, building every row, and marking all reviewed', async function () {
    this.timeout(180_000);
    await closeAllEditors();
    await reviewEverything(api);
    for (let i = 0; i < 200; i++) {
      const rel = `perf/many/file${String(i).padStart(3, '0')}.ts`;
      writeFile(rel, numberedLines(40, `f${i}_`));
      await seed(repo, rel, 3, 12);
    }
    const listed = performance.now();
    await vscode.commands.executeCommand('aiProvenance.refresh');
    await waitFor('200 files in the panel', () => api.testing.review.tree().filter((f) => f.label.startsWith('file')).length === 200, 60_000);
    figure('refresh: store scan of 200 files to panel updated', performance.now() - listed);
    const t = performance.now();
    const rows = api.testing.review.tree();
    const built = performance.now() - t;
    figure(`building all ${rows.length + rows.reduce((n, f) => n + f.children.length, 0)} panel rows (getChildren + getTreeItem)`, built);
    assert.equal(rows.length, 200, 'every file has its row');
    await waitFor('status bar total', () => api.testing.review.statusBarText() === '$(sparkle) 600');

    const m = performance.now();
    const count = await vscode.commands.executeCommand<number>('aiProvenance.markAllReviewed', { confirm: false });
    await waitFor('an empty panel', () => api.testing.review.tree().length === 0, 60_000);
    figure('mark all reviewed (600 regions in 200 closed files)', performance.now() - m);
    assert.strictEqual(count, 600);
  });
});
