/**
 * The "Unreviewed AI Code" view: files, and under each its unreviewed regions; then, when there
 * are any, the group "Committed, not reviewed": files with committed AI lines that their commits'
 * notes hold unreviewed and no local marker lists (a teammate's, fetched), and under each its runs
 * of lines. Built from the WorkspaceModel alone, so expanding or scrolling never touches the disk.
 * `contextValue` ("file", "region", "committedFile", "committedRegion") drives the inline actions
 * contributed in package.json.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isSource } from '../core/regions';
import { CommittedRun } from '../store/committedLines';
import { Disposable } from './disposable';
import { countOf, unreviewedSummaryOf } from './format';
import { ago, sourceLabel } from './hover';
import { CommittedFile, FileEntry, RegionSummary, WorkspaceModel } from './workspaceModel';

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

/** The group of committed, unreviewed lines, after the files. */
export interface CommittedGroupNode {
  kind: 'committedGroup';
}

export interface CommittedFileNode {
  kind: 'committedFile';
  uri: vscode.Uri;
  file: CommittedFile;
}

/** Consecutive committed lines of one note region; `from`/`to` are 1-based lines of the file on disk. */
export interface CommittedRunNode {
  kind: 'committedRegion';
  uri: vscode.Uri;
  run: CommittedRun;
  parent: CommittedFileNode;
}

export type ReviewNode = FileNode | RegionNode | CommittedGroupNode | CommittedFileNode | CommittedRunNode;

/** What the view shows, as plain data (for tests). */
export interface TreeSnapshot {
  label: string;
  description: string;
  contextValue: string;
  node: ReviewNode;
  children: { label: string; description: string; contextValue: string; command?: vscode.Command; node: ReviewNode }[];
}

/** The committed group as shown: its row, and its files with their runs (for tests). */
export interface CommittedSnapshot {
  label: string;
  description: string;
  tooltip: string;
  files: TreeSnapshot[];
}

export function lineLabel(r: Pick<RegionSummary, 'first' | 'last'>): string {
  return r.first === r.last ? `Line ${r.first + 1}` : `Lines ${r.first + 1}–${r.last + 1}`;
}

const COMMITTED_GROUP: CommittedGroupNode = { kind: 'committedGroup' };

export class ReviewTree extends Disposable implements vscode.TreeDataProvider<ReviewNode> {
  private readonly changed = this.register(new vscode.EventEmitter<ReviewNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<ReviewNode>;
  private roots?: (FileNode | CommittedGroupNode)[];
  private committedRoots?: CommittedFileNode[];

  constructor(private readonly model: WorkspaceModel) {
    super();
    this.view = this.register(vscode.window.createTreeView(VIEW_ID, { treeDataProvider: this, showCollapseAll: true }));
    this.register(model.onDidChange(() => this.update()));
    this.update();
  }

  private update(): void {
    this.roots = undefined;
    this.committedRoots = undefined;
    const total = this.model.unreviewedCount;
    const files = this.model.files().length;
    this.view.badge = total ? { value: total, tooltip: unreviewedSummaryOf(total, files) } : undefined;
    // The welcome views ("nothing to review") and the navigation keybindings read this.
    void vscode.commands.executeCommand('setContext', 'aiProvenance.unreviewedCount', total);
    this.changed.fire(undefined);
  }

  getChildren(node?: ReviewNode): ReviewNode[] {
    if (!node) {
      this.roots ??= [
        ...this.model.files().map((entry): FileNode => ({ kind: 'file', uri: entry.uri, entry })),
        ...(this.model.committedCount ? [COMMITTED_GROUP] : []),
      ];
      return this.roots;
    }
    switch (node.kind) {
      case 'file':
        return node.entry.regions.map((region) => ({ kind: 'region', uri: node.uri, id: region.id, region, parent: node }));
      case 'committedGroup':
        this.committedRoots ??= this.model.committedFiles().map((file) => ({ kind: 'committedFile', uri: file.uri, file }));
        return this.committedRoots;
      case 'committedFile':
        return node.file.runs.map((run) => ({ kind: 'committedRegion', uri: node.uri, run, parent: node }));
      default:
        return [];
    }
  }

  getParent(node: ReviewNode): ReviewNode | undefined {
    switch (node.kind) {
      case 'region':
      case 'committedRegion':
        return node.parent;
      case 'committedFile':
        return COMMITTED_GROUP;
      default:
        return undefined;
    }
  }

  getTreeItem(node: ReviewNode): vscode.TreeItem {
    if (node.kind === 'committedGroup') return this.committedGroupItem();
    if (node.kind === 'committedFile') return this.committedFileItem(node);
    if (node.kind === 'committedRegion') return this.committedRunItem(node);
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

  private committedGroupItem(): vscode.TreeItem {
    const files = this.model.committedFiles();
    const lines = files.reduce((n, f) => n + f.runs.reduce((m, r) => m + r.to - r.from + 1, 0), 0);
    const item = new vscode.TreeItem(vscode.l10n.t('Committed, not reviewed'), vscode.TreeItemCollapsibleState.Expanded);
    item.id = 'committed';
    item.description = String(this.model.committedCount);
    item.iconPath = new vscode.ThemeIcon('git-commit');
    item.tooltip = new vscode.MarkdownString(
      `${vscode.l10n.t('Committed: {0} in {1}, not reviewed in the provenance notes of the commits that wrote them.', countOf(lines, 'aiLines'), countOf(files.length, 'files'))}\n\n${vscode.l10n.t('`ai-provenance verify` in CI fails on them until someone reviews them. A review here is recorded in those notes; push them with your branch.')}`,
    );
    item.contextValue = 'committedGroup';
    return item;
  }

  private committedFileItem(node: CommittedFileNode): vscode.TreeItem {
    const { file } = node;
    const item = new vscode.TreeItem(file.uri, vscode.TreeItemCollapsibleState.Expanded);
    item.id = `committed:${file.uri.toString()}`;
    const dir = path.posix.dirname(file.rel);
    item.description = `${dir === '.' ? '' : `${dir} · `}${file.runs.length}`;
    item.tooltip = vscode.l10n.t('{0}: committed AI-written lines not reviewed in their notes', file.rel);
    item.contextValue = 'committedFile';
    return item;
  }

  private committedRunItem(node: CommittedRunNode): vscode.TreeItem {
    const r = node.run;
    const lines = lineLabel({ first: r.from - 1, last: r.to - 1 });
    const item = new vscode.TreeItem(lines, vscode.TreeItemCollapsibleState.None);
    item.id = `committed:${node.uri.toString()}#${r.from}-${r.to}:${r.commit}:${r.region}`;
    const commit = r.commit.slice(0, 7);
    item.description = r.tool ? `${commit} · ${r.tool}` : commit;
    item.iconPath = new vscode.ThemeIcon('sparkle', new vscode.ThemeColor('aiProvenance.unreviewedForeground'));
    const tool = [r.tool, r.model].filter(Boolean).join(', ');
    const source = isSource(r.source) ? sourceLabel(r.source) : r.source;
    item.tooltip = new vscode.MarkdownString(
      [
        vscode.l10n.t('**{0}** of `{1}`', lines, node.parent.file.rel),
        vscode.l10n.t('Source: {0}', `${source}${tool ? ` (${tool})` : ''}`),
        r.author ? vscode.l10n.t('Written {0} by {1}', ago(r.createdAt), r.author) : vscode.l10n.t('Written {0}', ago(r.createdAt)),
        vscode.l10n.t('Committed in `{0}`, not reviewed in its note', r.commit.slice(0, 12)),
      ].join('\n\n'),
    );
    item.contextValue = 'committedRegion';
    item.command = { title: vscode.l10n.t('Reveal'), command: 'aiProvenance.revealRegion', arguments: [{ uri: node.uri.toString(), lines: { from: r.from, to: r.to } }] };
    return item;
  }

  /** The tree's files as a user sees them, for tests (the committed group: committedSnapshot). */
  snapshot(): TreeSnapshot[] {
    return this.getChildren()
      .filter((n): n is FileNode => n.kind === 'file')
      .map((file) => this.snapshotOf(file, path.basename(file.entry.rel)));
  }

  /** The committed group as a user sees it, or undefined when it is not shown (for tests). */
  committedSnapshot(): CommittedSnapshot | undefined {
    const group = this.getChildren().find((n): n is CommittedGroupNode => n.kind === 'committedGroup');
    if (!group) return undefined;
    const item = this.getTreeItem(group);
    const tooltip = item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : String(item.tooltip ?? '');
    return {
      label: text(item.label),
      description: String(item.description ?? ''),
      tooltip,
      files: this.getChildren(group).map((f) => this.snapshotOf(f, path.basename((f as CommittedFileNode).file.rel))),
    };
  }

  private snapshotOf(node: ReviewNode, label: string): TreeSnapshot {
    const item = this.getTreeItem(node);
    return {
      label,
      description: String(item.description ?? ''),
      contextValue: item.contextValue ?? '',
      node,
      children: this.getChildren(node).map((c) => {
        const ci = this.getTreeItem(c);
        return { label: text(ci.label), description: String(ci.description ?? ''), contextValue: ci.contextValue ?? '', command: ci.command, node: c };
      }),
    };
  }
}

function text(l: vscode.TreeItem['label']): string {
  return typeof l === 'string' ? l : l?.label ?? '';
}
