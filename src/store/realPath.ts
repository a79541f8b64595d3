/**
 * Symbolic links can lead out of the repository where the path itself does not: `linked/x.ts` with
 * `linked -> /etc`. Whatever reads or writes a file on a path that came from outside (an agent's
 * payload, a cloned repository's `.claude` folder) resolves it here first.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { OutsideRepositoryError } from './markerStore';

/**
 * The real path of `abs` (for a path that does not exist yet: of its nearest existing parent, plus
 * the rest). Throws OutsideRepositoryError when that is outside `root`'s real path or inside its
 * `.git`; `shown` names the path in the message.
 */
export async function realPathInside(root: string, abs: string, shown: string = abs): Promise<string> {
  const realRoot = await fs.realpath(root);
  const real = await realPathOf(abs);
  const rel = path.relative(realRoot, real);
  const first = rel.split(path.sep)[0];
  if (rel.startsWith('..') || path.isAbsolute(rel) || first === '.git') {
    throw new OutsideRepositoryError(real === abs ? shown : `${shown} (a symbolic link to ${real})`, root);
  }
  return real;
}

async function realPathOf(abs: string): Promise<string> {
  const rest: string[] = [];
  let p = abs;
  // Bounded: links that point at each other would otherwise go round for ever.
  for (let hops = 0; hops < 64; hops++) {
    try {
      return path.join(await fs.realpath(p), ...[...rest].reverse());
    } catch (e) {
      const code = e instanceof Error && 'code' in e ? e.code : undefined;
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || path.dirname(p) === p) throw e;
    }
    const link = await fs.readlink(p).catch(() => undefined);
    if (link !== undefined) {
      // A link to something missing: where it points is where a write would land.
      p = path.resolve(path.dirname(p), link);
    } else {
      rest.push(path.basename(p));
      p = path.dirname(p);
    }
  }
  throw new Error(`too many symbolic links in ${abs}`);
}
