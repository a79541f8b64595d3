import * as path from 'node:path';
import { plural } from '../../core/text';
import { Repository } from '../../store/repository';
import { noPositionals, oneTarget } from '../args';
import { Command } from '../command';

export const reviewCommand: Command = {
  usage: 'ai-provenance review <path>[:<from>-<to>] | --all',
  summary: 'mark AI regions reviewed: those overlapping the lines, the whole file, or everything',
  flags: { all: 'boolean' },
  async run(args, io) {
    const repo = await Repository.open(io.cwd);
    let count = 0;
    if (args.flags.all) {
      noPositionals(args);
      const files = new Set((await repo.status()).map((f) => f.path));
      // Committed lines too: their reviews go into the notes of the commits that wrote them.
      for (const p of await repo.filesWithUnreviewedNotes()) files.add(p);
      for (const p of [...files].sort()) count += await repo.review(p, undefined);
    } else {
      const target = oneTarget(args);
      const rel = repo.relative(path.resolve(io.cwd, target.path));
      count = await repo.review(rel, target.range);
    }
    io.out(`Marked ${plural(count, 'region')} reviewed.\n`);
    return 0;
  },
};
