/**
 * What the review panel, its badge, the status bar and navigation show: every repository's
 * unreviewed regions, per file, sorted by the repository summary (core/summary) into what blocks a
 * commit and what the policy ignores, exactly as the gate sorts them. Closed files come from the
 * marker store (the one file another writer changed is re-read; a full scan only when the watcher
 * cannot say which); open documents come from the DocumentTracker's live regions, so the panel
 * follows typing without touching the disk. Readers get plain snapshots; nothing here does I/O on
 * a read.
 *
 * Apart from those, and never counted with them: committed AI lines that their commits' notes hold
 * unreviewed and no local marker covers (a teammate's, fetched), which `verify` in CI fails on.
 * They are scanned (store/committedLines) when a repository opens, when HEAD, a branch or the
 * notes ref moves, and after a save of a file a note names, never on keystrokes.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEFAULT_POLICY, ignoreMatcher } from '../core/policy';
import { coveredLines, Region } from '../core/regions';
import { summarize } from '../core/summary';
import { Position, splitLines } from '../core/text';
import { FileRecord } from '../core/markerFile';
import { CommittedLines, CommittedRun, withoutLines } from '../store/committedLines';
import { MarkerChange } from '../store/markerStore';
import { watchRefs } from '../store/refWatch';
import { MAX_FILE_BYTES, regionsIn, Repository, UnsupportedFileError } from '../store/repository';
import { Disposable } from './disposable';
import { DocumentTracker } from './documentTracker';
import { Log } from './log';
import { Repositories, StoreChangeEvent } from './repositories';

/** One unreviewed region as the panel shows it. */
export interface RegionSummary {
  id: string;
  start: Position;
  end: Position;
  /** 0-based first and last covered line. */
  first: number;
  last: number;
  /** The first non-blank line of the region's text, trimmed and shortened. */
  preview: string;
  source: Region['source'];
  tool: string | null;
  createdAt: string;
  author: string;
  /** Rows are of unreviewed regions only (so the repository summary can count them as regions). */
  review: null;
}

export interface FileEntry {
  uri: vscode.Uri;
  repo: Repository;
  rel: string;
  /** Unreviewed regions, in document order. Never empty: files without any are left out. */
  regions: RegionSummary[];
}

/** Committed AI lines of one file that their commits' notes hold unreviewed and no local marker covers. */
export interface CommittedFile {
  uri: vscode.Uri;
  repo: Repository;
  rel: string;
  /** In line order (1-based lines of the file on disk). Never empty. */
  runs: CommittedRun[];
}

/** What the model shows, sorted as the gate sorts it. */
interface View {
  /** Files whose unreviewed regions block a commit, by repository and path. */
  blocking: FileEntry[];
  blockingCount: number;
  /** Files with unreviewed regions that their repository's policy ignores. */
  ignored: FileEntry[];
  ignoredCount: number;
  /** Files with committed, unreviewed AI lines not listed above, by repository and path (ignored paths left out, as `verify` leaves them). */
  committed: CommittedFile[];
  committedCount: number;
}

/** One repository's committed lines: the scanner, what it found last, its scans in order. */
interface CommittedState {
  lines: CommittedLines;
  runs: CommittedRun[];
  queue: Promise<void>;
  timer?: NodeJS.Timeout;
  /** What was logged of the last scan's problems, so a problem is logged once, not on every scan. */
  problems: string;
}

interface Stored {
  /** The record's rev and the working file's mtime and size when `entry` was built. */
  key: string;
  entry: FileEntry | undefined;
}

const PREVIEW_CHARS = 80;
/** How long panel and status-bar updates wait for more edits while the user types. */
const NOTIFY_DELAY_MS = 120;
const STORE_DELAY_MS = 100;
/** How long a rescan of committed lines waits for more ref changes or saves (a pull moves several refs). */
const COMMITTED_DELAY_MS = 400;

/** The first non-blank line of a region's text. */
function previewOf(lineAt: (line: number) => string | undefined, r: Pick<Region, 'start' | 'end'>): string {
  const { first, last } = coveredLines(r, (l) => lineAt(l)?.length ?? 0);
  for (let l = first; l <= last; l++) {
    const line = lineAt(l);
    if (line === undefined) break;
    const text = (l === r.start.line ? line.slice(r.start.character) : line).trim();
    if (text) return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS - 1)}…` : text;
  }
  return '';
}

/** The unreviewed regions as the panel shows them; `lineAt` reads a line of the current text. */
export function panelRows(regions: readonly Region[], lineAt: (line: number) => string | undefined): RegionSummary[] {
  return regions
    .filter((r) => !r.review)
    .map((r) => {
      const { first, last } = coveredLines(r, (l) => lineAt(l)?.length ?? 0);
      return { id: r.id, start: r.start, end: r.end, first, last, preview: previewOf(lineAt, r), source: r.source, tool: r.tool, createdAt: r.createdAt, author: r.author, review: null };
    });
}

export class WorkspaceModel extends Disposable {
  /** repo root -> rel -> what the store last said (ignored paths too: a policy change only re-sorts). */
  private readonly stored = new Map<string, Map<string, Stored>>();
  /** repo root -> marker file name -> rel, to place a removed marker file. */
  private readonly names = new Map<string, Map<string, string>>();
  /** repo root -> the policy's "is this path ignored?" */
  private readonly ignores = new Map<string, (rel: string) => boolean>();
  /** uri -> entry for documents the tracker holds (overrides the stored entry for that file). */
  private readonly live = new Map<string, FileEntry | null>();
  /** Open documents whose regions changed since the model was last read. */
  private readonly pendingLive = new Map<string, vscode.Uri>();
  /** One store operation per repository at a time, in order. */
  private readonly queues = new Map<string, Promise<void>>();
  private readonly pendingScan = new Map<string, NodeJS.Timeout>();
  /** repo root -> marker file name -> the latest change not yet applied. */
  private readonly pendingFiles = new Map<string, Map<string, MarkerChange>>();
  /** repo root -> its committed, unreviewed lines. */
  private readonly committedScans = new Map<string, CommittedState>();
  private notifyTimer?: NodeJS.Timeout;
  private cache?: View;
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  /** Fires (throttled) when the list of files or unreviewed regions changed. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly repos: Repositories, private readonly tracker: DocumentTracker, private readonly log: Log) {
    super();
    this.register(repos.onDidOpenRepository((repo) => this.opened(repo)));
    this.register(repos.onDidChangeStore((e) => this.storeChanged(e)));
    this.register(tracker.onDidChangeRegions((uri) => this.updateLive(uri)));
    // A closed document's regions are in the store again (the tracker flushed them): use those.
    this.register(vscode.workspace.onDidCloseTextDocument((d) => {
      const pending = this.pendingLive.delete(d.uri.toString());
      if (this.live.delete(d.uri.toString()) || pending) {
        const loc = this.tracker.location(d.uri) ?? this.locate(d.uri);
        if (loc) void this.enqueue(loc.repo, () => this.rescanFile(loc.repo, loc.rel));
        this.notify();
      }
    }));
    // A saved file that a note names may have moved its committed lines.
    this.register(vscode.workspace.onDidSaveTextDocument((d) => void this.savedCommitted(d.uri)));
    // Blame may run what the repository's config names (textconv): only in a trusted workspace.
    this.register(vscode.workspace.onDidGrantWorkspaceTrust(() => {
      for (const repo of this.repos.all) this.scheduleCommitted(repo);
    }));
    for (const repo of repos.all) this.opened(repo);
    this.register({ dispose: () => {
      clearTimeout(this.notifyTimer);
      for (const t of this.pendingScan.values()) clearTimeout(t);
      for (const c of this.committedScans.values()) clearTimeout(c.timer);
    } });
  }

  /** Every file whose unreviewed regions block a commit, sorted by repository and path. */
  files(): readonly FileEntry[] {
    return this.view().blocking;
  }

  file(uri: vscode.Uri): FileEntry | undefined {
    const key = uri.toString();
    return this.files().find((e) => e.uri.toString() === key);
  }

  /** The unreviewed regions that block a commit: what `ai-provenance check` counts. */
  get unreviewedCount(): number {
    return this.view().blockingCount;
  }

  /** Unreviewed regions in files the policy ignores (shown apart, never counted). */
  get ignoredCount(): number {
    return this.view().ignoredCount;
  }

  /**
   * Files with committed AI lines that their notes hold unreviewed and no local marker covers:
   * `verify` fails on them, the next commit does not (so they are not in the counts above).
   */
  committedFiles(): readonly CommittedFile[] {
    return this.view().committed;
  }

  /** How many runs of committed, unreviewed lines committedFiles() holds. */
  get committedCount(): number {
    return this.view().committedCount;
  }

  /**
   * Scans one repository's committed lines again (all repositories when none is given); resolves
   * when the model reflects the scan. `all` blames every candidate file, not only what changed.
   */
  async refreshCommitted(repo?: Repository, all = false): Promise<void> {
    await Promise.all((repo ? [repo] : this.repos.all).map((r) => this.scanCommitted(r, all)));
  }

  /** Re-reads one repository's policy and store (or all of them); resolves when the model reflects them. */
  async refresh(repo?: Repository): Promise<void> {
    await Promise.all((repo ? [repo] : this.repos.all).map((r) => this.enqueue(r, async () => {
      await this.readPolicy(r);
      await this.readStore(r);
    })));
  }

  private opened(repo: Repository): void {
    // A repository found while the model was being built is both in `all` and announced.
    if (this.ignores.has(repo.root) || this.queues.has(repo.root)) return;
    void this.refresh(repo);
    // A policy edit (here, in a terminal, by a checkout) re-sorts what blocks and what is ignored.
    const watcher = this.register(vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(repo.root), '.ai-provenance.json')));
    const reread = () => void this.enqueue(repo, () => this.readPolicy(repo));
    this.register(watcher.onDidCreate(reread));
    this.register(watcher.onDidChange(reread));
    this.register(watcher.onDidDelete(reread));
    this.scheduleCommitted(repo);
    void watchRefs(repo.root, () => this.scheduleCommitted(repo)).then(
      (w) => this.register(w),
      (e: unknown) => this.log.warn(`Cannot watch the refs of ${repo.root}; committed lines are rescanned on save and refresh only: ${(e as Error).message}`),
    );
  }

  private committedOf(repo: Repository): CommittedState {
    let state = this.committedScans.get(repo.root);
    if (!state) {
      state = { lines: new CommittedLines(repo.root, { maxFileBytes: MAX_FILE_BYTES }), runs: [], queue: Promise.resolve(), problems: '' };
      this.committedScans.set(repo.root, state);
    }
    return state;
  }

  /** A rescan of committed lines once a burst of ref changes or saves is over. */
  private scheduleCommitted(repo: Repository): void {
    const state = this.committedOf(repo);
    clearTimeout(state.timer);
    state.timer = setTimeout(() => {
      state.timer = undefined;
      void this.scanCommitted(repo);
    }, COMMITTED_DELAY_MS);
  }

  private async savedCommitted(uri: vscode.Uri): Promise<void> {
    if (uri.scheme !== 'file') return;
    const repo = await this.repos.forUri(uri);
    const state = repo && this.committedScans.get(repo.root);
    if (!repo || !state) return;
    let rel: string;
    try {
      rel = repo.relative(uri.fsPath);
    } catch {
      return; // Inside .git or outside the repository.
    }
    if (state.lines.candidates.has(rel)) this.scheduleCommitted(repo);
  }

  /** Scans of one repository run one after another; each replaces what the last one found. */
  private scanCommitted(repo: Repository, all = false): Promise<void> {
    const state = this.committedOf(repo);
    state.queue = state.queue
      .then(async () => {
        if (this.isDisposed) return;
        const scan = vscode.workspace.isTrusted ? await state.lines.scan(all) : undefined;
        const problems = [
          ...(scan?.unreadable ?? []).map((e) => e.message),
          ...(scan?.failed ?? []).map((f) => `blame of ${f.path} failed: ${f.error.message}`),
          ...(scan?.skipped ? [`${scan.skipped} more files that notes name with unreviewed lines are not scanned (the panel looks at ${scan.files} at most)`] : []),
        ].join('\n');
        if (problems && problems !== state.problems) this.log.warn(`Committed AI lines of ${repo.root}: ${problems}`);
        state.problems = problems;
        const runs = scan?.runs ?? [];
        if (scan) this.log.debug(`Committed AI lines of ${repo.root}: ${scan.runs.length} unreviewed runs in ${scan.files} files that notes name (${scan.blamed} blamed now)`);
        if (JSON.stringify(runs) === JSON.stringify(state.runs)) return;
        state.runs = runs;
        this.notify();
      })
      .catch((e: unknown) => this.log.error(`Cannot read the committed AI lines of ${repo.root}`, e));
    return state.queue;
  }

  private async readPolicy(repo: Repository): Promise<void> {
    let isIgnored: (rel: string) => boolean;
    try {
      // An invalid policy file yields the strict default, as the gate uses it.
      isIgnored = ignoreMatcher((await repo.policy()).policy);
    } catch (e) {
      this.log.error(`Cannot read the policy of ${repo.root}`, e);
      isIgnored = ignoreMatcher(DEFAULT_POLICY);
    }
    this.ignores.set(repo.root, isIgnored);
    this.notify();
  }

  /** Runs store operations of one repository one after another. */
  private enqueue(repo: Repository, op: () => Promise<void>): Promise<void> {
    const next = (this.queues.get(repo.root) ?? Promise.resolve()).then(op).catch((e: unknown) => this.log.error(`Cannot read the marker store of ${repo.root}`, e));
    this.queues.set(repo.root, next);
    return next;
  }

  private storeChanged({ repo, files }: StoreChangeEvent): void {
    if (!files) {
      // The watcher could not say which files changed: read them all, once the burst is over.
      clearTimeout(this.pendingScan.get(repo.root));
      this.pendingScan.set(repo.root, setTimeout(() => {
        this.pendingScan.delete(repo.root);
        this.pendingFiles.delete(repo.root);
        void this.enqueue(repo, () => this.readStore(repo));
      }, STORE_DELAY_MS));
      return;
    }
    let pending = this.pendingFiles.get(repo.root);
    if (!pending) {
      pending = new Map();
      this.pendingFiles.set(repo.root, pending);
      void this.enqueue(repo, async () => {
        const batch = this.pendingFiles.get(repo.root);
        this.pendingFiles.delete(repo.root);
        for (const change of batch?.values() ?? []) await this.updateFile(repo, change);
      });
    }
    for (const change of files) pending.set(change.name, change);
  }

  /** Applies one marker file's change: its record came with the event (read once by the watcher, or ours from memory). */
  private async updateFile(repo: Repository, change: MarkerChange): Promise<void> {
    const names = this.namesOf(repo);
    const rel = change.record?.path ?? names.get(change.name);
    if (rel === undefined) return;
    const files = this.storedOf(repo);
    if (!change.record) {
      names.delete(change.name);
      if (files.delete(rel)) this.notify();
      return;
    }
    names.set(change.name, rel);
    await this.place(repo, change.record, files);
  }

  /** Re-reads one file's record from the store (after its document closed). */
  private async rescanFile(repo: Repository, rel: string): Promise<void> {
    this.repos.activity.markerReads++;
    const record = await repo.store.read(rel);
    const files = this.storedOf(repo);
    if (!record) {
      if (files.delete(rel)) this.notify();
      return;
    }
    this.namesOf(repo).set(path.basename(repo.store.markerFile(rel)), rel);
    await this.place(repo, record, files);
  }

  /** Positions one record's regions in its working file and stores the entry (skipped while the document is open: its live regions win). */
  private async place(repo: Repository, record: FileRecord, files: Map<string, Stored>): Promise<void> {
    this.repos.activity.fileScans++;
    const uri = vscode.Uri.file(path.join(repo.root, record.path));
    if (this.isLive(uri)) return;
    const before = files.get(record.path);
    const after = await this.entryFor(repo, record, uri, before);
    if (after) files.set(record.path, after);
    else files.delete(record.path);
    if (after?.entry !== before?.entry) this.notify();
  }

  /**
   * A record's unreviewed regions in its working file, re-using `known` when neither the record
   * (rev) nor the file (mtime, size) changed. Undefined when the file is gone or not text.
   */
  private async entryFor(repo: Repository, record: FileRecord, uri: vscode.Uri, known: Stored | undefined): Promise<Stored | undefined> {
    let stat;
    try {
      stat = await fs.stat(uri.fsPath);
    } catch {
      return undefined; // Deleted: nothing to review.
    }
    const key = `${record.rev}:${stat.mtimeMs}:${stat.size}`;
    if (known?.key === key) return known;
    let content: string | undefined;
    try {
      content = await repo.readWorkingFile(record.path);
    } catch (e) {
      if (e instanceof UnsupportedFileError) return undefined;
      throw e;
    }
    if (content === undefined) return undefined;
    const lines = splitLines(content);
    const regions = panelRows(regionsIn(record, content), (l) => lines[l]);
    return { key, entry: regions.length ? { uri, repo, rel: record.path, regions } : undefined };
  }

  /** Reads every marker file of a store: at start, on refresh, and when the watcher cannot name the files that changed. */
  private async readStore(repo: Repository): Promise<void> {
    const records = await repo.store.list();
    this.repos.activity.fullScans++;
    this.repos.activity.markerReads += records.length;
    const before = this.storedOf(repo);
    const files = new Map<string, Stored>();
    const names = new Map<string, string>();
    for (const record of records) {
      names.set(path.basename(repo.store.markerFile(record.path)), record.path);
      const uri = vscode.Uri.file(path.join(repo.root, record.path));
      if (this.isLive(uri)) continue;
      const known = await this.entryFor(repo, record, uri, before.get(record.path));
      if (known) files.set(record.path, known);
    }
    this.stored.set(repo.root, files);
    this.names.set(repo.root, names);
    this.notify();
  }

  private storedOf(repo: Repository): Map<string, Stored> {
    let files = this.stored.get(repo.root);
    if (!files) this.stored.set(repo.root, (files = new Map()));
    return files;
  }

  private namesOf(repo: Repository): Map<string, string> {
    let names = this.names.get(repo.root);
    if (!names) this.names.set(repo.root, (names = new Map()));
    return names;
  }

  private isLive(uri: vscode.Uri): boolean {
    return this.live.has(uri.toString()) || this.pendingLive.has(uri.toString());
  }

  private locate(uri: vscode.Uri): { repo: Repository; rel: string } | undefined {
    for (const files of this.stored.values()) {
      for (const [rel, s] of files) if (s.entry?.uri.toString() === uri.toString()) return { repo: s.entry.repo, rel };
    }
    return undefined;
  }

  /** What is shown: stored and live entries, sorted per repository by the repository summary. */
  private view(): View {
    if (this.pendingLive.size) this.flushLive();
    if (this.cache) return this.cache;
    const byUri = new Map<string, FileEntry>();
    for (const files of this.stored.values()) for (const s of files.values()) if (s.entry) byUri.set(s.entry.uri.toString(), s.entry);
    for (const [key, e] of this.live) {
      if (e) byUri.set(key, e);
      else byUri.delete(key);
    }
    const byRepo = new Map<string, Map<string, FileEntry>>();
    for (const e of byUri.values()) {
      let files = byRepo.get(e.repo.root);
      if (!files) byRepo.set(e.repo.root, (files = new Map()));
      files.set(e.rel, e);
    }
    const view: View = { blocking: [], blockingCount: 0, ignored: [], ignoredCount: 0, committed: [], committedCount: 0 };
    for (const root of [...new Set([...byRepo.keys(), ...this.committedScans.keys()])].sort(compare)) {
      const files = byRepo.get(root) ?? new Map<string, FileEntry>();
      const isIgnored = this.ignores.get(root) ?? ignoreMatcher(DEFAULT_POLICY);
      const s = summarize([...files.values()].map((e) => ({ path: e.rel, regions: e.regions })), isIgnored);
      view.blocking.push(...s.blocking.map((f) => files.get(f.path)!));
      view.ignored.push(...s.ignored.map((f) => files.get(f.path)!));
      view.blockingCount += s.blockingCount;
      view.ignoredCount += s.ignoredCount;
      const committed = this.committedIn(root, files, isIgnored);
      view.committed.push(...committed);
      view.committedCount += committed.reduce((n, f) => n + f.runs.length, 0);
    }
    this.cache = view;
    return view;
  }

  /** One repository's committed, unreviewed lines by file, without those a local marker lists already and those the policy ignores. */
  private committedIn(root: string, local: ReadonlyMap<string, FileEntry>, isIgnored: (rel: string) => boolean): CommittedFile[] {
    const repo = this.repos.all.find((r) => r.root === root);
    const runs = this.committedScans.get(root)?.runs ?? [];
    if (!repo || runs.length === 0) return [];
    const byPath = new Map<string, CommittedRun[]>();
    for (const run of runs) {
      if (isIgnored(run.path)) continue;
      let list = byPath.get(run.path);
      if (!list) byPath.set(run.path, (list = []));
      list.push(run);
    }
    const out: CommittedFile[] = [];
    for (const [rel, list] of byPath) {
      const covered = (local.get(rel)?.regions ?? []).map((r) => ({ from: r.first + 1, to: r.last + 1 }));
      const left = withoutLines(list, covered);
      if (left.length) out.push({ uri: vscode.Uri.file(path.join(root, rel)), repo, rel, runs: left });
    }
    return out.sort((a, b) => compare(a.rel, b.rel));
  }

  /**
   * Runs on every keystroke that moves a region, so it only takes note; the summaries (which walk
   * every region of the file) are built once per burst, when someone reads the model.
   */
  private updateLive(uri: vscode.Uri): void {
    this.pendingLive.set(uri.toString(), uri);
    this.notify();
  }

  private flushLive(): void {
    const pending = [...this.pendingLive.values()];
    this.pendingLive.clear();
    for (const uri of pending) this.summarizeLive(uri);
  }

  private summarizeLive(uri: vscode.Uri): void {
    const loc = this.tracker.location(uri);
    const regions = this.tracker.regions(uri);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (!loc || !regions || !doc) return;
    // Only the lines a preview needs are read, so an update of a 10,000-line file reads a few of them.
    const summaries = panelRows(regions, (l) => (l < doc.lineCount ? doc.lineAt(l).text : undefined));
    this.live.set(uri.toString(), summaries.length ? { uri, repo: loc.repo, rel: loc.rel, regions: summaries } : null);
  }

  /** Coalesces bursts (typing, a store scan) into one change event. */
  private notify(): void {
    this.cache = undefined;
    if (this.notifyTimer) return;
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = undefined;
      this.changed.fire();
    }, NOTIFY_DELAY_MS);
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
