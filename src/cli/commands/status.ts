import { unreviewedSummary } from '../../core/policy';
import { Repository } from '../../store/repository';
import { noPositionals } from '../args';
import { Command } from '../command';
import { corruptStoreError, locationLines, regionsJson } from '../format';

export const statusCommand: Command = {
  usage: 'ai-provenance status [--json] [--all]',
  summary: 'list unreviewed AI regions in the working tree (all regions with --all)',
  flags: { json: 'boolean', all: 'boolean' },
  async run(args, io) {
    noPositionals(args);
    const repo = await Repository.open(io.cwd);
    const files = await repo.status();
    // A corrupt marker file's regions are unknown: "0 unreviewed" would be a claim nobody can back.
    const quarantined = await repo.store.quarantined();
    if (quarantined.length) throw corruptStoreError(quarantined, 'tree');
    const shown = files.map((f) => ({ path: f.path, regions: args.flags.all ? f.regions : f.regions.filter((r) => !r.review) })).filter((f) => f.regions.length);
    if (args.flags.json) {
      io.out(JSON.stringify({ regions: regionsJson(shown) }, null, 2) + '\n');
      return 0;
    }
    const unreviewed = files.reduce((n, f) => n + f.regions.filter((r) => !r.review).length, 0);
    io.out([`${unreviewedSummary(unreviewed, files.filter((f) => f.regions.some((r) => !r.review)).length)}.`, ...locationLines(shown, true)].join('\n') + '\n');
    return 0;
  },
};
