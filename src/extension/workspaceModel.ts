/**
 * What the review panel, the status bar and navigation show: every repository's unreviewed
 * regions, per file. Closed files come from the marker store (re-read when any writer changes it);
 * open documents come from the DocumentTracker's live regions, so the panel follows typing without
 * touching the disk. Readers get plain snapshots; nothing here does I/O on a read.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { coveredLines, Region } from '../core/regions';
import { Position, splitLines } from '../core/text';
import { regionsIn, Repository, UnsupportedFileError } from '../store/repository';
import { Disposable } from './disposable';
import { DocumentTracker } from './documentTracker';
import { Log } from './log';
import { Repositories } from './repositories';

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
}

export interface FileEntry {
  uri: vscode.Uri;
  repo: Repository;
  rel: string;
  /** Unreviewed regions, in document order. Never empty: files without any are left out. */
  regions: RegionSummary[];
}

const PREVIEW_CHARS = 80;
/** How long panel and status-bar updates wait for more edits while the user types. */
const NOTIFY_DELAY_MS = 120;
const STORE_DELAY_MS = 100;

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
export function summarize(regions: readonly Region[], lineAt: (line: number) => string | undefined): RegionSummary[] {
  return regions
    .filter((r) => !r.review)
    .map((r) => {
      const { first, last } = coveredLines(r, (l) => lineAt(l)?.length ?? 0);
      return { id: r.id, start: r.start, end: r.end, first, last, preview: previewOf(lineAt, r), source: r.source, tool: r.tool, createdAt: r.createdAt, author: r.author };
    });
}

export class WorkspaceModel extends Disposable {
  /** repo root -> rel -> entry, as the store last said. */
  private readonly stored = new Map<string, Map<string, FileEntry>>();
  /** uri -> entry for documents the tracker holds (overrides the stored entry for that file). */
  private readonly live = new Map<string, FileEntry | null>();
  /** Open documents whose regions changed since the model was last read. */
  private readonly pendingLive = new Map<string, vscode.Uri>();
  private readonly scans = new Map<string, Promise<void>>();
  /** repo root -> rel -> what the last scan found, keyed by record rev and file mtime/size. */
  private readonly scanCache = new Map<string, Map<string, { key: string; entry: FileEntry | undefined }>>();
  private readonly pendingScan = new Map<string, NodeJS.Timeout>();
  private notifyTimer?: NodeJS.Timeout;
  private cache?: FileEntry[];
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  /** Fires (throttled) when the list of files or unreviewed regions changed. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly repos: Repositories, private readonly tracker: DocumentTracker, private readonly log: Log) {
    super();
    this.register(repos.onDidOpenRepository((repo) => void this.refresh(repo)));
    this.register(repos.onDidChangeStore((repo) => this.scheduleScan(repo)));
    this.register(tracker.onDidChangeRegions((uri) => this.updateLive(uri)));
    // A closed document's regions are in the store again (the tracker flushed them): use those.
    this.register(vscode.workspace.onDidCloseTextDocument((d) => {
      const pending = this.pendingLive.delete(d.uri.toString());
      if (this.live.delete(d.uri.toString()) || pending) {
        const loc = this.locate(d.uri);
        if (loc) this.scheduleScan(loc);
        this.notify();
      }
    }));
    for (const repo of repos.all) void this.refresh(repo);
    this.register({ dispose: () => {
      clearTimeout(this.notifyTimer);
      for (const t of this.pendingScan.values()) clearTimeout(t);
    } });
  }

  /** Every file with unreviewed regions, sorted by repository and path. */
  files(): readonly FileEntry[] {
    if (this.pendingLive.size) this.flushLive();
    if (!this.cache) {
      const byUri = new Map<string, FileEntry>();
      for (const files of this.stored.values()) for (const e of files.values()) byUri.set(e.uri.toString(), e);
      for (const [key, e] of this.live) {
        if (e) byUri.set(key, e);
        else byUri.delete(key);
      }
      this.cache = [...byUri.values()].sort((a, b) => compare(a.repo.root, b.repo.root) || compare(a.rel, b.rel));
    }
    return this.cache;
  }

  file(uri: vscode.Uri): FileEntry | undefined {
    const key = uri.toString();
    return this.files().find((e) => e.uri.toString() === key);
  }

  get unreviewedCount(): number {
    return this.files().reduce((n, e) => n + e.regions.length, 0);
  }

  /** Re-reads one repository's store (or all of them); resolves when the model reflects it. */
  async refresh(repo?: Repository): Promise<void> {
    await Promise.all((repo ? [repo] : this.repos.all).map((r) => this.scan(r)));
  }

  private scheduleScan(repo: Repository): void {
    clearTimeout(this.pendingScan.get(repo.root));
    this.pendingScan.set(repo.root, setTimeout(() => {
      this.pendingScan.delete(repo.root);
      void this.scan(repo);
    }, STORE_DELAY_MS));
  }

  /** One scan per repository at a time; a request during a scan runs once more after it. */
  private scan(repo: Repository): Promise<void> {
    const previous = this.scans.get(repo.root) ?? Promise.resolve();
    const next = previous.then(() => this.readStore(repo));
    this.scans.set(repo.root, next);
    return next;
  }

  private async readStore(repo: Repository): Promise<void> {
    const files = new Map<string, FileEntry>();
    const cache = this.scanCache.get(repo.root) ?? new Map<string, { key: string; entry: FileEntry | undefined }>();
    const nextCache = new Map<string, { key: string; entry: FileEntry | undefined }>();
    try {
      // Like Repository.status(), but keeping each file's lines long enough to take the previews,
      // skipping documents the tracker holds (their live regions win), and re-reading a working
      // file only when its record or the file itself changed since the last scan.
      for (const record of await repo.store.list()) {
        const uri = vscode.Uri.file(path.join(repo.root, record.path));
        if (this.live.has(uri.toString()) || this.pendingLive.has(uri.toString())) continue;
        let stat;
        try {
          stat = await fs.stat(uri.fsPath);
        } catch {
          continue; // Deleted: nothing to review.
        }
        const key = `${record.rev}:${stat.mtimeMs}:${stat.size}`;
        let known = cache.get(record.path);
        if (known?.key !== key) {
          let content: string | undefined;
          try {
            content = await repo.readWorkingFile(record.path);
          } catch (e) {
            if (e instanceof UnsupportedFileError) continue;
            throw e;
          }
          if (content === undefined) continue;
          const lines = splitLines(content);
          const regions = summarize(regionsIn(record, content), (l) => lines[l]);
          known = { key, entry: regions.length ? { uri, repo, rel: record.path, regions } : undefined };
        }
        nextCache.set(record.path, known);
        if (known.entry) files.set(record.path, known.entry);
      }
    } catch (e) {
      this.log.error(`Cannot list the marker store of ${repo.root}`, e);
      return;
    }
    this.scanCache.set(repo.root, nextCache);
    this.stored.set(repo.root, files);
    this.notify();
  }

  private locate(uri: vscode.Uri): Repository | undefined {
    return this.tracker.location(uri)?.repo ?? this.file(uri)?.repo;
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
    const summaries = summarize(regions, (l) => (l < doc.lineCount ? doc.lineAt(l).text : undefined));
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
