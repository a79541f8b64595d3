/**
 * `ai-provenance hook run <name> [git's hook arguments]`: what the hooks we install run. One entry
 * per hook of store/hook.ts's HOOKS. A non-blocking hook never fails the git operation: any error
 * is one line on stderr and exit 0 (the commit, push or rewrite is made already, or, for the
 * commit-message hooks, must not fail for want of a trailer).
 */
import * as path from 'node:path';
import { NoteError, noteWriter } from '../../core/note';
import { commitContext, GitError, gitPath, locate } from '../../store/git';
import { hookSpec } from '../../store/hook';
import { MarkerStore } from '../../store/markerStore';
import { writeNote, writeNoteBlob } from '../../store/notes';
import { takePendingNote } from '../../store/pendingNote';
import { runShareHook, ShareHookName } from '../../store/shareHooks';
import { UsageError } from '../args';
import { Io } from '../command';
import { VERSION } from '../../core/version';

type Runner = (args: string[], io: Io) => Promise<number>;

/**
 * post-commit is on every commit's path, so what it does in the usual case (store the note the
 * gate prepared) loads only the modules it needs; building a note and the gate itself are loaded
 * when used (main.ts says why that matters).
 */
const RUNNERS: Record<string, Runner> = {
  'pre-commit': async (_args, io) => (await import('./check')).checkCommand.run({ positionals: [], flags: { staged: true, quiet: true } }, io),
  'post-commit': async (_args, io) => {
    const context = commitContext(io.cwd);
    const { root, commit, tree, parent } = context;
    const store = new MarkerStore(root, context.storeDir);
    // The pre-commit hook's gate prepared the note when it let this very commit through.
    const prepared = takePendingNote(root, store, tree, parent);
    let written = false;
    if (prepared !== undefined) {
      try {
        await writeNoteBlob(root, commit, prepared, { sync: true });
        written = true;
      } catch (e) {
        // The prepared blob gone or unreadable, or a note there that cannot be read: building the
        // note says which, or succeeds.
        if (!(e instanceof NoteError) && !(e instanceof GitError)) throw e;
      }
    }
    if (!written) {
      const [{ buildCommitNote, identityOf }, { Repository }] = await Promise.all([import('../../store/commitNote'), import('../../store/repository')]);
      const repo = new Repository(root, store);
      // The policy is read now, beside git, so that building the note finds it cached.
      const [identify] = await Promise.all([identityOf(root), repo.policy()]);
      await writeNote(root, commit, await buildCommitNote(repo, commit, parent, noteWriter(VERSION), identify));
    }
    for (const line of await runShareHook(root, 'post-commit', [], '', context)) io.err(line + '\n');
    return 0;
  },
  'post-rewrite': (args, io) => share('post-rewrite', args, io),
  'post-merge': (args, io) => share('post-merge', args, io),
  'pre-push': (args, io) => share('pre-push', args, io),
  'prepare-commit-msg': async (args, io) => {
    const [{ Repository }, { prepareMessage }] = await Promise.all([import('../../store/repository'), import('../../store/trailers')]);
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
    const [{ Repository }, { finishMessage }] = await Promise.all([import('../../store/repository'), import('../../store/trailers')]);
    const repo = await Repository.open(io.cwd);
    for (const line of await finishMessage(repo, await messageFile(repo, args[0], io))) io.err(line + '\n');
    return 0;
  },
};

/** The commit message file git names (relative to where the hook runs), or COMMIT_EDITMSG. */
async function messageFile(repo: { root: string }, arg: string | undefined, io: Io): Promise<string> {
  return arg ? path.resolve(io.cwd, arg) : gitPath(repo.root, 'COMMIT_EDITMSG');
}

/** The rewrite and sharing part of a hook: its warnings and errors, one line each, never a failure. */
async function share(name: ShareHookName, args: string[], io: Io): Promise<number> {
  const { root } = await locate(io.cwd);
  const stdin = name === 'post-rewrite' || name === 'pre-push' ? await io.stdin() : '';
  for (const line of await runShareHook(root, name, args, stdin)) io.err(line + '\n');
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
