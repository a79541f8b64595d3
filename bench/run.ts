/**
 * `npm run bench`: the engine's figures, each beside a baseline measured in the same run.
 *   1. moving 1,000 regions through one single-character edit in a 10,000-line file, in place and by copying;
 *   2. re-anchoring a 50,000-line file with 500 regions after an outside edit, beside `git diff --no-index`;
 *   3. `check --staged` with 200 staged files and 2,000 regions, beside `node -e 0`;
 *   4. the commit hooks on a 200-file commit with 2,000 regions: post-commit storing the note the gate prepared, and
 *      building it itself, and the gate preparing it, beside `node -e 0` and the CLI's own start;
 *   5. `verify` over 100 commits touching 500 files, beside `git blame` of the same files, as verify runs it;
 *   6. sharing notes (`notes push`, `notes fetch`) beside plain `git push`/`git fetch` of the ref;
 *   7. an agent's shell call (the pre- and post-tool hooks) in a 10,000-file repository, beside `git status` (bench/shell.ts);
 *   8. one agent hook call through the portable command, beside the direct command earlier versions wrote (bench/agentHooks.ts);
 *   and `blame` and `stats` beside the git commands they build on (bench/history.ts).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { recordFor, serializeMarkerFile } from '../src/core/markerFile';
import { emptyNote, hashLines, NOTES_REF, serializeNote, setFile } from '../src/core/note';
import { blameArgs } from '../src/store/blame';
import { reanchor } from '../src/core/reanchor';
import { createRegion, lineSpan, Region, rehash, review } from '../src/core/regions';
import { DocumentRegions } from '../src/core/documentRegions';
import { RegionTable } from '../src/core/regionTable';
import { shiftRegions } from '../src/core/shift';
import { hashText, lineHashes, LineIndex } from '../src/core/text';
import { benchAgentHooks } from './agentHooks';
import { benchBlame, benchStats } from './history';
import { benchShare } from './share';
import { benchShell } from './shell';
import { stats } from './stats';

const CLI = path.resolve(__dirname, '../../dist/cli.js');

function time(fn: () => void): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

/** Deterministic pseudo-random numbers, so every run measures the same workload. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function sourceLines(n: number, seed: number): string[] {
  const rand = rng(seed);
  return Array.from({ length: n }, (_, i) => `  const value${i} = compute(${Math.floor(rand() * 1e6)}, "${i.toString(36)}");`);
}

/** A fresh repository in a temporary folder, with its own HOME and an identity; `g` runs git in it. */
function benchRepo(prefix: string): { root: string; env: NodeJS.ProcessEnv; g: (...args: string[]) => string } {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: root };
  const g = (...args: string[]): string => execFileSync('git', args, { cwd: root, env, encoding: 'utf8', maxBuffer: 256 << 20 });
  g('init', '-q', '-b', 'main');
  g('config', 'user.email', 'bench@example.com');
  g('config', 'user.name', 'Bench');
  return { root, env, g };
}

function benchShift(): void {
  const lines = sourceLines(10_000, 1);
  // `move` applies one change to the 1,000 regions, either way the code can.
  const measure = (text: string, how: 'document' | 'table' | 'copy'): number[] => {
    let current: Region[] = [];
    for (let i = 0; i < 1000; i++) current.push(createRegion({ source: 'inline', start: { line: i * 10, character: 2 }, end: { line: i * 10 + 3, character: 10 } }));
    const table = new RegionTable(current);
    const doc = new DocumentRegions(current, lines.join('\n'));
    const after = { lineAt: (l: number) => lines[l % lines.length], text: () => lines.join('\n') };
    const none: never[] = [];
    const rand = rng(2);
    const samples: number[] = [];
    for (let i = 0; i < 7_000; i++) {
      const line = Math.floor(rand() * lines.length);
      const character = Math.floor(rand() * 20);
      const changes = [{ start: { line, character }, end: { line, character }, text }];
      const ms = time(
        how === 'document'
          ? () => void doc.edit(changes, 'edit', none, after, '')
          : how === 'table'
            ? () => {
                if (table.canShift(changes)) table.shift(changes);
              }
            : () => {
                current = shiftRegions(current, changes);
              },
      );
      if (i >= 1000) samples.push(ms * 1000); // after warm-up, in µs
    }
    return samples;
  };
  console.log(`1. move 1,000 regions through one keystroke in a 10,000-line file (18,000 edits each, in three rounds taken in turn; target < 20 µs per edit):`);
  const ways = [['in place (RegionTable, the regions alone)', 'table'], ['DocumentRegions (what the editor does: in place, and the lines of the text kept current)', 'document'], ['copying (shiftRegions)', 'copy']] as const;
  // Rounds in turn, each starting with a different way, so warm-up and machine load fall on all alike.
  const samples = new Map<string, number[]>();
  for (let round = 0; round < 3; round++) {
    for (let k = 0; k < ways.length; k++) {
      const how = ways[(k + round) % ways.length][1];
      for (const text of ['x', '\n']) samples.set(how + text, [...(samples.get(how + text) ?? []), ...measure(text, how)]);
    }
  }
  for (const [name, how] of ways) {
    const typed = stats(samples.get(how + 'x')!);
    const enter = stats(samples.get(how + '\n')!);
    console.log(`   ${name}:`);
    console.log(`     a character: median ${typed.median.toFixed(2)} µs, p99 ${typed.p99.toFixed(2)} µs`);
    console.log(`     Enter (moves every later region): median ${enter.median.toFixed(2)} µs, p99 ${enter.p99.toFixed(2)} µs`);
  }
}

function benchReanchor(): void {
  const before = sourceLines(50_000, 3);
  const after = [...before];
  const rand = rng(4);
  // An outside edit: a block inserted near the top, lines deleted and changed throughout, a block moved.
  after.splice(100, 0, ...sourceLines(40, 5).map((l) => `// new ${l}`));
  for (let k = 0; k < 30; k++) after.splice(Math.floor(rand() * after.length), 1);
  for (let k = 0; k < 30; k++) after[Math.floor(rand() * after.length)] += ' // edited';
  const moved = after.splice(30_000, 50);
  after.splice(5_000, 0, ...moved);
  const beforeText = before.join('\n') + '\n';
  const afterText = after.join('\n') + '\n';
  const index = new LineIndex(beforeText);
  const regions: Region[] = [];
  for (let i = 0; i < 500; i++) regions.push(createRegion({ source: 'agent', ...lineSpan(index, i * 100 + 1, i * 100 + 6) }));
  const oldHashes = lineHashes(beforeText);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aip-bench-'));
  fs.writeFileSync(path.join(dir, 'a'), beforeText);
  fs.writeFileSync(path.join(dir, 'b'), afterText);
  const ours: number[] = [];
  const git: number[] = [];
  const compare: number[] = [];
  let kept = 0;
  const gitDiff = (...flags: string[]) => spawnSync('git', ['diff', '--no-index', ...flags, path.join(dir, 'a'), path.join(dir, 'b')], { maxBuffer: 64 << 20 });
  for (let i = 0; i < 15; i++) {
    ours.push(time(() => {
      kept = reanchor(regions, oldHashes, new LineIndex(afterText)).length;
    }));
    // The diff itself, read from git's stdout; --quiet would only compare the files (git stops at
    // the first difference and computes no diff), which is printed for reference.
    git.push(time(() => gitDiff()));
    compare.push(time(() => gitDiff('--quiet')));
  }
  fs.rmSync(dir, { recursive: true, force: true });
  const o = stats(ours.slice(3)).median;
  const g = stats(git.slice(3)).median;
  const q = stats(compare.slice(3)).median;
  console.log('2. re-anchor a 50,000-line file with 500 regions after an outside edit (hashing the new text included):');
  console.log(`   ours ${o.toFixed(1)} ms, git diff --no-index ${g.toFixed(1)} ms: ratio ${(o / g).toFixed(2)}x (target within 3x); ${kept} regions kept`);
  console.log(`   (git diff --no-index --quiet, which only compares the files: ${q.toFixed(1)} ms)`);
}

function benchCheck(): void {
  const { root, env, g } = benchRepo('aip-bench-repo-');
  // An ordinary commit, not the repository's first (which costs git one more call).
  fs.writeFileSync(path.join(root, 'README.md'), 'bench\n');
  g('add', 'README.md');
  g('commit', '-q', '-m', 'start');
  const storeDir = path.join(root, '.git', 'ai-provenance', 'files');
  fs.mkdirSync(storeDir, { recursive: true });
  for (let f = 0; f < 200; f++) {
    const rel = `src/module${f}.ts`;
    const text = sourceLines(150, 100 + f).join('\n') + '\n';
    fs.mkdirSync(path.join(root, 'src'), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
    const index = new LineIndex(text);
    const regions = Array.from({ length: 10 }, (_, k) => createRegion({ source: 'inline', ...lineSpan(index, k * 15 + 1, k * 15 + 4) }));
    fs.writeFileSync(path.join(storeDir, `${hashText(rel)}.json`), serializeMarkerFile(recordFor(rel, text, regions, 1)));
  }
  g('add', '-A');
  const runCheck = (): number => time(() => {
    const r = spawnSync(process.execPath, [CLI, 'check', '--staged', '--quiet'], { cwd: root, env, encoding: 'utf8' });
    if (r.status !== 1) throw new Error(`check exited ${r.status}: ${r.stderr}`);
  });
  const runNode = (): number => time(() => {
    spawnSync(process.execPath, ['-e', '0'], { env });
  });
  const ours: number[] = [];
  const node: number[] = [];
  for (let i = 0; i < 12; i++) {
    ours.push(runCheck());
    node.push(runNode());
  }
  fs.rmSync(root, { recursive: true, force: true });
  const o = stats(ours.slice(2)).median;
  const n = stats(node.slice(2)).median;
  console.log('3. check --staged, 200 staged files with 2,000 regions (wall time of the bundled CLI):');
  console.log(`   ${o.toFixed(0)} ms beside node -e 0 at ${n.toFixed(0)} ms: ${(o - n).toFixed(0)} ms above Node's start-up, ratio ${(o / n).toFixed(2)}x (target within 100 ms)`);
}

function benchPostCommit(): void {
  const { root, env, g } = benchRepo('aip-bench-repo-');
  fs.mkdirSync(path.join(root, 'src'), { recursive: true });
  const files = Array.from({ length: 200 }, (_, f) => ({ rel: `src/module${f}.ts`, lines: sourceLines(150, 300 + f) }));
  for (const f of files) fs.writeFileSync(path.join(root, f.rel), f.lines.join('\n') + '\n');
  g('add', '-A');
  g('commit', '-q', '-m', 'start');
  // The measured commit changes every file: 4 AI lines inserted at 10 places each (2,000 regions,
  // reviewed, so the gate lets the commit through), so the note diffs 200 modified files against
  // the parent, not only new ones.
  const storeDir = path.join(root, '.git', 'ai-provenance', 'files');
  fs.mkdirSync(storeDir, { recursive: true });
  files.forEach((f, n) => {
    const lines = [...f.lines];
    for (let k = 9; k >= 0; k--) lines.splice(k * 15, 0, ...sourceLines(4, 9000 + n * 10 + k).map((l) => `${l} // ai`));
    const text = lines.join('\n') + '\n';
    fs.writeFileSync(path.join(root, f.rel), text);
    const index = new LineIndex(text);
    const regions = Array.from({ length: 10 }, (_, k) => createRegion({ source: 'inline', tool: 'copilot', ...lineSpan(index, k * 19 + 1, k * 19 + 4) }));
    fs.writeFileSync(path.join(storeDir, `${hashText(f.rel)}.json`), serializeMarkerFile(recordFor(f.rel, text, review(rehash(regions, index), index, 'bench@example.com'), 1)));
  });
  g('add', '-A');
  execFileSync(process.execPath, [CLI, 'hook', 'install'], { cwd: root, env });
  const hooks = path.join(root, '.git', 'hooks');
  // The commit, made through both hooks; then HEAD goes back and forth between it and its parent.
  g('commit', '-q', '-m', 'ai');
  const commit = g('rev-parse', 'HEAD').trim();
  const parent = g('rev-parse', 'HEAD^').trim();
  const pending = path.join(root, '.git', 'ai-provenance', 'pending-note');
  const noteOf = (): string => g('notes', '--ref=ai-provenance', 'show', 'HEAD');
  // Each run writes the note afresh: a note already there would be merged with, and its objects,
  // left from the run before, would not be written again as a new commit's note is (pruning them
  // goes before the gate, which writes the prepared note's blob).
  const forgetNote = (): void => {
    g('update-ref', '-d', 'refs/notes/ai-provenance');
    g('prune', '--expire=now');
  };
  // Each measure is the wall time of one process tree and its CPU time (user + system of the shell,
  // Node and every git process, from the shell's `times`). With `trace`, git writes a line for each
  // git process it starts there (GIT_TRACE2), to count them.
  const measure = (argv: string[], trace?: string): { ms: number; cpu: number } => {
    let cpu = 0;
    const ms = time(() => {
      const r = spawnSync('sh', ['-c', '"$@" && times', 'sh', ...argv], { cwd: root, env: trace ? { ...env, GIT_TRACE2: trace } : env, encoding: 'utf8' });
      if (r.status !== 0 || r.stderr) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
      cpu = childCpu(r.stdout);
    });
    return { ms, cpu };
  };
  const ways = {
    node: (trace?: string) => measure([process.execPath, '-e', '0'], trace),
    // The CLI's start-up alone: Node, reading and compiling the bundle, its top-level code.
    cli: (trace?: string) => measure([process.execPath, CLI, '--version'], trace),
    // The gate, which prepares the note the commit will get (HEAD on the parent, as during `git commit`).
    pre: (trace?: string) => {
      forgetNote(); // The note blob the gate writes is then new, as a new commit's is.
      g('update-ref', 'HEAD', parent);
      try {
        return measure([path.join(hooks, 'pre-commit')], trace);
      } finally {
        g('update-ref', 'HEAD', commit);
      }
    },
    // post-commit as a commit through the gate runs it: the prepared note is stored.
    post: (trace?: string) => {
      if (!fs.existsSync(pending)) throw new Error('the gate prepared no note');
      g('update-ref', '-d', 'refs/notes/ai-provenance'); // Not pruned: that would take the gate's blob.
      return measure([path.join(hooks, 'post-commit')], trace);
    },
    // post-commit after `commit --no-verify`: no prepared note, so it builds the note itself.
    built: (trace?: string) => {
      fs.rmSync(pending, { force: true });
      forgetNote();
      return measure([path.join(hooks, 'post-commit')], trace);
    },
  };
  type Way = keyof typeof ways;
  const trace = path.join(root, '.git', 'bench-trace');
  const gitProcesses = (w: Way): number => {
    fs.rmSync(trace, { force: true });
    ways[w](trace);
    return fs.existsSync(trace) ? fs.readFileSync(trace, 'utf8').split('\n').filter((l) => / start /.test(l)).length : 0;
  };
  const order: Way[] = ['node', 'cli', 'pre', 'post', 'built'];
  const samples = new Map<Way, { ms: number; cpu: number }[]>(order.map((w) => [w, []]));
  let prepared = '';
  let built = '';
  for (let i = 0; i < 12; i++) {
    for (const w of order) {
      samples.get(w)!.push(ways[w]());
      if (w === 'post') prepared = noteOf();
      if (w === 'built') built = noteOf();
    }
  }
  const processes = { pre: gitProcesses('pre'), post: gitProcesses('post'), built: gitProcesses('built') };
  fs.rmSync(root, { recursive: true, force: true });
  const note = JSON.parse(prepared) as { files: Record<string, { reviews: unknown[] }[]> };
  const regions = Object.values(note.files).flat();
  if (regions.length !== 2000 || regions.some((r) => r.reviews.length !== 1)) throw new Error(`the note holds ${regions.length} regions, not 2,000 reviewed ones`);
  if (prepared !== built) throw new Error('the prepared note and the note post-commit builds itself differ');
  // The first two rounds warm the caches; medians of the other ten (CPU: their mean, the shell's
  // `times` counting in 10 ms ticks).
  const wall = (w: Way): number => stats(samples.get(w)!.slice(2).map((x) => x.ms)).median;
  const cpu = (w: Way): number => samples.get(w)!.slice(2).reduce((a, x) => a + x.cpu, 0) / (samples.get(w)!.length - 2);
  const line = (w: Way, what: string): string =>
    `   ${what}: ${wall(w).toFixed(0)} ms wall (+${(wall(w) - wall('node')).toFixed(0)} over node -e 0), ${cpu(w).toFixed(0)} ms CPU (+${(cpu(w) - cpu('node')).toFixed(0)})` +
    (w in processes ? `; ${processes[w as keyof typeof processes]} git processes` : '');
  console.log('4. the commit hooks on a 200-file commit with 2,000 reviewed AI regions (sh, the bundled CLI, every git process; the note written and checked):');
  console.log(`   node -e 0: ${wall('node').toFixed(0)} ms wall, ${cpu('node').toFixed(0)} ms CPU`);
  console.log(line('post', 'post-commit, storing the note the gate prepared (target within 50 ms of node -e 0)'));
  console.log(line('cli', '   of which the CLI\'s start (ai-provenance --version)'));
  console.log(line('built', 'post-commit building the note itself (after commit --no-verify)'));
  console.log(line('pre', 'pre-commit: the gate, preparing the note'));
}

/** The children's user + system time from the second line of the shell's `times`, in ms. */
function childCpu(times: string): number {
  const line = times.trim().split('\n').pop() ?? '';
  return [...line.matchAll(/(\d+)m([\d.]+)s/g)].reduce((ms, m) => ms + (Number(m[1]) * 60 + Number(m[2])) * 1000, 0);
}

/** Runs `jobs` commands `width` at a time; resolves when all exited (each must exit 0). */
function runPool(jobs: string[][], cwd: string, env: NodeJS.ProcessEnv, width: number): Promise<void> {
  let next = 0;
  const one = (): Promise<void> =>
    new Promise((resolve, reject) => {
      if (next >= jobs.length) return resolve();
      const args = jobs[next++];
      const child = spawn('git', args, { cwd, env, stdio: ['ignore', 'ignore', 'inherit'] });
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? one().then(resolve, reject) : reject(new Error(`git ${args.join(' ')} exited ${code}`))));
    });
  return Promise.all(Array.from({ length: width }, one)).then(() => undefined);
}

async function benchVerify(): Promise<void> {
  const { root, env, g } = benchRepo('aip-bench-verify-');
  const FILES = 500;
  const COMMITS = 100;
  const contents: string[][] = [];
  for (let f = 0; f < FILES; f++) {
    contents.push(sourceLines(60, 500 + f));
    fs.mkdirSync(path.join(root, 'src', String(f % 20)), { recursive: true });
  }
  const rel = (f: number): string => `src/${f % 20}/module${f}.ts`;
  const writeFile = (f: number): void => fs.writeFileSync(path.join(root, rel(f)), contents[f].join('\n') + '\n');
  for (let f = 0; f < FILES; f++) writeFile(f);
  g('add', '-A');
  g('commit', '-q', '-m', 'base');
  const base = g('rev-parse', 'HEAD').trim();
  // 100 commits, each adding 8 lines (half of them AI-written, per its note) to 5 files: 500 files in all.
  const notes: string[] = [];
  for (let c = 0; c < COMMITS; c++) {
    const note = emptyNote('ai-provenance bench');
    for (let k = 0; k < FILES / COMMITS; k++) {
      const f = c * (FILES / COMMITS) + k;
      const at = 10 + (c % 40);
      contents[f].splice(at, 0, ...sourceLines(8, 10_000 + f).map((l) => `${l} // commit ${c}`));
      writeFile(f);
      const { hash, lines } = hashLines(contents[f], at + 1, at + 4);
      setFile(note.files, rel(f), [{ id: `b${c}-${k}`, from: at + 1, to: at + 4, source: 'inline', tool: 'copilot', author: 'bench@example.com', createdAt: '2026-01-01T00:00:00.000Z', hash, lines, reviews: [] }]);
    }
    g('add', '-A');
    g('commit', '-q', '-m', `change ${c}`);
    notes.push(serializeNote(note));
  }
  const commits = g('rev-list', '--reverse', `${base}..HEAD`).trim().split('\n');
  // All notes in one notes commit through fast-import, as a busy notes ref would hold them.
  let stream = `commit ${NOTES_REF}\ncommitter Bench <bench@example.com> now\ndata 5\nbench\n`;
  commits.forEach((id, i) => (stream += `N inline ${id}\ndata ${Buffer.byteLength(notes[i])}\n${notes[i]}\n`));
  execFileSync('git', ['fast-import', '--quiet', '--date-format=now'], { cwd: root, env, input: stream + 'done\n' });
  const head = commits[commits.length - 1];
  const files = Array.from({ length: FILES }, (_, f) => rel(f));
  const blames = files.map((p) => blameArgs(p, { rev: head, exclude: base }));
  const width = Math.max(2, os.cpus().length);

  const ours: number[] = [];
  const sequential: number[] = [];
  const parallel: number[] = [];
  let aiLines = 0;
  // Few rounds: each is 1,500 git processes; the first warms the caches and is dropped.
  for (let i = 0; i < 4; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [CLI, 'verify', `${base}..${head}`, '--json'], { cwd: root, env, encoding: 'utf8', maxBuffer: 64 << 20 });
    if (r.status !== 1) throw new Error(`verify exited ${r.status}: ${r.stderr}`);
    ours.push(Number(process.hrtime.bigint() - t0) / 1e6);
    aiLines = (JSON.parse(r.stdout) as { aiLines: number }).aiLines;
    sequential.push(time(() => {
      for (const args of blames) execFileSync('git', args, { cwd: root, env, maxBuffer: 64 << 20 });
    }));
    const t1 = process.hrtime.bigint();
    await runPool(blames, root, env, width);
    parallel.push(Number(process.hrtime.bigint() - t1) / 1e6);
  }
  fs.rmSync(root, { recursive: true, force: true });
  const o = stats(ours.slice(1)).median;
  const s1 = stats(sequential.slice(1)).median;
  const p = stats(parallel.slice(1)).median;
  console.log(`5. verify over ${COMMITS} commits touching ${FILES} files (${aiLines} AI lines found, none reviewed; wall time of the bundled CLI):`);
  console.log(`   ${o.toFixed(0)} ms beside git blame (--incremental, as verify runs it) of the same ${FILES} files, ${width} at a time, at ${p.toFixed(0)} ms: ratio ${(o / p).toFixed(2)}x (target within 2x)`);
  console.log(`   (the same blames one after another: ${s1.toFixed(0)} ms, ratio ${(o / s1).toFixed(2)}x)`);
}

if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing; run npm run build first`);
console.log(`AI Provenance benchmarks (node ${process.version}, ${os.cpus().length} cores)\n`);
// `npm run bench -- shift` (or reanchor, check, postcommit, blame, stats, verify, share, shell, agenthooks) runs one benchmark.
const only = process.argv[2];
if (!only || only === 'shift') benchShift();
if (!only || only === 'reanchor') benchReanchor();
if (!only || only === 'check') benchCheck();
if (!only || only === 'postcommit') benchPostCommit();
if (!only || only === 'blame') benchBlame();
if (!only || only === 'stats') benchStats();
void (async () => {
  // One after another: the asynchronous ones must not share the machine with the next.
  if (!only || only === 'verify') await benchVerify();
  if (!only || only === 'share') benchShare();
  if (!only || only === 'shell') await benchShell();
  if (!only || only === 'agenthooks') benchAgentHooks();
})();
