/**
 * Argument parsing on `node:util`'s parseArgs in strict mode: unknown flags are errors, never
 * ignored; `--flag=value` and `--` work as usual. Its errors become UsageErrors in our words.
 */
import { parseArgs as nodeParseArgs } from 'node:util';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type FlagSpec = Record<string, 'boolean' | 'string'>;

export interface Parsed {
  positionals: string[];
  flags: Record<string, string | boolean>;
}

export function parseArgs(argv: readonly string[], spec: FlagSpec): Parsed {
  // A one-letter flag is written with one dash, as git's `-M`.
  const options = Object.fromEntries(Object.entries(spec).map(([name, type]) => [name, name.length === 1 ? { type, short: name } : { type }]));
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = nodeParseArgs({ args: [...argv], options, strict: true, allowPositionals: true }));
  } catch (e) {
    throw usageErrorFrom(e, spec);
  }
  const flags: Record<string, string | boolean> = {};
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined || Array.isArray(value)) continue; // No flag is declared `multiple`.
    if (value === '') throw new UsageError(`--${name} needs a value`);
    flags[name] = value;
  }
  return { positionals, flags };
}

/** A string flag's value, if given. */
export function stringFlag(args: Parsed, name: string): string | undefined {
  const value = args.flags[name];
  return typeof value === 'string' ? value : undefined;
}

/** parseArgs' messages run over several lines and suggest `--` tricks; ours name the flag and the fix. */
function usageErrorFrom(e: unknown, spec: FlagSpec): Error {
  if (!(e instanceof Error) || !('code' in e) || typeof e.code !== 'string' || !e.code.startsWith('ERR_PARSE_ARGS_')) return e instanceof Error ? e : new Error(String(e));
  const flag = /'(-[^' <]*)/.exec(e.message)?.[1] ?? '';
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return new UsageError(`unknown option ${flag}`);
  const kind = spec[flag.replace(/^--?/, '')];
  if (kind === 'boolean') return new UsageError(`${flag} takes no value`);
  if (kind === 'string') return new UsageError(`${flag} needs a value (write ${flag}=<value> for one that starts with "-")`);
  return new UsageError(e.message.split('\n')[0]);
}

export function noPositionals(args: Parsed): void {
  if (args.positionals.length) throw new UsageError(`unexpected argument ${args.positionals[0]}`);
}

/** The one `<path>[:<from>-<to>]` argument of mark, unmark and review. */
export function oneTarget(args: Parsed): ReturnType<typeof parseTarget> {
  if (args.positionals.length !== 1) throw new UsageError('expected exactly one <path>[:<from>-<to>]');
  return parseTarget(args.positionals[0]);
}

/** `path[:from[-to]]`; the suffix is only taken as lines when it looks like lines. A path may hold any character, line breaks included. */
export function parseTarget(target: string): { path: string; range?: { from: number; to: number } } {
  const m = /^([\s\S]*):(\d+)(?:-(\d+))?$/.exec(target);
  if (!m || m[1] === '') return { path: target };
  const from = Number(m[2]);
  const to = m[3] === undefined ? from : Number(m[3]);
  if (from < 1 || to < from) throw new UsageError(`invalid line range in ${target}: lines are 1-based and <from> must not exceed <to>`);
  return { path: m[1], range: { from, to } };
}
