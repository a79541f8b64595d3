import * as path from 'node:path';
import { GATE_FILE_NAME, GATE_REGIONS, GateRegion, serializeGateFile } from '../../core/gateFile';
import { verdictSentence } from '../../core/policy';
import { lineRange } from '../../core/regions';
import { writeAtomic } from '../../store/markerStore';
import { prepareNote } from '../../store/commitNote';
import { newReads } from '../../store/reads';
import { FileRegions, Repository } from '../../store/repository';
import { noPositionals, UsageError } from '../args';
import { Command } from '../command';
import { corruptStoreError, location, locationLines, regionsJson } from '../format';

export const checkCommand: Command = {
  usage: 'ai-provenance check [--staged] [--json] [--quiet]',
  summary: 'exit 1 if unreviewed AI code is in the working tree (or the index with --staged); the commit gate',
  flags: { staged: 'boolean', json: 'boolean', quiet: 'boolean' },
  async run(args, io) {
    noPositionals(args);
    let repo: Repository | undefined;
    try {
      repo = await Repository.open(io.cwd);
      const { policy, error } = await repo.policy();
      if (error) io.err(`warning: ${error}; using the strict default policy\n`);
      const reads = args.flags.staged ? newReads() : undefined;
      const result = await repo.check(Boolean(args.flags.staged), reads);
      if (result.quarantined.length) throw corruptStoreError(result.quarantined, args.flags.staged ? 'commit' : 'tree');
      const count = result.blocking.reduce((n, f) => n + f.regions.length, 0);
      const blocks = count > 0 && policy.unreviewed === 'block';
      if (args.flags.staged) await recordGateResult(repo, result.blocking, count);
      // A commit that goes ahead gets its note from what the gate just read (the post-commit hook stores it).
      if (reads && !blocks) await prepareNote(repo, reads);
      if (args.flags.json) io.out(JSON.stringify({ regions: regionsJson(result.blocking) }, null, 2) + '\n');
      else if (count > 0 || !args.flags.quiet) {
        const first = result.blocking[0] && location(result.blocking[0].path, result.blocking[0].regions[0]);
        // One write: a blocked commit of thousands of regions is thousands of lines.
        io.out([verdictSentence(count, result.blocking.length, policy.unreviewed, first), ...locationLines(result.blocking, false)].join('\n') + '\n');
      }
      return blocks ? 1 : 0;
    } catch (e) {
      // Fail closed unless the repository's policy says the gate only warns on errors.
      const onError = repo ? (await repo.policy().catch(() => undefined))?.policy.onError : 'block';
      if (onError === 'warn' && !(e instanceof UsageError)) {
        io.err(`AI Provenance could not check (${e instanceof Error ? e.message : String(e)}); the repository policy says warn, so this passes.\n`);
        return 0;
      }
      throw e;
    }
  },
};

/**
 * Leaves the last commit check's verdict in the store (`gate.json`), so the extension can explain a
 * commit that the hook blocked from the Source Control view and offer to open the panel.
 */
async function recordGateResult(repo: Repository, blocking: FileRegions[], count: number): Promise<void> {
  const regions: GateRegion[] = [];
  for (const f of blocking) {
    for (const r of f.regions) {
      if (regions.length === GATE_REGIONS) break;
      regions.push({ id: r.id, path: f.path, ...lineRange(r), source: r.source, tool: r.tool });
    }
  }
  try {
    await repo.store.ensureDir();
    await writeAtomic(path.join(repo.store.dir, GATE_FILE_NAME), serializeGateFile({ at: new Date().toISOString(), count, regions }));
  } catch {
    // Only a convenience for the editor; the verdict itself is what counts.
  }
}
