/**
 * The review commands: mark reviewed (region, file, everything), move between unreviewed regions,
 * install or remove the commit hook, show the log. Each handler is an error boundary: it logs the
 * error and shows one message, and the extension keeps running.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { coveredLines, lineRange, review } from '../core/regions';
import { comparePositions, LineIndex, Position } from '../core/text';
import { Repository } from '../store/repository';
import { toVsPosition } from './convert';
import { Disposable } from './disposable';
import { DocumentTracker } from './documentTracker';
import { countOf } from './format';
import { HookController } from './hookOffer';
import { Log } from './log';
import { Repositories } from './repositories';
import { CommittedFileNode, CommittedRunNode, ReviewTree } from './reviewTree';
import { WorkspaceModel } from './workspaceModel';

/** What the commands accept: a tree node, a hover link's `{uri, id}`, or nothing (the active editor). */
interface Target {
  uri?: string | vscode.Uri;
  id?: string;
  /** 1-based lines to reveal (a committed run of the panel). */
  lines?: { from: number; to: number };
}

/** The committed runs a panel node stands for (a run, or a file of the committed group); undefined for any other argument. */
function committedTarget(arg: unknown): { uri: vscode.Uri; lines: { from: number; to: number }[] } | undefined {
  const node = arg as Partial<CommittedRunNode | CommittedFileNode> | undefined;
  if (!(node?.uri instanceof vscode.Uri)) return undefined;
  if (node.kind === 'committedRegion' && node.run) return { uri: node.uri, lines: [{ from: node.run.from, to: node.run.to }] };
  if (node.kind === 'committedFile' && node.file) return { uri: node.uri, lines: node.file.runs.map((r) => ({ from: r.from, to: r.to })) };
  return undefined;
}

function targetUri(arg: unknown): vscode.Uri | undefined {
  const uri = (arg as Target | undefined)?.uri;
  if (uri instanceof vscode.Uri) return uri;
  if (typeof uri === 'string') return vscode.Uri.parse(uri);
  return undefined;
}

export class ReviewCommands extends Disposable {
  private readonly recorded = this.register(new vscode.EventEmitter<vscode.Uri>());
  /** Fires with a file's URI after a review of its committed lines was recorded in the notes. */
  readonly onDidRecordInNotes = this.recorded.event;

  constructor(
    private readonly repos: Repositories,
    private readonly tracker: DocumentTracker,
    private readonly model: WorkspaceModel,
    private readonly tree: ReviewTree,
    private readonly hooks: HookController,
    private readonly log: Log,
  ) {
    super();
    const commands: Record<string, (...args: unknown[]) => Promise<unknown> | unknown> = {
      'aiProvenance.markReviewed': (arg) => this.markReviewed(arg),
      'aiProvenance.markFileReviewed': (arg) => this.markFileReviewed(arg),
      'aiProvenance.markAllReviewed': (arg) => this.markAllReviewed(arg),
      'aiProvenance.nextUnreviewed': () => this.go(1),
      'aiProvenance.previousUnreviewed': () => this.go(-1),
      'aiProvenance.installHook': () => this.installHook(),
      'aiProvenance.uninstallHook': () => this.uninstallHook(),
      'aiProvenance.showLog': () => this.log.show(),
      'aiProvenance.refresh': () => Promise.all([this.model.refresh(), this.model.refreshCommitted(undefined, true), this.hooks.refresh()]),
      'aiProvenance.revealRegion': (arg) => this.reveal(arg),
    };
    for (const [id, run] of Object.entries(commands)) {
      this.register(vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await run(...args);
        } catch (e) {
          this.log.error(`${id} failed`, e);
          const pick = await vscode.window.showErrorMessage(vscode.l10n.t('AI Provenance: {0}', (e as Error).message), vscode.l10n.t('Show Log'));
          if (pick) this.log.show();
          return undefined;
        }
      }));
    }
  }

  /** Marks regions reviewed in one file: through the tracker when the document is open, else in the store. Returns how many changed. */
  private async reviewIn(uri: vscode.Uri, ids?: readonly string[], refresh = true): Promise<number> {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (doc && (await this.tracker.ready(doc))) {
      const lines = ids && (this.tracker.regions(uri) ?? []).filter((r) => ids.includes(r.id)).map(lineRange);
      const count = await this.tracker.review(doc, ids);
      // Line numbers of an unsaved document are not the file's, which blame reads.
      if (!doc.isDirty) await this.reviewCommitted(uri, lines);
      return count;
    }
    await this.reviewCommitted(uri, ids && (await this.storedLines(uri, ids)));
    const repo = await this.repos.forUri(uri);
    if (!repo) throw new Error(`${uri.fsPath} is not in a git repository`);
    const rel = repo.relative(uri.fsPath);
    const text = await repo.readWorkingFile(rel);
    if (text === undefined) throw new Error(`${rel} no longer exists`);
    const by = await repo.author();
    const wanted = ids ? new Set(ids) : undefined;
    let count = 0;
    await repo.updateRegions(rel, (regions) => {
      count = regions.filter((r) => !r.review && (!wanted || wanted.has(r.id))).length;
      return review(regions, new LineIndex(text), by, wanted);
    }, text);
    if (refresh) await this.model.refresh(repo);
    return count;
  }

  /**
   * Records the review in the notes of the commits that wrote the lines (all of the file's when
   * `lines` is omitted), so `verify` passes without rewriting history. A note that cannot be
   * written is logged: the review in the working tree stands.
   */
  private async reviewCommitted(uri: vscode.Uri, lines: { from: number; to: number }[] | undefined): Promise<void> {
    const repo = await this.repos.forUri(uri);
    if (!repo) return;
    const rel = repo.relative(uri.fsPath);
    try {
      for (const range of lines ?? [undefined]) await repo.reviewCommitted(rel, range);
    } catch (e) {
      this.log.error(`recording the review of ${rel} in the commit notes failed`, e);
    }
    this.recorded.fire(uri);
  }

  /**
   * Reviews committed lines the panel lists with no marker of them (a teammate's): records the
   * review in the notes of the commits that wrote them, for exactly those lines, and rescans the
   * file so its rows go. Returns how many note regions were recorded.
   */
  private async reviewCommittedLines(uri: vscode.Uri, lines: readonly { from: number; to: number }[]): Promise<number> {
    const repo = await this.repos.forUri(uri);
    if (!repo) throw new Error(`${uri.fsPath} is not in a git repository`);
    const rel = repo.relative(uri.fsPath);
    const recorded = new Set<string>();
    for (const range of lines) for (const id of await repo.reviewCommitted(rel, range)) recorded.add(id);
    await this.model.refreshCommitted(repo);
    const listed = this.model.committedFiles().find((f) => f.uri.toString() === uri.toString())?.runs ?? [];
    if (recorded.size === 0 && listed.some((r) => lines.some((l) => r.from <= l.to && l.from <= r.to))) {
      // reviewCommitted leaves a region alone when a line of it was changed and not committed: the reviewer is not looking at what was committed.
      void vscode.window.showInformationMessage(vscode.l10n.t('AI Provenance: nothing recorded in the notes: {0} was changed there since the commit. Commit or undo the change, then review the lines.', rel));
    }
    return recorded.size;
  }

  private async storedLines(uri: vscode.Uri, ids: readonly string[]): Promise<{ from: number; to: number }[]> {
    const repo = await this.repos.forUri(uri);
    if (!repo) return [];
    const regions = await repo.regions(repo.relative(uri.fsPath));
    return regions.filter((r) => ids.includes(r.id)).map(lineRange);
  }

  private async markReviewed(arg: unknown): Promise<number> {
    const committed = committedTarget(arg);
    if (committed) return this.reviewCommittedLines(committed.uri, committed.lines);
    const uri = targetUri(arg);
    const id = (arg as Target | undefined)?.id;
    if (uri && id) return this.reviewIn(uri, [id]);
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage(vscode.l10n.t('AI Provenance: open a file and put the cursor in AI-written code to mark it reviewed.'));
      return 0;
    }
    const regions = this.tracker.regions(editor.document.uri) ?? [];
    // Every unreviewed region on a line touched by a selection (or the cursor's line).
    const ids = regions
      .filter((r) => {
        if (r.review) return false;
        const { first, last } = coveredLines(r, (l) => (l < editor.document.lineCount ? editor.document.lineAt(l).text.length : 0));
        return editor.selections.some((s) => first <= s.end.line && last >= s.start.line);
      })
      .map((r) => r.id);
    if (!ids.length) {
      void vscode.window.showInformationMessage(vscode.l10n.t('AI Provenance: no unreviewed AI code at the cursor.'));
      return 0;
    }
    return this.reviewIn(editor.document.uri, ids);
  }

  private async markFileReviewed(arg: unknown): Promise<number> {
    const committed = committedTarget(arg);
    if (committed) return this.reviewCommittedLines(committed.uri, committed.lines);
    const uri = targetUri(arg) ?? vscode.window.activeTextEditor?.document.uri;
    if (!uri) {
      void vscode.window.showInformationMessage(vscode.l10n.t('AI Provenance: open a file to mark it reviewed.'));
      return 0;
    }
    return this.reviewIn(uri);
  }

  /** `{ confirm: false }` skips the question (for keybindings and tests). */
  private async markAllReviewed(arg: unknown): Promise<number> {
    const files = [...this.model.files()];
    const total = files.reduce((n, f) => n + f.regions.length, 0);
    if (!total) {
      void vscode.window.showInformationMessage(vscode.l10n.t('AI Provenance: there is no unreviewed AI code.'));
      return 0;
    }
    if ((arg as { confirm?: boolean } | undefined)?.confirm !== false) {
      const MARK_ALL = vscode.l10n.t('Mark All Reviewed');
      const answer = await vscode.window.showWarningMessage(
        vscode.l10n.t('Mark {0} in {1} as reviewed?', countOf(total, 'aiRegions'), countOf(files.length, 'files')),
        { modal: true, detail: vscode.l10n.t('Your name is recorded as the reviewer, and the commit hook lets this code through.') },
        MARK_ALL,
      );
      if (answer !== MARK_ALL) return 0;
    }
    let count = 0;
    const failed: string[] = [];
    // One file that cannot be written (deleted meanwhile, unreadable) must not stop the rest.
    for (const f of files) {
      try {
        count += await this.reviewIn(f.uri, f.regions.map((r) => r.id), false);
      } catch (e) {
        this.log.error(`Cannot mark ${f.rel} reviewed`, e);
        failed.push(f.rel);
      }
    }
    await this.model.refresh();
    if (failed.length) {
      const pick = await vscode.window.showErrorMessage(vscode.l10n.t('AI Provenance: marked {0} reviewed, but could not write {1} ({2}).', countOf(count, 'regions'), countOf(failed.length, 'files'), `${failed[0]}${failed.length > 1 ? ', …' : ''}`), vscode.l10n.t('Show Log'));
      if (pick) this.log.show();
    } else void vscode.window.showInformationMessage(vscode.l10n.t('AI Provenance: marked {0} reviewed.', countOf(count, 'regions')));
    return count;
  }

  /** Reveals and selects a region (tree clicks, navigation, "Go to First"). */
  private async reveal(arg: unknown): Promise<void> {
    const uri = targetUri(arg);
    const id = (arg as Target | undefined)?.id;
    if (!uri) return;
    const lines = (arg as Target | undefined)?.lines;
    if (lines) {
      const editor = await vscode.window.showTextDocument(uri, { preview: true });
      // The file may have lost lines since the panel was built.
      const last = Math.max(0, Math.min(lines.to, editor.document.lineCount) - 1);
      this.select(editor, { line: Math.min(lines.from - 1, last), character: 0 }, { line: last, character: editor.document.lineAt(last).text.length });
      return;
    }
    const live = this.tracker.regions(uri)?.find((r) => r.id === id);
    const summary = this.model.file(uri)?.regions.find((r) => r.id === id);
    const span = live ?? summary;
    const editor = await vscode.window.showTextDocument(uri, { preview: true });
    // A region opened from the panel may have been loaded just now: prefer the tracker's live position.
    const doc = editor.document;
    await this.tracker.ready(doc);
    const fresh = this.tracker.regions(uri)?.find((r) => r.id === id) ?? span;
    if (!fresh) return;
    this.select(editor, fresh.start, fresh.end);
  }

  private select(editor: vscode.TextEditor, start: Position, end: Position): void {
    const range = new vscode.Range(toVsPosition(start), toVsPosition(end));
    editor.selection = new vscode.Selection(range.start, range.end);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  /** Next or previous unreviewed region across files, in the panel's order, wrapping around. */
  private async go(direction: 1 | -1): Promise<void> {
    const files = this.model.files();
    if (!files.length) {
      void vscode.window.showInformationMessage(vscode.l10n.t('AI Provenance: there is no unreviewed AI code.'));
      return;
    }
    const editor = vscode.window.activeTextEditor;
    const targets = files.flatMap((f, fileIndex) => f.regions.map((r) => ({ f, r, fileIndex })));
    let here: { fileIndex: number; pos: Position } | undefined;
    if (editor) {
      const loc = this.tracker.location(editor.document.uri);
      const key = loc ? [loc.repo.root, loc.rel] : undefined;
      let fileIndex = files.findIndex((f) => f.uri.toString() === editor.document.uri.toString());
      // A file with nothing to review sits between its neighbours in the panel's order.
      if (fileIndex < 0 && key) fileIndex = files.filter((f) => f.repo.root < key[0] || (f.repo.root === key[0] && f.rel < key[1])).length - 0.5;
      const sel = editor.selection;
      if (fileIndex !== -1) here = { fileIndex, pos: direction === 1 ? sel.end : sel.start };
    }
    const after = (t: (typeof targets)[number]) =>
      !here || t.fileIndex > here.fileIndex || (t.fileIndex === here.fileIndex && comparePositions(t.r.start, here.pos) > 0);
    const before = (t: (typeof targets)[number]) =>
      !!here && (t.fileIndex < here.fileIndex || (t.fileIndex === here.fileIndex && comparePositions(t.r.start, here.pos) < 0));
    const target = direction === 1 ? targets.find(after) ?? targets[0] : [...targets].reverse().find(before) ?? targets[targets.length - 1];
    await this.reveal({ uri: target.f.uri, id: target.r.id });
    // Keep the panel's selection in step when it is visible.
    if (this.tree.view.visible) {
      const node = this.tree.getChildren().find((n) => n.kind === 'file' && n.uri.toString() === target.f.uri.toString());
      const child = node && this.tree.getChildren(node).find((c) => c.kind === 'region' && c.id === target.r.id);
      if (child) await this.tree.view.reveal(child, { select: true, focus: false });
    }
  }

  private async pickRepository(verb: string): Promise<Repository | undefined> {
    const all = this.repos.all.length ? this.repos.all : await this.repos.discoverWorkspace();
    if (all.length === 0) throw new Error('no git repository is open in this window');
    if (all.length === 1) return all[0];
    const pick = await vscode.window.showQuickPick(all.map((r) => ({ label: path.basename(r.root), description: r.root, repo: r })), { placeHolder: verb === 'install' ? vscode.l10n.t('Repository to install the pre-commit hook in') : vscode.l10n.t('Repository to remove the pre-commit hook from') });
    return pick?.repo;
  }

  private async installHook(): Promise<void> {
    if (!vscode.workspace.isTrusted) throw new Error('installing a git hook needs a trusted workspace');
    const repo = await this.pickRepository('install');
    if (repo) await this.hooks.reportInstall(repo, await this.hooks.install(repo));
  }

  private async uninstallHook(): Promise<void> {
    const repo = await this.pickRepository('remove');
    if (!repo) return;
    const state = await this.hooks.uninstall(repo);
    const name = path.basename(repo.root);
    if (state.kind === 'managed') void vscode.window.showInformationMessage(vscode.l10n.t('AI Provenance: {0} manages the hooks of {1}; remove the ai-provenance line from its configuration.', state.manager, name));
    else void vscode.window.showInformationMessage(state.kind === 'foreign' ? vscode.l10n.t('AI Provenance: the pre-commit hook is removed from {0}; your previous hook is back.', name) : vscode.l10n.t('AI Provenance: the pre-commit hook is removed from {0}.', name));
  }
}
