import { plural } from '../../core/text';
import { exportRecords } from '../../store/agentTrace';
import { locate } from '../../store/git';
import { HistoryError } from '../../store/errors';
import { stringFlag, UsageError } from '../args';
import { Command } from '../command';

/** The one format `export` and `import` speak; the flag is required so that others can come. */
export const AGENT_TRACE = 'agent-trace';

export function checkFormat(format: string | undefined): void {
  if (format !== AGENT_TRACE) throw new UsageError(format === undefined ? `--format ${AGENT_TRACE} is required` : `unknown --format ${format}; the one format is ${AGENT_TRACE}`);
}

export const exportCommand: Command = {
  usage: 'ai-provenance export --format agent-trace [<commit> | <base>..<head>]',
  summary: 'print one Agent Trace record (agent-trace.dev, v1) per commit with a provenance note, as JSON Lines, oldest first (HEAD by default)',
  flags: { format: 'string' },
  async run(args, io) {
    checkFormat(stringFlag(args, 'format'));
    if (args.positionals.length > 1) throw new UsageError(`unexpected argument ${args.positionals[1]}`);
    const { root } = await locate(io.cwd);
    const { records, withoutNote } = await exportRecords(root, args.positionals[0]);
    if (records.length === 0 && withoutNote.length > 0) {
      throw new HistoryError(
        `${withoutNote.length === 1 ? `commit ${withoutNote[0].slice(0, 12)} carries` : `none of the ${withoutNote.length} commits carries`} no AI Provenance note, so there is nothing to export (fetch the notes with ai-provenance notes fetch, or make the commits where ai-provenance hook install ran)`,
      );
    }
    for (const r of records) io.out(JSON.stringify(r) + '\n');
    if (withoutNote.length > 0) io.err(`AI Provenance: ${plural(withoutNote.length, 'commit')} without a provenance note not exported (nothing is known of them), first ${withoutNote[0].slice(0, 12)}.\n`);
    return 0;
  },
};
