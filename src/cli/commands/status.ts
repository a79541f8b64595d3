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
    // Counted as the gate counts: regions in paths the policy ignores are listed, marked, and not counted.
    const summary = await repo.summary(files);
    const ignored = new Set(summary.ignored.map((f) => f.path));
    if (args.flags.json) {
      const regions = shown.flatMap((f) => regionsJson([f]).map((r) => ({ ...r, ignored: ignored.has(f.path) })));
      io.out(JSON.stringify({ regions }, null, 2) + '\n');
      return 0;
    }
    const more = summary.ignoredCount ? `; ${summary.ignoredCount} more in files the policy ignores` : '';
    const lines = shown.flatMap((f) => locationLines([f], true).map((l) => (ignored.has(f.path) ? `${l}  (ignored by policy)` : l)));
    io.out([`${unreviewedSummary(summary.blockingCount, summary.blocking.length)}${more}.`, ...lines].join('\n') + '\n');
    return 0;
  },
};
