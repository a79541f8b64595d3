import * as path from 'node:path';
import { SOURCES, isSource, lineRange } from '../../core/regions';
import { Repository } from '../../store/repository';
import { oneTarget, stringFlag, UsageError } from '../args';
import { Command } from '../command';
import { quotePath } from '../format';

export const markCommand: Command = {
  usage: 'ai-provenance mark <path>[:<from>-<to>] [--source S] [--tool T] [--model M] [--session ID]',
  summary: 'record lines (or a whole file) as AI-written',
  flags: { source: 'string', tool: 'string', model: 'string', session: 'string' },
  async run(args, io) {
    const target = oneTarget(args);
    const source = stringFlag(args, 'source') ?? 'manual';
    if (!isSource(source)) throw new UsageError(`unknown --source ${source}; one of ${SOURCES.join(', ')}`);
    const repo = await Repository.open(io.cwd);
    const rel = repo.relative(path.resolve(io.cwd, target.path));
    const region = await repo.mark(rel, target.range, {
      source,
      tool: stringFlag(args, 'tool') ?? null,
      model: stringFlag(args, 'model'),
      session: stringFlag(args, 'session'),
    });
    const { from, to } = lineRange(region);
    io.out(`Marked ${quotePath(rel)}:${from}-${to} as AI-written (${source}).\n`);
    return 0;
  },
};
