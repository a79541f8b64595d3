import { NOTES_REF } from '../../core/note';
import { Tally } from '../../core/stats';
import { Repository } from '../../store/repository';
import { historyStats, HistoryStats, statsJson } from '../../store/stats';
import { UsageError } from '../args';
import { Command } from '../command';

export const statsCommand: Command = {
  usage: 'ai-provenance stats [<base>..<head>] [--json]',
  summary: 'lines added, AI lines and reviewed AI lines, by tool, source, model and author; without a range, the whole history of HEAD and the share of AI lines in its tree',
  flags: { json: 'boolean' },
  async run(args, io) {
    if (args.positionals.length > 1) throw new UsageError('expected at most one range <base>..<head>');
    const repo = await Repository.open(io.cwd);
    const { policy, error } = await repo.policy();
    if (error) io.err(`warning: ${error}; using the default policy\n`);
    const stats = await historyStats(repo.root, args.positionals[0], (p) => policy.isIgnored(p));
    if (!stats.notesRef && stats.commits > 0) {
      io.err(`warning: this clone has no AI Provenance notes (${NOTES_REF}), so every line counts as human-written; fetch them first (ai-provenance notes fetch)\n`);
    }
    if (args.flags.json) {
      io.out(JSON.stringify(statsJson(stats), null, 2) + '\n');
      return 0;
    }
    io.out(formatStats(stats));
    return 0;
  },
};

const n = (x: number): string => x.toLocaleString('en-US');
const pct = (part: number, whole: number): string => `${whole === 0 ? '0.0' : ((100 * part) / whole).toFixed(1)}%`;

/** The figures for people: a first line that is a complete sentence, then the breakdowns. */
export function formatStats(s: HistoryStats): string {
  const commits = `${n(s.commits)} commit${s.commits === 1 ? '' : 's'}`;
  const what = s.range === null ? `the whole history of HEAD (${commits})` : `${s.range} (${commits})`;
  const out = [
    `AI Provenance stats for ${what}: ${n(s.addedLines)} lines added, ${n(s.aiLines)} of them AI-written (${pct(s.aiLines, s.addedLines)}), ${n(s.reviewedAiLines)} of those reviewed (${pct(s.reviewedAiLines, s.aiLines)}).`,
  ];
  if (s.commitsWithoutNote === 1) out.push('1 commit carries no provenance note; its lines count as human-written.');
  else if (s.commitsWithoutNote) out.push(`${n(s.commitsWithoutNote)} commits carry no provenance note; their lines count as human-written.`);
  if (s.ignoredLines) out.push(`${n(s.ignoredLines)} lines added in files the policy ignores are left out.`);
  for (const [title, counts] of [['tool', s.byTool], ['source', s.bySource], ['model', s.byModel]] as const) {
    const rows = Object.entries(counts).sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
    if (rows.length === 0) continue;
    out.push('', `AI lines by ${title}:`, ...table(rows.map(([k, v]) => [k, n(v), pct(v, s.aiLines)])));
  }
  const authors = Object.entries(s.byAuthor).sort(([a, x], [b, y]) => y.addedLines - x.addedLines || (a < b ? -1 : 1));
  if (authors.length) {
    out.push('', 'By author:', ...table([['', 'added', 'AI', 'reviewed'], ...authors.map(([k, t]: [string, Tally]) => [k, n(t.addedLines), n(t.aiLines), n(t.reviewedAiLines)])]));
  }
  if (s.tree) {
    const t = s.tree;
    out.push('', `The tree at HEAD (${t.commit.slice(0, 8)}): ${n(t.aiLines)} of its ${n(t.lines)} lines are AI-written (${pct(t.aiLines, t.lines)}), ${n(t.reviewedAiLines)} of those reviewed.`);
  }
  return out.join('\n') + '\n';
}

/** Rows as aligned columns: the first left-aligned, the others right-aligned, indented by two. */
function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => `  ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')}`.trimEnd());
}
