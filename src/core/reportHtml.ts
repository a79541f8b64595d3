/**
 * The report as one HTML page: inline CSS, charts drawn as inline SVG, no script needed to read it
 * and nothing loaded from anywhere (its Content-Security-Policy forbids it). The same page serves
 * `ai-provenance report --html` (a file; light or dark as the system is) and the editor's report
 * panel (VS Code's theme colours; a line link posts a message instead of navigating). Every text
 * that comes from a repository (paths, tools, authors) is escaped; the data drawn rides along as
 * JSON (`script#aip-report-data`) for tests and tools.
 */
import { ReportData, TimeBucket, TimeUnit, UnreviewedFile } from './report';
import { Tally } from './stats';

export interface RenderOptions {
  /** "file": a page of its own; "webview": inside VS Code's webview (theme colours, links post messages). */
  mode: 'file' | 'webview';
  /** The nonce of the page's style (and, in a webview, script) element: fresh and random for each page. */
  nonce: string;
  /** In a file: where a link to line `line` of `path` (as the report names it) leads. Without it, line numbers are plain text. */
  lineLink?: (path: string, line: number) => string;
  /** Who made the page, for its footer ("ai-provenance 0.2.0"). */
  generator?: string;
}

/** The id of the script element holding the report's data as JSON. */
export const DATA_ELEMENT_ID = 'aip-report-data';

/** Escapes text for an HTML text node or a double-quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** JSON safe inside a script element: no `<` (so no `</script>` or `<!--`), and no line separators that older parsers choke on. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const esc = escapeHtml;
const n = (x: number): string => x.toLocaleString('en-US');
const pct = (part: number, whole: number): string => `${whole === 0 ? '0.0' : ((100 * part) / whole).toFixed(1)}%`;
/** A coordinate for SVG: two decimals at most. */
const c = (x: number): string => String(Math.round(x * 100) / 100);

/** The whole page. */
export function renderReport(data: ReportData, options: RenderOptions): string {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(options.nonce)) throw new RangeError('the page needs a nonce of at least 16 base64 characters');
  const { nonce, mode } = options;
  const csp = ["default-src 'none'", `style-src 'nonce-${nonce}'`, ...(mode === 'webview' ? [`script-src 'nonce-${nonce}'`] : []), "base-uri 'none'", "form-action 'none'"].join('; ');
  const s = data.stats;
  const title = `AI Provenance report: ${data.repository}`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    // The nonce is checked above; the policy holds no `"` or `<`.
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    ...(mode === 'file' ? ['<meta name="color-scheme" content="light dark">'] : []),
    `<title>${esc(title)}</title>`,
    `<style nonce="${nonce}">${mode === 'file' ? FILE_COLOURS : WEBVIEW_COLOURS}${STYLE}</style>`,
    '</head>',
    `<body class="mode-${mode}">`,
    '<header>',
    `<h1>AI Provenance report <span class="repo">${esc(data.repository)}</span></h1>`,
    `<p class="scope">${scopeText(data)}</p>`,
    '</header>',
    '<main>',
    warnings(data),
    figures(data),
    timelineSection(data),
    coverageSection(data),
    breakdownSection(s.byTool, s.bySource, s.byModel, s.aiLines),
    filesSection(data, options),
    authorsSection(s.byAuthor),
    '</main>',
    `<footer><p>Made by ${esc(options.generator ?? 'ai-provenance')} from <code>${esc(s.head.slice(0, 12))}</code>. The figures are those of <code>ai-provenance stats${s.range === null ? '' : ` ${esc(s.range)}`} --json</code>; this page carries them, and everything it draws, as JSON in <code>script#${DATA_ELEMENT_ID}</code>.</p></footer>`,
    `<script type="application/json" id="${DATA_ELEMENT_ID}">${scriptJson(data)}</script>`,
    ...(mode === 'webview' ? [`<script nonce="${nonce}">${WEBVIEW_SCRIPT}</script>`] : []),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function scopeText(data: ReportData): string {
  const s = data.stats;
  const commits = `${n(s.commits)} commit${s.commits === 1 ? '' : 's'}`;
  return s.range === null
    ? `The whole history of HEAD (<code>${esc(s.head.slice(0, 12))}</code>): ${commits}.`
    : `The range <code>${esc(s.range)}</code> (<code>${esc((s.base ?? '').slice(0, 12))}..${esc(s.head.slice(0, 12))}</code>): ${commits}.`;
}

function warnings(data: ReportData): string {
  const s = data.stats;
  const out: string[] = [];
  if (!data.notesRef && s.commits > 0) out.push('This clone has no AI Provenance notes, so every line counts as human-written: fetch them first (<code>ai-provenance notes fetch</code>).');
  if (s.commitsWithoutNote === 1) out.push('1 commit carries no provenance note; its lines count as human-written.');
  else if (s.commitsWithoutNote > 1) out.push(`${n(s.commitsWithoutNote)} commits carry no provenance note; their lines count as human-written.`);
  if (s.ignoredLines > 0) out.push(`${n(s.ignoredLines)} lines added in files the policy ignores are left out.`);
  return out.length ? `<ul class="warnings">${out.map((w) => `<li>${w}</li>`).join('')}</ul>` : '';
}

/** One headline figure: the number (machine-readable in data-value) and what it is. */
function figure(name: string, value: number, label: string, extra = ''): string {
  return `<div class="figure"><span class="value" data-figure="${name}" data-value="${value}">${n(value)}</span><span class="label">${label}</span>${extra}</div>`;
}

function figures(data: ReportData): string {
  const s = data.stats;
  const share = (name: string, part: number, whole: number, text: string): string => `<span class="share"><span data-figure="${name}">${pct(part, whole)}</span> ${text}</span>`;
  const cards = [
    figure('addedLines', s.addedLines, 'lines added'),
    figure('aiLines', s.aiLines, 'AI-written', share('aiShare', s.aiLines, s.addedLines, 'of the lines added')),
    figure('reviewedAiLines', s.reviewedAiLines, 'AI lines reviewed', share('reviewCoverage', s.reviewedAiLines, s.aiLines, 'of the AI lines')),
    figure('unreviewedAiLines', s.aiLines - s.reviewedAiLines, 'AI lines unreviewed'),
    figure('commits', s.commits, s.commits === 1 ? 'commit' : 'commits'),
  ];
  if (s.tree) cards.push(figure('treeAiLines', s.tree.aiLines, `AI-written lines at HEAD, of ${n(s.tree.lines)}`, share('treeAiShare', s.tree.aiLines, s.tree.lines, 'of the tree')));
  return `<section class="figures" aria-label="Figures">${cards.join('')}</section>`;
}

// ---- AI share over time ------------------------------------------------------------------------

const W = 760;
const LEFT = 52;
const RIGHT = 8;
const PLOT = W - LEFT - RIGHT;

const UNIT_WORD = { day: 'day', week: 'week (from Monday)', month: 'month', year: 'year' } as const;

function bucketTitle(b: TimeBucket): string {
  return `${b.start}: ${n(b.commits)} commit${b.commits === 1 ? '' : 's'}, ${n(b.addedLines)} lines added, ${n(b.aiLines)} AI-written (${pct(b.aiLines, b.addedLines)}), ${n(b.reviewedAiLines)} of them reviewed`;
}

/** Up to about 8 evenly spread x-axis labels (the first and last among them). */
function xLabels(buckets: readonly TimeBucket[], x: (i: number) => number, y: number): string {
  const step = Math.max(1, Math.ceil(buckets.length / 8));
  const out: string[] = [];
  for (let i = 0; i < buckets.length; i += step) out.push(`<text class="axis" x="${c(x(i))}" y="${y}" text-anchor="middle">${esc(buckets[i].start)}</text>`);
  return out.join('');
}

/** An axis for values up to `max`: a round whole step (1, 2, 2.5 or 5 times a power of ten) and the top, 1 to 4 steps up. */
export function axis(max: number): { step: number; top: number } {
  const rough = Math.max(1, max / 4);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((v) => v >= rough && Number.isInteger(v)) ?? 10 * power;
  return { step, top: step * Math.max(1, Math.ceil(max / step)) };
}

function shareChart(buckets: readonly TimeBucket[], unit: TimeUnit): string {
  const top = 10;
  const h = 120;
  const height = top + h + 24;
  const bw = PLOT / buckets.length;
  const x = (i: number): number => LEFT + bw * (i + 0.5);
  const y = (share: number): number => top + (1 - share) * h;
  const grid = [0, 0.25, 0.5, 0.75, 1]
    .map((t) => `<line class="grid" x1="${LEFT}" x2="${W - RIGHT}" y1="${c(y(t))}" y2="${c(y(t))}"/><text class="axis" x="${LEFT - 6}" y="${c(y(t) + 4)}" text-anchor="end">${t * 100}%</text>`)
    .join('');
  // One stroke through the stretches that added lines; a stretch that added none breaks it.
  let d = '';
  let joined = false;
  const dots: string[] = [];
  buckets.forEach((b, i) => {
    if (b.addedLines === 0) {
      joined = false;
      return;
    }
    const share = b.aiLines / b.addedLines;
    d += `${joined ? 'L' : 'M'}${c(x(i))} ${c(y(share))} `;
    joined = true;
    dots.push(`<circle class="dot" cx="${c(x(i))}" cy="${c(y(share))}" r="3.5"><title>${esc(bucketTitle(b))}</title></circle>`);
  });
  return [
    `<svg class="chart" viewBox="0 0 ${W} ${height}" role="img" aria-label="AI-written share of the lines added, per ${UNIT_WORD[unit]}">`,
    grid,
    d ? `<path class="share-line" d="${d.trim()}"/>` : '',
    dots.join(''),
    xLabels(buckets, x, top + h + 18),
    '</svg>',
  ].join('');
}

function linesChart(buckets: readonly TimeBucket[], unit: TimeUnit): string {
  const top = 10;
  const h = 150;
  const height = top + h + 24;
  const { step, top: max } = axis(Math.max(...buckets.map((b) => b.addedLines)));
  const bw = PLOT / buckets.length;
  const x = (i: number): number => LEFT + bw * (i + 0.5);
  const y = (v: number): number => top + (1 - v / max) * h;
  const ticks: number[] = [];
  for (let v = 0; v <= max; v += step) ticks.push(v);
  const grid = ticks
    .map((v) => `<line class="grid" x1="${LEFT}" x2="${W - RIGHT}" y1="${c(y(v))}" y2="${c(y(v))}"/><text class="axis" x="${LEFT - 6}" y="${c(y(v) + 4)}" text-anchor="end">${n(v)}</text>`)
    .join('');
  const width = Math.max(1, bw * 0.7);
  const columns = buckets.map((b, i) => {
    if (b.addedLines === 0) return '';
    const left = c(x(i) - width / 2);
    // Stacked from the axis up: unreviewed AI, reviewed AI, then the rest.
    const parts: [string, number][] = [['ai', b.aiLines - b.reviewedAiLines], ['ai-reviewed', b.reviewedAiLines], ['human', b.addedLines - b.aiLines]];
    let base = 0;
    const rects = parts.map(([cls, v]) => {
      if (v === 0) return '';
      const rect = `<rect class="${cls}" x="${left}" y="${c(y(base + v))}" width="${c(width)}" height="${c(y(base) - y(base + v))}"/>`;
      base += v;
      return rect;
    });
    return `<g><title>${esc(bucketTitle(b))}</title>${rects.join('')}</g>`;
  });
  return [
    `<svg class="chart" viewBox="0 0 ${W} ${height}" role="img" aria-label="Lines added per ${UNIT_WORD[unit]}: unreviewed AI, reviewed AI and other lines">`,
    grid,
    columns.join(''),
    xLabels(buckets, x, top + h + 18),
    '</svg>',
  ].join('');
}

function legend(items: [string, string][]): string {
  return `<p class="legend">${items.map(([cls, text]) => `<span><svg class="swatch" viewBox="0 0 10 10" aria-hidden="true"><rect class="${cls}" width="10" height="10"/></svg>${esc(text)}</span>`).join('')}</p>`;
}

function timelineSection(data: ReportData): string {
  const { unit, buckets } = data.timeline;
  const head = '<section id="timeline"><h2>AI share over time</h2>';
  if (buckets.length === 0) return `${head}<p class="empty">No commits to show.</p></section>`;
  const rows = buckets
    .filter((b) => b.commits > 0)
    .map((b) => `<tr data-bucket="${esc(b.start)}"><td>${esc(b.start)}</td><td class="num">${n(b.commits)}</td><td class="num">${n(b.addedLines)}</td><td class="num">${n(b.aiLines)}</td><td class="num">${pct(b.aiLines, b.addedLines)}</td><td class="num">${n(b.reviewedAiLines)}</td></tr>`);
  return [
    head,
    `<p class="note">Per ${UNIT_WORD[unit]} (UTC, by commit date): the share of the lines added that AI wrote, and the lines added.</p>`,
    `<figure>${shareChart(buckets, unit)}<figcaption>AI-written share of the lines added</figcaption></figure>`,
    `<figure>${linesChart(buckets, unit)}<figcaption>Lines added</figcaption></figure>`,
    legend([['ai', 'AI-written, unreviewed'], ['ai-reviewed', 'AI-written, reviewed'], ['human', 'other lines']]),
    `<details><summary>As a table</summary><table class="data"><thead><tr><th>${esc(unit[0].toUpperCase() + unit.slice(1))}</th><th class="num">Commits</th><th class="num">Lines added</th><th class="num">AI lines</th><th class="num">AI share</th><th class="num">Reviewed</th></tr></thead><tbody>${rows.join('')}</tbody></table></details>`,
    '</section>',
  ].join('\n');
}

// ---- Review coverage ---------------------------------------------------------------------------

/** A bar split in parts proportional to their values (each with its own tooltip). */
function stackedBar(label: string, parts: [string, number, string][]): string {
  const total = parts.reduce((t, [, v]) => t + v, 0);
  let at = 0;
  const rects = parts.map(([cls, v, text]) => {
    if (v === 0 || total === 0) return '';
    const w = (100 * v) / total;
    const rect = `<rect class="${cls}" x="${c(at)}" width="${c(w)}" height="10"><title>${esc(`${text}: ${n(v)} (${pct(v, total)})`)}</title></rect>`;
    at += w;
    return rect;
  });
  return `<svg class="stacked" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label="${esc(label)}">${total === 0 ? '<rect class="empty" width="100" height="10"/>' : rects.join('')}</svg>`;
}

function coverageSection(data: ReportData): string {
  const s = data.stats;
  const out = ['<section id="coverage"><h2>Review coverage</h2>'];
  out.push(
    `<h3>AI lines added: <span data-figure="coverageText">${n(s.reviewedAiLines)} of ${n(s.aiLines)} reviewed (${pct(s.reviewedAiLines, s.aiLines)})</span></h3>`,
    stackedBar('AI lines added: reviewed and unreviewed', [['ai-reviewed', s.reviewedAiLines, 'reviewed'], ['ai', s.aiLines - s.reviewedAiLines, 'unreviewed']]),
  );
  if (s.tree) {
    const t = s.tree;
    out.push(
      `<h3>The tree at HEAD: ${n(t.aiLines)} of its ${n(t.lines)} lines AI-written (${pct(t.aiLines, t.lines)}), ${n(t.reviewedAiLines)} of those reviewed</h3>`,
      stackedBar('The lines at HEAD: AI-written unreviewed, AI-written reviewed, other', [['ai', t.aiLines - t.reviewedAiLines, 'AI-written, unreviewed'], ['ai-reviewed', t.reviewedAiLines, 'AI-written, reviewed'], ['human', t.lines - t.aiLines, 'other lines']]),
    );
  }
  out.push(legend([['ai', 'AI-written, unreviewed'], ['ai-reviewed', 'AI-written, reviewed'], ...(s.tree ? [['human', 'other lines'] as [string, string]] : [])]), '</section>');
  return out.join('\n');
}

// ---- By tool, source and model -----------------------------------------------------------------

/** A small bar for a table cell: `part` of `whole`. */
function cellBar(part: number, whole: number, cls = 'ai'): string {
  const w = whole === 0 ? 0 : (100 * part) / whole;
  return `<svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true"><rect class="track" width="100" height="10"/><rect class="${cls}" width="${c(w)}" height="10"/></svg>`;
}

function breakdownTable(kind: string, counts: Record<string, number>, aiLines: number): string {
  const rows = Object.entries(counts).sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0));
  if (rows.length === 0) return '';
  const max = rows[0][1];
  return [
    `<table class="data breakdown" data-breakdown="${kind}"><thead><tr><th>${esc(kind[0].toUpperCase() + kind.slice(1))}</th><th class="num">AI lines</th><th class="num">Share</th><th><span class="sr">Bar</span></th></tr></thead><tbody>`,
    ...rows.map(([key, v]) => `<tr data-key="${esc(key)}"><td>${esc(key)}</td><td class="num" data-value="${v}">${n(v)}</td><td class="num">${pct(v, aiLines)}</td><td>${cellBar(v, max)}</td></tr>`),
    '</tbody></table>',
  ].join('');
}

function breakdownSection(byTool: Record<string, number>, bySource: Record<string, number>, byModel: Record<string, number>, aiLines: number): string {
  if (aiLines === 0) return '<section id="tools"><h2>AI lines by tool</h2><p class="empty">No AI-written lines.</p></section>';
  return [
    '<section id="tools"><h2>AI lines by tool</h2>',
    breakdownTable('tool', byTool, aiLines),
    '<div class="pair">',
    `<div><h3>By source</h3>${breakdownTable('source', bySource, aiLines)}</div>`,
    `<div><h3>By model</h3>${breakdownTable('model', byModel, aiLines)}</div>`,
    '</div></section>',
  ].join('\n');
}

// ---- Files with the most unreviewed AI lines ---------------------------------------------------

function runLink(file: UnreviewedFile, run: UnreviewedFile['runs'][number], options: RenderOptions): string {
  const text = run.from === run.to ? String(run.from) : `${run.from}–${run.to}`;
  const tip = `${run.tool ?? 'unknown tool'} (${run.source}), commit ${run.commit.slice(0, 12)}`;
  const data = `data-path="${esc(file.path)}" data-line="${run.from}"`;
  if (options.mode === 'webview') return `<a href="#" class="run" ${data} title="${esc(tip)}">${text}</a>`;
  if (options.lineLink) return `<a href="${esc(options.lineLink(file.path, run.from))}" class="run" ${data} title="${esc(tip)}">${text}</a>`;
  return `<span class="run" ${data} title="${esc(tip)}">${text}</span>`;
}

function filesSection(data: ReportData, options: RenderOptions): string {
  const u = data.unreviewed;
  const where = u.scope === 'tree' ? `in the tree at HEAD (<code>${esc(u.commit.slice(0, 12))}</code>)` : `among the lines the range adds, numbered as in <code>${esc(u.commit.slice(0, 12))}</code>`;
  const head = '<section id="files"><h2>Files with the most unreviewed AI lines</h2>';
  if (u.files === 0) return `${head}<p class="empty" data-figure="unreviewedFiles" data-value="0">No unreviewed AI lines ${where}.</p></section>`;
  const max = u.top[0].lines;
  const rows = u.top.map((f) => {
    const runs = f.runs.map((r) => runLink(f, r, options)).join(' ') + (f.moreRuns ? ` <span class="more">and ${n(f.moreRuns)} more</span>` : '');
    return `<tr data-path="${esc(f.path)}"><td class="path">${esc(f.path)}</td><td class="num" data-value="${f.lines}">${n(f.lines)}</td><td>${cellBar(f.lines, max)}</td><td class="runs">${runs}</td></tr>`;
  });
  const more = u.files - u.top.length;
  return [
    head,
    `<p class="note"><span data-figure="unreviewedInFiles" data-value="${u.lines}">${n(u.lines)}</span> unreviewed AI line${u.lines === 1 ? '' : 's'} in <span data-figure="unreviewedFiles" data-value="${u.files}">${n(u.files)}</span> file${u.files === 1 ? '' : 's'} ${where}.${options.mode === 'webview' ? ' A line number opens the file there.' : options.lineLink ? ' A line number opens the file there in VS Code (your working tree).' : ''}</p>`,
    `<table class="data files"><thead><tr><th>File</th><th class="num">Unreviewed AI lines</th><th><span class="sr">Bar</span></th><th>Lines</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
    more > 0 ? `<p class="note">And ${n(more)} more file${more === 1 ? '' : 's'}.</p>` : '',
    '</section>',
  ].join('\n');
}

// ---- By author ---------------------------------------------------------------------------------

function authorsSection(byAuthor: Record<string, Tally>): string {
  const rows = Object.entries(byAuthor).sort(([a, x], [b, y]) => y.addedLines - x.addedLines || (a < b ? -1 : a > b ? 1 : 0));
  if (rows.length === 0) return '';
  return [
    '<section id="authors"><h2>By author</h2>',
    '<table class="data"><thead><tr><th>Author</th><th class="num">Lines added</th><th class="num">AI lines</th><th class="num">AI share</th><th class="num">Reviewed</th><th class="num">Coverage</th></tr></thead><tbody>',
    ...rows.map(([who, t]) => `<tr data-key="${esc(who)}"><td>${esc(who)}</td><td class="num">${n(t.addedLines)}</td><td class="num">${n(t.aiLines)}</td><td class="num">${pct(t.aiLines, t.addedLines)}</td><td class="num">${n(t.reviewedAiLines)}</td><td class="num">${t.aiLines === 0 ? '–' : pct(t.reviewedAiLines, t.aiLines)}</td></tr>`),
    '</tbody></table></section>',
  ].join('\n');
}

// ---- Style and script --------------------------------------------------------------------------

const FILE_COLOURS = `
:root { --fg: #1f2328; --bg: #ffffff; --muted: #59636e; --border: #d1d9e0; --grid: #e4e8ec; --card: #f6f8fa; --link: #0969da;
  --ai: #a31db0; --ai-reviewed: #16825d; --human: #c1c8cf; --track: #eef1f4; --warn: #9a6700; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --bg: #0d1117; --muted: #9198a1; --border: #3d444d; --grid: #262c33; --card: #151b23; --link: #4493f8;
    --ai: #c586c0; --ai-reviewed: #4ec9b0; --human: #4a525b; --track: #1d232b; --warn: #d29922; }
}
body { font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }`;

// VS Code sets its theme's colours as --vscode-* variables on the webview's page; contributed colours too.
const WEBVIEW_COLOURS = `
:root { --fg: var(--vscode-editor-foreground); --bg: var(--vscode-editor-background); --muted: var(--vscode-descriptionForeground);
  --border: var(--vscode-widget-border, var(--vscode-editorWidget-border, rgba(128, 128, 128, 0.35)));
  --grid: var(--vscode-editorIndentGuide-background1, rgba(128, 128, 128, 0.2)); --card: var(--vscode-editorWidget-background);
  --link: var(--vscode-textLink-foreground); --ai: var(--vscode-aiProvenance-unreviewedForeground, var(--vscode-charts-purple));
  --ai-reviewed: var(--vscode-charts-green); --human: var(--vscode-charts-lines, rgba(128, 128, 128, 0.5));
  --track: var(--vscode-editorWidget-background, rgba(128, 128, 128, 0.15)); --warn: var(--vscode-editorWarning-foreground); }
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); }`;

const STYLE = `
* { box-sizing: border-box; }
body { color: var(--fg); background: var(--bg); margin: 0; padding: 0 24px 24px; }
header, main, footer { max-width: 1000px; margin: 0 auto; }
h1 { font-size: 1.6em; margin: 0.8em 0 0.1em; font-weight: 600; }
h1 .repo { color: var(--muted); font-weight: 400; }
h2 { font-size: 1.2em; margin: 1.6em 0 0.4em; padding-bottom: 0.2em; border-bottom: 1px solid var(--border); font-weight: 600; }
h3 { font-size: 1em; margin: 1em 0 0.3em; font-weight: 500; }
a { color: var(--link); }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.92em; }
.scope, .note, .legend, footer { color: var(--muted); }
.warnings { color: var(--warn); padding-left: 1.2em; }
.figures { display: flex; flex-wrap: wrap; gap: 12px; margin: 1em 0; }
.figure { background: var(--card); border: 1px solid var(--border); border-radius: 6px; padding: 10px 14px; min-width: 140px; flex: 1 1 140px; display: flex; flex-direction: column; }
.figure .value { font-size: 1.7em; font-weight: 600; font-variant-numeric: tabular-nums; }
.figure .label { color: var(--muted); }
.figure .share { font-size: 0.9em; }
figure { margin: 0.5em 0; }
figcaption { color: var(--muted); font-size: 0.9em; }
svg.chart { width: 100%; height: auto; display: block; }
svg text.axis { fill: var(--muted); font-size: 11px; }
line.grid { stroke: var(--grid); stroke-width: 1; }
path.share-line { fill: none; stroke: var(--ai); stroke-width: 2; }
circle.dot { fill: var(--ai); }
rect.ai { fill: var(--ai); }
rect.ai-reviewed { fill: var(--ai-reviewed); }
rect.human { fill: var(--human); }
rect.track, rect.empty { fill: var(--track); }
svg.stacked { width: 100%; height: 18px; display: block; border-radius: 3px; }
svg.bar { width: 10em; height: 0.8em; display: block; }
svg.swatch { width: 0.8em; height: 0.8em; margin-right: 0.3em; vertical-align: -0.05em; }
.legend span { margin-right: 1.2em; white-space: nowrap; }
table.data { border-collapse: collapse; width: 100%; margin: 0.4em 0; }
table.data th, table.data td { text-align: left; padding: 3px 8px; border-bottom: 1px solid var(--border); vertical-align: middle; }
table.data th { font-weight: 600; color: var(--muted); }
.num { text-align: right !important; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.path { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.92em; word-break: break-all; }
td.runs .run { margin-right: 0.4em; font-variant-numeric: tabular-nums; }
.pair { display: flex; flex-wrap: wrap; gap: 24px; }
.pair > div { flex: 1 1 300px; }
details { margin: 0.5em 0; }
summary { cursor: pointer; color: var(--muted); }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
footer { margin-top: 2em; font-size: 0.9em; border-top: 1px solid var(--border); }
`;

/** In the webview a line link asks the extension to open the file there (the page cannot navigate). */
const WEBVIEW_SCRIPT = `
(function () {
  const vscode = acquireVsCodeApi();
  document.addEventListener('click', function (event) {
    const link = event.target instanceof Element ? event.target.closest('a[data-line]') : null;
    if (!link) return;
    event.preventDefault();
    vscode.postMessage({ type: 'open', path: link.getAttribute('data-path'), line: Number(link.getAttribute('data-line')) });
  });
})();`;
