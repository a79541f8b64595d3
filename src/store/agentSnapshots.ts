/**
 * Pre-tool snapshots: a file's content just before an agent's tool runs, taken by the agent's
 * pre-tool hook (`PreToolUse`, `BeforeTool`) and consumed by the matching post-tool hook, so the
 * lines the tool wrote are diffed against exactly what it started from and a human's edit made
 * between two agent calls is never credited to the agent. They live in `<store>/snapshots/`, beside
 * (not inside) the marker files, so writing one does not wake the editor's store watcher.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { hashText } from '../core/text';
import { writeAtomic } from './markerStore';

/** Snapshots older than this are left over from tools that failed or were refused (no post hook came). */
export const SNAPSHOT_MAX_AGE_MS = 6 * 60 * 60 * 1000;

export interface SnapshotKey {
  agent: string;
  session?: string;
  toolUseId?: string;
  /** Repository-relative path. */
  path: string;
}

export interface Snapshot extends SnapshotKey {
  /** ISO time it was taken. */
  at: string;
  /** False when the file did not exist yet (the tool creates it). */
  exists: boolean;
  content: string;
  /** The text the model proposed, as the pre-tool payload said it (to tell a proposal the user changed before accepting). */
  proposal?: string;
}

export class SnapshotStore {
  constructor(readonly dir: string) {}

  /** One file per tool call and path; the key holds everything both hooks of one call know alike. */
  file(key: SnapshotKey): string {
    return path.join(this.dir, `${hashText([key.agent, key.session ?? '', key.toolUseId ?? '', key.path].join('\0'))}.json`);
  }

  async save(snapshot: Snapshot): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    await writeAtomic(this.file(snapshot), JSON.stringify(snapshot));
  }

  /** The snapshot for this call and path, removed as it is read; undefined if there is none (or it is unreadable). */
  async take(key: SnapshotKey): Promise<Snapshot | undefined> {
    const file = this.file(key);
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch {
      return undefined;
    }
    await fs.rm(file, { force: true });
    try {
      const s = JSON.parse(text) as Snapshot;
      // A hash collision or a hand-edited file must not hand one file's content to another.
      if (s.path !== key.path || s.agent !== key.agent || typeof s.content !== 'string' || typeof s.exists !== 'boolean') return undefined;
      return s;
    } catch {
      return undefined;
    }
  }

  /** Removes snapshots older than `maxAgeMs`. Returns how many went. Never throws: it is housekeeping. */
  async cleanup(maxAgeMs = SNAPSHOT_MAX_AGE_MS, now = Date.now()): Promise<number> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch {
      return 0;
    }
    let removed = 0;
    for (const name of names) {
      // A shell snapshot's index is a link whose time is the index's last write: shellSnapshot.ts ages it by its manifest.
      if (name.endsWith('.index')) continue;
      const file = path.join(this.dir, name);
      try {
        const st = await fs.stat(file);
        if (now - st.mtimeMs > maxAgeMs) {
          await fs.rm(file, { force: true });
          removed++;
        }
      } catch {
        // Taken by a concurrent hook meanwhile.
      }
    }
    return removed;
  }
}
