/**
 * Reading what the report shows out of history: `stats` for the figures (and, for the whole
 * history, its blame of HEAD's tree for where the unreviewed AI lines are), and for a range the
 * lines it adds as `verify` traces them.
 */
import * as path from 'node:path';
import { UnreviewedRun, summarizeRange } from '../core/history';
import { buildReport, ReportData } from '../core/report';
import { rangeProvenance } from './history';
import { historyStats, statsJson } from './stats';

/**
 * The report of `<base>..<head>`, or of the whole history of HEAD when `spec` is undefined. Throws
 * as historyStats and rangeProvenance do (HistoryError, NoteError): the caller fails closed.
 */
export async function historyReport(root: string, spec: string | undefined, isIgnored: (path: string) => boolean): Promise<ReportData> {
  // A range's lines are traced while stats counts (two git processes at a time, not one after the other).
  const tracing = spec === undefined ? undefined : rangeProvenance(root, spec);
  tracing?.catch(() => undefined); // awaited below, or not needed; this only keeps an early failure from going unhandled meanwhile
  const stats = await historyStats(root, spec, isIgnored);
  let unreviewed: readonly UnreviewedRun[];
  if (stats.tree || !tracing) unreviewed = stats.tree?.unreviewed ?? [];
  // Without notes no line is AI-written, and rangeProvenance refuses to trace any.
  else if (!stats.notesRef) unreviewed = [];
  else unreviewed = summarizeRange((await tracing).files, isIgnored).unreviewed;
  return buildReport({ repository: path.basename(root), notesRef: stats.notesRef, stats: statsJson(stats), byCommit: stats.byCommit, unreviewed });
}
