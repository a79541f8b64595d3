/**
 * The `ai-provenance` command line. Exit codes mean one thing each: 0 success (nothing unreviewed),
 * 1 unreviewed AI code found (or, for `hook status`, no hook), 2 an error, which is always explained
 * on stderr.
 */
import * as path from 'node:path';
import { Region, SOURCES, Source, isSource, lineRange } from '../core/regions';
import { unreviewedSummary, verdictSentence } from '../core/policy';
import { plural } from '../core/text';
import { GitError } from '../store/git';
import { hookStatus, HookState, installHook, uninstallHook } from '../store/hook';
import { OutsideRepositoryError, StoreError, writeAtomic } from '../store/markerStore';
import { FileRegions, Repository, UnsupportedFileError } from '../store/repository';
import { FlagSpec, parseArgs, Parsed, parseTarget, UsageError } from './args';
import { EXTRA_COMMANDS } from './extraCommands';

export interface Io {
  cwd: string;
  out(text: string): void;
  err(text: string): void;
  stdin(): Promise<string>;
}

export interface Command {
  usage: string;
  summary: string;
  flags: FlagSpec;
  run(args: Parsed, io: Io): Promise<number>;
  /** Exit code for a usage error, when 2 would mean something else to the caller (agents read 2 as "block the tool"). */
  usageErrorExit?: number;
}

const COMMANDS: Record<string, Command> = {
  status: {
    usage: 'ai-provenance status [--json] [--all]',
    summary: 'list unreviewed AI regions in the working tree (all regions with --all)',
    flags: { json: 'boolean', all: 'boolean' },
    async run(args, io) {
      noPositionals(args);
      const repo = await Repository.open(io.cwd);
      const files = await repo.status();
      // Counted as the gate counts: regions in paths the policy ignores are listed, marked, and not counted.
      const summary = await repo.summary(files);
      const ignored = new Set(summary.ignored.map((f) => f.path));
      const shown = files.map((f) => ({ path: f.path, regions: args.flags.all ? f.regions : f.regions.filter((r) => !r.review) })).filter((f) => f.regions.length);
      if (args.flags.json) {
        const regions = shown.flatMap((f) => f.regions.map((r) => ({ ...regionJson(f.path, r), ignored: ignored.has(f.path) })));
        io.out(JSON.stringify({ regions }, null, 2) + '\n');
        return 0;
      }
      const more = summary.ignoredCount ? `; ${summary.ignoredCount} more in files the policy ignores` : '';
      io.out(`${unreviewedSummary(summary.blockingCount, summary.blocking.length)}${more}.\n`);
      for (const f of shown) for (const line of locationLines([f], true)) io.out(`${line}${ignored.has(f.path) ? '  (ignored by policy)' : ''}\n`);
      for (const q of await repo.store.quarantined()) io.err(`warning: corrupt marker file moved aside: ${q}\n`);
      return 0;
    },
  },
  mark: {
    usage: 'ai-provenance mark <path>[:<from>-<to>] [--source S] [--tool T] [--model M] [--session ID]',
    summary: 'record lines (or a whole file) as AI-written',
    flags: { source: 'string', tool: 'string', model: 'string', session: 'string' },
    async run(args, io) {
      const target = oneTarget(args);
      const source = (args.flags.source as string | undefined) ?? 'manual';
      if (!isSource(source)) throw new UsageError(`unknown --source ${source}; one of ${SOURCES.join(', ')}`);
      const repo = await Repository.open(io.cwd);
      const rel = repo.relative(path.resolve(io.cwd, target.path));
      const region = await repo.mark(rel, target.range, {
        source: source as Source,
        tool: (args.flags.tool as string | undefined) ?? null,
        model: args.flags.model as string | undefined,
        session: args.flags.session as string | undefined,
      });
      const { from, to } = lineRange(region);
      io.out(`Marked ${rel}:${from}-${to} as AI-written (${source}).\n`);
      return 0;
    },
  },
  unmark: {
    usage: 'ai-provenance unmark <path>[:<from>-<to>]',
    summary: 'declare lines (or a whole file) human-written',
    flags: {},
    async run(args, io) {
      const target = oneTarget(args);
      const repo = await Repository.open(io.cwd);
      const rel = repo.relative(path.resolve(io.cwd, target.path));
      await repo.unmark(rel, target.range);
      io.out(`Unmarked ${rel}${target.range ? `:${target.range.from}-${target.range.to}` : ''}.\n`);
      return 0;
    },
  },
  review: {
    usage: 'ai-provenance review <path>[:<from>-<to>] | --all',
    summary: 'mark AI regions reviewed: those overlapping the lines, the whole file, or everything',
    flags: { all: 'boolean' },
    async run(args, io) {
      const repo = await Repository.open(io.cwd);
      let count = 0;
      if (args.flags.all) {
        noPositionals(args);
        for (const f of await repo.status()) count += await repo.review(f.path, undefined);
      } else {
        const target = oneTarget(args);
        const rel = repo.relative(path.resolve(io.cwd, target.path));
        count = await repo.review(rel, target.range);
      }
      io.out(`Marked ${plural(count, 'region')} reviewed.\n`);
      return 0;
    },
  },
  check: {
    usage: 'ai-provenance check [--staged] [--json] [--quiet]',
    summary: 'exit 1 if unreviewed AI code is in the working tree (or the index with --staged); the commit gate',
    flags: { staged: 'boolean', json: 'boolean', quiet: 'boolean' },
    async run(args, io) {
      noPositionals(args);
      let repo: Repository | undefined;
      try {
        repo = await Repository.open(io.cwd);
        const { policy, error } = await repo.policy();
        if (error) io.err(`warning: ${error}; using the strict default policy\n`);
        const result = await repo.check(Boolean(args.flags.staged));
        if (result.quarantined.length) {
          throw new StoreError(
            `${result.quarantined.length} corrupt marker file(s) were moved aside, so AI Provenance cannot vouch for this ${args.flags.staged ? 'commit' : 'tree'}: ${result.quarantined.join(', ')}. Inspect and delete them (then mark the affected code again if needed).`,
          );
        }
        const count = result.blocking.reduce((n, f) => n + f.regions.length, 0);
        if (args.flags.staged) await recordGateResult(repo, result.blocking, count);
        if (args.flags.json) io.out(JSON.stringify({ regions: toJson(result.blocking) }, null, 2) + '\n');
        else if (count > 0 || !args.flags.quiet) {
          const first = result.blocking[0] && location(result.blocking[0].path, result.blocking[0].regions[0]);
          // One write: a blocked commit of thousands of regions is thousands of lines.
          io.out([verdictSentence(count, result.blocking.length, policy.unreviewed, first), ...locationLines(result.blocking, false)].join('\n') + '\n');
        }
        return count > 0 && policy.unreviewed === 'block' ? 1 : 0;
      } catch (e) {
        // Fail closed unless the repository's policy says the gate only warns on errors.
        const onError = repo ? (await repo.policy().catch(() => undefined))?.policy.onError : 'block';
        if (onError === 'warn' && !(e instanceof UsageError)) {
          io.err(`AI Provenance could not check (${(e as Error).message}); the repository policy says warn, so this passes.\n`);
          return 0;
        }
        throw e;
      }
    },
  },
  hook: {
    usage: 'ai-provenance hook install | uninstall | status',
    summary: 'manage the git pre-commit hook that runs `check --staged`',
    flags: {},
    async run(args, io) {
      const [action, ...rest] = args.positionals;
      if (rest.length || !['install', 'uninstall', 'status'].includes(action)) throw new UsageError('expected one of: install, uninstall, status');
      const repo = await Repository.open(io.cwd);
      let state: HookState;
      if (action === 'install') state = await installHook(repo.root, { node: process.execPath, cli: path.resolve(process.argv[1] ?? __filename) });
      else if (action === 'uninstall') state = await uninstallHook(repo.root);
      else state = await hookStatus(repo.root);
      io.out(describeHook(state, action) + '\n');
      if (action === 'status') return state.kind === 'installed' || (state.kind === 'managed' && state.integrated) ? 0 : 1;
      return 0;
    },
  },
  ...EXTRA_COMMANDS,
};

function describeHook(state: HookState, action: string): string {
  switch (state.kind) {
    case 'installed':
      return `${action === 'install' ? 'Installed' : 'Installed:'} ${state.hookFile}${state.chained ? ' (the previous pre-commit hook runs after the check)' : ''}; Node: ${state.node}.`;
    case 'missing':
      return action === 'uninstall' ? `Uninstalled; no pre-commit hook is left at ${state.hookFile}.` : `Not installed (no hook at ${state.hookFile}). Run: ai-provenance hook install`;
    case 'foreign':
      return action === 'uninstall' ? `Uninstalled; the previous hook is back at ${state.hookFile}.` : `Not installed: ${state.hookFile} is another tool's hook. Run: ai-provenance hook install (it keeps that hook and runs it after the check).`;
    case 'managed':
      return state.integrated ? `${state.manager} manages the hooks and already runs ai-provenance.` : state.instructions.trimEnd();
  }
}

/** How many regions gate.json lists (its count is the total). */
const GATE_REGIONS = 100;

/**
 * Leaves the last commit check's verdict in the store (`gate.json`), so the extension can explain a
 * commit that the hook blocked from the Source Control view and offer to open the panel.
 */
async function recordGateResult(repo: Repository, blocking: FileRegions[], count: number): Promise<void> {
  // The editor shows the count and the first location; the first hundred regions are plenty.
  const first = blocking.flatMap((f) => f.regions.slice(0, GATE_REGIONS).map((r) => ({ path: f.path, r }))).slice(0, GATE_REGIONS);
  const body = { at: new Date().toISOString(), count, regions: first.map(({ path: p, r }) => regionJson(p, r)) };
  try {
    await repo.store.ensureDir();
    await writeAtomic(path.join(repo.store.dir, 'gate.json'), JSON.stringify(body) + '\n');
  } catch {
    // Only a convenience for the editor; the verdict itself is what counts.
  }
}

function regionJson(p: string, r: Region): Record<string, unknown> {
  const { from, to } = lineRange(r);
  return {
    id: r.id,
    path: p,
    from,
    to,
    source: r.source,
    tool: r.tool,
    reviewed: r.review !== null,
    ...(r.model ? { model: r.model } : {}),
    ...(r.session ? { session: r.session } : {}),
    createdAt: r.createdAt,
    author: r.author,
    ...(r.review ? { reviewedBy: r.review.by, reviewedAt: r.review.at } : {}),
  };
}

function toJson(files: FileRegions[]): Record<string, unknown>[] {
  return files.flatMap((f) => f.regions.map((r) => regionJson(f.path, r)));
}

/** `path:from-to`, 1-based inclusive. */
function location(p: string, r: Region): string {
  const { from, to } = lineRange(r);
  return `${p}:${from}-${to}`;
}

function locationLines(files: FileRegions[], details: boolean): string[] {
  return files.flatMap((f) =>
    f.regions.map((r) => {
      const extra = details ? `${r.tool ? `  ${r.tool}` : ''}${r.review ? '  (reviewed)' : ''}` : '';
      return `${location(f.path, r)}  ${r.source}${extra}`;
    }),
  );
}

function noPositionals(args: Parsed): void {
  if (args.positionals.length) throw new UsageError(`unexpected argument ${args.positionals[0]}`);
}

function oneTarget(args: Parsed): ReturnType<typeof parseTarget> {
  if (args.positionals.length !== 1) throw new UsageError('expected exactly one <path>[:<from>-<to>]');
  return parseTarget(args.positionals[0]);
}

function helpText(): string {
  return [
    'ai-provenance: which lines of this repository were written by AI, and have they been reviewed?',
    '',
    'Usage:',
    ...Object.values(COMMANDS).flatMap((c) => [`  ${c.usage}`, `      ${c.summary}`]),
    '',
    'Lines are 1-based and inclusive. Exit codes: 0 success, 1 unreviewed AI code (check) or no hook (hook status), 2 error.',
    'Run `ai-provenance <command> --help` for one command.',
  ].join('\n');
}

/** Runs one invocation and returns its exit code. Never throws. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (!name) {
    io.err(helpText() + '\n');
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    io.out(helpText() + '\n');
    return 0;
  }
  if (name === '--version') {
    io.out(`${VERSION}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`ai-provenance: unknown command "${name}"\n\n${helpText()}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`Usage: ${command.usage}\n  ${command.summary}\n`);
    return 0;
  }
  try {
    return await command.run(parseArgs(rest, command.flags), io);
  } catch (e) {
    io.err(`ai-provenance ${name}: ${describeError(e)}\n`);
    if (e instanceof UsageError) {
      io.err(`Usage: ${command.usage}\n`);
      return command.usageErrorExit ?? 2;
    }
    return 2;
  }
}

function describeError(e: unknown): string {
  if (e instanceof GitError && /not a git repository/i.test(e.stderr)) return 'not inside a git repository; run it from within one';
  if (e instanceof UsageError || e instanceof OutsideRepositoryError || e instanceof UnsupportedFileError || e instanceof StoreError || e instanceof RangeError || e instanceof GitError) {
    return e.message;
  }
  return `unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
}

declare const AIP_VERSION: string | undefined;
const VERSION = typeof AIP_VERSION === 'string' ? AIP_VERSION : 'dev';

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (c: Buffer) => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

if (require.main === module) {
  const io: Io = {
    cwd: process.cwd(),
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    stdin: readStdin,
  };
  void main(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}
