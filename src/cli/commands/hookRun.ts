/**
 * `ai-provenance hook run <name> [git's hook arguments]`: what the hooks we install run. One entry
 * per hook of store/hook.ts's HOOKS. A non-blocking hook never fails the git operation: any error
 * is one line on stderr and exit 0 (the commit, push or rewrite is made already, or, for the
 * commit-message hooks, must not fail for want of a trailer).
 */
import * as path from 'node:path';
import { noteWriter } from '../../core/note';
import { buildCommitNote, commitAndParent, identityOf } from '../../store/commitNote';
import { gitPath } from '../../store/git';
import { hookSpec } from '../../store/hook';
import { writeNote } from '../../store/notes';
import { Repository } from '../../store/repository';
import { runShareHook, ShareHookName } from '../../store/shareHooks';
import { finishMessage, prepareMessage } from '../../store/trailers';
import { UsageError } from '../args';
import { Io } from '../command';
import { VERSION } from '../../core/version';
import { checkCommand } from './check';

type Runner = (args: string[], io: Io) => Promise<number>;

const RUNNERS: Record<string, Runner> = {
  'pre-commit': (_args, io) => checkCommand.run({ positionals: [], flags: { staged: true, quiet: true } }, io),
  'post-commit': async (args, io) => {
    const repo = await Repository.open(io.cwd);
    // The policy is read now, beside git, so that building the note finds it cached.
    const [{ commit, parent }, identify] = await Promise.all([commitAndParent(repo.root, 'HEAD'), identityOf(repo.root), repo.policy()]);
    await writeNote(repo.root, commit, await buildCommitNote(repo, commit, parent, noteWriter(VERSION), identify));
    return share('post-commit', args, io);
  },
  'post-rewrite': (args, io) => share('post-rewrite', args, io),
  'post-merge': (args, io) => share('post-merge', args, io),
  'pre-push': (args, io) => share('pre-push', args, io),
  'prepare-commit-msg': async (args, io) => {
    const repo = await Repository.open(io.cwd);
    // A hook manager may pass no arguments: the message is then git's COMMIT_EDITMSG, and the
    // pre-commit framework names the source in its environment.
    const env = process.env;
    const hook = {
      file: await messageFile(repo, args[0], io),
      source: args[1] ?? env.PRE_COMMIT_COMMIT_MSG_SOURCE,
      object: args[2] ?? env.PRE_COMMIT_COMMIT_OBJECT_NAME,
      editor: env.GIT_EDITOR !== ':',
    };
    for (const line of await prepareMessage(repo, hook)) io.err(line + '\n');
    return 0;
  },
  'commit-msg': async (args, io) => {
    const repo = await Repository.open(io.cwd);
    for (const line of await finishMessage(repo, await messageFile(repo, args[0], io))) io.err(line + '\n');
    return 0;
  },
};

/** The commit message file git names (relative to where the hook runs), or COMMIT_EDITMSG. */
async function messageFile(repo: Repository, arg: string | undefined, io: Io): Promise<string> {
  return arg ? path.resolve(io.cwd, arg) : gitPath(repo.root, 'COMMIT_EDITMSG');
}

/** The rewrite and sharing part of a hook: its warnings and errors, one line each, never a failure. */
async function share(name: ShareHookName, args: string[], io: Io): Promise<number> {
  const repo = await Repository.open(io.cwd);
  const stdin = name === 'post-rewrite' || name === 'pre-push' ? await io.stdin() : '';
  for (const line of await runShareHook(repo.root, name, args, stdin)) io.err(line + '\n');
  return 0;
}

export async function runHook(name: string | undefined, args: string[], io: Io): Promise<number> {
  const spec = name === undefined ? undefined : hookSpec(name);
  const runner = spec && Object.hasOwn(RUNNERS, spec.name) ? RUNNERS[spec.name] : undefined;
  if (!spec || !runner) throw new UsageError(`"hook run" takes the name of one of our hooks (${Object.keys(RUNNERS).join(', ')})`);
  if (spec.blocking) return runner(args, io);
  try {
    return await runner(args, io);
  } catch (e) {
    const message = (e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ').trim();
    io.err(`AI Provenance (${spec.name}) did not finish: ${message}\n`);
    return 0;
  }
}
