/**
 * Explorer (and open editors, tabs) decorations for files holding unreviewed AI code: a count badge
 * and the unreviewed colour, which VS Code carries up to every folder above the file (`propagate`),
 * as the git extension does for changed files. Driven by the workspace model the review panel
 * reads, so the Explorer and the panel always agree.
 */
import * as vscode from 'vscode';
import { Disposable } from './disposable';
import { countOf } from './format';
import { WorkspaceModel } from './workspaceModel';

const COLOR = new vscode.ThemeColor('aiProvenance.explorerUnreviewedForeground');

export class ExplorerDecorations extends Disposable implements vscode.FileDecorationProvider {
  /** uri -> unreviewed regions in that file, as last drawn. */
  private counts = new Map<string, { uri: vscode.Uri; n: number }>();
  private readonly changed = this.register(new vscode.EventEmitter<vscode.Uri[]>());
  readonly onDidChangeFileDecorations = this.changed.event;

  constructor(private readonly model: WorkspaceModel) {
    super();
    this.register(model.onDidChange(() => this.update()));
    this.register(vscode.window.registerFileDecorationProvider(this));
    this.update();
  }

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    const n = this.counts.get(uri.toString())?.n;
    if (!n) return undefined;
    // A badge holds two characters at most.
    const decoration = new vscode.FileDecoration(n > 9 ? '9+' : String(n), countOf(n, 'unreviewedRegions'), COLOR);
    decoration.propagate = true;
    return decoration;
  }

  /** Redraws only the files whose count changed (VS Code re-asks for their folders itself). */
  private update(): void {
    const next = new Map<string, { uri: vscode.Uri; n: number }>();
    for (const entry of this.model.files()) next.set(entry.uri.toString(), { uri: entry.uri, n: entry.regions.length });
    const changed: vscode.Uri[] = [];
    for (const [key, { uri, n }] of next) if (this.counts.get(key)?.n !== n) changed.push(uri);
    for (const [key, { uri }] of this.counts) if (!next.has(key)) changed.push(uri);
    this.counts = next;
    if (changed.length) this.changed.fire(changed);
  }
}
