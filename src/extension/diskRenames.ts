/**
 * Follows files renamed or moved outside VS Code (a terminal `mv`, another tool). The editor only
 * reports its own renames; on disk a rename is a delete and a create. When files appear while a
 * marker file's source file is gone, Repository.followMoves decides whether one of them is that
 * file moved (same content, or the one new file that kept half its lines). Files deleted for good
 * keep no visible markers.
 */
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Repository } from '../store/repository';
import { Disposable } from './disposable';
import { Log } from './log';
import { Repositories } from './repositories';

/** Creations are gathered this long, so a checkout or a moved folder is handled in one pass. */
const BATCH_MS = 300;
/** At most this many files of a moved folder are looked at (a huge tree is not followed past them). */
const MAX_FILES_IN_FOLDER = 5000;

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
    const records = await repo.store.list();
    if (records.every((r) => existsSync(repo.store.absolute(r.path)))) return; // nothing went missing
    const rels: string[] = [];
    for (const file of await filesUnder(uris.map((u) => u.fsPath))) {
      try {
        rels.push(repo.relative(file));
      } catch {
        // Inside .git or outside the repository.
      }
    }
    for (const { from, to } of await repo.followMoves(rels, records)) {
      this.log.info(`${from} was moved to ${to} outside the editor; its markers moved with it`);
    }
  }
}

/**
 * The files among `paths`, with folders searched: a folder moved on disk (or a file moved into a
 * folder made a moment before) is often reported only as the folder's creation.
 */
async function filesUnder(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  const pending = [...paths];
  while (pending.length > 0 && files.length < MAX_FILES_IN_FOLDER) {
    const p = pending.pop()!;
    let entries;
    try {
      entries = await fs.readdir(p, { withFileTypes: true });
    } catch {
      files.push(p); // Not a folder (or gone, which reading it will tell).
      continue;
    }
    for (const e of entries) {
      if (e.name === '.git') continue;
      if (e.isDirectory()) pending.push(path.join(p, e.name));
      else if (e.isFile()) files.push(path.join(p, e.name));
    }
  }
  return files;
}
