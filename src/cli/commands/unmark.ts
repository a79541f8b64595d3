import * as path from 'node:path';
import { Repository } from '../../store/repository';
import { oneTarget } from '../args';
import { Command } from '../command';
import { quotePath } from '../format';

export const unmarkCommand: Command = {
  usage: 'ai-provenance unmark <path>[:<from>-<to>]',
  summary: 'declare lines (or a whole file) human-written',
  flags: {},
  async run(args, io) {
    const target = oneTarget(args);
    const repo = await Repository.open(io.cwd);
    const rel = repo.relative(path.resolve(io.cwd, target.path));
    await repo.unmark(rel, target.range);
    io.out(`Unmarked ${quotePath(rel)}${target.range ? `:${target.range.from}-${target.range.to}` : ''}.\n`);
    return 0;
  },
};
