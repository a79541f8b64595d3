/**
 * `ai-provenance hook run <name> [git's hook arguments]`: what the hooks we install run. One entry
 * per hook of store/hook.ts's HOOKS. A non-blocking hook never fails the git operation: any error
 * is one line on stderr and exit 0, since the commit (or push, or rewrite) is made already.
 */
import { NoteError, noteWriter } from '../../core/note';
import { buildCommitNote, identityOf } from '../../store/commitNote';
import { commitContext } from '../../store/git';
import { hookSpec } from '../../store/hook';
import { MarkerStore } from '../../store/markerStore';
import { writeNote, writeNoteText } from '../../store/notes';
import { takePendingNote } from '../../store/pendingNote';
import { Repository } from '../../store/repository';
import { runShareHook, ShareHookName } from '../../store/shareHooks';
import { UsageError } from '../args';
import { Io } from '../command';
import { VERSION } from '../../core/version';
import { checkCommand } from './check';

type Runner = (args: string[], io: Io) => Promise<number>;

const RUNNERS: Record<string, Runner> = {
  'pre-commit': (_args, io) => checkCommand.run({ positionals: [], flags: { staged: true, quiet: true } }, io),
  'post-commit': async (_args, io) => {
    const context = await commitContext(io.cwd);
    const { root, commit, tree, parent } = context;
    const repo = new Repository(root, new MarkerStore(root, context.storeDir));
    // The pre-commit hook's gate prepared the note when it let this very commit through.
    const prepared = takePendingNote(repo, tree, parent);
    let written = false;
    if (prepared !== undefined) {
      try {
        await writeNoteText(root, commit, prepared);
        written = true;
      } catch (e) {
        if (!(e instanceof NoteError)) throw e; // A note there to merge with, and the prepared one unreadable: build it.
      }
    }
    if (!written) {
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
};

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
