/**
 * The `ai-provenance` command line: the table of commands, dispatch, and exit codes. Exit codes
 * mean one thing each: 0 success (nothing unreviewed), 1 unreviewed AI code found (or, for
 * `hook status`, no hook), 2 an error, which is always explained on stderr. Each command lives in
 * its own module under ./commands.
 */
import { NoteError } from '../core/note';
import { HistoryError, ImportError, OutsideRepositoryError, StoreError, UnsupportedFileError } from '../store/errors';
import { GitError } from '../store/git';
import { parseArgs, UsageError } from './args';
import { Command, Io } from './command';
import { VERSION } from '../core/version';

/**
 * Each command's module, loaded when it runs. The git hooks start the CLI on every commit, and
 * most of the bundle is other commands' code: bundled, a module's top-level code runs only when
 * it is first loaded (for `hook run post-commit` that leaves out the glob compiler, the agents'
 * formats, the JSON editor, blame and verify).
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  status: async () => (await import('./commands/status')).statusCommand,
  mark: async () => (await import('./commands/mark')).markCommand,
  unmark: async () => (await import('./commands/unmark')).unmarkCommand,
  review: async () => (await import('./commands/review')).reviewCommand,
  check: async () => (await import('./commands/check')).checkCommand,
  hook: async () => (await import('./commands/hook')).hookCommand,
  record: async () => (await import('./commands/record')).recordCommand,
  agents: async () => (await import('./commands/agents')).agentsCommand,
  verify: async () => (await import('./commands/verify')).verifyCommand,
  notes: async () => (await import('./commands/notes')).notesCommand,
  blame: async () => (await import('./commands/blame')).blameCommand,
  stats: async () => (await import('./commands/stats')).statsCommand,
  report: async () => (await import('./commands/report')).reportCommand,
  export: async () => (await import('./commands/export')).exportCommand,
  import: async () => (await import('./commands/import')).importCommand,
};

async function helpText(): Promise<string> {
  const commands = await Promise.all(Object.values(COMMANDS).map((load) => load()));
  return [
    'ai-provenance: which lines of this repository were written by AI, and have they been reviewed?',
    '',
    'Usage:',
    ...commands.flatMap((c) => [`  ${c.usage}`, `      ${c.summary}`]),
    '',
    'Lines are 1-based and inclusive. Exit codes: 0 success, 1 unreviewed AI code (check, verify) or no hook (hook status), 2 error.',
    'Run `ai-provenance <command> --help` for one command.',
  ].join('\n');
}

/** Runs one invocation and returns its exit code. Never throws. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (!name) {
    io.err((await helpText()) + '\n');
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    io.out((await helpText()) + '\n');
    return 0;
  }
  if (name === '--version') {
    io.out(`${VERSION}\n`);
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? await COMMANDS[name]() : undefined;
  if (!command) {
    io.err(`ai-provenance: unknown command "${name}"\n\n${await helpText()}\n`);
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
  if (e instanceof UsageError || e instanceof OutsideRepositoryError || e instanceof UnsupportedFileError || e instanceof StoreError || e instanceof RangeError || e instanceof GitError || e instanceof HistoryError || e instanceof NoteError || e instanceof ImportError) {
    return e.message;
  }
  return `unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
}


function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (c: Buffer) => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

/**
 * Output to a stream whose reader may leave early (`status | head -1`): from then on writes are
 * dropped instead of dying on EPIPE with a stack trace; the command finishes and keeps its exit
 * code, so `check | head -1` still says 1 when something is unreviewed.
 */
export function closableWriter(stream: NodeJS.WritableStream): (text: string) => void {
  let closed = false;
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    closed = true;
  });
  return (text) => {
    if (!closed) stream.write(text);
  };
}

if (require.main === module) {
  const io: Io = {
    cwd: process.cwd(),
    out: closableWriter(process.stdout),
    err: closableWriter(process.stderr),
    stdin: readStdin,
    color: process.stdout.isTTY === true && !process.env.NO_COLOR,
  };
  void main(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}
