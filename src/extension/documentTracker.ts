/**
 * Holds the regions of every open document, moves them through every edit (in any document, not
 * only the active editor), and keeps them in step with the marker store: loads (re-anchoring edits
 * made while nothing watched), saves (merging with other writers), and follows renames, deletions
 * and reloads from disk.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { AttributedChange, DocumentRegions, EditKind, TextAfter } from '../core/documentRegions';
import { FileRecord, recordFor } from '../core/markerFile';
import { addRegion, createRegion, mergeRegions, Region, RegionInit, rehash, review, subtract, visibleSpan } from '../core/regions';
import { LineIndex, Position } from '../core/text';
import { MarkerChange } from '../store/markerStore';
import { regionsIn, Repository, MAX_FILE_BYTES } from '../store/repository';
import { toChanges } from './convert';
import { Disposable } from './disposable';
import { Log } from './log';
import { Repositories } from './repositories';

/** What a capture source says about one content change of an event: it came from AI. */
export interface Attribution {
  /** Index into the event's `contentChanges`. */
  change: number;
  init: Omit<RegionInit, 'start' | 'end'>;
  /** Characters at either end of the inserted text that restate what it replaced (the user's). */
  restated?: AttributedChange['restated'];
}

/** Decides which changes of an edit event came from AI. Returns nothing for human edits. */
export type Classifier = (event: vscode.TextDocumentChangeEvent) => Attribution[];

interface TrackedDocument {
  readonly document: vscode.TextDocument;
  readonly repo: Repository;
  rel: string;
  /** The regions, moved through every edit (see DocumentRegions); `table.regions` reads them. */
  table: DocumentRegions;
  /** The document's text as it is now, for DocumentRegions (made once: keystrokes allocate nothing). */
  readonly text: TextAfter;
  /** The regions as last loaded from or written to the store, and that record's rev: the base of a three-way merge. */
  base: Region[];
  baseRev: number;
  dirty: boolean;
  /**
   * Whether the unwritten changes include more than regions moving with the user's typing (a new,
   * removed, reviewed or merged region). Moves alone wait for the save: see write().
   */
  structural?: boolean;
  wasDocumentDirty: boolean;
  saveTimer?: NodeJS.Timeout;
  saving: Promise<void>;
}

const SAVE_DELAY_MS = 400;
// Read once: a read through the API object costs microseconds, and every keystroke asks.
const { Undo: UNDO, Redo: REDO } = vscode.TextDocumentChangeReason;

export class DocumentTracker extends Disposable {
  private readonly docs = new Map<string, TrackedDocument>();
  private readonly loading = new Map<string, Promise<TrackedDocument | undefined>>();
  private classifiers: Classifier[] = [];
  private readonly changed = this.register(new vscode.EventEmitter<vscode.Uri>());
  /** Fires with a document's URI whenever its regions changed, for any reason. */
  readonly onDidChangeRegions = this.changed.event;

  constructor(private readonly repos: Repositories, private readonly log: Log) {
    super();
    this.register(vscode.workspace.onDidOpenTextDocument((d) => void this.track(d)));
    this.register(vscode.workspace.onDidCloseTextDocument((d) => void this.untrack(d)));
    this.register(vscode.workspace.onDidChangeTextDocument((e) => this.onChange(e)));
    this.register(vscode.workspace.onDidSaveTextDocument((d) => this.onSave(d)));
    this.register(vscode.workspace.onDidRenameFiles((e) => void this.onRename(e)));
    this.register(vscode.workspace.onDidDeleteFiles((e) => void this.onDelete(e)));
    this.register(repos.onDidChangeStore(({ repo, files }) => void this.reloadFromStore(repo, files)));
    for (const d of vscode.workspace.textDocuments) void this.track(d);
  }

  /** Capture sources register here; the tracker asks each of them about every edit, after moving existing regions. */
  addClassifier(c: Classifier): vscode.Disposable {
    this.classifiers.push(c);
    return new vscode.Disposable(() => (this.classifiers = this.classifiers.filter((x) => x !== c)));
  }

  /** The regions of a document, or undefined when it is not tracked (not in a git repository, binary, too large). */
  regions(uri: vscode.Uri): readonly Region[] | undefined {
    return this.docs.get(uri.toString())?.table.regions;
  }

  /** The repository and repository-relative path of a tracked document. */
  location(uri: vscode.Uri): { repo: Repository; rel: string } | undefined {
    const t = this.docs.get(uri.toString());
    return t && { repo: t.repo, rel: t.rel };
  }

  /** Waits until the document is loaded and tracked (or known to be untrackable). */
  async ready(document: vscode.TextDocument): Promise<boolean> {
    return (await this.track(document)) !== undefined;
  }

  /** Records AI text at a span of the document's current content. */
  async addRegion(document: vscode.TextDocument, start: Position, end: Position, init: Omit<RegionInit, 'start' | 'end'>): Promise<void> {
    const t = await this.track(document);
    if (!t) return;
    const author = await t.repo.author();
    // Only what puts visible characters on lines is AI-written (see visibleSpan).
    const visible = visibleSpan(new LineIndex(document.getText()), start, end);
    if (visible) this.apply(t, addRegion(t.table.regions, createRegion({ author, ...init, ...visible })));
  }

  /** Declares a span human-written. */
  async removeSpan(document: vscode.TextDocument, start: Position, end: Position): Promise<void> {
    const t = await this.track(document);
    if (t) this.apply(t, subtract(t.table.regions, start, end));
  }

  /** Marks regions reviewed (all of the document's when `ids` is omitted). Returns how many changed. */
  async review(document: vscode.TextDocument, ids?: readonly string[]): Promise<number> {
    const t = await this.track(document);
    if (!t) return 0;
    const wanted = ids ? new Set(ids) : undefined;
    const before = t.table.regions.filter((r) => !r.review && (!wanted || wanted.has(r.id))).length;
    this.apply(t, review(t.table.regions, new LineIndex(document.getText()), await t.repo.author(), wanted));
    await this.flush(t);
    return before;
  }

  /** Writes every pending change now (on deactivate, and before anything reads the store behind our back). */
  async flushAll(): Promise<void> {
    await Promise.all([...this.docs.values()].map((t) => this.flush(t)));
  }

  private apply(t: TrackedDocument, regions: Region[]): void {
    t.table.set(regions);
    t.structural = true;
    this.changedRegions(t);
  }

  private changedRegions(t: TrackedDocument): void {
    t.dirty = true;
    this.scheduleSave(t);
    this.changed.fire(t.document.uri);
  }

  private track(document: vscode.TextDocument): Promise<TrackedDocument | undefined> {
    const key = document.uri.toString();
    const known = this.docs.get(key);
    if (known) return Promise.resolve(known);
    let pending = this.loading.get(key);
    if (!pending) {
      pending = this.load(document).finally(() => this.loading.delete(key));
      this.loading.set(key, pending);
    }
    return pending;
  }

  private async load(document: vscode.TextDocument): Promise<TrackedDocument | undefined> {
    if (document.uri.scheme !== 'file' || document.isClosed) return undefined;
    const repo = await this.repos.forUri(document.uri);
    if (!repo) return undefined;
    let rel: string;
    try {
      rel = repo.relative(document.uri.fsPath);
    } catch {
      return undefined;
    }
    const text = document.getText();
    if (text.length > MAX_FILE_BYTES) return undefined;
    let record: FileRecord | undefined;
    try {
      record = await repo.store.read(rel);
    } catch (e) {
      this.log.error(`Cannot read the markers of ${rel}`, e);
      return undefined;
    }
    if (document.isClosed) return undefined;
    // The document may have changed while we awaited; position against its current text.
    const current = document.getText();
    const regions = record ? regionsIn(record, current) : [];
    const t: TrackedDocument = {
      document,
      repo,
      rel,
      table: new DocumentRegions(regions, current),
      text: { lineAt: (line) => document.lineAt(line).text, text: () => document.getText() },
      base: regions,
      baseRev: record?.rev ?? 0,
      dirty: false,
      wasDocumentDirty: document.isDirty,
      saving: Promise.resolve(),
    };
    this.docs.set(document.uri.toString(), t);
    if (record && record.regions.length !== regions.length) t.dirty = true;
    if (regions.length) this.changed.fire(document.uri);
    if (t.dirty) this.scheduleSave(t);
    return t;
  }

  private async untrack(document: vscode.TextDocument): Promise<void> {
    const key = document.uri.toString();
    const t = this.docs.get(key);
    if (!t) return;
    await this.flush(t);
    this.docs.delete(key);
  }

  private onChange(e: vscode.TextDocumentChangeEvent): void {
    const t = this.docs.get(e.document.uri.toString());
    if (!t) {
      if (e.contentChanges.length) void this.track(e.document);
      return;
    }
    const wasDirty = t.wasDocumentDirty;
    t.wasDocumentDirty = e.document.isDirty;
    if (e.contentChanges.length === 0) return;

    // A change that leaves the document clean is a reload from disk (a checkout, an agent, another
    // editor) or a revert; but so, as reported, is the first edit of a clean document, whose dirty
    // flag arrives in a separate event just after. Only the disk tells them apart.
    let fromDisk = false;
    if (!e.document.isDirty && e.reason === undefined && matchesDisk(e.document)) {
      // Reloaded while clean: map regions by line content, which also survives one big replace.
      if (!wasDirty) {
        this.onReload(t);
        return;
      }
      fromDisk = true; // a revert: move regions through it, but it is nobody's new text
    }

    const changes = toChanges(e.contentChanges);
    const kind: EditKind = e.reason === UNDO ? 'undo' : e.reason === REDO ? 'redo' : 'edit';
    const attributions = fromDisk ? [] : this.attributed(e);
    if (!t.table.edit(changes, kind, attributions, t.text, t.repo.cachedAuthor ?? '')) return;
    if (!t.table.movedOnly) t.structural = true;
    this.changedRegions(t);
  }

  /** What the capture sources claim of an event, numbered as toChanges sorts its changes. */
  private attributed(e: vscode.TextDocumentChangeEvent): AttributedChange[] {
    const claims = this.classify(e);
    if (claims.length === 0) return claims;
    const order = [...e.contentChanges].sort((a, b) => b.range.start.compareTo(a.range.start));
    return claims.map((a) => ({ change: order.indexOf(e.contentChanges[a.change]), init: a.init, restated: a.restated }));
  }

  private classify(e: vscode.TextDocumentChangeEvent): Attribution[] {
    const out: Attribution[] = [];
    for (const c of this.classifiers) {
      try {
        out.push(...c(e));
      } catch (err) {
        this.log.error('A capture source failed on an edit; the edit is treated as human', err);
      }
    }
    return out;
  }

  private onReload(t: TrackedDocument): void {
    if (t.table.reload(t.document.getText())) this.changed.fire(t.document.uri);
    // Whoever changed the file on disk may have recorded regions for it (an agent hook): merge them in.
    void this.mergeFromStore(t, true);
  }

  private onSave(document: vscode.TextDocument): void {
    const t = this.docs.get(document.uri.toString());
    if (!t) return;
    t.wasDocumentDirty = false;
    t.table.endAiRun();
    void this.flush(t);
  }

  private scheduleSave(t: TrackedDocument): void {
    if (t.saveTimer) clearTimeout(t.saveTimer);
    t.saveTimer = setTimeout(() => void this.flush(t), SAVE_DELAY_MS);
  }

  /** Writes a document's regions if they changed, merging with whatever another writer stored meanwhile. */
  private flush(t: TrackedDocument): Promise<void> {
    if (t.saveTimer) {
      clearTimeout(t.saveTimer);
      t.saveTimer = undefined;
    }
    t.saving = t.saving.then(() => this.write(t));
    return t.saving;
  }

  private async write(t: TrackedDocument): Promise<void> {
    if (!t.dirty) return;
    // Regions that only moved while the user types in an unsaved document are written when it is
    // saved (or reverted), not 400 ms after each burst. The store then keeps positions in the
    // content on disk, which is what the pre-commit hook and the CLI judge: a record of unsaved
    // text would make them re-anchor, and lose the lines the user changed but has not saved. A
    // crash loses only these moves: the restored text is re-anchored to the saved record. New,
    // removed and reviewed regions are still written at once, whatever the document's state.
    if (!t.structural && t.document.isDirty) return;
    try {
      await t.repo.store.update(t.rel, (current) => {
        // Runs synchronously once the lock is held: the document text and our regions are read at one instant.
        const text = t.document.getText();
        const index = new LineIndex(text);
        let regions = t.table.regions;
        if (current && current.rev !== t.baseRev) regions = mergeRegions(t.base, regions, regionsIn(current, text, index));
        regions = rehash(regions, index);
        t.dirty = false;
        t.structural = false;
        // Merged with another writer, or trimmed to what is visible (see visibleSpan): redraw.
        const mergedChanged = regions.length !== t.table.length || regions.some((r, i) => !sameSpan(r, t.table.regions[i]));
        t.table.set(regions);
        t.table.resync(text);
        t.base = regions;
        t.baseRev = (current?.rev ?? 0) + 1;
        if (mergedChanged) this.changed.fire(t.document.uri);
        if (regions.length === 0 && !current) return undefined;
        return recordFor(t.rel, text, regions);
      });
    } catch (e) {
      t.dirty = true;
      t.structural = true; // tried for a reason: retry whatever the document's state
      this.log.error(`Cannot save the markers of ${t.rel}`, e);
    }
  }

  /**
   * Another writer (window, CLI, agent hook) changed a store: bring its open documents up to date.
   * Only documents whose marker file changed to a rev they do not hold are re-read, so our own
   * writes (reported with the rev we wrote) and changes to other files cost nothing. `files`
   * undefined means the watcher could not say which files changed: every document is checked.
   */
  private async reloadFromStore(repo: Repository, files?: readonly MarkerChange[]): Promise<void> {
    const changed = files && new Map(files.map((c) => [c.name, c]));
    const docs = [...this.docs.values()].filter((t) => {
      if (t.repo !== repo) return false;
      if (!changed) return true;
      const change = changed.get(path.basename(repo.store.markerFile(t.rel)));
      return change !== undefined && (change.record?.rev ?? 0) !== t.baseRev;
    });
    this.repos.activity.markerReads += docs.length;
    await Promise.all(docs.map((t) => this.mergeFromStore(t, false)));
  }

  private async mergeFromStore(t: TrackedDocument, force: boolean): Promise<void> {
    let record: FileRecord | undefined;
    try {
      record = await t.repo.store.read(t.rel);
    } catch (e) {
      this.log.error(`Cannot read the markers of ${t.rel}`, e);
      return;
    }
    const rev = record?.rev ?? 0;
    if (!force && rev === t.baseRev) return;
    const text = t.document.getText();
    const theirs = record ? regionsIn(record, text) : [];
    const ours = t.table.regions;
    const merged = mergeRegions(t.base, ours, theirs);
    const changed = merged.length !== ours.length || merged.some((r, i) => r.id !== ours[i].id || r.review !== ours[i].review || r.start !== ours[i].start);
    t.base = theirs;
    t.baseRev = rev;
    if (changed) {
      t.table.set(merged);
      this.changed.fire(t.document.uri);
    }
    // Anything still differing from the store (our unsaved edits) is written on the next flush.
    if (t.dirty) this.scheduleSave(t);
  }

  private async onRename(e: vscode.FileRenameEvent): Promise<void> {
    for (const { oldUri, newUri } of e.files) {
      const repo = await this.repos.forUri(oldUri);
      const target = await this.repos.forUri(newUri);
      if (!repo) continue;
      try {
        await this.flushAll();
        const from = repo.relative(oldUri.fsPath);
        // A folder rename moves the markers of everything below it.
        for (const record of await repo.store.list()) {
          if (record.path !== from && !record.path.startsWith(`${from}/`)) continue;
          if (target === repo) await repo.store.rename(record.path, repo.relative(newUri.fsPath) + record.path.slice(from.length));
          else await repo.store.remove(record.path);
        }
      } catch (err) {
        this.log.error(`Cannot move the markers of ${oldUri.fsPath}`, err);
      }
      const under = (uri: vscode.Uri, dir: vscode.Uri): boolean => uri.toString() === dir.toString() || uri.toString().startsWith(`${dir.toString()}/`);
      for (const key of [...this.docs.keys()]) if (under(vscode.Uri.parse(key), oldUri)) this.docs.delete(key);
      // The editor may have opened the new document (and loaded it, finding no markers yet) before
      // this event: pull the moved markers into it now rather than trusting that early load.
      for (const doc of vscode.workspace.textDocuments.filter((d) => under(d.uri, newUri))) {
        const t = await this.track(doc);
        if (t) await this.mergeFromStore(t, true);
      }
    }
  }

  private async onDelete(e: vscode.FileDeleteEvent): Promise<void> {
    for (const uri of e.files) {
      const repo = await this.repos.forUri(uri);
      if (!repo) continue;
      try {
        const rel = repo.relative(uri.fsPath);
        for (const record of await repo.store.list()) {
          if (record.path === rel || record.path.startsWith(`${rel}/`)) await repo.store.remove(record.path);
        }
      } catch (err) {
        this.log.error(`Cannot drop the markers of ${uri.fsPath}`, err);
      }
    }
  }

  override dispose(): void {
    for (const t of this.docs.values()) if (t.saveTimer) clearTimeout(t.saveTimer);
    super.dispose();
  }
}

function sameSpan(a: Region, b: Region): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

/**
 * Whether the document's text is exactly what its file on disk holds. Asked on the first keystroke
 * after every save, so the file's size rules most cases out before anything is read.
 */
function matchesDisk(document: vscode.TextDocument): boolean {
  try {
    const text = document.getText();
    const bytes = Buffer.byteLength(text, 'utf8');
    const size = fs.statSync(document.uri.fsPath).size;
    if (size !== bytes && size !== bytes + 3) return false; // 3: a byte-order mark the editor hides
    const disk = fs.readFileSync(document.uri.fsPath, 'utf8');
    return (disk.charCodeAt(0) === 0xfeff ? disk.slice(1) : disk) === text;
  } catch {
    return false;
  }
}
