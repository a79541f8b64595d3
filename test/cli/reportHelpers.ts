/** A history for the report's tests (CLI and browser) and how to read the page's data; shared, so both check the same figures. */
import * as assert from 'node:assert/strict';
import type { ReportData } from '../../src/core/report';
import { TempRepo } from './helpers';
import { head } from './noteHelpers';

const lines = (...ls: string[]): string => ls.join('\n') + '\n';
const numbered = (prefix: string, n: number): string => lines(...Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}`));

/** A file name a browser would take for markup if the page did not escape it. */
export const HOSTILE = '<img src=x onerror=alert(1)>.ts';

/** The report's data, as the page carries it. */
export function embeddedData(html: string): ReportData {
  const m = /<script type="application\/json" id="aip-report-data">([^<]*)<\/script>/.exec(html);
  assert.ok(m, 'the page carries its data');
  return JSON.parse(m[1]) as ReportData;
}

/**
 * A history spread over six weeks (committer dates set), with AI lines by several tools, a review,
 * a merge, a file the policy ignores and one whose name is markup. Returns the commits by name.
 *   c0  2026-01-05  a.ts +4 human, before the hooks (no note)
 *   c1  2026-01-12  a.ts +3 (5-7 AI agent claude-code); HOSTILE +2 (AI inline copilot); gen/x.ts +3 AI (ignored)
 *   c2  2026-01-12  by other@example.com: a.ts +2 (8 human, 9 AI chat copilot gpt-4o, reviewed after the commit)
 *   c3  2026-02-02  on a side branch: c.ts +2 AI chat copilot; merged on 2026-02-04 (--no-ff)
 *   c4  2026-02-03  d.ts +1 human
 *   c5  2026-02-20  b.ts +3 human
 */
export function reportHistory(repo: TempRepo, cli: (args: string[]) => void = (args) => assert.equal(repo.cli(args).code, 0, args.join(' '))): Record<string, string> {
  const ids: Record<string, string> = {};
  const commit = (name: string, date: string, ...args: string[]): void => {
    repo.git('add', '-A');
    const r = repo.tryGitEnv(['commit', '-q', '--no-verify', '-m', name, ...args], { GIT_COMMITTER_DATE: date, GIT_AUTHOR_DATE: date });
    assert.equal(r.code, 0, r.stderr);
    ids[name] = head(repo);
  };
  repo.write('a.ts', numbered('base', 4));
  commit('c0', '2026-01-05T10:00:00Z');
  cli(['hook', 'install']);
  repo.write('a.ts', numbered('base', 4) + lines('ai claude 1', 'ai claude 2', 'ai claude 3'));
  repo.write(HOSTILE, lines('ai copilot 1', 'ai copilot 2'));
  repo.write('gen/x.ts', numbered('generated', 3));
  cli(['mark', 'a.ts:5-7', '--source', 'agent', '--tool', 'claude-code']);
  cli(['mark', HOSTILE, '--source', 'inline', '--tool', 'copilot']);
  cli(['mark', 'gen/x.ts', '--source', 'inline', '--tool', 'copilot']);
  commit('c1', '2026-01-12T09:00:00Z');
  repo.write('a.ts', numbered('base', 4) + lines('ai claude 1', 'ai claude 2', 'ai claude 3', 'human 1', 'ai chat 1'));
  cli(['mark', 'a.ts:9', '--source', 'chat', '--tool', 'copilot', '--model', 'gpt-4o']);
  commit('c2', '2026-01-12T18:00:00Z', '--author', 'Other <other@example.com>');
  repo.git('checkout', '-q', '-b', 'side');
  repo.write('c.ts', lines('ai side 1', 'ai side 2'));
  cli(['mark', 'c.ts:1-2', '--source', 'chat', '--tool', 'copilot']);
  commit('c3', '2026-02-02T12:00:00Z');
  repo.git('checkout', '-q', 'main');
  repo.write('d.ts', lines('human d'));
  commit('c4', '2026-02-03T12:00:00Z');
  const merged = repo.tryGitEnv(['merge', '-q', '--no-ff', '--no-edit', 'side'], { GIT_COMMITTER_DATE: '2026-02-04T12:00:00Z', GIT_AUTHOR_DATE: '2026-02-04T12:00:00Z' });
  assert.equal(merged.code, 0, merged.stderr);
  cli(['review', 'a.ts:9']);
  repo.write('b.ts', numbered('human b', 3));
  commit('c5', '2026-02-20T08:00:00Z');
  repo.write('.ai-provenance.json', JSON.stringify({ ignore: ['gen/**'] }));
  return ids;
}

