/**
 * Symbolic links can lead out of the repository where the path itself does not: `linked/x.ts` with
 * `linked -> /etc`. Every path that came from outside (a command line, an agent's payload, a cloned
 * repository's `.claude` folder) is judged on where it really is.
 */
import { readlinkSync, realpathSync } from 'node:fs';
import * as path from 'node:path';
import { OutsideRepositoryError } from './errors';

/**
 * The real path of `abs` and the real path of `root`'s checkout; throws OutsideRepositoryError when
 * the first is outside the second or inside its `.git`. `shown` names the path in the message.
 */
export function realPathInside(root: string, abs: string, shown: string = abs): string {
  const real = realLocation(abs);
  const rel = path.relative(realLocation(root), real);
  const first = rel.split(path.sep)[0];
  if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel) || first === '.git') {
    throw new OutsideRepositoryError(real === abs ? shown : `${shown} (a symbolic link to ${real})`, root);
  }
  return real;
}

/**
 * Where a path really is, symbolic links resolved, for a path that may not exist yet: the part that
 * exists is resolved, a link that leads nowhere is followed by its text, the rest is kept as written.
 */
export function realLocation(abs: string, hops = 0): string {
  try {
    return realpathSync.native(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw e;
  }
  const parent = path.dirname(abs);
  if (parent === abs) return abs;
  let target: string | undefined;
  try {
    target = readlinkSync(abs);
  } catch {
    target = undefined; // Not a link: it simply does not exist.
  }
  const realParent = realLocation(parent, hops);
  if (target === undefined) return path.join(realParent, path.basename(abs));
  if (hops >= 40) throw new Error('too many levels of symbolic links');
  return realLocation(path.resolve(realParent, target), hops + 1);
}
