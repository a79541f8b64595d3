/**
 * `blame` and `stats`, each beside the git command it is built on, measured in the same run:
 *   - `blame` of a 5,000-line file with 300 commits of history (and a few uncommitted AI lines)
 *     beside `git blame --porcelain` of it, and `blame -M -C` beside git's;
 *   - `stats` over 1,000 commits beside `git log --numstat` of the range; and `stats` without a
 *     range (the whole history, and the tree's AI share by blame) beside the git work it does.
 * `npm run bench -- blame` or `npm run bench -- stats` runs one alone.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { recordFor, serializeMarkerFile } from '../src/core/markerFile';
import { emptyNote, hashLines, NOTES_REF, serializeNote, setFile } from '../src/core/note';
import { createRegion, lineSpan } from '../src/core/regions';
import { hashText, LineIndex } from '../src/core/text';
import { blameArgs } from '../src/store/blame';
import { statsLogArgs } from '../src/store/stats';
import { stats } from './stats';

const CLI = path.resolve(__dirname, '../../dist/cli.js');

/** A command line to measure: the program and its arguments. */
type Cmd = string[];

/**
 * Runs `cmds` one after another in a shell (output discarded), returning the wall time and the CPU
 * time (user + system of every process, from the shell's `times`, in 10 ms ticks). CPU time says
 * what the work costs without the waiting a loaded machine adds.
 */
function measure(cwd: string, env: NodeJS.ProcessEnv, cmds: Cmd[]): { wall: number; cpu: number } {
  const quote = (a: string): string => `'${a.replace(/'/g, `'\\''`)}'`;
  const script = `${cmds.map((c) => `${c.map(quote).join(' ')} > /dev/null`).join(' && ')} && times`;
  const t = process.hrtime.bigint();
  const r = spawnSync('sh', ['-c', script], { cwd, env, encoding: 'utf8', maxBuffer: 1 << 30 });
  const wall = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`${script.slice(0, 200)} exited ${r.status}: ${r.stderr}`);
  // The second line of `times`: the children's user and system time.
  const line = r.stdout.trim().split('\n').pop() ?? '';
  const cpu = [...line.matchAll(/(\d+)m([\d.]+)s/g)].reduce((ms, m) => ms + (Number(m[1]) * 60 + Number(m[2])) * 1000, 0);
  return { wall, cpu };
}

/** Deterministic pseudo-random numbers, so every run builds the same history. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function codeLine(rand: () => number, i: number): string {
  return `  const value${i} = compute(${Math.floor(rand() * 1e6)}, "${i.toString(36)}");`;
}

/** A repository whose history is written by one `git fast-import` (thousands of commits in seconds). */
class HistoryRepo {
  readonly root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aip-bench-history-')));
  readonly env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: this.root };
  private stream: string[] = [];
  private commits = 0;

  constructor() {
    this.git('init', '-q', '-b', 'main');
    this.git('config', 'user.email', 'bench@example.com');
    this.git('config', 'user.name', 'Bench');
  }

  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.root, env: this.env, encoding: 'utf8', maxBuffer: 1 << 30 });
  }

  /** Queues a commit on main setting these files' contents, by the given author. */
  commit(files: Record<string, string>, author = 'Bench <bench@example.com>'): void {
    const n = ++this.commits;
    const msg = `change ${n}\n`;
    const who = `${author} ${1700000000 + n * 60} +0000`;
    this.stream.push(`commit refs/heads/main\nmark :${n}\nauthor ${who}\ncommitter ${who}\ndata ${Buffer.byteLength(msg)}\n${msg}${n > 1 ? `from :${n - 1}\n` : ''}`);
    for (const [p, text] of Object.entries(files)) this.stream.push(`M 100644 inline ${p}\ndata ${Buffer.byteLength(text)}\n${text}\n`);
  }

  /** Writes the queued commits, checks main out, and returns the commit ids oldest first. */
  finish(): string[] {
    execFileSync('git', ['fast-import', '--quiet', '--done'], { cwd: this.root, env: this.env, input: this.stream.join('') + 'done\n', maxBuffer: 1 << 30 });
    this.stream = [];
    this.git('reset', '-q', '--hard', 'main');
    return this.git('rev-list', '--reverse', 'main').trim().split('\n');
  }

  /** All notes in one notes commit, as a busy notes ref holds them. */
  notes(notes: [string, string][]): void {
    let stream = `commit ${NOTES_REF}\ncommitter Bench <bench@example.com> now\ndata 5\nbench\n`;
    for (const [id, text] of notes) stream += `N inline ${id}\ndata ${Buffer.byteLength(text)}\n${text}\n`;
    execFileSync('git', ['fast-import', '--quiet', '--date-format=now'], { cwd: this.root, env: this.env, input: stream + 'done\n' });
  }

  /** Runs the bundled CLI and returns its stdout; it must exit 0. */
  cli(...args: string[]): string {
    const r = spawnSync(process.execPath, [CLI, ...args], { cwd: this.root, env: this.env, encoding: 'utf8', maxBuffer: 1 << 30 });
    if (r.status !== 0) throw new Error(`ai-provenance ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    return r.stdout;
  }

  dispose(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

/** A region of `lines` (1-based from..to) for a note, with its hashes. */
function noteRegion(lines: string[], id: string, from: number, to: number, tool: string, reviewed: boolean): ReturnType<typeof emptyNote>['files'][string][number] {
  const { hash, lines: hashes } = hashLines(lines, from, to);
  return { id, from, to, source: tool === 'copilot' ? 'inline' : 'agent', tool, author: 'bench@example.com', createdAt: '2026-01-01T00:00:00.000Z', hash, lines: hashes, reviews: reviewed ? [{ by: 'Bench <bench@example.com>', at: '2026-01-02T00:00:00.000Z', hash }] : [] };
}

/** Medians (wall and CPU) of interleaved rounds, the first dropped as warm-up, so machine load falls on all alike. */
function rounds(n: number, cwd: string, env: NodeJS.ProcessEnv, runs: Record<string, Cmd[]>): Record<string, { wall: number; cpu: number }> {
  const samples: Record<string, { wall: number[]; cpu: number[] }> = {};
  for (let i = 0; i < n; i++) {
    for (const [name, cmds] of Object.entries(runs)) {
      const m = measure(cwd, env, cmds);
      const s = (samples[name] ??= { wall: [], cpu: [] });
      s.wall.push(m.wall);
      s.cpu.push(m.cpu);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([name, s]) => [name, { wall: stats(s.wall.slice(1)).median, cpu: stats(s.cpu.slice(1)).median }]));
}

/** `a` beside `b`: both figures and the ratio, wall time and CPU time. */
function beside(a: { wall: number; cpu: number }, b: { wall: number; cpu: number }): string {
  return `wall ${a.wall.toFixed(0)} vs ${b.wall.toFixed(0)} ms (${(a.wall / b.wall).toFixed(2)}x), CPU ${a.cpu.toFixed(0)} vs ${b.cpu.toFixed(0)} ms (${(a.cpu / b.cpu).toFixed(2)}x)`;
}

export function benchBlame(): void {
  const repo = new HistoryRepo();
  const rand = rng(7);
  const rel = 'src/big.ts';
  const COMMITS = 300;
  // 4,103 lines, then 299 commits each inserting 3 AI lines (by its note; every other one reviewed)
  // somewhere and editing 2 lines by hand: 5,000 lines with 300 commits of history.
  let lines = Array.from({ length: 4103 }, (_, i) => codeLine(rand, i));
  repo.commit({ [rel]: lines.join('\n') + '\n' });
  const regions: [number, number][] = [];
  for (let c = 1; c < COMMITS; c++) {
    const at = Math.floor(rand() * lines.length);
    lines.splice(at, 0, ...Array.from({ length: 3 }, (_, k) => `${codeLine(rand, 10_000 + c * 3 + k)} // ai ${c}`));
    for (let k = 0; k < 2; k++) lines[Math.floor(rand() * lines.length)] += ` // edit ${c}`;
    repo.commit({ [rel]: lines.join('\n') + '\n' });
    regions.push([at + 1, at + 3]);
  }
  const ids = repo.finish();
  // The notes, built from each commit's own version of the file.
  const notes: [string, string][] = ids.map((id, i) => {
    const note = emptyNote('ai-provenance bench');
    if (i > 0) {
      const [from, to] = regions[i - 1];
      const text = repo.git('show', `${id}:${rel}`).split('\n');
      setFile(note.files, rel, [noteRegion(text, `b${i}`, from, to, i % 3 ? 'copilot' : 'claude-code', i % 2 === 0)]);
    }
    return [id, serializeNote(note)];
  });
  repo.notes(notes);
  // Uncommitted: 5 AI lines typed into the working tree, with their marker.
  lines = repo.git('show', `HEAD:${rel}`).split('\n');
  lines.splice(100, 0, ...Array.from({ length: 5 }, (_, k) => `${codeLine(rand, 90_000 + k)} // uncommitted ai`));
  const text = lines.join('\n');
  fs.writeFileSync(path.join(repo.root, rel), text);
  const index = new LineIndex(text);
  const storeDir = path.join(repo.root, '.git', 'ai-provenance', 'files');
  fs.mkdirSync(storeDir, { recursive: true });
  fs.writeFileSync(path.join(storeDir, `${hashText(rel)}.json`), serializeMarkerFile(recordFor(rel, text, [createRegion({ source: 'chat', tool: 'copilot', ...lineSpan(index, 101, 105) })], 1)));

  const parsed = JSON.parse(repo.cli('blame', rel, '--json')) as { lines: { ai: boolean; commit: string | null }[] };
  const ai = parsed.lines.filter((l) => l.ai).length;
  const uncommitted = parsed.lines.filter((l) => l.commit === null).length;
  const cli = (...args: string[]): Cmd => [process.execPath, CLI, ...args];
  const m = rounds(8, repo.root, repo.env, {
    ours: [cli('blame', rel)],
    json: [cli('blame', rel, '--json')],
    plain: [['git', 'blame', '--porcelain', '--', rel]],
    oursMoves: [cli('blame', '-M', '-C', rel)],
    moves: [['git', 'blame', '--porcelain', '-M', '-C', '--', rel]],
    node: [[process.execPath, '-e', '0']],
  });
  repo.dispose();
  console.log(`blame of a ${parsed.lines.length.toLocaleString('en-US')}-line file with ${ids.length} commits of history (${ai} AI lines, ${uncommitted} uncommitted; the bundled CLI; target within 1.5x):`);
  console.log(`   beside git blame --porcelain of it: ${beside(m.ours, m.plain)}; --json ${beside(m.json, m.plain)}`);
  console.log(`   blame -M -C beside git blame --porcelain -M -C: ${beside(m.oursMoves, m.moves)}`);
  console.log(`   (following moves and copies costs git ${(m.moves.cpu / m.plain.cpu).toFixed(2)}x CPU; node -e 0: wall ${m.node.wall.toFixed(0)} ms, CPU ${m.node.cpu.toFixed(0)} ms)`);
}

export function benchStats(): void {
  const repo = new HistoryRepo();
  const rand = rng(11);
  const FILES = 100;
  const COMMITS = 1000;
  const rel = (f: number): string => `src/${f % 10}/module${f}.ts`;
  const contents = Array.from({ length: FILES }, (_, f) => Array.from({ length: 60 }, (_, i) => codeLine(rand, f * 1000 + i)));
  repo.commit(Object.fromEntries(contents.map((c, f) => [rel(f), c.join('\n') + '\n'])));
  // 1,000 commits, each inserting 6 lines into two files, 3 of them AI by its note (one tool in
  // three is claude-code, every other region reviewed), and editing one line by hand; two authors.
  const changes: { f: number; at: number }[][] = [];
  for (let c = 0; c < COMMITS; c++) {
    const touched = [c % FILES, (c * 7 + 3) % FILES].map((f) => {
      const at = Math.floor(rand() * contents[f].length);
      contents[f].splice(at, 0, ...Array.from({ length: 6 }, (_, k) => `${codeLine(rand, 100_000 + c * 6 + k)} // c${c}`));
      contents[f][Math.floor(rand() * contents[f].length)] += ` // edit ${c}`;
      return { f, at };
    });
    changes.push(touched);
    repo.commit(Object.fromEntries(touched.map(({ f }) => [rel(f), contents[f].join('\n') + '\n'])), c % 4 ? 'Bench <bench@example.com>' : 'Other <other@example.com>');
  }
  const ids = repo.finish();
  const files = new Map<string, string[]>();
  const blobs = (id: string, p: string): string[] => {
    const key = `${id}:${p}`;
    if (!files.has(key)) files.set(key, repo.git('show', key).split('\n'));
    return files.get(key)!;
  };
  repo.notes(
    ids.slice(1).map((id, c) => {
      const note = emptyNote('ai-provenance bench');
      for (const { f, at } of changes[c]) {
        // The two files of a commit always differ (c % 100 and (7c + 3) % 100 never meet).
        setFile(note.files, rel(f), [noteRegion(blobs(id, rel(f)), `s${c}-${f}`, at + 2, at + 4, c % 3 ? 'copilot' : 'claude-code', c % 2 === 0)]);
      }
      return [id, serializeNote(note)];
    }),
  );
  const base = ids[0];
  const head = ids[ids.length - 1];
  const range = `${base}..${head}`;
  const figures = JSON.parse(repo.cli('stats', range, '--json')) as { commits: number; addedLines: number; aiLines: number };
  const whole = JSON.parse(repo.cli('stats', '--json')) as { tree: { lines: number; aiLines: number } };
  const cli = (...args: string[]): Cmd => [process.execPath, CLI, ...args];
  const page = path.join(repo.root, '..', `${path.basename(repo.root)}-report.html`);
  const m = rounds(8, repo.root, repo.env, {
    ours: [cli('stats', range, '--json')],
    report: [cli('report', range, '--html', page)],
    numstat: [['git', 'log', '--numstat', range]],
    same: [['git', ...statsLogArgs([head, `^${base}`])]],
    node: [[process.execPath, '-e', '0']],
  });
  const w = rounds(3, repo.root, repo.env, {
    whole: [cli('stats', '--json')],
    wholeReport: [cli('report', '--html', page)],
    gitWork: [['git', ...statsLogArgs([head])], ...Array.from({ length: FILES }, (_, f): Cmd => ['git', ...blameArgs(rel(f), { rev: head })])],
  });
  repo.dispose();
  fs.rmSync(page, { force: true });
  console.log(`stats over ${figures.commits.toLocaleString('en-US')} commits (${figures.addedLines.toLocaleString('en-US')} lines added, ${figures.aiLines.toLocaleString('en-US')} AI; the bundled CLI; target within 3x):`);
  console.log(`   beside git log --numstat of the range: ${beside(m.ours, m.numstat)}`);
  console.log(`   (beside the log as stats runs it, -z -M with authors: ${beside(m.ours, m.same)}; node -e 0: wall ${m.node.wall.toFixed(0)} ms, CPU ${m.node.cpu.toFixed(0)} ms)`);
  console.log(`   stats without a range (the whole history, and the AI share of HEAD's tree by blame of ${FILES} files: ${whole.tree.aiLines.toLocaleString('en-US')} of ${whole.tree.lines.toLocaleString('en-US')} lines):`);
  console.log(`   beside that log and git blame of the ${FILES} files one after another: ${beside(w.whole, w.gitWork)} (stats blames ${Math.max(2, os.cpus().length)} at a time)`);
  console.log(`report --html beside stats --json: of the range (stats, and verify's blame of the files it changed): ${beside(m.report, m.ours)}; without a range (nothing more to read): ${beside(w.wholeReport, w.whole)}`);
}
