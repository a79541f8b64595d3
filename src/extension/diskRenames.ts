/**
 * Follows files renamed or moved outside VS Code (a terminal `mv`, another tool). The editor only
 * reports its own renames; on disk a rename is a delete and a create. When files appear while a
 * marker file's source file is gone, Repository.followMoves decides whether one of them is that
 * file moved (same content, or the one new file that kept half its lines). Files deleted for good
 * keep no visible markers.
 */
import * as vscode from 'vscode';
import { newFiles } from '../store/git';
import { Repository } from '../store/repository';
import { Disposable } from './disposable';
import { Log } from './log';
import { Repositories } from './repositories';

/** Creations are gathered this long, so a checkout or a moved folder is handled in one pass. */
const BATCH_MS = 300;

export class DiskRenames extends Disposable {
  private readonly created = new Map<string, vscode.Uri>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly repos: Repositories, private readonly log: Log) {
    super();
    const watcher = this.register(vscode.workspace.createFileSystemWatcher('**/*', false, true, true));
    this.register(watcher.onDidCreate((uri) => {
      if (uri.scheme !== 'file') return;
      this.created.set(uri.toString(), uri);
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.flush(), BATCH_MS);
    }));
    this.register({ dispose: () => clearTimeout(this.timer) });
  }

  private async flush(): Promise<void> {
    const created = [...this.created.values()];
    this.created.clear();
    const byRepo = new Map<Repository, vscode.Uri[]>();
    for (const uri of created) {
      const repo = await this.repos.forUri(uri);
      if (repo) byRepo.set(repo, [...(byRepo.get(repo) ?? []), uri]);
    }
    for (const [repo, uris] of byRepo) {
      try {
        await this.follow(repo, uris);
      } catch (e) {
        this.log.error(`Cannot follow files moved on disk in ${repo.root}`, e);
      }
    }
  }

  private async follow(repo: Repository, uris: vscode.Uri[]): Promise<void> {
    // `git status` runs what the repository's config names (core.fsmonitor): not in Restricted Mode.
    if (!vscode.workspace.isTrusted) return;
    const created = new Set<string>();
    for (const uri of uris) {
      try {
        created.add(repo.relative(uri.fsPath));
      } catch {
        // Inside .git or outside the repository.
      }
    }
    // The new files git would offer to commit, at a created path or below a created folder (a
    // moved folder, or a file moved into a folder made a moment before, is often reported only
    // as the folder). A build or an install writing thousands of ignored files is nobody's move.
    const candidates = async (): Promise<string[]> =>
      (await newFiles(repo.root)).filter((rel) => {
        for (let p = rel; p; p = p.slice(0, Math.max(0, p.lastIndexOf('/')))) if (created.has(p)) return true;
        return false;
      });
    for (const { from, to } of await repo.followMoves(candidates)) {
      this.log.info(`${from} was moved to ${to} outside the editor; its markers moved with it`);
    }
  }
}
