/**
 * Follows files renamed or moved outside VS Code (a terminal `mv`, another tool). The editor only
 * reports its own renames; on disk a rename is a delete and a create. When a file appears whose
 * content is exactly what an orphaned marker file (one whose source file is gone) was recorded
 * against, the markers move to the new path. Files deleted for good keep no visible markers.
 */
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { FileRecord } from '../core/markerFile';
import { hashText } from '../core/text';
import { Repository } from '../store/repository';
import { Disposable } from './disposable';
import { Log } from './log';
import { Repositories } from './repositories';

/** Creations are gathered this long, so a checkout or a moved folder is handled in one pass. */
const BATCH_MS = 300;
/** A moved folder is searched for files this deep at most (a rename of a huge tree is not followed past it). */
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
    const known = new Set(records.map((r) => r.path));
    // Orphans by the hash of the content they were recorded against; two orphans with the same
    // content are ambiguous and left alone.
    const orphans = new Map<string, FileRecord | null>();
    for (const r of records) {
      if (existsSync(repo.store.absolute(r.path))) continue;
      orphans.set(r.contentHash, orphans.has(r.contentHash) ? null : r);
    }
    if (orphans.size === 0) return;
    for (const file of await filesUnder(uris.map((u) => u.fsPath))) {
      let rel: string;
      let text: string | undefined;
      try {
        rel = repo.relative(file);
        if (known.has(rel)) continue;
        text = await repo.readWorkingFile(rel);
      } catch {
        continue; // Inside .git, a directory, binary or huge: nothing of ours.
      }
      if (text === undefined) continue;
      const orphan = orphans.get(hashText(text));
      if (!orphan) continue;
      orphans.delete(orphan.contentHash);
      await repo.store.rename(orphan.path, rel);
      this.log.info(`${orphan.path} was moved to ${rel} outside the editor; its markers moved with it`);
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
