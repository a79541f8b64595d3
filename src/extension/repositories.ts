/** Finds and caches the repository (and so the marker store) for each file; several roots and repositories per window work. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { MarkerChange } from '../store/markerStore';
import { Repository } from '../store/repository';
import { Disposable } from './disposable';
import { Log } from './log';

/** How often the store woke the extension, for tests and benchmarks (counted, never timed). */
export interface StoreActivity {
  /** Scans that read every marker file of a store. */
  fullScans: number;
  /** Updates of the panel's model for one changed marker file. */
  fileScans: number;
  /** Marker files read because a store changed (by a full scan, a per-file update or an open document's reload). */
  markerReads: number;
}

/** A store changed: these marker files, or (`files` undefined) an unknown set of them. */
export interface StoreChangeEvent {
  repo: Repository;
  files: readonly MarkerChange[] | undefined;
}

export class Repositories extends Disposable {
  readonly activity: StoreActivity = { fullScans: 0, fileScans: 0, markerReads: 0 };
  private readonly byDir = new Map<string, Promise<Repository | undefined>>();
  private readonly byRoot = new Map<string, Repository>();
  private readonly changed = this.register(new vscode.EventEmitter<StoreChangeEvent>());
  /**
   * Fires when any repository's store was written by anyone (this window, another window, the
   * CLI), naming the marker files when the platform can; this window's own writes come with what
   * was written, so nobody needs to read them back.
   */
  readonly onDidChangeStore = this.changed.event;
  private readonly opened = this.register(new vscode.EventEmitter<Repository>());
  readonly onDidOpenRepository = this.opened.event;

  constructor(private readonly log: Log) {
    super();
  }

  /** The repository holding `uri`, or undefined for files outside any git repository (or not on disk). */
  forUri(uri: vscode.Uri): Promise<Repository | undefined> {
    if (uri.scheme !== 'file') return Promise.resolve(undefined);
    return this.forDirectory(path.dirname(uri.fsPath));
  }

  forDirectory(dir: string): Promise<Repository | undefined> {
    let found = this.byDir.get(dir);
    if (!found) {
      found = this.open(dir);
      this.byDir.set(dir, found);
    }
    return found;
  }

  /** Every repository seen so far. */
  get all(): Repository[] {
    return [...this.byRoot.values()];
  }

  /** Opens the repositories of every workspace folder (so the panel and status bar know them before any file is opened). */
  async discoverWorkspace(): Promise<Repository[]> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const repos = await Promise.all(folders.map((f) => (f.uri.scheme === 'file' ? this.forDirectory(f.uri.fsPath) : Promise.resolve(undefined))));
    return repos.filter((r): r is Repository => r !== undefined);
  }

  private async open(dir: string): Promise<Repository | undefined> {
    let repo: Repository;
    try {
      repo = await Repository.open(dir);
    } catch {
      return undefined; // Not in a git repository, or git is missing: nothing to track here.
    }
    const known = this.byRoot.get(repo.root);
    if (known) return known;
    this.byRoot.set(repo.root, repo);
    try {
      await repo.author(); // cached, so edits can be attributed synchronously
      await repo.store.ensureDir();
    } catch (e) {
      this.log.error(`Cannot create the marker store ${repo.store.dir}`, e);
    }
    this.register(repo.store.onProblem((p) => {
      this.log.warn(p.message);
      void vscode.window.showWarningMessage(vscode.l10n.t('AI Provenance: {0}', p.message), vscode.l10n.t('Show Log')).then((pick) => {
        if (pick) this.log.show();
      });
    }));
    this.register(repo.store.watch(({ files }) => {
      // The watcher read each marker file another writer changed.
      this.activity.markerReads += files?.filter((f) => !f.own).length ?? 0;
      this.changed.fire({ repo, files });
    }));
    this.log.info(`Tracking ${repo.root} (store: ${repo.store.dir})`);
    this.opened.fire(repo);
    return repo;
  }
}
