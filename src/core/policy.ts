/** The repository policy (`.ai-provenance.json`) and the review verdict built on it. */
import { globToRegExp, matchesAny } from './glob';
import { plural } from './text';

export type Action = 'block' | 'warn';

export interface Policy {
  /** Globs of repository-relative paths whose regions never block. */
  ignore: string[];
  /** What unreviewed AI code does to a commit. */
  unreviewed: Action;
  /** What happens when the check cannot run: Node missing, the store unreadable. Fail closed by default. */
  onError: Action;
}

/** Lock files and generated files: AI tools touch them, nobody reviews them line by line. */
export const DEFAULT_IGNORES = [
  'package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lockb', 'bun.lock',
  'Cargo.lock', 'Gemfile.lock', 'poetry.lock', 'uv.lock', 'composer.lock', 'go.sum', 'Pipfile.lock',
  '*.min.js', '*.min.css', '*.map', '**/__generated__/**', '*.generated.*', '*.snap',
];

export const DEFAULT_POLICY: Policy = { ignore: DEFAULT_IGNORES, unreviewed: 'block', onError: 'block' };

export type PolicyResult = { ok: true; policy: Policy } | { ok: false; error: string; policy: Policy };

/**
 * Parses `.ai-provenance.json`. An invalid file yields the default (strict) policy together with
 * an error, so a typo can never loosen the gate.
 */
export function parsePolicy(text: string | undefined): PolicyResult {
  if (text === undefined) return { ok: true, policy: DEFAULT_POLICY };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `.ai-provenance.json is not valid JSON (${(e as Error).message})`, policy: DEFAULT_POLICY };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, error: '.ai-provenance.json must hold a JSON object', policy: DEFAULT_POLICY };
  const o = raw as Record<string, unknown>;
  const known = new Set(['$schema', 'ignore', 'useDefaultIgnores', 'unreviewed', 'onError']);
  const unknownKey = Object.keys(o).find((k) => !known.has(k));
  if (unknownKey) return { ok: false, error: `.ai-provenance.json: unknown key "${unknownKey}"`, policy: DEFAULT_POLICY };
  if (o.ignore !== undefined && (!Array.isArray(o.ignore) || o.ignore.some((g) => typeof g !== 'string'))) {
    return { ok: false, error: '.ai-provenance.json: "ignore" must be a list of glob strings', policy: DEFAULT_POLICY };
  }
  for (const key of ['unreviewed', 'onError'] as const) {
    if (o[key] !== undefined && o[key] !== 'block' && o[key] !== 'warn') {
      return { ok: false, error: `.ai-provenance.json: "${key}" must be "block" or "warn"`, policy: DEFAULT_POLICY };
    }
  }
  if (o.useDefaultIgnores !== undefined && typeof o.useDefaultIgnores !== 'boolean') {
    return { ok: false, error: '.ai-provenance.json: "useDefaultIgnores" must be true or false', policy: DEFAULT_POLICY };
  }
  const ignore = [...(o.useDefaultIgnores === false ? [] : DEFAULT_IGNORES), ...((o.ignore as string[] | undefined) ?? [])];
  return {
    ok: true,
    policy: { ignore, unreviewed: (o.unreviewed as Action | undefined) ?? 'block', onError: (o.onError as Action | undefined) ?? 'block' },
  };
}

/** Answers "is this path ignored?" for one policy, compiling its globs once. */
export function ignoreMatcher(policy: Policy): (path: string) => boolean {
  const globs = policy.ignore.map(globToRegExp);
  return (path) => matchesAny(path, globs);
}

/** "3 unreviewed AI regions in 2 files", the phrase the gate, the panel and the status bar share. */
export function unreviewedSummary(count: number, files?: number): string {
  return `${plural(count, 'unreviewed AI region')}${files === undefined ? '' : ` in ${plural(files, 'file')}`}`;
}

/**
 * The first line of the gate's output: a complete sentence naming the count and the first
 * location, because VS Code's commit error box shows only that line.
 */
export function verdictSentence(count: number, files: number, action: Action, first?: string): string {
  if (count === 0) return 'AI Provenance: no unreviewed AI code.';
  const what = `${unreviewedSummary(count, files)}${first ? `, first at ${first}` : ''}`;
  return action === 'block'
    ? `AI Provenance blocked this commit: ${what}. Review them in the AI Provenance panel or with ai-provenance review, then commit again.`
    : `AI Provenance warning: ${what} (the repository policy only warns).`;
}
