/**
 * Shell edits: what one agent shell call costs in a generated 10,000-file repository (40 lines a
 * file, 100 folders), beside `git status` in the same run. Each call is the pre-tool hook, the
 * command (a one-line edit of one file, not timed), and the post-tool hook, which records that
 * line. Two working trees: clean, and with work in progress (50 modified files, 50 untracked).
 * Measured twice: through the bundled CLI as the agent runs it (Node's start included), and the
 * snapshot and record work alone, in this process. `npm run bench -- shell` runs it alone.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SnapshotStore } from '../src/store/agentSnapshots';
import { Repository } from '../src/store/repository';
import { recordShell, snapshotShell } from '../src/store/shellSnapshot';
import { stats } from './stats';

const CLI = path.resolve(__dirname, '../../dist/cli.js');
const FILES = 10_000;
const ROUNDS = 12;
/** The first rounds warm the caches and are dropped. */
const WARM = 2;

function time(fn: () => void): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

interface Sample {
  wall: number;
  cpu: number;
}

/** The children's user + system time from the second line of the shell's `times`, in ms. */
function childCpu(times: string): number {
  const line = times.trim().split('\n').pop() ?? '';
  return [...line.matchAll(/(\d+)m([\d.]+)s/g)].reduce((ms, m) => ms + (Number(m[1]) * 60 + Number(m[2])) * 1000, 0);
}

const rel = (i: number): string => `src/d${i % 100}/m${i}.ts`;
const body = (i: number): string => Array.from({ length: 40 }, (_, k) => `export const v${k} = ${i * 40 + k};`).join('\n') + '\n';

export async function benchShell(): Promise<void> {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aip-bench-shell-')));
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: root };
  const g = (...args: string[]): string => execFileSync('git', args, { cwd: root, env, encoding: 'utf8', maxBuffer: 256 << 20 });
  g('init', '-q', '-b', 'main');
  g('config', 'user.email', 'bench@example.com');
  g('config', 'user.name', 'Bench');
  for (let d = 0; d < 100; d++) fs.mkdirSync(path.join(root, 'src', `d${d}`), { recursive: true });
  for (let i = 0; i < FILES; i++) fs.writeFileSync(path.join(root, rel(i)), body(i));
  g('add', '-A');
  g('commit', '-q', '-m', 'start');
  g('status'); // Leaves the index's stat data fresh, as the editor's git does.

  const payloadFile = path.join(os.tmpdir(), `aip-bench-shell-payload-${process.pid}.json`);
  const payload = (phase: 'PreToolUse' | 'PostToolUse', n: number, tool = 'Bash'): string =>
    JSON.stringify({ session_id: 'bench', cwd: root, hook_event_name: phase, tool_name: tool, tool_use_id: `call-${n}`, tool_input: { command: 'sed -i …' } });
  /**
   * Wall time and CPU time (user + system of the shell's children: Node and every git process,
   * from the shell's `times`, in 10 ms ticks) of one command, its stdin from `input`.
   */
  const measure = (argv: string[], input = ''): Sample => {
    fs.writeFileSync(payloadFile, input);
    let out = '';
    const wall = time(() => {
      const r = spawnSync('sh', ['-c', '"$@" < "$AIP_PAYLOAD" > /dev/null && times', 'sh', ...argv], { cwd: root, env: { ...env, AIP_PAYLOAD: payloadFile }, encoding: 'utf8' });
      if (r.status !== 0 || r.stderr) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
      out = r.stdout;
    });
    return { wall, cpu: childCpu(out) };
  };
  const record = [process.execPath, CLI, 'record', '--agent', 'claude-code'];
  let call = 0;
  /** The command the agent runs: one line of one file rewritten. */
  const command = (): void => {
    const file = path.join(root, rel((call * 37) % FILES));
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^export const v7 = /m, `export const v7 = ${call} + `));
  };
  const repo = await Repository.open(root);
  const snapshots = new SnapshotStore(path.join(repo.store.dir, 'snapshots'));

  const rows: string[] = [];
  for (const tree of ['clean', 'work in progress'] as const) {
    if (tree === 'work in progress') {
      for (let i = 0; i < 50; i++) fs.appendFileSync(path.join(root, rel(5000 + i)), `// the user's line ${i}\n`);
      for (let i = 0; i < 50; i++) fs.writeFileSync(path.join(root, 'src', `d${i}`, `draft${i}.ts`), body(20_000 + i));
    }
    const s = { status: [] as Sample[], node: [] as Sample[], start: [] as Sample[], pre: [] as Sample[], post: [] as Sample[], inPre: [] as number[], inPost: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      s.status.push(measure(['git', 'status']));
      s.node.push(measure([process.execPath, '-e', '0']));
      // The CLI's start and a payload read, for a tool it does not follow.
      s.start.push(measure(record, payload('PostToolUse', call, 'Read')));
      call++;
      s.pre.push(measure(record, payload('PreToolUse', call)));
      command();
      s.post.push(measure(record, payload('PostToolUse', call)));
      call++;
      const key = { agent: 'claude-code', session: 'bench', toolUseId: `call-${call}` };
      s.inPre.push(await timeAsync(() => snapshotShell(repo, snapshots, key)));
      command();
      let problems: string[] = [];
      s.inPost.push(await timeAsync(async () => (problems = await recordShell(repo, snapshots, key))));
      if (problems.length) throw new Error(problems.join('; '));
    }
    const m = (xs: number[]): number => stats(xs.slice(WARM)).median;
    const wall = (xs: Sample[]): number => m(xs.map((x) => x.wall));
    // CPU: the mean, the ticks being coarse.
    const cpu = (xs: Sample[]): number => xs.slice(WARM).reduce((a, x) => a + x.cpu, 0) / (xs.length - WARM);
    const perCall = (f: (xs: Sample[]) => number): number => f(s.pre) + f(s.post);
    const work = m(s.inPre) + m(s.inPost);
    rows.push(
      `   ${tree}: git status ${wall(s.status).toFixed(0)} ms wall, ${cpu(s.status).toFixed(0)} ms CPU`,
      `     through the CLI, pre + post: ${wall(s.pre).toFixed(0)} + ${wall(s.post).toFixed(0)} = ${perCall(wall).toFixed(0)} ms wall, ${(perCall(wall) / wall(s.status)).toFixed(1)}x git status;` +
        ` ${cpu(s.pre).toFixed(0)} + ${cpu(s.post).toFixed(0)} = ${perCall(cpu).toFixed(0)} ms CPU, ${(perCall(cpu) / cpu(s.status)).toFixed(1)}x`,
      `       of which Node's start (node -e 0) ${wall(s.node).toFixed(0)} ms wall / ${cpu(s.node).toFixed(0)} ms CPU, and the CLI reading a payload it ignores ${wall(s.start).toFixed(0)} ms / ${cpu(s.start).toFixed(0)} ms, twice a call`,
      `     the snapshot and the record alone (in this process, wall): ${m(s.inPre).toFixed(0)} + ${m(s.inPost).toFixed(0)} = ${work.toFixed(0)} ms, ${(work / wall(s.status)).toFixed(2)}x git status`,
    );
  }
  fs.rmSync(payloadFile, { force: true });
  const regions = (await repo.status()).reduce((n, f) => n + f.regions.length, 0);
  fs.rmSync(root, { recursive: true, force: true });
  if (regions !== 4 * ROUNDS) throw new Error(`${regions} regions recorded, not ${4 * ROUNDS}`);
  console.log(`shell edits: one agent shell call (pre-tool hook, a one-line edit, post-tool hook) in a ${FILES.toLocaleString('en')}-file repository; medians of ${ROUNDS - WARM} calls (${regions} lines recorded, one a call):`);
  for (const row of rows) console.log(row);
}
