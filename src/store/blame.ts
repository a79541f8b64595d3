/**
 * `git blame --porcelain`, parsed into runs of lines: which commit each line of a file's final
 * version comes from, and where that line was in that commit (its line number and its path there,
 * which differs after a rename). One git process per file; the porcelain format names each commit's
 * details once, so the output stays small even for large files.
 */
import { spawn } from 'node:child_process';
import * as os from 'node:os';
import { unquoteGitPath } from '../core/gitPath';
import { GitError } from './git';

/** What an uncommitted line is blamed to (blame of the working tree). */
export const UNCOMMITTED = '0000000000000000000000000000000000000000';

/** A run of consecutive final lines from one commit, in consecutive lines of that commit's version. */
export interface BlameEntry {
  /** Full commit id; UNCOMMITTED for working-tree lines. */
  commit: string;
  /** First final line, 1-based. */
  line: number;
  /** How many lines the run holds. */
  count: number;
  /** The run's first line in the commit's version of the file, 1-based. */
  origLine: number;
  /** The file's path in that commit. */
  origPath: string;
  /** The commit lies outside the blamed range (`^base`): the line was not added by the range. */
  boundary: boolean;
}

export interface BlameOptions {
  /** The revision whose version of the file is blamed; the working tree when omitted. */
  rev?: string;
  /** Commits reachable from this one are boundaries: lines they wrote are reported with `boundary`. */
  exclude?: string;
  /** Only these final lines (1-based inclusive). */
  lines?: { from: number; to: number };
  /** Blame this text as the file's working-tree version (an editor's unsaved text), not the file on disk. */
  contents?: string;
  /**
   * Follow lines moved within the file (-M) and moved or copied from other files changed in the
   * same commit (-C) to the commit that first wrote them. Costs git about twice the time.
   */
  moves?: boolean;
}

/** The git arguments for one blame; shared with the benchmark so it measures the same command. */
export function blameArgs(path: string, opts: BlameOptions = {}): string[] {
  // --root: a root commit inside the range added its lines; without it git reports it as a boundary.
  const args = ['blame', '--porcelain', '--root'];
  if (opts.moves) args.push('-M', '-C');
  if (opts.lines) args.push('-L', `${opts.lines.from},${opts.lines.to}`);
  if (opts.contents !== undefined) args.push('--contents', '-');
  if (opts.rev) args.push(opts.rev);
  if (opts.exclude) args.push(`^${opts.exclude}`);
  args.push('--', path);
  return args;
}

/** Blames one file. Throws a GitError when git refuses (no such path at that revision, a bad revision). */
export function blameFile(root: string, path: string, opts: BlameOptions = {}): Promise<BlameEntry[]> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', blameArgs(path, opts), { cwd: root, env: { ...process.env, LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0' } });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    // A blame that fails early closes stdin under us; its exit code says why.
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.contents ?? '');
    child.on('close', (code) => {
      if (code !== 0) return reject(new GitError(`git blame ${path} failed: ${stderr.trim()}`, code, stderr));
      try {
        resolve(parseBlamePorcelain(Buffer.concat(chunks)));
      } catch (e) {
        reject(e);
      }
    });
  });
}

/**
 * Blames many files, a few git processes at a time (one per core: each blame is one busy
 * process). Results in the order of `paths`.
 */
export async function blameFiles(root: string, paths: readonly string[], opts: BlameOptions = {}, concurrency = Math.max(2, os.cpus().length)): Promise<BlameEntry[][]> {
  const out: BlameEntry[][] = new Array(paths.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < paths.length) {
      const i = next++;
      out[i] = await blameFile(root, paths[i], opts);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, paths.length) }, worker));
  return out;
}

/**
 * Parses `git blame --porcelain` output. Each run starts with `<commit> <orig> <final> <count>`;
 * the first run of a commit is followed by its details (`boundary`, `filename`, ...), and every
 * line by its content after a tab, which is skipped unread. `filename` follows a commit's first run,
 * and every run of a commit that appears under more than one path.
 */
export function parseBlamePorcelain(buf: Buffer): BlameEntry[] {
  const entries: BlameEntry[] = [];
  const filenames = new Map<string, string>();
  const boundaries = new Set<string>();
  let pos = 0;
  let current: BlameEntry | undefined;
  let lastRun: BlameEntry | undefined;
  while (pos < buf.length) {
    let nl = buf.indexOf(10, pos);
    if (nl < 0) nl = buf.length;
    if (buf[pos] === 9) {
      // A content line: the run's header and details are complete.
      if (current) {
        current.origPath = filenames.get(current.commit) ?? '';
        current.boundary = boundaries.has(current.commit);
        if (current.origPath === '') throw new GitError('git blame gave a run without a file name', null, '');
        // git splits runs of one commit where its details were printed; join what is contiguous.
        if (lastRun && lastRun.commit === current.commit && lastRun.origPath === current.origPath && lastRun.line + lastRun.count === current.line && lastRun.origLine + lastRun.count === current.origLine) {
          lastRun.count += current.count;
        } else {
          entries.push(current);
          lastRun = current;
        }
        current = undefined;
      }
      pos = nl + 1;
      continue;
    }
    const line = buf.toString('utf8', pos, nl);
    pos = nl + 1;
    const header = /^([0-9a-f]{40,64}) (\d+) (\d+)(?: (\d+))?$/.exec(line);
    if (header) {
      // Every line has a header (the group's later lines without the count); each becomes a
      // one-line run, joined with the previous one when they continue each other.
      const [, commit, orig, final] = header;
      current = { commit, line: Number(final), count: 1, origLine: Number(orig), origPath: '', boundary: false };
      continue;
    }
    if (!current) continue;
    if (line === 'boundary') boundaries.add(current.commit);
    else if (line.startsWith('filename ')) filenames.set(current.commit, unquoteGitPath(line.slice('filename '.length)));
  }
  return entries;
}

export { unquoteGitPath };
