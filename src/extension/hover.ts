/** The hover on an AI-written line: where the text came from, when, who, and the review actions. */
import * as vscode from 'vscode';
import { coveredLines, Region, Source } from '../core/regions';
import { Disposable } from './disposable';
import { ago, countOf } from './format';
import { DocumentTracker } from './documentTracker';

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

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

export class ProvenanceHover extends Disposable implements vscode.HoverProvider {
  constructor(private readonly tracker: DocumentTracker) {
    super();
    this.register(vscode.languages.registerHoverProvider({ scheme: 'file' }, this));
  }

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const regions = this.tracker.regions(document.uri);
    if (!regions?.length) return undefined;
    const lineLength = (l: number): number => (l < document.lineCount ? document.lineAt(l).text.length : 0);
    const here = regions.filter((r) => {
      const { first, last } = coveredLines(r, lineLength);
      return position.line >= first && position.line <= last;
    });
    if (!here.length) return undefined;
    const unreviewed = regions.filter((r) => !r.review).length;
    return new vscode.Hover(here.map((r) => describeRegion(r, document.uri, unreviewed, lineLength)), document.lineAt(position.line).range);
  }
}
