import * as assert from 'node:assert/strict';
import { UnreviewedRun } from '../../src/core/history';
import { buildReport, MAX_BUCKETS, MAX_FILES, MAX_RUNS, ReportData, timeline, unreviewedFiles } from '../../src/core/report';
import { axis, DATA_ELEMENT_ID, escapeHtml, renderReport, scriptJson } from '../../src/core/reportHtml';
import { StatsJson } from '../../src/core/stats';

const C1 = 'a'.repeat(40);
const C2 = 'b'.repeat(40);
const NONCE = 'bm9uY2Utbm9uY2Utbm9uY2U=';

/** Seconds since the epoch of an ISO date-time (UTC). */
const at = (iso: string): number => Date.parse(iso) / 1000;
const tally = (addedLines: number, aiLines = 0, reviewedAiLines = 0) => ({ addedLines, aiLines, reviewedAiLines });

describe('report: AI share over time', () => {
  it('by day when the commits span at most MAX_BUCKETS days: every day from the first to the last, empty ones included, in UTC', () => {
    const t = timeline([
      { time: at('2026-03-03T23:30:00Z'), ...tally(10, 4, 1) },
      { time: at('2026-03-01T00:00:00Z'), ...tally(5, 5, 5) },
      { time: at('2026-03-03T00:10:00Z'), ...tally(2) },
    ]);
    assert.equal(t.unit, 'day');
    assert.deepEqual(t.buckets, [
      { start: '2026-03-01', commits: 1, ...tally(5, 5, 5) },
      { start: '2026-03-02', commits: 0, ...tally(0) },
      { start: '2026-03-03', commits: 2, ...tally(12, 4, 1) },
    ]);
  });

  it('by week (from Monday) when days would be too many, else by month, else by year; the sums stay whole', () => {
    const weeks = timeline([
      { time: at('2026-01-04T12:00:00Z'), ...tally(1, 1) }, // a Sunday: the week of Monday 2025-12-29
      { time: at('2026-01-05T00:00:00Z'), ...tally(2) }, // a Monday
      { time: at('2026-04-01T00:00:00Z'), ...tally(3, 3, 3) },
    ]);
    assert.equal(weeks.unit, 'week');
    assert.deepEqual(weeks.buckets.slice(0, 2).map((b) => [b.start, b.commits, b.addedLines]), [['2025-12-29', 1, 1], ['2026-01-05', 1, 2]]);
    assert.equal(weeks.buckets.at(-1)!.start, '2026-03-30');
    assert.equal(weeks.buckets.length, 14);
    assert.ok(weeks.buckets.every((b) => new Date(`${b.start}T00:00:00Z`).getUTCDay() === 1), 'every week starts on a Monday');

    const months = timeline([{ time: at('2020-01-31T23:59:59Z'), ...tally(1) }, { time: at('2023-12-01T00:00:00Z'), ...tally(2, 2) }]);
    assert.equal(months.unit, 'month');
    assert.deepEqual([months.buckets[0].start, months.buckets[1].start, months.buckets.at(-1)!.start, months.buckets.length], ['2020-01', '2020-02', '2023-12', 48]);

    const years = timeline([{ time: at('2010-06-01T00:00:00Z'), ...tally(7, 1) }, { time: at('2026-06-01T00:00:00Z'), ...tally(3, 2, 1) }]);
    assert.equal(years.unit, 'year');
    assert.equal(years.buckets.length, 17);
    for (const t of [weeks, months, years]) {
      assert.ok(t.buckets.length <= MAX_BUCKETS);
      assert.deepEqual(
        t.buckets.reduce((s, b) => [s[0] + b.addedLines, s[1] + b.aiLines, s[2] + b.reviewedAiLines], [0, 0, 0]),
        t === weeks ? [6, 4, 3] : t === months ? [3, 2, 0] : [10, 3, 1],
      );
    }
  });

  it('MAX_BUCKETS days are still days; one more are weeks; no commits, no buckets', () => {
    const start = at('2026-01-01T00:00:00Z');
    assert.equal(timeline([{ time: start, ...tally(1) }, { time: start + (MAX_BUCKETS - 1) * 86_400, ...tally(1) }]).unit, 'day');
    assert.equal(timeline([{ time: start, ...tally(1) }, { time: start + MAX_BUCKETS * 86_400, ...tally(1) }]).unit, 'week');
    assert.deepEqual(timeline([]), { unit: 'day', buckets: [] });
  });
});

describe('report: the files with the most unreviewed AI lines', () => {
  const run = (path: string, from: number, to: number, commit = C1): UnreviewedRun => ({ path, from, to, source: 'agent', tool: 'codex', commit });

  it('groups verify\'s runs by file, most lines first (ties by path), runs in line order', () => {
    const u = unreviewedFiles([run('b.ts', 9, 9), run('a.ts', 5, 7), run('b.ts', 1, 2, C2), run('c.ts', 1, 3)], 'tree', C1);
    assert.deepEqual(
      u.top.map((f) => [f.path, f.lines, f.runs.map((r) => [r.from, r.to]), f.moreRuns]),
      [['a.ts', 3, [[5, 7]], 0], ['b.ts', 3, [[1, 2], [9, 9]], 0], ['c.ts', 3, [[1, 3]], 0]],
    );
    assert.deepEqual([u.scope, u.commit, u.lines, u.files], ['tree', C1, 9, 3]);
    assert.deepEqual(unreviewedFiles([], 'range', C2), { scope: 'range', commit: C2, lines: 0, files: 0, top: [] });
  });

  it('keeps the MAX_FILES files with the most and MAX_RUNS runs of a file, counting the rest', () => {
    const runs = Array.from({ length: MAX_FILES + 5 }, (_, i) => run(`f${String(i).padStart(2, '0')}.ts`, 1, i + 1));
    runs.push(...Array.from({ length: MAX_RUNS + 3 }, (_, i) => run('many.ts', 2 * i + 1, 2 * i + 1)));
    const u = unreviewedFiles(runs, 'tree', C1);
    assert.equal(u.files, MAX_FILES + 6);
    assert.equal(u.top.length, MAX_FILES);
    assert.equal(u.lines, runs.reduce((n, r) => n + r.to - r.from + 1, 0));
    const many = u.top.find((f) => f.path === 'many.ts')!;
    assert.deepEqual([many.lines, many.runs.length, many.moreRuns], [MAX_RUNS + 3, MAX_RUNS, 3]);
    assert.equal(u.top[0].path, 'many.ts');
    assert.ok(!u.top.some((f) => f.path === 'f00.ts'), 'the files with the fewest are left out');
  });
});

const HOSTILE_PATH = '<img src=x onerror=alert(1)>.ts';
const HOSTILE_TOOL = '</script><script>alert(2)</script>';

function stats(over: Partial<StatsJson> = {}): StatsJson {
  return {
    range: null,
    base: null,
    head: C2,
    commits: 3,
    commitsWithoutNote: 1,
    addedLines: 1234,
    aiLines: 500,
    reviewedAiLines: 125,
    ignoredLines: 13,
    byTool: { copilot: 300, [HOSTILE_TOOL]: 200 },
    bySource: { agent: 200, inline: 300 },
    byModel: { unknown: 500 },
    byAuthor: { '"quoted" <x@example.com>': tally(1234, 500, 125) },
    tree: { commit: C2, lines: 2000, aiLines: 400, reviewedAiLines: 100, aiShare: 0.2 },
    ...over,
  };
}

function report(over: Partial<StatsJson> = {}): ReportData {
  return buildReport({
    repository: 'repo & "co"',
    notesRef: true,
    stats: stats(over),
    byCommit: [
      { time: at('2026-03-01T10:00:00Z'), ...tally(1000, 400, 100) },
      { time: at('2026-03-03T10:00:00Z'), ...tally(234, 100, 25) },
    ],
    unreviewed: [
      { path: HOSTILE_PATH, from: 3, to: 5, source: 'inline', tool: HOSTILE_TOOL, commit: C1 },
      { path: 'src/a.ts', from: 10, to: 10, source: 'agent', tool: 'codex', commit: C2 },
    ],
  });
}

/** The JSON the page carries. */
function embedded(html: string): unknown {
  const m = new RegExp(`<script type="application/json" id="${DATA_ELEMENT_ID}">([^<]*)</script>`).exec(html);
  assert.ok(m, 'the page carries its data');
  return JSON.parse(m[1]);
}

/** The text of the element with data-figure="name". */
function figure(html: string, name: string): string | undefined {
  return new RegExp(`data-figure="${name}"[^>]*>([^<]*)<`).exec(html)?.[1];
}

describe('report: the page', () => {
  it('escapes every text that comes from a repository: paths, tools, authors, the repository\'s name', () => {
    const html = renderReport(report(), { mode: 'file', nonce: NONCE, lineLink: (p, l) => `vscode://file/r/${encodeURIComponent(p)}:${l}` });
    assert.ok(!html.includes('<img'), 'no img element');
    assert.ok(!html.includes('onerror=alert(1)>'), 'the path never closes a tag');
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;.ts'), 'the path is shown, escaped');
    assert.ok(html.includes('&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;'), 'the tool is shown, escaped');
    assert.ok(html.includes('&quot;quoted&quot; &lt;x@example.com&gt;'));
    assert.ok(html.includes('repo &amp; &quot;co&quot;'));
    // The only script element is the data block, and it ends where it should.
    assert.deepEqual(html.match(/<script\b[^>]*>/g), [`<script type="application/json" id="${DATA_ELEMENT_ID}">`]);
    assert.equal(html.match(/<\/script>/g)?.length, 1);
    assert.deepEqual(embedded(html), report());
  });

  it('carries exactly the data it was given, and shows the figures of stats --json', () => {
    const data = report();
    const html = renderReport(data, { mode: 'file', nonce: NONCE });
    assert.deepEqual(embedded(html), data);
    assert.equal(figure(html, 'addedLines'), '1,234');
    assert.equal(figure(html, 'aiLines'), '500');
    assert.equal(figure(html, 'aiShare'), '40.5%');
    assert.equal(figure(html, 'reviewedAiLines'), '125');
    assert.equal(figure(html, 'reviewCoverage'), '25.0%');
    assert.equal(figure(html, 'unreviewedAiLines'), '375');
    assert.equal(figure(html, 'treeAiLines'), '400');
    assert.equal(figure(html, 'treeAiShare'), '20.0%');
    assert.equal(figure(html, 'unreviewedInFiles'), '4');
    assert.equal(figure(html, 'unreviewedFiles'), '2');
    assert.match(html, /<tr data-key="copilot"><td>copilot<\/td><td class="num" data-value="300">300<\/td><td class="num">60\.0%<\/td>/);
    assert.match(html, /<li>1 commit carries no provenance note; its lines count as human-written\.<\/li>/);
    assert.match(html, /<li>13 lines added in files the policy ignores are left out\.<\/li>/);
    // A range has no tree share; its files are the lines the range adds.
    const range = renderReport(report({ range: `${C1}..HEAD`, base: C1, tree: null }), { mode: 'file', nonce: NONCE });
    assert.equal(figure(range, 'treeAiLines'), undefined);
    assert.match(range, /among the lines the range adds, numbered as in <code>bbbbbbbbbbbb<\/code>/);
  });

  it('a file loads nothing and runs nothing: a CSP of default-src \'none\', styles by nonce, no script, no address but the line links', () => {
    const html = renderReport(report(), { mode: 'file', nonce: NONCE, lineLink: (p, l) => `vscode://file/repo/${encodeURIComponent(p)}:${l}` });
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
    assert.equal(csp, `default-src 'none'; style-src 'nonce-${NONCE}'; base-uri 'none'; form-action 'none'`);
    assert.ok(html.indexOf('Content-Security-Policy') < html.indexOf('<style'), 'the policy comes before anything it governs');
    assert.deepEqual(html.match(/<style\b[^>]*>/g), [`<style nonce="${NONCE}">`]);
    const attributes = [...html.matchAll(/<[a-z][^>]*>/gi)].flatMap((tag) => [...tag[0].matchAll(/\s([\w:-]+)="[^"]*"/g)].map((a) => a[1].toLowerCase()));
    assert.ok(attributes.includes('data-path'), 'attributes are read');
    assert.deepEqual(attributes.filter((a) => ['src', 'srcset', 'action', 'xlink:href', 'data', 'poster', 'background'].includes(a)), [], 'no element names anything to load');
    assert.ok(!/<(iframe|object|embed|img|link|video|audio|image|use|form)\b/i.test(html), 'no element that loads');
    assert.ok(!/url\(|@import/.test(html), 'no stylesheet address');
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
    assert.deepEqual(hrefs, [
      `vscode://file/repo/${encodeURIComponent(HOSTILE_PATH)}:3`,
      'vscode://file/repo/src%2Fa.ts:10',
    ]);
    assert.match(html, /prefers-color-scheme: dark/);
    // Without lineLink the line numbers are text.
    assert.ok(!renderReport(report(), { mode: 'file', nonce: NONCE }).includes('href='));
  });

  it('in a webview: VS Code\'s theme colours, one script by nonce, and line links that carry their file and line for it', () => {
    const html = renderReport(report(), { mode: 'webview', nonce: NONCE });
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
    assert.equal(csp, `default-src 'none'; style-src 'nonce-${NONCE}'; script-src 'nonce-${NONCE}'; base-uri 'none'; form-action 'none'`);
    assert.deepEqual(html.match(/<script\b[^>]*>/g), [`<script type="application/json" id="${DATA_ELEMENT_ID}">`, `<script nonce="${NONCE}">`]);
    assert.match(html, /--fg: var\(--vscode-editor-foreground\)/);
    assert.match(html, /--ai: var\(--vscode-aiProvenance-unreviewedForeground/);
    assert.ok(!html.includes('prefers-color-scheme'));
    assert.ok(html.includes(`<a href="#" class="run" data-path="${escapeHtml(HOSTILE_PATH)}" data-line="3"`));
    assert.match(html, /postMessage\(\{ type: 'open'/);
  });

  it('refuses a nonce that could break out of its attribute or be guessed', () => {
    assert.throws(() => renderReport(report(), { mode: 'file', nonce: `${NONCE}" onload="x` }), RangeError);
    assert.throws(() => renderReport(report(), { mode: 'file', nonce: 'short' }), RangeError);
  });

  it('a history without commits or AI lines still makes a page that says so', () => {
    const empty = buildReport({ repository: 'r', notesRef: false, stats: stats({ commits: 0, commitsWithoutNote: 0, addedLines: 0, aiLines: 0, reviewedAiLines: 0, ignoredLines: 0, byTool: {}, bySource: {}, byModel: {}, byAuthor: {}, tree: { commit: C2, lines: 0, aiLines: 0, reviewedAiLines: 0, aiShare: 0 } }), byCommit: [], unreviewed: [] });
    const html = renderReport(empty, { mode: 'file', nonce: NONCE });
    assert.match(html, /No commits to show\./);
    assert.match(html, /No AI-written lines\./);
    assert.match(html, /No unreviewed AI lines in the tree at HEAD/);
    assert.equal(figure(html, 'aiShare'), '0.0%');
    assert.deepEqual(embedded(html), empty);
  });

  it('draws each stretch of time as a column of its lines and a point of its AI share', () => {
    const html = renderReport(report(), { mode: 'file', nonce: NONCE });
    // Three days (one empty): two columns with their tooltips, two points.
    assert.equal(html.match(/<circle class="dot"/g)?.length, 2);
    assert.ok(html.includes('<title>2026-03-01: 1 commit, 1,000 lines added, 400 AI-written (40.0%), 100 of them reviewed</title>'));
    assert.ok(html.includes('<title>2026-03-03: 1 commit, 234 lines added, 100 AI-written (42.7%), 25 of them reviewed</title>'));
    assert.match(html, /<path class="share-line" d="M[\d.]+ [\d.]+ M[\d.]+ [\d.]+"\/>/, 'the empty day breaks the line');
    assert.match(html, /<tr data-bucket="2026-03-01"><td>2026-03-01<\/td><td class="num">1<\/td><td class="num">1,000<\/td><td class="num">400<\/td><td class="num">40\.0%<\/td><td class="num">100<\/td><\/tr>/);
  });
});

describe('report: helpers', () => {
  it('scriptJson cannot end its script element or start a comment, and parses back', () => {
    const value = { a: '</script><!-- x & y \u2028 \u2029 >' };
    const text = scriptJson(value);
    assert.ok(!/[<>&\u2028\u2029]/.test(text));
    assert.deepEqual(JSON.parse(text), value);
  });

  it('axis: a whole round step and a top at or above the largest value', () => {
    for (const [max, step, top] of [[0, 1, 1], [3, 1, 3], [5, 2, 6], [10, 5, 10], [99, 25, 100], [101, 50, 150], [1234, 500, 1500]]) {
      assert.deepEqual(axis(max), { step, top }, `max ${max}`);
    }
  });
});
