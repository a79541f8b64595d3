/**
 * `git blame --incremental`, parsed into runs of lines: which commit each line of a file's final
 * version comes from, and where that line was in that commit (its line number and its path there,
 * which differs after a rename). One git process per file; the incremental format names each
 * commit's details once and carries no line text, so the output stays small even for large files,
 * and it streams: each commit is known as soon as blame settles its first lines.
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
   * Follow lines moved within the file to the commit that first wrote them (git's -M). Costs git
   * about three times the time of a plain blame.
   */
  moves?: boolean;
  /** Follow lines moved or copied from other files changed in the same commit too (git's -C, which implies -M). */
  copies?: boolean;
}

/** The git arguments for one blame; shared with the benchmark so it measures the same command. */
export function blameArgs(path: string, opts: BlameOptions = {}): string[] {
  // --root: a root commit inside the range added its lines; without it git reports it as a boundary.
  const args = ['blame', '--incremental', '--root'];
  if (opts.moves) args.push('-M');
  if (opts.copies) args.push('-C');
  if (opts.lines) args.push('-L', `${opts.lines.from},${opts.lines.to}`);
  if (opts.contents !== undefined) args.push('--contents', '-');
  if (opts.rev) args.push(opts.rev);
  if (opts.exclude) args.push(`^${opts.exclude}`);
  args.push('--', path);
  return args;
}

/**
 * Blames one file. Throws a GitError when git refuses (no such path at that revision, a bad
 * revision). `onCommit` hears each commit the first time blame names it, while blame still runs,
 * so what depends on the commits (their notes) can be read meanwhile.
 */
export function blameFile(root: string, path: string, opts: BlameOptions = {}, onCommit?: (commit: string) => void): Promise<BlameEntry[]> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', blameArgs(path, opts), { cwd: root, env: { ...process.env, LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0' } });
    const parser = new IncrementalBlameParser(onCommit);
    let stderr = '';
    let failure: unknown;
    child.stdout.on('data', (c: Buffer) => {
      if (failure !== undefined) return;
      try {
        parser.push(c);
      } catch (e) {
        failure = e;
        child.kill();
      }
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    // A blame that fails early closes stdin under us; its exit code says why.
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.contents ?? '');
    child.on('close', (code) => {
      if (failure !== undefined) return reject(failure);
      if (code !== 0) return reject(new GitError(`git blame ${path} failed: ${stderr.trim()}`, code, stderr));
      try {
        resolve(parser.end());
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
 * Reads `git blame --incremental` output as it comes. Each entry is `<commit> <orig> <final>
 * <count>`, then the commit's details the first time it appears (`boundary` among them), and always
 * `filename <path>` last. Entries come in the order blame settles them; `end` sorts them by final
 * line and joins runs that continue each other.
 */
export class IncrementalBlameParser {
  private readonly entries: BlameEntry[] = [];
  private readonly boundaries = new Set<string>();
  private readonly seen = new Set<string>();
  private current: BlameEntry | undefined;
  private rest: Buffer = Buffer.alloc(0);

  constructor(private readonly onCommit?: (commit: string) => void) {}

  push(chunk: Buffer): void {
    const buf = this.rest.length ? Buffer.concat([this.rest, chunk]) : chunk;
    let pos = 0;
    for (let nl = buf.indexOf(10, pos); nl >= 0; nl = buf.indexOf(10, pos)) {
      this.line(buf.toString('utf8', pos, nl));
      pos = nl + 1;
    }
    this.rest = buf.subarray(pos);
  }

  end(): BlameEntry[] {
    if (this.rest.length) this.line(this.rest.toString('utf8'));
    if (this.current) throw new GitError('git blame gave an entry without a file name', null, '');
    this.entries.sort((a, b) => a.line - b.line);
    const joined: BlameEntry[] = [];
    for (const e of this.entries) {
      e.boundary = this.boundaries.has(e.commit);
      const last = joined[joined.length - 1];
      if (last && last.commit === e.commit && last.origPath === e.origPath && last.line + last.count === e.line && last.origLine + last.count === e.origLine) last.count += e.count;
      else joined.push(e);
    }
    return joined;
  }

  private line(line: string): void {
    if (!this.current) {
      const header = /^([0-9a-f]{40,64}) (\d+) (\d+) (\d+)$/.exec(line);
      if (!header) throw new GitError(`git blame gave an unexpected line: ${line.slice(0, 80)}`, null, '');
      const [, commit, orig, final, count] = header;
      this.current = { commit, line: Number(final), count: Number(count), origLine: Number(orig), origPath: '', boundary: false };
      if (!this.seen.has(commit)) {
        this.seen.add(commit);
        this.onCommit?.(commit);
      }
    } else if (line === 'boundary') {
      this.boundaries.add(this.current.commit);
    } else if (line.startsWith('filename ')) {
      this.current.origPath = unquoteGitPath(line.slice('filename '.length));
      this.entries.push(this.current);
      this.current = undefined;
    }
  }
}

/** Parses a whole `git blame --incremental` output. */
export function parseBlameIncremental(buf: Buffer): BlameEntry[] {
  const parser = new IncrementalBlameParser();
  parser.push(buf);
  return parser.end();
}

export { unquoteGitPath };
