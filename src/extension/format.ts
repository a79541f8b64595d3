/**
 * Counts and times as the editor's UI shows them, in VS Code's display language: plural forms
 * from `Intl.PluralRules`, relative times from `Intl.RelativeTimeFormat`, the words through
 * `vscode.l10n` (English when no translation bundle is present).
 */
import * as vscode from 'vscode';

const plurals = new Intl.PluralRules(vscode.env.language);
const relative = new Intl.RelativeTimeFormat(vscode.env.language, { numeric: 'always' });

/** What is counted; each has its singular and plural message, so translators see whole sentences. */
export type Counted = 'unreviewedRegions' | 'regions' | 'aiRegions' | 'aiLines' | 'files';

/** "1 unreviewed AI region", "3 files", in the display language's plural form. */
export function countOf(n: number, what: Counted): string {
  const one = plurals.select(n) === 'one';
  switch (what) {
    case 'unreviewedRegions':
      return one ? vscode.l10n.t('{0} unreviewed AI region', n) : vscode.l10n.t('{0} unreviewed AI regions', n);
    case 'aiRegions':
      return one ? vscode.l10n.t('{0} AI region', n) : vscode.l10n.t('{0} AI regions', n);
    case 'aiLines':
      return one ? vscode.l10n.t('{0} AI-written line', n) : vscode.l10n.t('{0} AI-written lines', n);
    case 'regions':
      return one ? vscode.l10n.t('{0} region', n) : vscode.l10n.t('{0} regions', n);
    case 'files':
      return one ? vscode.l10n.t('{0} file', n) : vscode.l10n.t('{0} files', n);
  }
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [['year', 365 * 86400], ['month', 30 * 86400], ['week', 7 * 86400], ['day', 86400], ['hour', 3600], ['minute', 60]];

/** "5 minutes ago"; coarse on purpose, the exact time is shown beside it. */
export function ago(iso: string, now = Date.now()): string {
  const s = Math.round((now - Date.parse(iso)) / 1000);
  if (!Number.isFinite(s)) return vscode.l10n.t('at an unknown time');
  for (const [unit, size] of UNITS) {
    const n = Math.floor(s / size);
    if (n >= 1) return relative.format(-n, unit);
  }
  return vscode.l10n.t('just now');
}

/** "3 unreviewed AI regions in 2 files" (or without the files). */
export function unreviewedSummaryOf(count: number, files?: number): string {
  const regions = countOf(count, 'unreviewedRegions');
  return files === undefined ? regions : vscode.l10n.t('{0} in {1}', regions, countOf(files, 'files'));
}
