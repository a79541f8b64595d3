/**
 * The "Unreviewed AI Code" view: files, and under each its unreviewed regions. Built from the
 * WorkspaceModel alone, so expanding or scrolling never touches the disk. `contextValue` ("file",
 * "region") drives the inline actions contributed in package.json.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Disposable } from './disposable';
import { countOf, unreviewedSummaryOf } from './format';
import { ago, sourceLabel } from './hover';
import { FileEntry, RegionSummary, WorkspaceModel } from './workspaceModel';

export const VIEW_ID = 'aiProvenance.review';

export interface FileNode {
  kind: 'file';
  uri: vscode.Uri;
  entry: FileEntry;
}

export interface RegionNode {
  kind: 'region';
  uri: vscode.Uri;
  id: string;
  region: RegionSummary;
  parent: FileNode;
}

export type ReviewNode = FileNode | RegionNode;

/** What the view shows, as plain data (for tests). */
export interface TreeSnapshot {
  label: string;
  description: string;
  contextValue: string;
  node: ReviewNode;
  children: { label: string; description: string; contextValue: string; command?: vscode.Command; node: ReviewNode }[];
}

export function lineLabel(r: Pick<RegionSummary, 'first' | 'last'>): string {
  return r.first === r.last ? `Line ${r.first + 1}` : `Lines ${r.first + 1}–${r.last + 1}`;
}

export class ReviewTree extends Disposable implements vscode.TreeDataProvider<ReviewNode> {
  private readonly changed = this.register(new vscode.EventEmitter<ReviewNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<ReviewNode>;
  private roots?: FileNode[];

  constructor(private readonly model: WorkspaceModel) {
    super();
    this.view = this.register(vscode.window.createTreeView(VIEW_ID, { treeDataProvider: this, showCollapseAll: true }));
    this.register(model.onDidChange(() => this.update()));
    this.update();
  }

  private update(): void {
    this.roots = undefined;
    const total = this.model.unreviewedCount;
    const files = this.model.files().length;
    this.view.badge = total ? { value: total, tooltip: unreviewedSummaryOf(total, files) } : undefined;
    // The welcome views ("nothing to review") and the navigation keybindings read this.
    void vscode.commands.executeCommand('setContext', 'aiProvenance.unreviewedCount', total);
    this.changed.fire(undefined);
  }

  getChildren(node?: ReviewNode): ReviewNode[] {
    if (!node) {
      this.roots ??= this.model.files().map((entry) => ({ kind: 'file', uri: entry.uri, entry }));
      return this.roots;
    }
    if (node.kind === 'region') return [];
    return node.entry.regions.map((region) => ({ kind: 'region', uri: node.uri, id: region.id, region, parent: node }));
  }

  getParent(node: ReviewNode): ReviewNode | undefined {
    return node.kind === 'region' ? node.parent : undefined;
  }

  getTreeItem(node: ReviewNode): vscode.TreeItem {
    if (node.kind === 'file') {
      const { entry } = node;
      const item = new vscode.TreeItem(entry.uri, vscode.TreeItemCollapsibleState.Expanded);
      item.id = entry.uri.toString();
      const dir = path.posix.dirname(entry.rel);
      const n = entry.regions.length;
      item.description = `${dir === '.' ? '' : `${dir} · `}${n}`;
      item.tooltip = `${entry.rel}: ${countOf(n, 'unreviewedRegions')}`;
      item.contextValue = 'file';
      return item;
    }
    const r = node.region;
    const item = new vscode.TreeItem(lineLabel(r), vscode.TreeItemCollapsibleState.None);
    item.id = `${node.uri.toString()}#${r.id}`;
    item.description = r.preview;
    item.iconPath = new vscode.ThemeIcon('sparkle', new vscode.ThemeColor('aiProvenance.unreviewedForeground'));
    const tool = r.tool ? ` (${r.tool})` : '';
    item.tooltip = new vscode.MarkdownString(`${vscode.l10n.t('**{0}** of `{1}`', lineLabel(r), node.parent.entry.rel)}\n\n${vscode.l10n.t('Source: {0}', sourceLabel(r.source) + tool)}\n\n${r.author ? vscode.l10n.t('Written {0} by {1}', ago(r.createdAt), r.author) : vscode.l10n.t('Written {0}', ago(r.createdAt))}`);
    item.contextValue = 'region';
    item.command = { title: vscode.l10n.t('Reveal'), command: 'aiProvenance.revealRegion', arguments: [{ uri: node.uri.toString(), id: r.id }] };
    return item;
  }

  /** The tree as a user sees it, for tests. */
  snapshot(): TreeSnapshot[] {
    const text = (l: vscode.TreeItem['label']) => (typeof l === 'string' ? l : l?.label ?? '');
    return this.getChildren().map((file) => {
      const item = this.getTreeItem(file);
      return {
        label: path.basename((file as FileNode).entry.rel),
        description: String(item.description ?? ''),
        contextValue: item.contextValue ?? '',
        node: file,
        children: this.getChildren(file).map((c) => {
          const ci = this.getTreeItem(c);
          return { label: text(ci.label), description: String(ci.description ?? ''), contextValue: ci.contextValue ?? '', command: ci.command, node: c };
        }),
      };
    });
  }
}
