import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { plural } from '../../core/text';
import { ImportError, importRecords, ImportSummary } from '../../store/agentTrace';
import { Repository } from '../../store/repository';
import { stringFlag, UsageError } from '../args';
import { Command } from '../command';
import { checkFormat } from './export';

export const importCommand: Command = {
  usage: 'ai-provenance import --format agent-trace <file>',
  summary: 'take Agent Trace records (JSON Lines, e.g. .agent-trace/traces.jsonl; - for stdin) into the notes of the commits that wrote their lines, or the working tree\'s markers',
  flags: { format: 'string' },
  async run(args, io) {
    checkFormat(stringFlag(args, 'format'));
    if (args.positionals.length !== 1) throw new UsageError('expected exactly one <file> (- for stdin)');
    const file = args.positionals[0];
    let text: string;
    try {
      text = file === '-' ? await io.stdin() : await fs.readFile(path.resolve(io.cwd, file), 'utf8');
    } catch (e) {
      throw new ImportError(`cannot read ${file}: ${(e as Error).message}`);
    }
    const repo = await Repository.open(io.cwd);
    io.out(describe(await importRecords(repo, text)) + '\n');
    return 0;
  },
};

function describe(s: ImportSummary): string {
  const placed = [
    ...(s.noteLines ? [`${plural(s.noteLines, 'line')} into the notes of ${plural(s.commits, 'commit')}`] : []),
    ...(s.treeLines ? [`${plural(s.treeLines, 'line')} into the working tree's markers (${plural(s.files, 'file')})`] : []),
  ];
  const skipped = [
    ...(s.recordedLines ? [`${plural(s.recordedLines, 'line')} already recorded`] : []),
    ...(s.skipped.notAi ? [`${plural(s.skipped.notAi, 'range')} not written by AI (human or unknown)`] : []),
    ...(s.skipped.noFile ? [`${plural(s.skipped.noFile, 'range')} of files not in the repository`] : []),
    ...(s.skipped.notFound ? [`${plural(s.skipped.notFound, 'range')} whose lines were not found`] : []),
  ];
  const head = `Imported ${plural(s.records, 'Agent Trace record')}: ${placed.length ? placed.join(', ') : 'no new AI lines'}`;
  return `${head}${skipped.length ? `; left out: ${skipped.join(', ')}` : ''}.`;
}
