/**
 * The hover on an AI-written line: where the text came from, when, who, and the review actions;
 * and, for a committed line, which commit wrote it and who reviewed it there (from the commit's
 * provenance note), also on lines a teammate's commit brought whose markers are not in this clone.
 */
import * as vscode from 'vscode';
import { LineProvenance } from '../core/history';
import { coveredLines, isSource, Region, Source } from '../core/regions';
import { Disposable } from './disposable';
import { ago, countOf } from './format';
import { DocumentTracker } from './documentTracker';
import { Log } from './log';
import { Repositories } from './repositories';

// A function, not a table: the words are looked up in the display language when shown.
const SOURCE_LABELS: Record<Source, () => string> = {
  inline: () => vscode.l10n.t('inline completion'),
  'inline-partial': () => vscode.l10n.t('inline completion (partly accepted)'),
  'next-edit': () => vscode.l10n.t('next edit suggestion'),
  chat: () => vscode.l10n.t('chat edit'),
  agent: () => vscode.l10n.t('agent edit'),
  external: () => vscode.l10n.t('external tool'),
  manual: () => vscode.l10n.t('marked by hand'),
};

export function sourceLabel(source: Source): string {
  return SOURCE_LABELS[source]?.() ?? source;
}

export { ago } from './format';

function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${ago(iso)} (${d.toLocaleString(vscode.env.language)})`;
}

function commandLink(title: string, command: string, args: unknown): string {
  return `[${title}](command:${command}?${encodeURIComponent(JSON.stringify([args]))} "${title}")`;
}

/** The hover's Markdown for one region. */
export function describeRegion(r: Region, uri: vscode.Uri, unreviewedInFile: number, lineLength?: (line: number) => number): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  // Only our own commands may run from the links; nothing else in the hover is trusted.
  md.isTrusted = { enabledCommands: ['aiProvenance.markReviewed', 'aiProvenance.markFileReviewed'] };
  const { first, last } = coveredLines(r, lineLength);
  const lines = first === last ? vscode.l10n.t('line {0}', first + 1) : vscode.l10n.t('lines {0}–{1}', first + 1, last + 1);
  md.appendMarkdown(`$(sparkle) **${vscode.l10n.t('AI-written code')}** · ${r.review ? vscode.l10n.t('reviewed') : vscode.l10n.t('unreviewed')} · ${lines}\n\n`);
  const tool = [r.tool, r.model].filter(Boolean).join(', ');
  md.appendMarkdown(`${vscode.l10n.t('Source: {0}', `${sourceLabel(r.source)}${tool ? ` (${escape(tool)})` : ''}`)}\n\n`);
  md.appendMarkdown(`${r.author ? vscode.l10n.t('Written {0} by {1}', when(r.createdAt), escape(r.author)) : vscode.l10n.t('Written {0}', when(r.createdAt))}\n\n`);
  if (r.review) {
    md.appendMarkdown(`${vscode.l10n.t('Reviewed {0} by {1}', when(r.review.at), escape(r.review.by))}\n\n`);
  } else {
    const links = [commandLink(vscode.l10n.t('Mark reviewed'), 'aiProvenance.markReviewed', { uri: uri.toString(), id: r.id })];
    links.push(commandLink(unreviewedInFile > 1 ? vscode.l10n.t('Mark file reviewed ({0})', countOf(unreviewedInFile, 'regions')) : vscode.l10n.t('Mark file reviewed'), 'aiProvenance.markFileReviewed', { uri: uri.toString() }));
    md.appendMarkdown(links.join(' · '));
  }
  return md;
}

/**
 * The hover's Markdown for what history says of one line: the commit that wrote it and its note's
 * review. With no marker on the line (`alone`), it also says where the text came from and offers
 * the file's review, which records it in the note.
 */
export function describeCommitted(p: LineProvenance, uri: vscode.Uri, alone: boolean, everyLine = false): vscode.MarkdownString | undefined {
  if (!p.commit) return alone && !everyLine ? undefined : new vscode.MarkdownString(`$(git-commit) ${vscode.l10n.t('Not committed yet')}`, true);
  if (alone && !p.ai && !everyLine) return undefined;
  const md = new vscode.MarkdownString(undefined, true);
  md.isTrusted = { enabledCommands: ['aiProvenance.markFileReviewed'] };
  const commit = `\`${p.commit.slice(0, 12)}\``;
  if (alone && p.ai) md.appendMarkdown(`$(sparkle) **${vscode.l10n.t('AI-written code')}** · ${p.reviewed ? vscode.l10n.t('reviewed') : vscode.l10n.t('unreviewed')} · ${vscode.l10n.t('line {0}', p.line)}\n\n`);
  if (alone && p.source) {
    const tool = [p.tool, p.model].filter(Boolean).join(', ');
    const source = isSource(p.source) ? sourceLabel(p.source) : p.source;
    md.appendMarkdown(`${vscode.l10n.t('Source: {0}', `${source}${tool ? ` (${escape(tool)})` : ''}`)}\n\n`);
  }
  md.appendMarkdown(`$(git-commit) ${vscode.l10n.t('Committed in {0}', commit)}`);
  if (!p.noted) md.appendMarkdown(` · ${vscode.l10n.t('the commit carries no provenance note')}`);
  else if (!p.ai) md.appendMarkdown(` · ${vscode.l10n.t('its note does not list this line as AI-written')}`);
  else if (p.reviewed && p.reviewer) md.appendMarkdown(` · ${vscode.l10n.t('reviewed {0} by {1}', p.reviewedAt ? when(p.reviewedAt) : '', escape(p.reviewer))}`);
  else md.appendMarkdown(` · ${vscode.l10n.t('not reviewed in its note')}`);
  md.appendMarkdown('\n\n');
  if (alone && p.ai && !p.reviewed) md.appendMarkdown(commandLink(vscode.l10n.t('Mark file reviewed'), 'aiProvenance.markFileReviewed', { uri: uri.toString() }));
  return md;
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

export class ProvenanceHover extends Disposable implements vscode.HoverProvider {
  constructor(
    private readonly tracker: DocumentTracker,
    private readonly repos: Repositories,
    private readonly log: Log,
    /** Whether "Show AI History" is on: then every line's hover says where it came from. */
    private readonly everyLine: () => boolean = () => false,
  ) {
    super();
    this.register(vscode.languages.registerHoverProvider({ scheme: 'file' }, this));
  }

  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const regions = this.tracker.regions(document.uri);
    if (regions === undefined) return undefined; // not tracked: not in a repository, binary, too large
    const lineLength = (l: number): number => (l < document.lineCount ? document.lineAt(l).text.length : 0);
    const here = regions.filter((r) => {
      const { first, last } = coveredLines(r, lineLength);
      return position.line >= first && position.line <= last;
    });
    const history = await this.history(document, position.line);
    if (token.isCancellationRequested) return undefined;
    const committed = history && describeCommitted(history, document.uri, here.length === 0, this.everyLine());
    if (!here.length && !committed) return undefined;
    const unreviewed = regions.filter((r) => !r.review).length;
    const contents = here.map((r) => describeRegion(r, document.uri, unreviewed, lineLength));
    if (committed) contents.push(committed);
    return new vscode.Hover(contents, document.lineAt(position.line).range);
  }

  /** What history says of one line of the document as it is now (unsaved text included); undefined when it cannot tell. */
  private async history(document: vscode.TextDocument, line: number): Promise<LineProvenance | undefined> {
    const repo = await this.repos.forUri(document.uri);
    if (!repo) return undefined;
    try {
      const [p] = await repo.lineHistory(repo.relative(document.uri.fsPath), { from: line + 1, to: line + 1 }, document.isDirty ? document.getText() : undefined);
      return p;
    } catch (e) {
      this.log.warn(`reading the history of ${document.uri.fsPath}:${line + 1} for the hover failed: ${(e as Error).message}`);
      return undefined;
    }
  }
}
