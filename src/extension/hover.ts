/** The hover on an AI-written line: where the text came from, when, who, and the review actions. */
import * as vscode from 'vscode';
import { coveredLines, Region, Source } from '../core/regions';
import { plural } from '../core/text';
import { Disposable } from './disposable';
import { DocumentTracker } from './documentTracker';

const SOURCE_LABELS: Record<Source, string> = {
  inline: 'inline completion',
  'inline-partial': 'inline completion (partly accepted)',
  'next-edit': 'next edit suggestion',
  chat: 'chat edit',
  agent: 'agent edit',
  external: 'external tool',
  manual: 'marked by hand',
};

export function sourceLabel(source: Source): string {
  return SOURCE_LABELS[source] ?? source;
}

/** "5 minutes ago"; coarse on purpose, the exact time is beside it. */
export function ago(iso: string, now = Date.now()): string {
  const s = Math.round((now - Date.parse(iso)) / 1000);
  if (!Number.isFinite(s)) return 'at an unknown time';
  if (s < 60) return 'just now';
  const units: [number, string][] = [[86400, 'day'], [3600, 'hour'], [60, 'minute']];
  for (const [size, name] of units) {
    const n = Math.floor(s / size);
    if (n >= 1) return `${plural(n, name)} ago`;
  }
  return 'just now';
}

function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${ago(iso)} (${d.toLocaleString()})`;
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
  const lines = first === last ? `line ${first + 1}` : `lines ${first + 1}–${last + 1}`;
  md.appendMarkdown(`$(sparkle) **AI-written code** · ${r.review ? 'reviewed' : 'unreviewed'} · ${lines}\n\n`);
  const tool = [r.tool, r.model].filter(Boolean).join(', ');
  md.appendMarkdown(`Source: ${sourceLabel(r.source)}${tool ? ` (${escape(tool)})` : ''}\n\n`);
  md.appendMarkdown(`Written ${when(r.createdAt)}${r.author ? ` by ${escape(r.author)}` : ''}\n\n`);
  if (r.review) {
    md.appendMarkdown(`Reviewed ${when(r.review.at)} by ${escape(r.review.by)}\n\n`);
  } else {
    const links = [commandLink('Mark reviewed', 'aiProvenance.markReviewed', { uri: uri.toString(), id: r.id })];
    links.push(commandLink(unreviewedInFile > 1 ? `Mark file reviewed (${unreviewedInFile} regions)` : 'Mark file reviewed', 'aiProvenance.markFileReviewed', { uri: uri.toString() }));
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
