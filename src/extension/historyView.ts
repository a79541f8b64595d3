/**
 * "Show AI History": committed AI lines get their own gutter icons (reviewed in their commit's
 * note, or not), and a CodeLens on a file's first line says how much of it is AI-written and
 * whether all of that was reviewed. Read from git blame and the notes (Repository.lineHistory), so
 * it is done per visible file when the view is switched on, when a file is shown or saved, and
 * when HEAD moves (a commit, checkout, pull); never on a keystroke: the editor moves the drawn
 * icons with the text until the next save.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LineProvenance } from '../core/history';
import { coveredLines } from '../core/regions';
import { gitPath } from '../store/git';
import { Disposable } from './disposable';
import { DocumentTracker } from './documentTracker';
import { Log } from './log';
import { Repositories } from './repositories';

/** What one history redraw of one editor drew; tests read it through the API. */
export interface HistoryReport {
  uri: string;
  /** 0-based lines of committed AI code, by their note's review. */
  reviewed: number[];
  unreviewed: number[];
  /** The file header's text, or undefined when the file has no AI lines. */
  header: string | undefined;
}

/** The share of a file that is AI-written and how much of that is unreviewed, committed or not. */
export interface FileShare {
  lines: number;
  ai: number;
  unreviewed: number;
}

const STATE_KEY = 'aiProvenance.historyShown';
const CONTEXT_KEY = 'aiProvenance.historyShown';
const REFRESH_DELAY_MS = 300;

/** The header's words: "42% AI-written · all reviewed". */
export function headerText(s: FileShare): string | undefined {
  if (s.ai === 0) return undefined;
  const pct = Math.max(1, Math.round((100 * s.ai) / Math.max(s.lines, 1)));
  const state = s.unreviewed === 0 ? vscode.l10n.t('all reviewed') : vscode.l10n.t('{0} of {1} lines unreviewed', s.unreviewed, s.ai);
  return `$(sparkle) ${vscode.l10n.t('{0}% AI-written', pct)} · ${state}`;
}

export class HistoryView extends Disposable implements vscode.CodeLensProvider {
  private shown: boolean;
  private readonly reviewedType: vscode.TextEditorDecorationType;
  private readonly unreviewedType: vscode.TextEditorDecorationType;
  private readonly headers = new Map<string, string | undefined>();
  private readonly pending = new Set<string>();
  private timer?: NodeJS.Timeout;
  private readonly headWatchers = new Map<string, fs.FSWatcher | undefined>();
  private readonly lensesChanged = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.lensesChanged.event;
  private readonly drawn = this.register(new vscode.EventEmitter<HistoryReport>());
  readonly onDidDraw = this.drawn.event;

  constructor(
    private readonly repos: Repositories,
    private readonly tracker: DocumentTracker,
    private readonly state: vscode.Memento,
    extensionPath: string,
    private readonly log: Log,
  ) {
    super();
    this.shown = state.get<boolean>(STATE_KEY, false);
    const type = (kind: 'reviewed' | 'unreviewed'): vscode.TextEditorDecorationType =>
      this.register(vscode.window.createTextEditorDecorationType({
        light: { gutterIconPath: vscode.Uri.file(path.join(extensionPath, 'media', `history-${kind}-light.svg`)) },
        dark: { gutterIconPath: vscode.Uri.file(path.join(extensionPath, 'media', `history-${kind}-dark.svg`)) },
        gutterIconSize: 'contain',
        isWholeLine: true,
        rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
      }));
    this.reviewedType = type('reviewed');
    this.unreviewedType = type('unreviewed');
    this.register(vscode.commands.registerCommand('aiProvenance.showHistory', () => this.setShown(true)));
    this.register(vscode.commands.registerCommand('aiProvenance.hideHistory', () => this.setShown(false)));
    this.register(vscode.languages.registerCodeLensProvider({ scheme: 'file' }, this));
    this.register(vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach((e) => this.schedule(e.document.uri))));
    this.register(vscode.workspace.onDidSaveTextDocument((d) => this.schedule(d.uri)));
    // A marker added or reviewed changes the header's share.
    this.register(tracker.onDidChangeRegions((uri) => this.scheduleIfSaved(uri)));
    this.register(repos.onDidOpenRepository(() => this.refreshAll()));
    this.register({ dispose: () => {
      clearTimeout(this.timer);
      for (const w of this.headWatchers.values()) w?.close();
    } });
    void vscode.commands.executeCommand('setContext', CONTEXT_KEY, this.shown);
    if (this.shown) this.refreshAll();
  }

  get isShown(): boolean {
    return this.shown;
  }

  async setShown(on: boolean): Promise<void> {
    this.shown = on;
    await this.state.update(STATE_KEY, on);
    await vscode.commands.executeCommand('setContext', CONTEXT_KEY, on);
    if (on) this.refreshAll();
    else {
      for (const e of vscode.window.visibleTextEditors) this.clear(e);
      for (const w of this.headWatchers.values()) w?.close();
      this.headWatchers.clear();
      this.headers.clear();
      this.lensesChanged.fire();
    }
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const header = this.shown ? this.headers.get(document.uri.toString()) : undefined;
    if (!header) return [];
    return [new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), { title: header, command: '' })];
  }

  refreshAll(): void {
    if (!this.shown) return;
    for (const e of vscode.window.visibleTextEditors) this.schedule(e.document.uri);
  }

  private scheduleIfSaved(uri: vscode.Uri): void {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (doc && !doc.isDirty) this.schedule(uri);
  }

  /** Redraws a file's history soon (a review of its committed lines was recorded). */
  refresh(uri: vscode.Uri): void {
    this.schedule(uri);
  }

  private schedule(uri: vscode.Uri): void {
    if (!this.shown || uri.scheme !== 'file') return;
    this.pending.add(uri.toString());
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      const uris = new Set(this.pending);
      this.pending.clear();
      for (const e of vscode.window.visibleTextEditors) if (uris.has(e.document.uri.toString())) void this.draw(e);
    }, REFRESH_DELAY_MS);
  }

  private clear(editor: vscode.TextEditor): void {
    editor.setDecorations(this.reviewedType, []);
    editor.setDecorations(this.unreviewedType, []);
  }

  private async draw(editor: vscode.TextEditor): Promise<void> {
    const document = editor.document;
    const repo = await this.repos.forUri(document.uri);
    if (!repo || !this.shown) return;
    void this.watchHead(repo.root);
    let lines: LineProvenance[];
    try {
      lines = await repo.lineHistory(repo.relative(document.uri.fsPath), undefined, document.isDirty ? document.getText() : undefined);
    } catch (e) {
      this.log.warn(`reading the history of ${document.uri.fsPath} failed: ${(e as Error).message}`);
      return;
    }
    if (!this.shown || document.isClosed) return;
    const reviewed: number[] = [];
    const unreviewed: number[] = [];
    for (const p of lines) if (p.commit && p.ai) (p.reviewed ? reviewed : unreviewed).push(p.line - 1);
    const share = this.shareOf(document, lines);
    const header = headerText(share);
    const key = document.uri.toString();
    const toRanges = (ls: number[]) => ls.filter((l) => l < document.lineCount).map((l) => new vscode.Range(l, 0, l, 0));
    editor.setDecorations(this.reviewedType, toRanges(reviewed));
    editor.setDecorations(this.unreviewedType, toRanges(unreviewed));
    if (this.headers.get(key) !== header) {
      this.headers.set(key, header);
      this.lensesChanged.fire();
    }
    this.drawn.fire({ uri: key, reviewed, unreviewed, header });
  }

  /** Committed AI lines from history, uncommitted ones from the markers the tracker holds. */
  private shareOf(document: vscode.TextDocument, lines: readonly LineProvenance[]): FileShare {
    const lineLength = (l: number) => (l < document.lineCount ? document.lineAt(l).text.length : 0);
    const marked = new Map<number, boolean>(); // line -> reviewed
    for (const r of this.tracker.regions(document.uri) ?? []) {
      const { first, last } = coveredLines(r, lineLength);
      for (let l = first; l <= last; l++) marked.set(l, (marked.get(l) ?? true) && Boolean(r.review));
    }
    // Blame gives nothing for a file HEAD does not hold: its lines are all uncommitted.
    const history = new Map(lines.map((p) => [p.line - 1, p]));
    const count = document.lineCount - (document.lineAt(document.lineCount - 1).text === '' ? 1 : 0);
    let ai = 0;
    let unreviewed = 0;
    for (let l = 0; l < count; l++) {
      const local = marked.get(l);
      const p = history.get(l);
      const committedAi = p !== undefined && p.commit !== null && p.ai;
      if (local === undefined && !committedAi) continue;
      ai++;
      // A line is reviewed when its marker says so, or (without one) its commit's note does.
      if (local === undefined ? !p?.reviewed : !local) unreviewed++;
    }
    return { lines: count, ai, unreviewed };
  }

  /** HEAD's reflog grows on every commit, checkout, reset, rebase and pull: redraw then. */
  private async watchHead(root: string): Promise<void> {
    if (this.headWatchers.has(root)) return;
    this.headWatchers.set(root, undefined);
    try {
      const w = fs.watch(await gitPath(root, 'logs/HEAD'), () => this.refreshAll());
      w.on('error', () => undefined);
      if (this.shown && this.headWatchers.has(root)) this.headWatchers.set(root, w);
      else w.close();
    } catch {
      // No reflog yet (a repository without commits, or reflogs off): saves and switches still redraw.
      this.headWatchers.delete(root);
    }
  }
}
