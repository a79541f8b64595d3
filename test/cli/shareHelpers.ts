/** Repositories with notes written by hand, bare remotes and clones, for the rewrite and sharing tests. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hashLines, NOTES_REF, parseNote } from '../../src/core/note';
import { splitLines } from '../../src/core/text';
import { cleanEnv, CLI, TempRepo } from './helpers';

export interface AiRange {
  path: string;
  from: number;
  to: number;
  id: string;
  reviewedBy?: string;
}

/** Writes the note of `rev` as the post-commit hook would: the given AI ranges of that commit's files. */
export function writeNote(repo: TempRepo, rev: string, ranges: AiRange[]): void {
  const files: Record<string, unknown[]> = {};
  for (const r of ranges) {
    const content = repo.git('show', `${rev}:${r.path}`);
    const { hash, lines } = hashLines(splitLines(content), r.from, r.to);
    (files[r.path] ??= []).push({
      id: r.id,
      from: r.from,
      to: r.to,
      source: 'inline',
      tool: 'copilot',
      author: 'dev@example.com',
      createdAt: '2026-11-26T15:00:00.000Z',
      hash,
      lines,
      reviews: r.reviewedBy ? [{ by: r.reviewedBy, at: '2026-11-26T16:00:00.000Z', hash }] : [],
    });
  }
  const note = JSON.stringify({ version: 1, writer: 'test', files });
  repo.git('notes', `--ref=${NOTES_REF}`, 'add', '-f', '-m', note, rev);
}

/** Commits everything with the given AI ranges recorded in the commit's note. */
export function aiCommit(repo: TempRepo, message: string, ranges: AiRange[]): string {
  repo.git('add', '-A');
  repo.git('commit', '-q', '--no-verify', '-m', message);
  writeNote(repo, 'HEAD', ranges);
  return repo.git('rev-parse', 'HEAD').trim();
}

export interface NoteSpan {
  path: string;
  from: number;
  to: number;
  id: string;
  reviewed: boolean;
  reviewers: string[];
}

/** The note of `rev`, read back and parsed as every reader does; undefined when it has none. */
export function noteSpans(repo: TempRepo, rev: string): NoteSpan[] | undefined {
  const r = repo.tryGit('notes', `--ref=${NOTES_REF}`, 'show', rev);
  if (r.code !== 0) return undefined;
  const parsed = parseNote(r.stdout);
  if (!parsed.ok) throw new Error(`note of ${rev} does not parse: ${parsed.error}`);
  return Object.entries(parsed.note.files)
    .flatMap(([p, regions]) =>
      regions.map((g) => ({ path: p, from: g.from, to: g.to, id: g.id, reviewed: g.reviews.some((v) => v.hash === g.hash), reviewers: g.reviews.map((v) => v.by).sort() })),
    )
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.from - b.from));
}

/** [path, from, to, id] of a note, for compact assertions. */
export function spans(repo: TempRepo, rev: string): [string, number, number, string][] | undefined {
  return noteSpans(repo, rev)?.map((s) => [s.path, s.from, s.to, s.id]);
}

const HOOKS = ['post-rewrite', 'post-merge', 'pre-push', 'post-commit'];

/** Installs the hooks through `hook install`. */
export function installHooks(repo: TempRepo): void {
  const r = repo.cli(['hook', 'install']);
  if (r.code !== 0) throw new Error(`hook install failed: ${r.stderr}`);
  for (const h of HOOKS) if (!fs.existsSync(path.join(repo.root, '.git', 'hooks', h))) throw new Error(`hook install did not install ${h}`);
}

/** A bare repository to push to. */
export class BareRemote {
  readonly root: string;
  constructor() {
    this.root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aip-remote-')));
    git(this.root, 'init', '-q', '--bare', '-b', 'main');
  }

  git(...args: string[]): string {
    return git(this.root, ...args);
  }

  dispose(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: cleanEnv() });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** A clone of `remote` (a fresh repository with `origin` set and main checked out when there is one). */
export function cloneOf(remote: BareRemote, email = 'dev@example.com'): TempRepo {
  const repo = new TempRepo('aip-clone-');
  repo.git('config', 'user.email', email);
  repo.git('remote', 'add', 'origin', remote.root);
  repo.git('fetch', '-q', 'origin');
  if (repo.tryGit('rev-parse', '--verify', '-q', 'origin/main').code === 0) {
    repo.git('checkout', '-q', '-B', 'main', 'origin/main');
    repo.git('branch', '-q', '-u', 'origin/main');
  }
  return repo;
}

export { CLI };
