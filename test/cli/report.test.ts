/** `ai-provenance report --html` in real repositories: the page carries `stats --json`'s figures, verify's and blame's lines, and fails closed on bad input. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ReportData } from '../../src/core/report';
import { TempRepo } from './helpers';
import { embeddedData, HOSTILE, reportHistory } from './reportHelpers';

const numbered = (prefix: string, n: number): string => Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}\n`).join('');

describe('CLI: report [<range>] --html <file>', function () {
  this.timeout(120_000);
  let repo: TempRepo;
  beforeEach(() => {
    repo = new TempRepo('aip-report-');
  });
  afterEach(() => repo.dispose());

  const report = (...args: string[]): { data: ReportData; html: string; stdout: string; stderr: string } => {
    const out = repo.path('out/report.html');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const r = repo.cli(['report', ...args, '--html', 'out/report.html']);
    assert.equal(r.code, 0, r.stderr);
    const html = fs.readFileSync(out, 'utf8');
    return { data: embeddedData(html), html, stdout: r.stdout, stderr: r.stderr };
  };
  const statsJson = (...args: string[]): ReportData['stats'] => {
    const r = repo.cli(['stats', ...args, '--json']);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as ReportData['stats'];
  };

  it('the whole history: the figures of stats --json, the same sums by day, and where the unreviewed AI lines of the tree are, as blame says, linked to their lines', () => {
    const ids = reportHistory(repo);
    const { data, html, stdout } = report();
    const stats = statsJson();
    assert.deepEqual(data.stats, stats);
    // Hand-counted, so the comparison above cannot pass on two empty reports.
    assert.deepEqual([stats.commits, stats.addedLines, stats.aiLines, stats.reviewedAiLines, stats.ignoredLines], [6, 17, 8, 1, 3]);
    assert.equal(stdout, `AI Provenance report for the whole history of HEAD written to ${repo.path('out/report.html')}: 17 lines added, 8 of them AI-written (47.1%), 1 of those reviewed.\n`);
    assert.deepEqual([data.version, data.repository, data.notesRef], [1, path.basename(repo.root), true]);

    // Six weeks: by day, every day from the first commit's to the last's; the merge is not counted.
    assert.equal(data.timeline.unit, 'day');
    assert.equal(data.timeline.buckets.length, 47);
    assert.deepEqual(
      data.timeline.buckets.filter((b) => b.commits > 0).map((b) => [b.start, b.commits, b.addedLines, b.aiLines, b.reviewedAiLines]),
      [['2026-01-05', 1, 4, 0, 0], ['2026-01-12', 2, 7, 6, 1], ['2026-02-02', 1, 2, 2, 0], ['2026-02-03', 1, 1, 0, 0], ['2026-02-20', 1, 3, 0, 0]],
    );

    // The tree's unreviewed AI lines: exactly blame's unreviewed AI lines of each file, and the tree's figures.
    const u = data.unreviewed;
    assert.deepEqual([u.scope, u.commit, u.lines, u.files], ['tree', ids.c5, stats.tree!.aiLines - stats.tree!.reviewedAiLines, 3]);
    assert.deepEqual(u.top.map((f) => f.path), ['a.ts', HOSTILE, 'c.ts']);
    for (const f of u.top) {
      const blame = JSON.parse(repo.cli(['blame', f.path, '--json']).stdout) as { lines: { line: number; ai: boolean; reviewed: boolean }[] };
      const fromRuns = f.runs.flatMap((r) => Array.from({ length: r.to - r.from + 1 }, (_, i) => r.from + i));
      assert.deepEqual(fromRuns, blame.lines.filter((l) => l.ai && !l.reviewed).map((l) => l.line), f.path);
      assert.equal(f.lines, fromRuns.length);
    }

    // Linked to their lines: the working tree's file at the run's first line, in VS Code.
    const link = (rel: string, line: number): string => `vscode://file${pathToFileURL(repo.path(rel)).pathname}:${line}`;
    assert.ok(html.includes(`href="${link('a.ts', 5)}"`), 'a.ts:5');
    assert.ok(html.includes(`href="${link(HOSTILE, 1).replace(/&/g, '&amp;')}"`), 'the markup-named file');
    assert.ok(!html.includes('<img'), 'its name is escaped everywhere');
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;.ts'));
  });

  it('a range: the range\'s figures, and the unreviewed AI lines it adds as verify finds them', () => {
    const ids = reportHistory(repo);
    const { data, stdout } = report(`${ids.c1}..HEAD`);
    assert.deepEqual(data.stats, statsJson(`${ids.c1}..HEAD`));
    assert.deepEqual([data.stats.commits, data.stats.addedLines, data.stats.aiLines, data.stats.tree], [4, 8, 3, null]);
    assert.match(stdout, new RegExp(`^AI Provenance report for ${ids.c1}\\.\\.HEAD written to `));
    const verify = repo.cli(['verify', `${ids.c1}..HEAD`, '--json']);
    assert.equal(verify.code, 1, verify.stderr);
    const runs = (JSON.parse(verify.stdout) as { unreviewed: ReportData['unreviewed']['top'][number]['runs'] }).unreviewed;
    assert.deepEqual(runs.length, 1);
    assert.deepEqual([data.unreviewed.scope, data.unreviewed.commit, data.unreviewed.lines], ['range', ids.c5, 2]);
    assert.deepEqual(data.unreviewed.top.flatMap((f) => f.runs.map((r) => ({ path: f.path, ...r }))), runs);
    assert.deepEqual(data.timeline.buckets.filter((b) => b.commits > 0).map((b) => b.start), ['2026-01-12', '2026-02-02', '2026-02-03', '2026-02-20']);
  });

  it('a clone without notes: every line human, a warning, and the page says why', () => {
    reportHistory(repo);
    const clone = new TempRepo('aip-report-clone-');
    try {
      clone.git('pull', '-q', repo.root, 'main');
      const r = clone.cli(['report', '--html', 'r.html']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /^warning: this clone has no AI Provenance notes/);
      const html = clone.read('r.html');
      const data = embeddedData(html);
      // 17 lines and gen/x.ts's 3: the policy that ignores it was never committed.
      assert.deepEqual([data.notesRef, data.stats.aiLines, data.unreviewed.lines, data.stats.addedLines], [false, 0, 0, 20]);
      assert.match(html, /This clone has no AI Provenance notes, so every line counts as human-written/);
    } finally {
      clone.dispose();
    }
  });

  it('writes over an earlier page in one step, leaving no temporary file', () => {
    reportHistory(repo);
    repo.write('out/report.html', 'old page');
    report();
    assert.match(repo.read('out/report.html'), /^<!DOCTYPE html>/);
    assert.deepEqual(fs.readdirSync(repo.path('out')), ['report.html']);
  });

  it('bad input: no --html, a folder that is not there or is a file, a folder as the file, a bad range, two ranges, no commits: a clear error, exit 2, nothing written', () => {
    const fail = (args: string[], message: RegExp, cwd?: string): void => {
      const r = repo.cli(['report', ...args], { cwd });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}`);
      assert.match(r.stderr, message, args.join(' '));
      assert.equal(r.stdout, '');
    };
    fail(['--html', 'r.html'], /HEAD names no commit \(this repository has no commits yet\)/);
    repo.write('a.ts', numbered('x', 3));
    repo.commitAll('one');
    repo.write('a.ts', numbered('x', 4));
    repo.commitAll('two');
    const before = fs.readdirSync(repo.root).sort();
    fail([], /--html <file> is required/);
    fail(['--html'], /--html needs a value/);
    fail(['--html', 'missing/r.html'], /cannot write .*missing\/r\.html: there is no folder .*missing/);
    fail(['--html', 'a.ts/r.html'], /cannot write .*a\.ts\/r\.html: .*a\.ts is not a folder/);
    fs.mkdirSync(repo.path('folder'));
    fail(['--html', 'folder'], /cannot write .*folder: it is a folder/);
    fail(['nope..HEAD', '--html', 'r.html'], /"nope" is not a commit in this repository, so the range nope\.\.HEAD cannot be counted/);
    fail(['HEAD', '--html', 'r.html'], /"HEAD" is not a range; write <base>\.\.<head>/);
    fail(['HEAD~1..HEAD', 'HEAD~1..HEAD', '--html', 'r.html'], /expected at most one range/);
    fail(['--json', '--html', 'r.html'], /unknown option --json/);
    assert.deepEqual(fs.readdirSync(repo.root).sort(), [...before, 'folder'].sort(), 'nothing written');
    const outside = fs.mkdtempSync(path.join(path.dirname(repo.root), 'aip-report-outside-'));
    try {
      fail(['--html', 'r.html'], /not inside a git repository/, outside);
      assert.deepEqual(fs.readdirSync(outside), []);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});
