/** The status-bar count of unreviewed AI regions in the workspace; a click opens the review panel. */
import * as vscode from 'vscode';
import { onDidChangeSection, readReviewConfig } from './config';
import { Disposable } from './disposable';
import { unreviewedSummaryOf } from './format';
import { VIEW_ID } from './reviewTree';
import { WorkspaceModel } from './workspaceModel';

export class StatusBar extends Disposable {
  readonly item: vscode.StatusBarItem;
  private enabled = readReviewConfig().statusBar;
  /** Whether the item is shown (StatusBarItem cannot tell). */
  visible = false;

  constructor(private readonly model: WorkspaceModel, private readonly hasRepository: () => boolean) {
    super();
    this.item = this.register(vscode.window.createStatusBarItem('aiProvenance.status', vscode.StatusBarAlignment.Left, 50));
    this.item.name = 'AI Provenance';
    this.item.command = { title: vscode.l10n.t('Open the review panel'), command: `${VIEW_ID}.focus` };
    this.register(model.onDidChange(() => this.update()));
    this.register(onDidChangeSection('aiProvenance.statusBar', () => {
      this.enabled = readReviewConfig().statusBar;
      this.update();
    }));
    this.update();
  }

  update(): void {
    if (!this.enabled || !this.hasRepository()) {
      this.item.hide();
      this.visible = false;
      return;
    }
    // What the commit gate would block; regions in paths the policy ignores are only mentioned.
    const n = this.model.unreviewedCount;
    const files = this.model.files().length;
    const ignored = this.model.ignoredCount;
    const aside = ignored ? ` (${ignored} more in files the repository policy ignores)` : '';
    this.item.text = `$(sparkle) ${n}`;
    this.item.tooltip = n
      ? vscode.l10n.t('AI Provenance: {0}. Click to review.', unreviewedSummaryOf(n, files)) + aside
      : vscode.l10n.t('AI Provenance: no unreviewed AI code') + aside;
    this.item.accessibilityInformation = { label: this.item.tooltip };
    this.item.show();
    this.visible = true;
  }
}
