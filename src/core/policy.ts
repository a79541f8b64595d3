/** The repository policy (`.ai-provenance.json`) and the review verdict built on it. */
import { isObject } from './json';
import { compileGlob } from './glob';
import { POLICY_FILE } from './policyFile';
import { plural } from './text';

export type Action = 'block' | 'warn';
export type Trailers = 'none' | 'assisted-by';

export interface Policy {
  /** Globs of repository-relative paths whose regions never block. */
  ignore: string[];
  /** What unreviewed AI code does to a commit. */
  unreviewed: Action;
  /** What happens when the check cannot run: Node missing, the store unreadable. Fail closed by default. */
  onError: Action;
  /**
   * Whether `verify` fails a range holding commits without a provenance note (made where AI
   * Provenance was not running). Off by default: a team adopting the tool has older commits.
   */
  requireNotes: boolean;
  /**
   * Commit trailers naming the AI tools of a commit's AI lines: `none` (the default) or
   * `assisted-by` (one `Assisted-by: <tool>:<model>` trailer per tool and model, the Linux kernel's form).
   */
  trailers: Trailers;
  /** Whether `ignore` covers a path, with the globs compiled once when the policy was parsed. */
  isIgnored(path: string): boolean;
}

export { POLICY_FILE } from './policyFile';

/** More ignore patterns than this are refused: a list that long is generated, and each costs every path a test. */
export const MAX_IGNORES = 1000;

/** Lock files and generated files: AI tools touch them, nobody reviews them line by line. */
export const DEFAULT_IGNORES = [
  'package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lockb', 'bun.lock',
  'Cargo.lock', 'Gemfile.lock', 'poetry.lock', 'uv.lock', 'composer.lock', 'go.sum', 'Pipfile.lock',
  '*.min.js', '*.min.css', '*.map', '**/__generated__/**', '*.generated.*', '*.snap',
];

/** The compiled globs' combined test, or the first pattern's error. */
function compileIgnores(patterns: readonly string[]): ((path: string) => boolean) | string {
  const tests: ((path: string) => boolean)[] = [];
  for (const p of patterns) {
    const compiled = compileGlob(p);
    if (!compiled.ok) return compiled.error;
    tests.push(compiled.matches);
  }
  return (path) => tests.some((t) => t(path));
}

function policyOf(ignore: string[], unreviewed: Action, onError: Action, requireNotes: boolean, trailers: Trailers): Policy | string {
  const isIgnored = compileIgnores(ignore);
  return typeof isIgnored === 'string' ? isIgnored : { ignore, unreviewed, onError, requireNotes, trailers, isIgnored };
}

const defaults = policyOf(DEFAULT_IGNORES, 'block', 'block', false, 'none');
if (typeof defaults === 'string') throw new Error(`a default ignore is invalid: ${defaults}`);
export const DEFAULT_POLICY: Policy = defaults;

export type PolicyResult = { ok: true; policy: Policy } | { ok: false; error: string; policy: Policy };

function isAction(v: unknown): v is Action {
  return v === 'block' || v === 'warn';
}


/**
 * Parses `.ai-provenance.json`. An invalid file yields the default (strict) policy together with
 * an error naming the file, so a typo can never loosen the gate. A bad glob is such an error.
 */
export function parsePolicy(text: string | undefined): PolicyResult {
  if (text === undefined) return { ok: true, policy: DEFAULT_POLICY };
  const invalid = (why: string): PolicyResult => ({ ok: false, error: `${POLICY_FILE}: ${why}`, policy: DEFAULT_POLICY });
  let raw: unknown;
  try {
    // Editors on Windows often save JSON with a byte-order mark, which JSON.parse refuses.
    raw = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    return { ok: false, error: `${POLICY_FILE} is not valid JSON (${(e as Error).message})`, policy: DEFAULT_POLICY };
  }
  if (!isObject(raw)) return { ok: false, error: `${POLICY_FILE} must hold a JSON object`, policy: DEFAULT_POLICY };
  const known = new Set(['$schema', 'ignore', 'useDefaultIgnores', 'unreviewed', 'onError', 'requireNotes', 'trailers']);
  const unknownKey = Object.keys(raw).find((k) => !known.has(k));
  if (unknownKey) return invalid(`unknown key "${unknownKey}"`);
  const { ignore = [], useDefaultIgnores = true, unreviewed = 'block', onError = 'block', requireNotes = false, trailers = 'none' } = raw;
  if (!Array.isArray(ignore) || !ignore.every((g): g is string => typeof g === 'string')) return invalid('"ignore" must be a list of glob strings');
  if (ignore.length > MAX_IGNORES) return invalid(`"ignore" holds ${ignore.length} patterns; at most ${MAX_IGNORES} are allowed`);
  if (!isAction(unreviewed)) return invalid('"unreviewed" must be "block" or "warn"');
  if (!isAction(onError)) return invalid('"onError" must be "block" or "warn"');
  if (typeof useDefaultIgnores !== 'boolean') return invalid('"useDefaultIgnores" must be true or false');
  if (typeof requireNotes !== 'boolean') return invalid('"requireNotes" must be true or false');
  if (trailers !== 'none' && trailers !== 'assisted-by') return invalid('"trailers" must be "none" or "assisted-by"');
  const policy = policyOf([...(useDefaultIgnores ? DEFAULT_IGNORES : []), ...ignore], unreviewed, onError, requireNotes, trailers);
  return typeof policy === 'string' ? invalid(`"ignore": ${policy}`) : { ok: true, policy };
}

/** Answers "is this path ignored?" for one policy (its globs were compiled when it was parsed). */
export function ignoreMatcher(policy: Policy): (path: string) => boolean {
  return (path) => policy.isIgnored(path);
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
