/**
 * Gutter icons and overview-ruler marks on AI-written lines. Decoration types are created once;
 * a change of regions marks only that document for redraw, and redraws are batched so that a burst
 * of keystrokes costs one redraw. The editor itself moves existing decorations with each edit, so
 * the short delay is invisible.
 */
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { coveredLines, Region } from '../core/regions';
import { GutterConfig, onDidChangeSection, readGutterConfig } from './config';
import { Disposable } from './disposable';
import { DocumentTracker } from './documentTracker';

/** What one redraw of one editor drew; tests and the benchmark read it through the API. */
export interface DecorationReport {
  uri: string;
  /** 0-based [first, last] line of each decorated region. */
  unreviewed: [number, number][];
  reviewed: [number, number][];
  /** Time spent computing and applying the decorations, in milliseconds. */
  ms: number;
}

/** A redraw waits this long after the first change, to batch the changes of one gesture... */
export const REDRAW_DELAY_MS = 80;
/** ...and comes at most this often while changes keep coming (typing, a held key). */
export const REDRAW_INTERVAL_MS = 250;

export class Gutter extends Disposable {
  private readonly unreviewedType: vscode.TextEditorDecorationType;
  private readonly reviewedType: vscode.TextEditorDecorationType;
  private config: GutterConfig = readGutterConfig();
  private readonly pending = new Set<string>();
  private timer?: NodeJS.Timeout;
  private lastFlush = 0;
  private readonly drawn = this.register(new vscode.EventEmitter<DecorationReport>());
  readonly onDidDecorate = this.drawn.event;

  constructor(private readonly tracker: DocumentTracker, extensionPath: string) {
    super();
    // The two states differ only in their icons and ruler colour: media/gutter-<kind>-<theme>.svg, aiProvenance.<kind>OverviewRuler.
    const type = (kind: 'unreviewed' | 'reviewed'): vscode.TextEditorDecorationType =>
      this.register(vscode.window.createTextEditorDecorationType({
        light: { gutterIconPath: vscode.Uri.file(path.join(extensionPath, 'media', `gutter-${kind}-light.svg`)) },
        dark: { gutterIconPath: vscode.Uri.file(path.join(extensionPath, 'media', `gutter-${kind}-dark.svg`)) },
        gutterIconSize: 'contain',
        isWholeLine: true,
        overviewRulerColor: new vscode.ThemeColor(`aiProvenance.${kind}OverviewRuler`),
        overviewRulerLane: vscode.OverviewRulerLane.Center,
        rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
      }));
    this.unreviewedType = type('unreviewed');
    this.reviewedType = type('reviewed');
    this.register(tracker.onDidChangeRegions((uri) => this.schedule(uri)));
    // Newly shown editors (a split, a tab switch) get drawn at once; their document's regions may not have changed.
    this.register(vscode.window.onDidChangeVisibleTextEditors((editors) => {
      for (const e of editors) this.draw(e);
    }));
    this.register(onDidChangeSection('aiProvenance.gutter', () => {
      this.config = readGutterConfig();
      this.redrawAll();
    }));
    this.register({ dispose: () => clearTimeout(this.timer) });
    this.redrawAll();
  }

  /** Whether no redraw is waiting (tests wait for this instead of sleeping past the delays). */
  get idle(): boolean {
    return this.timer === undefined;
  }

  redrawAll(): void {
    for (const e of vscode.window.visibleTextEditors) this.draw(e);
  }

  private schedule(uri: vscode.Uri): void {
    this.pending.add(uri.toString());
    if (this.timer) return;
    const delay = Math.max(REDRAW_DELAY_MS, this.lastFlush + REDRAW_INTERVAL_MS - Date.now());
    this.timer = setTimeout(() => this.flush(), delay);
  }

  private flush(): void {
    this.timer = undefined;
    this.lastFlush = Date.now();
    const due = new Set(this.pending);
    this.pending.clear();
    for (const e of vscode.window.visibleTextEditors) if (due.has(e.document.uri.toString())) this.draw(e);
  }

  private draw(editor: vscode.TextEditor): void {
    const started = performance.now();
    const regions = this.config.enabled ? this.tracker.regions(editor.document.uri) ?? [] : [];
    const lineLength = (l: number): number => (l < editor.document.lineCount ? editor.document.lineAt(l).text.length : 0);
    const unreviewed = lineSpans(regions.filter((r) => !r.review), lineLength);
    const reviewed = this.config.showReviewed ? lineSpans(regions.filter((r) => r.review), lineLength) : [];
    editor.setDecorations(this.unreviewedType, unreviewed.map(toRange));
    editor.setDecorations(this.reviewedType, reviewed.map(toRange));
    this.drawn.fire({ uri: editor.document.uri.toString(), unreviewed, reviewed, ms: performance.now() - started });
  }
}

function lineSpans(regions: readonly Region[], lineLength: (line: number) => number): [number, number][] {
  return regions.map((r) => {
    const { first, last } = coveredLines(r, lineLength);
    return [first, last];
  });
}

/** Whole-line ranges: the gutter icon and the ruler mark belong to lines, not characters. */
function toRange([first, last]: [number, number]): vscode.Range {
  return new vscode.Range(first, 0, last, 0);
}
