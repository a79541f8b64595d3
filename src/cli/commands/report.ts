import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { NOTES_REF } from '../../core/note';
import { renderReport } from '../../core/reportHtml';
import { VERSION } from '../../core/version';
import { writeAtomic } from '../../store/atomicWrite';
import { StoreError } from '../../store/errors';
import { historyReport } from '../../store/report';
import { Repository } from '../../store/repository';
import { stringFlag, UsageError } from '../args';
import { Command } from '../command';

export const reportCommand: Command = {
  usage: 'ai-provenance report [<base>..<head>] --html <file>',
  summary: 'writes one self-contained HTML page (nothing loaded from the network) with the figures of stats as charts: AI share over time, by tool, review coverage, and the files with the most unreviewed AI lines, linked to their lines',
  flags: { html: 'string' },
  async run(args, io) {
    if (args.positionals.length > 1) throw new UsageError('expected at most one range <base>..<head>');
    const target = stringFlag(args, 'html');
    if (target === undefined) throw new UsageError('--html <file> is required: where to write the page');
    const file = path.resolve(io.cwd, target);
    // Checked before history is read, which may take a while, so a typo fails at once.
    await checkWritable(file);
    const repo = await Repository.open(io.cwd);
    const { policy, error } = await repo.policy();
    if (error) io.err(`warning: ${error}; using the default policy\n`);
    const data = await historyReport(repo.root, args.positionals[0], (p) => policy.isIgnored(p));
    const s = data.stats;
    if (!data.notesRef && s.commits > 0) {
      io.err(`warning: this clone has no AI Provenance notes (${NOTES_REF}), so every line counts as human-written; fetch them first (ai-provenance notes fetch)\n`);
    }
    const html = renderReport(data, {
      mode: 'file',
      nonce: randomBytes(18).toString('base64'),
      // vscode://file/<absolute path>:<line> opens the working tree's file at that line in VS Code.
      lineLink: (rel, line) => `vscode://file${pathToFileURL(path.join(repo.root, rel)).pathname}:${line}`,
      generator: `ai-provenance ${VERSION}`,
    });
    await writeAtomic(file, html);
    const what = s.range === null ? 'the whole history of HEAD' : s.range;
    const share = s.addedLines === 0 ? '0.0' : ((100 * s.aiLines) / s.addedLines).toFixed(1);
    io.out(`AI Provenance report for ${what} written to ${file}: ${s.addedLines.toLocaleString('en-US')} lines added, ${s.aiLines.toLocaleString('en-US')} of them AI-written (${share}%), ${s.reviewedAiLines.toLocaleString('en-US')} of those reviewed.\n`);
    return 0;
  },
};

/** The page can be written there: its folder exists and is writable, and the name is no folder. */
async function checkWritable(file: string): Promise<void> {
  const dir = path.dirname(file);
  try {
    if (!(await fs.stat(dir)).isDirectory()) throw new StoreError(`cannot write ${file}: ${dir} is not a folder`);
    await fs.access(dir, fs.constants.W_OK);
  } catch (e) {
    if (e instanceof StoreError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? `there is no folder ${dir}` : code === 'ENOTDIR' ? `${dir} is not a folder` : code === 'EACCES' || code === 'EPERM' ? `${dir} is not writable` : (e as Error).message;
    throw new StoreError(`cannot write ${file}: ${why}`);
  }
  const existing = await fs.stat(file).catch(() => undefined);
  if (existing?.isDirectory()) throw new StoreError(`cannot write ${file}: it is a folder`);
}
