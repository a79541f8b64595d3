/**
 * Watches what moves when HEAD or the provenance notes change: the git dir's HEAD, the common
 * dir's packed-refs, the current branch's ref and refs/notes/ai-provenance. A commit, a checkout, a
 * pull, a fetch of notes merged by the hooks and a review recorded in a note each end in one of
 * them. A fetch that updates only remote-tracking branches does not (nothing in the working tree
 * changed). Repositories whose refs are kept in the reftable format are not watched: a save or a
 * refresh by hand still updates.
 *
 * Each watch is of one folder, not recursive: Node's recursive watch on Linux follows every file
 * itself, and a lock file git creates and renames at once can end it with an error. Which folders
 * are watched depends on the current branch and on which folders exist (refs/notes appears with the
 * first note), so they are set up again after each change, before the listener runs.
 */
import { FSWatcher, readFileSync, watch } from 'node:fs';
import * as path from 'node:path';
import { NOTES_REF } from '../core/note';
import { git } from './git';

/**
 * Calls `onChange` (once per burst of `debounceMs`) when HEAD, the current branch or the notes
 * ref of the repository at `root` may have moved. A watch that fails reports a change, so the
 * caller looks again rather than trusting what it has.
 */
export async function watchRefs(root: string, onChange: () => void, debounceMs = 200): Promise<{ dispose(): void }> {
  const [gitDir, commonDir = gitDir] = (await git(root, ['rev-parse', '--path-format=absolute', '--git-dir', '--git-common-dir'])).split('\n').filter(Boolean);
  let watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  let disposed = false;
  const fire = (): void => {
    if (disposed) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      arm();
      onChange();
    }, debounceMs);
  };
  const add = (dir: string, wanted: (name: string) => boolean): void => {
    try {
      const w = watch(dir, { persistent: false }, (_event, name) => {
        if (name === null || wanted(String(name))) fire();
      });
      w.on('error', fire);
      watchers.push(w);
    } catch {
      // The folder does not exist (yet): its parent's watch sees it appear.
    }
  };
  /** Watches `ref` (relative to the common dir) in its folder, and each folder on the way there for the next one appearing. */
  const addRef = (ref: string): void => {
    const parts = ref.split('/');
    for (let i = 1; i < parts.length; i++) {
      const next = parts[i];
      const last = i === parts.length - 1;
      // The ref's own file: git writes `<name>.lock` and renames it to `<name>`.
      add(path.join(commonDir, ...parts.slice(0, i)), (name) => (last ? name === next || name === `${next}.lock` : name === next));
    }
  };
  const arm = (): void => {
    for (const w of watchers) w.close();
    watchers = [];
    if (disposed) return;
    add(gitDir, (name) => /^(HEAD|packed-refs)(\.lock)?$/.test(name));
    if (commonDir !== gitDir) add(commonDir, (name) => /^packed-refs(\.lock)?$/.test(name));
    addRef(NOTES_REF);
    const branch = currentBranch(gitDir);
    if (branch) addRef(branch);
  };
  arm();
  return {
    dispose: () => {
      disposed = true;
      clearTimeout(timer);
      arm();
    },
  };
}

/** The ref HEAD points to (`refs/heads/…`), or undefined when HEAD is detached or unreadable. */
function currentBranch(gitDir: string): string | undefined {
  try {
    const m = /^ref: (refs\/\S+)/.exec(readFileSync(path.join(gitDir, 'HEAD'), 'utf8'));
    return m?.[1];
  } catch {
    return undefined;
  }
}
