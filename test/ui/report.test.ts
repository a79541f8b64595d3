// UI: the page `ai-provenance report --html` writes, opened from disk in headless Chromium as a
// reader would open it. No VS Code here, only the browser: the page must render with no console
// error, no page error and no request beyond its own file; the numbers on screen must be those of
// `stats --json`; its own styles must apply under its Content-Security-Policy, in light and dark.
// Takes the README screenshot: into test-results/ui/screenshots/, or over media/screenshots/ when
// AIP_UPDATE_SCREENSHOTS=1.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { Browser, chromium, Page } from 'playwright-core';
import type { ReportData } from '../../src/core/report';
import { TempRepo } from '../cli/helpers';
import { embeddedData, HOSTILE, reportHistory } from '../cli/reportHelpers';
import { repoRoot } from './codeServer';

const SHOTS = process.env.AIP_UPDATE_SCREENSHOTS === '1' ? path.join(repoRoot, 'media', 'screenshots') : path.join(repoRoot, 'test-results', 'ui', 'screenshots');
/** Where provision-vscode.mjs finds Chromium too. */
const CHROMIUM = process.env.AIP_CHROMIUM || '/usr/bin/chromium';

const n = (x: number): string => x.toLocaleString('en-US');
const pct = (part: number, whole: number): string => `${whole === 0 ? '0.0' : ((100 * part) / whole).toFixed(1)}%`;

suite('UI: the HTML report in Chromium', () => {
  let repo: TempRepo;
  /** A clone of `repo` with its notes, under a fixed name: the page's title, in the screenshot. */
  let app: string;
  let browser: Browser;
  let file: string;
  let stats: ReportData['stats'];
  let data: ReportData;

  suiteSetup(async function () {
    this.timeout(120_000);
    assert.ok(fs.existsSync(CHROMIUM), `no Chromium at ${CHROMIUM} (set AIP_CHROMIUM)`);
    repo = new TempRepo('aip-ui-report-');
    reportHistory(repo);
    app = repo.path('clone/example-app');
    repo.git('clone', '-q', repo.root, app);
    repo.git('-C', app, 'fetch', '-q', 'origin', 'refs/notes/ai-provenance:refs/notes/ai-provenance');
    fs.copyFileSync(repo.path('.ai-provenance.json'), path.join(app, '.ai-provenance.json'));
    const r = repo.cli(['report', '--html', 'report.html'], { cwd: app });
    assert.strictEqual(r.code, 0, r.stderr);
    file = path.join(app, 'report.html');
    data = embeddedData(fs.readFileSync(file, 'utf8'));
    const s = repo.cli(['stats', '--json'], { cwd: app });
    assert.strictEqual(s.code, 0, s.stderr);
    stats = JSON.parse(s.stdout) as ReportData['stats'];
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  });

  suiteTeardown(async () => {
    await browser?.close();
    repo?.dispose();
  });

  /** Opens the page in a fresh context; everything the console and the network saw is collected. */
  async function open(colorScheme: 'light' | 'dark'): Promise<{ page: Page; problems: string[]; requests: string[] }> {
    const context = await browser.newContext({ colorScheme, viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    return { page, problems, requests };
  }

  const text = async (page: Page, selector: string): Promise<string> => ((await page.locator(selector).first().textContent()) ?? '').trim();
  /** A computed style of the first element matching `selector` (the page is evaluated as a string: no DOM types here). */
  const style = (page: Page, selector: string, property: string): Promise<string> =>
    page.evaluate(`getComputedStyle(document.querySelector(${JSON.stringify(selector)})).getPropertyValue(${JSON.stringify(property)})`) as Promise<string>;

  /** `map` (an expression over `e`) of each element matching `selector`, as strings. */
  const each = (page: Page, selector: string, map: string): Promise<string[][]> =>
    page.evaluate(`[...document.querySelectorAll(${JSON.stringify(selector)})].map((e) => ${map})`) as Promise<string[][]>;

  test('renders with no console or page error, loads nothing but itself, and shows the numbers of stats --json', async function () {
    this.timeout(60_000);
    assert.deepStrictEqual(data.stats, stats, 'the page carries stats --json');
    const { page, problems, requests } = await open('light');
    try {
      assert.deepStrictEqual(problems, []);
      assert.deepStrictEqual(requests, [pathToFileURL(file).href], 'no request but the page itself');

      assert.strictEqual(await text(page, '[data-figure="addedLines"]'), n(stats.addedLines));
      assert.strictEqual(await text(page, '[data-figure="aiLines"]'), n(stats.aiLines));
      assert.strictEqual(await text(page, '[data-figure="aiShare"]'), pct(stats.aiLines, stats.addedLines));
      assert.strictEqual(await text(page, '[data-figure="reviewedAiLines"]'), n(stats.reviewedAiLines));
      assert.strictEqual(await text(page, '[data-figure="reviewCoverage"]'), pct(stats.reviewedAiLines, stats.aiLines));
      assert.strictEqual(await text(page, '[data-figure="unreviewedAiLines"]'), n(stats.aiLines - stats.reviewedAiLines));
      assert.strictEqual(await text(page, '[data-figure="commits"]'), n(stats.commits));
      assert.strictEqual(await text(page, '[data-figure="treeAiLines"]'), n(stats.tree!.aiLines));
      assert.strictEqual(await text(page, '[data-figure="treeAiShare"]'), pct(stats.tree!.aiLines, stats.tree!.lines));
      // Hand-counted (reportHistory), so equal figures cannot be two empty ones.
      assert.deepStrictEqual([stats.addedLines, stats.aiLines, stats.reviewedAiLines], [17, 8, 1]);

      const tools = await each(page, 'table[data-breakdown="tool"] tbody tr', '[e.dataset.key, e.cells[1].textContent]');
      assert.deepStrictEqual(tools, Object.entries(stats.byTool).sort(([, a], [, b]) => b - a).map(([k, v]) => [k, n(v)]));
      const authors = await each(page, '#authors tbody tr', '[e.dataset.key, e.cells[1].textContent, e.cells[2].textContent, e.cells[4].textContent]');
      assert.deepStrictEqual(authors, Object.entries(stats.byAuthor).sort(([, a], [, b]) => b.addedLines - a.addedLines).map(([k, t]) => [k, n(t.addedLines), n(t.aiLines), n(t.reviewedAiLines)]));

      // The files, the markup-named one shown as text, never as an element; its lines link into VS Code.
      const files = await each(page, '#files tbody tr', '[e.cells[0].textContent, e.cells[1].textContent]');
      assert.deepStrictEqual(files, data.unreviewed.top.map((f) => [f.path, n(f.lines)]));
      assert.ok(files.some(([p]) => p === HOSTILE));
      assert.strictEqual(await page.locator('img').count(), 0);
      const link = await each(page, '#files a.run', "[e.dataset.path, e.dataset.line, e.getAttribute('href')]");
      assert.deepStrictEqual(link[0], ['a.ts', '5', `vscode://file${pathToFileURL(path.join(app, 'a.ts')).pathname}:5`]);

      // Drawn: one column group per day with commits, one point per day that added lines.
      assert.strictEqual(await page.locator('#timeline svg.chart g').count(), data.timeline.buckets.filter((b) => b.addedLines > 0).length);
      assert.strictEqual(await page.locator('#timeline circle.dot').count(), data.timeline.buckets.filter((b) => b.addedLines > 0).length);
      const box = await page.locator('#timeline svg.chart').first().boundingBox();
      assert.ok(box && box.width > 600 && box.height > 100, `the chart is drawn at ${JSON.stringify(box)}`);
      // The page's own style applied under its policy: the light palette.
      assert.strictEqual(await style(page, '#coverage rect.ai', 'fill'), 'rgb(163, 29, 176)');
      assert.strictEqual(await style(page, 'body', 'background-color'), 'rgb(255, 255, 255)');

      fs.mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SHOTS, 'report-light.png'), fullPage: true });
    } finally {
      await page.context().close();
    }
  });

  test('a dark system gets the dark palette, still without errors', async function () {
    this.timeout(60_000);
    const { page, problems } = await open('dark');
    try {
      assert.deepStrictEqual(problems, []);
      assert.strictEqual(await style(page, 'body', 'background-color'), 'rgb(13, 17, 23)');
      assert.strictEqual(await style(page, '#coverage rect.ai', 'fill'), 'rgb(197, 134, 192)');
      const shot = path.join(repoRoot, 'test-results', 'ui', 'screenshots', 'report-dark.png');
      fs.mkdirSync(path.dirname(shot), { recursive: true });
      await page.screenshot({ path: shot, fullPage: true });
    } finally {
      await page.context().close();
    }
  });
});
