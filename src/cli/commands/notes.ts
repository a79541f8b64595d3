import { plural } from '../../core/text';
import { git } from '../../store/git';
import { Repository } from '../../store/repository';
import { carryRange } from '../../store/rewrite';
import { defaultRemote, fetchNotes, pushNotes } from '../../store/share';
import { UsageError } from '../args';
import { Command } from '../command';

export const notesCommand: Command = {
  usage: 'ai-provenance notes push [<remote>] | fetch [<remote>] | carry <base>..<head> <commit>',
  summary: 'share the provenance notes with a remote (merging with what is there), or give a commit made elsewhere (a host\'s squash merge) the provenance of a range',
  flags: {},
  async run(args, io) {
    const [action, ...rest] = args.positionals;
    const repo = await Repository.open(io.cwd);
    const root = repo.root;
    if (action === 'push' || action === 'fetch') {
      if (rest.length > 1) throw new UsageError(`unexpected argument ${rest[1]}`);
      const remote = rest[0] ?? (await defaultRemote(root));
      const outcome = action === 'push' ? await pushNotes(root, remote) : await fetchNotes(root, remote);
      for (const w of outcome.warnings) io.err(`warning: ${w}\n`);
      io.out(outcome.message + '\n');
      return 0;
    }
    if (action === 'carry') {
      if (rest.length !== 2) throw new UsageError('expected <base>..<head> <commit>');
      const m = /^(.+?)\.\.(.+)$/.exec(rest[0]);
      if (!m || m[2].startsWith('.')) throw new UsageError(`"${rest[0]}" is not a range <base>..<head>`);
      const [base, head, commit] = await resolve(root, [m[1], m[2], rest[1]]);
      const result = await carryRange(root, base, head, commit);
      if (result.noted === 0) {
        io.out(`None of the ${plural(result.commits, 'commit')} in ${rest[0]} has an AI Provenance note; nothing carried to ${commit.slice(0, 12)}.\n`);
        return 0;
      }
      io.out(`Carried ${plural(result.regions, 'AI region')} (${plural(result.lines, 'line')}) from ${plural(result.noted, 'noted commit')} of ${rest[0]} to ${commit.slice(0, 12)}.\n`);
      return 0;
    }
    throw new UsageError('expected one of: push, fetch, carry');
  },
};

/** Full commit ids, or a clear error naming the revision that does not resolve. */
async function resolve(root: string, revs: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const rev of revs) {
    try {
      out.push((await git(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`])).trim());
    } catch {
      throw new UsageError(`"${rev}" does not name a commit here (in a shallow or partial clone, fetch it first)`);
    }
  }
  return out;
}
