/**
 * "AI Provenance: Show Report": the page `ai-provenance report --html` writes, in a webview panel,
 * for the whole history of HEAD of the active file's repository (or the workspace's). The page is
 * the same renderer's in its webview mode: VS Code's theme colours, a nonce-only Content Security
 * Policy, and line links that post a message, which opens the file at that line beside the report.
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ReportData } from '../core/report';
import { renderReport } from '../core/reportHtml';
import { VERSION } from '../core/version';
import { historyReport } from '../store/report';
import { Repository } from '../store/repository';
import { Disposable } from './disposable';
import { Log } from './log';
import { Repositories } from './repositories';

/** What the panel shows; tests read it through the API. */
export interface ShownReport {
  title: string;
  root: string;
  data: ReportData;
  html: string;
}

const VIEW_TYPE = 'aiProvenance.report';

export class ReportPanel extends Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private shown: ShownReport | undefined;

  constructor(
    private readonly repos: Repositories,
    private readonly log: Log,
  ) {
    super();
    this.register(vscode.commands.registerCommand('aiProvenance.showReport', () => this.show()));
    this.register({ dispose: () => this.panel?.dispose() });
  }

  get current(): ShownReport | undefined {
    return this.shown;
  }

  async show(): Promise<void> {
    try {
      const repo = await this.repository();
      if (!repo) {
        void vscode.window.showInformationMessage(vscode.l10n.t('AI Provenance: open a folder in a git repository to see its report.'));
        return;
      }
      const { policy, error } = await repo.policy();
      if (error) this.log.warn(`${error}; using the default policy`);
      const data = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('AI Provenance: reading the history of {0}…', path.basename(repo.root)) },
        () => historyReport(repo.root, undefined, (p) => policy.isIgnored(p)),
      );
      this.present(repo.root, data);
    } catch (e) {
      this.log.error('Showing the report failed', e);
      const pick = await vscode.window.showErrorMessage(vscode.l10n.t('AI Provenance: cannot show the report: {0}', (e as Error).message), vscode.l10n.t('Show Log'));
      if (pick) this.log.show();
    }
  }

  /** The active file's repository; else the workspace's, asking when there are several. */
  private async repository(): Promise<Repository | undefined> {
    const active = vscode.window.activeTextEditor?.document.uri;
    const fromEditor = active && (await this.repos.forUri(active));
    if (fromEditor) return fromEditor;
    const all = await this.repos.discoverWorkspace();
    const roots = [...new Map(all.map((r) => [r.root, r])).values()];
    if (roots.length <= 1) return roots[0];
    const pick = await vscode.window.showQuickPick(
      roots.map((r) => ({ label: path.basename(r.root), description: r.root, repo: r })),
      { placeHolder: vscode.l10n.t('Which repository?') },
    );
    return pick?.repo;
  }

  private present(root: string, data: ReportData): void {
    const title = vscode.l10n.t('AI Provenance Report: {0}', data.repository);
    if (!this.panel) {
      const panel = vscode.window.createWebviewPanel(VIEW_TYPE, title, vscode.ViewColumn.Active, {
        enableScripts: true,
        enableForms: false,
        localResourceRoots: [],
        enableFindWidget: true,
      });
      this.panel = panel;
      panel.onDidDispose(() => {
        if (this.panel === panel) {
          this.panel = undefined;
          this.shown = undefined;
        }
      });
      panel.webview.onDidReceiveMessage((m: unknown) => void this.receive(m));
    } else {
      this.panel.title = title;
      this.panel.reveal();
    }
    const html = renderReport(data, { mode: 'webview', nonce: randomBytes(18).toString('base64'), generator: `AI Provenance ${VERSION}` });
    this.panel.webview.html = html;
    this.shown = { title, root, data, html };
  }

  /**
   * A message from the page: `{type: "open", path, line}` when a line link is clicked. The page is
   * ours, but what it sends is checked like any input: only a file the report links, a whole line.
   */
  async receive(message: unknown): Promise<void> {
    const shown = this.shown;
    if (!shown || typeof message !== 'object' || message === null) return;
    const { type, path: rel, line } = message as Record<string, unknown>;
    if (type !== 'open' || typeof rel !== 'string' || typeof line !== 'number' || !Number.isInteger(line) || line < 1) return;
    if (!shown.data.unreviewed.top.some((f) => f.path === rel)) return;
    const uri = vscode.Uri.file(path.join(shown.root, rel));
    try {
      const document = await vscode.workspace.openTextDocument(uri);
      const at = document.validatePosition(new vscode.Position(line - 1, 0));
      await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, selection: new vscode.Range(at, at) });
    } catch (e) {
      this.log.warn(`opening ${uri.fsPath} from the report failed: ${(e as Error).message}`);
      void vscode.window.showWarningMessage(vscode.l10n.t('AI Provenance: cannot open {0}: it is not in the working tree.', rel));
    }
  }
}
