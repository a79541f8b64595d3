/** Git plumbing. Every call runs git with an argument list (never a shell) in a given directory. */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import * as path from 'node:path';

export class GitError extends Error {
  constructor(message: string, readonly exitCode: number | null, readonly stderr: string) {
    super(message);
    this.name = 'GitError';
  }
}

/** Runs git in `cwd`; `env` adds to the environment (GIT_INDEX_FILE, say). */
export function git(cwd: string, args: string[], input?: string, env?: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('git', args, { cwd, maxBuffer: 512 * 1024 * 1024, encoding: 'utf8', env: { ...gitEnv(), ...env } }, (err, stdout, stderr) => {
      if (err) {
        const code = typeof (err as NodeJS.ErrnoException).code === 'number' ? ((err as unknown as { code: number }).code) : null;
        reject(new GitError(`git ${args[0]} failed: ${(stderr || err.message).trim()}`, code, stderr));
      } else resolve(stdout);
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

/**
 * git() run to completion synchronously. A short-lived process with nothing to do meanwhile (the
 * post-commit hook) starts it for about a third of the CPU: no pipes, sockets or streams to set
 * up in JavaScript, which the first asynchronous child process pays several milliseconds for.
 */
export function gitSync(cwd: string, args: string[], input?: string): string {
  const r = spawnSync('git', args, { cwd, input, maxBuffer: 512 * 1024 * 1024, encoding: 'utf8', env: gitEnv() });
  if (r.error) throw new GitError(`git ${args[0]} failed: ${r.error.message}`, null, '');
  if (r.status !== 0) throw new GitError(`git ${args[0]} failed: ${(r.stderr || `exit ${r.status}`).trim()}`, r.status, r.stderr);
  return r.stdout;
}

/** Inherit the environment (GIT_INDEX_FILE must pass through untouched inside a hook) but keep git quiet and untranslated. */
function gitEnv(): NodeJS.ProcessEnv {
  return { ...process.env, LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0' };
}

/** The working tree root and the marker store directory, in one git call (start-up time matters in a hook). */
export async function locate(cwd: string): Promise<{ root: string; storeDir: string }> {
  const [root, storeDir] = (await git(cwd, ['rev-parse', '--path-format=absolute', '--show-toplevel', '--git-path', 'ai-provenance'])).split('\n');
  if (!root || !storeDir) throw new GitError('git rev-parse gave no working tree (is this a bare repository?)', null, '');
  return { root, storeDir };
}

/** The commit just made and where things are, as the post-commit hook needs them. */
export interface CommitContext {
  root: string;
  storeDir: string;
  commit: string;
  tree: string;
  /** The first parent; undefined for a root commit. */
  parent?: string;
  /** Absolute paths (`--git-path`) of git's state files that post-commit looks at. */
  rebaseMerge: string;
  rebaseApply: string;
  cherryPickHead: string;
}

/** locate(), HEAD, its tree and first parent, and the state files' paths, in one git call (synchronous: the hook's first). */
export function commitContext(cwd: string): CommitContext {
  const out = gitSync(cwd, [
    'rev-parse', '--path-format=absolute', '--show-toplevel',
    '--git-path', 'ai-provenance', '--git-path', 'rebase-merge', '--git-path', 'rebase-apply', '--git-path', 'CHERRY_PICK_HEAD',
    'HEAD', 'HEAD^{tree}', 'HEAD^@',
  ]);
  const [root, storeDir, rebaseMerge, rebaseApply, cherryPickHead, commit, tree, parent] = out.split('\n');
  if (!root || !storeDir || !commit || !tree) throw new GitError('git rev-parse gave no working tree (is this a bare repository?)', null, '');
  return { root, storeDir, commit, tree, ...(parent ? { parent } : {}), rebaseMerge, rebaseApply, cherryPickHead };
}

/** `git rev-parse --git-path <name>`, absolute. Honours worktrees and core.hooksPath. */
export async function gitPath(root: string, name: string): Promise<string> {
  const p = (await git(root, ['rev-parse', '--path-format=absolute', '--git-path', name])).trim();
  return p;
}

export async function userEmail(root: string): Promise<string> {
  try {
    const email = (await git(root, ['config', 'user.email'])).trim();
    if (email) return email;
  } catch {
    // Not configured: fall through to the name.
  }
  try {
    return (await git(root, ['config', 'user.name'])).trim() || 'unknown';
  } catch {
    return 'unknown';
  }
}

export async function getConfig(root: string, key: string): Promise<string | undefined> {
  try {
    return (await git(root, ['config', '--get', key])).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** git's empty tree (SHA-1): what a root commit is compared against. */
export const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

export interface StagedFile {
  /** Path in the index (after a rename). */
  path: string;
  /** Path before a rename, when git detected one. */
  from?: string;
  /** Blob id of the staged content. */
  blob: string;
  /** A file new to the repository (not in HEAD, not a detected rename or copy). */
  added: boolean;
}

/** Files added, modified, copied or renamed in the index relative to HEAD (or the empty tree in a new repository). */
export async function stagedFiles(root: string): Promise<StagedFile[]> {
  checkIndexFile(root);
  const args = ['diff-index', '--cached', '-z', '-M', '--no-ext-diff', '--diff-filter=ACMR'];
  let out: string;
  try {
    out = await git(root, [...args, 'HEAD']);
  } catch (e) {
    // No HEAD yet (the first commit): everything staged is new, compare with the empty tree.
    if (!(e instanceof GitError) || !/bad revision|unknown revision|ambiguous argument 'HEAD'/.test(e.stderr)) throw e;
    out = await git(root, [...args, EMPTY_TREE]);
  }
  return parseRawDiff(out).map(({ path, from, blob, status }) => ({ path, ...(from !== undefined ? { from } : {}), blob, added: status === 'A' }));
}

/** One entry of git's raw diff (`diff-index`, `diff-tree`, with `-z`): the new side's path and blob, and the status letter. */
export interface RawDiffEntry {
  path: string;
  /** The old path of a rename (R) or copy (C). */
  from?: string;
  blob: string;
  status: string;
}

/** Parses the `-z` raw output of `git diff-index` / `git diff-tree -r`. */
export function parseRawDiff(out: string): RawDiffEntry[] {
  const fields = out.split('\0');
  const entries: RawDiffEntry[] = [];
  for (let i = 0; i + 1 < fields.length; ) {
    const meta = fields[i++];
    if (!meta.startsWith(':')) continue;
    const [, , , blob, status] = meta.slice(1).split(' ');
    if (status.startsWith('R') || status.startsWith('C')) {
      const from = fields[i++];
      entries.push({ path: fields[i++], from, blob, status: status[0] });
    } else entries.push({ path: fields[i++], blob, status });
  }
  return entries;
}

/**
 * git reads a missing index file as an empty index, so a `GIT_INDEX_FILE` naming nothing would
 * make every commit look empty and pass the gate. git resolves a relative one from the top of the
 * working tree, where it runs for us.
 */
function checkIndexFile(root: string): void {
  const index = process.env.GIT_INDEX_FILE;
  if (!index) return;
  const file = path.resolve(root, index);
  let isFile = false;
  try {
    isFile = statSync(file).isFile();
  } catch {
    // Missing or unreadable: refused below.
  }
  if (!isFile) throw new GitError(`GIT_INDEX_FILE names ${file}, which is not an index file, so the staged changes cannot be judged`, null, '');
}

/** One `git cat-file --batch` answer: the object's id, type and bytes. */
export interface BatchObject {
  id: string;
  type: string;
  data: Buffer;
}

/**
 * Asks one `git cat-file --batch` process for every name (an object id, `<rev>` or `<rev>:<path>`);
 * the answers come in the same order, undefined for a name git reports missing or ambiguous.
 */
export function catFileBatch(root: string, names: readonly string[]): Promise<(BatchObject | undefined)[]> {
  return new Promise((resolve, reject) => {
    if (names.length === 0) return resolve([]);
    const child = spawn('git', ['cat-file', '--batch'], { cwd: root, env: gitEnv() });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new GitError(`git cat-file failed: ${stderr.trim()}`, code, stderr));
      try {
        resolve(parseBatch(Buffer.concat(chunks), names.length, stderr));
      } catch (e) {
        reject(e);
      }
    });
    child.stdin.end(batchInput(names));
  });
}

/**
 * A `git cat-file --batch` asked one name at a time, while the names are still being found (the
 * process starts with the first); `end` gives the answers in the order asked, as catFileBatch does.
 */
export function catFileStream(root: string): { ask(name: string): void; end(): Promise<(BatchObject | undefined)[]> } {
  let names = 0;
  let answers: Promise<(BatchObject | undefined)[]> | undefined;
  let child: ReturnType<typeof spawn> | undefined;
  const start = (): ReturnType<typeof spawn> => {
    const c = spawn('git', ['cat-file', '--batch'], { cwd: root, env: gitEnv() });
    answers = new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let stderr = '';
      c.stdout!.on('data', (chunk: Buffer) => chunks.push(chunk));
      c.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      c.on('error', reject);
      c.on('close', (code) => {
        if (code !== 0) return reject(new GitError(`git cat-file failed: ${stderr.trim()}`, code, stderr));
        try {
          resolve(parseBatch(Buffer.concat(chunks), names, stderr));
        } catch (e) {
          reject(e);
        }
      });
    });
    // Whoever calls end() hears a failure; until then it must not go unhandled.
    answers.catch(() => undefined);
    c.stdin!.on('error', () => undefined);
    return c;
  };
  // Names asked in one turn of the event loop go in one write.
  let queued: string[] = [];
  const flush = (): void => {
    if (queued.length) child!.stdin!.write(batchInput(queued));
    queued = [];
  };
  return {
    ask(name) {
      child ??= start();
      names++;
      if (queued.push(name) === 1) setImmediate(flush);
    },
    end() {
      if (!child) return Promise.resolve([]);
      flush();
      child.stdin!.end();
      return answers!;
    },
  };
}

/** catFileBatch run synchronously (see gitSync). */
export function catFileBatchSync(root: string, names: readonly string[]): (BatchObject | undefined)[] {
  if (names.length === 0) return [];
  const r = spawnSync('git', ['cat-file', '--batch'], { cwd: root, input: batchInput(names), maxBuffer: 512 * 1024 * 1024, env: gitEnv() });
  const stderr = r.stderr?.toString() ?? '';
  if (r.error) throw new GitError(`git cat-file failed: ${r.error.message}`, null, '');
  if (r.status !== 0) throw new GitError(`git cat-file failed: ${stderr.trim()}`, r.status, stderr);
  return parseBatch(r.stdout, names.length, stderr);
}

function batchInput(names: readonly string[]): string {
  // A name with a line break would shift every answer after it; none of ours has one.
  return names.join('\n') + '\n';
}

/** `git cat-file --batch` output for `count` names, in order. */
function parseBatch(buf: Buffer, count: number, stderr: string): (BatchObject | undefined)[] {
  const out: (BatchObject | undefined)[] = [];
  let pos = 0;
  for (let i = 0; i < count; i++) {
    const nl = buf.indexOf(10, pos);
    if (nl < 0) throw new GitError('git cat-file --batch ended early', null, stderr);
    // "<id> <type> <size>", or "<name> missing" / "<name> ambiguous".
    const m = /^([0-9a-f]+) (\w+) (\d+)$/.exec(buf.subarray(pos, nl).toString());
    pos = nl + 1;
    if (!m) {
      out.push(undefined);
      continue;
    }
    const size = Number(m[3]);
    out.push({ id: m[1], type: m[2], data: buf.subarray(pos, pos + size) });
    pos += size + 1;
  }
  return out;
}

/** Reads many blobs through one `git cat-file --batch` process. Returns raw bytes per blob id. */
export async function readBlobs(root: string, blobs: string[]): Promise<Map<string, Buffer>> {
  const result = new Map<string, Buffer>();
  for (const answer of await catFileBatch(root, blobs)) if (answer) result.set(answer.id, answer.data);
  return result;
}

/** Files new to the working tree or the index (untracked, not ignored, or added): where a moved file turns up. */
export async function newFiles(root: string): Promise<string[]> {
  const out = await git(root, ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--no-renames']);
  return out
    .split('\0')
    .filter((entry) => entry.startsWith('?? ') || entry.startsWith('A'))
    .map((entry) => entry.slice(3));
}
