/**
 * Sharing notes: `ai-provenance notes push` / `notes fetch` beside plain `git push` / `git fetch` of
 * the notes ref, same run, same repositories (1,000 noted commits, a local bare remote), each
 * measured after one new note so that every push and fetch has something to move.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stats } from './stats';

const CLI = path.resolve(__dirname, '../../dist/cli.js');
const REF = 'refs/notes/ai-provenance';

function time(fn: () => void): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

export function benchShare(): void {
  const top = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aip-bench-share-')));
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: top };
  const g = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const remote = path.join(top, 'remote.git');
  const a = path.join(top, 'a');
  const b = path.join(top, 'b');
  g(top, 'init', '-q', '--bare', remote);
  g(top, 'init', '-q', a);
  for (const [k, v] of [['user.email', 'bench@example.com'], ['user.name', 'Bench']]) g(a, 'config', k, v);
  // 1,000 commits, each with a note, made in one fast-import stream.
  let stream = '';
  const note = (i: number): string => JSON.stringify({ version: 1, writer: 'bench', files: { [`src/m${i}.ts`]: [{ id: `r${i}`, from: 1, to: 1, source: 'inline', tool: 'copilot', author: 'bench@example.com', createdAt: '2026-11-26T15:00:00.000Z', hash: '0000000000a', lines: ['0000000000a'], reviews: [] }] } });
  for (let i = 1; i <= 1000; i++) {
    const content = `export const m${i} = ${i};\n`;
    stream += `blob\nmark :${i}\ndata ${Buffer.byteLength(content)}\n${content}`;
    stream += `commit refs/heads/main\nmark :${100000 + i}\ncommitter Bench <bench@example.com> ${1700000000 + i} +0000\ndata 2\nc\n${i > 1 ? `from :${100000 + i - 1}\n` : ''}M 100644 :${i} src/m${i}.ts\n`;
  }
  for (let i = 1; i <= 1000; i++) {
    const text = note(i);
    stream += `commit ${REF}\ncommitter Bench <bench@example.com> ${1700002000 + i} +0000\ndata 2\nn\nN inline :${100000 + i}\ndata ${Buffer.byteLength(text)}\n${text}\n`;
  }
  execFileSync('git', ['fast-import', '--quiet'], { cwd: a, env, input: stream });
  g(a, 'remote', 'add', 'origin', remote);
  g(a, 'push', '-q', 'origin', 'main', REF);
  g(top, 'clone', '-q', remote, b);
  for (const [k, v] of [['user.email', 'bench@example.com'], ['user.name', 'Bench']]) g(b, 'config', k, v);
  g(b, 'fetch', '-q', 'origin', `+${REF}:${REF}`);
  const commits = g(a, 'rev-list', 'main').trim().split('\n');
  let n = 0;
  /** One new note on the next commit in `cwd` (a review added, say). */
  const addNote = (cwd: string): void => {
    const commit = commits[n++ % commits.length];
    g(cwd, 'notes', `--ref=${REF}`, 'add', '-f', '-m', note(5000 + n), commit);
  };
  const cli = (cwd: string, ...args: string[]): void => {
    const r = spawnSync(process.execPath, [CLI, ...args], { cwd, env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`ai-provenance ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  };
  const ours = { push: [] as number[], fetch: [] as number[], merge: [] as number[], start: [] as number[] };
  const plain = { push: [] as number[], fetch: [] as number[] };
  for (let i = 0; i < 12; i++) {
    addNote(a);
    ours.push.push(time(() => cli(a, 'notes', 'push', 'origin')));
    addNote(a);
    plain.push.push(time(() => g(a, 'push', '-q', 'origin', REF)));
    // b fetches what a pushed: a fast-forward of its notes.
    ours.fetch.push(time(() => cli(b, 'notes', 'fetch', 'origin')));
    addNote(a);
    g(a, 'push', '-q', 'origin', REF);
    plain.fetch.push(time(() => g(b, 'fetch', '-q', 'origin', `+${REF}:refs/notes/plain`)));
    // b noted something too: the fetch has to merge (the concurrent case).
    addNote(a);
    g(a, 'push', '-q', 'origin', REF);
    addNote(b);
    ours.merge.push(time(() => cli(b, 'notes', 'fetch', 'origin')));
    ours.start.push(time(() => cli(b, '--version')));
  }
  fs.rmSync(top, { recursive: true, force: true });
  const m = (xs: number[]): number => stats(xs.slice(2)).median;
  console.log('5. sharing notes, 1,000 noted commits, a local bare remote, one new note each time (wall time, median of 10):');
  console.log(`   (the CLI's own start, ai-provenance --version: ${m(ours.start).toFixed(0)} ms)`);
  console.log(`   notes push ${m(ours.push).toFixed(0)} ms beside git push of the ref ${m(plain.push).toFixed(0)} ms: ratio ${(m(ours.push) / m(plain.push)).toFixed(2)}x`);
  console.log(`   notes fetch ${m(ours.fetch).toFixed(0)} ms (fast-forward), ${m(ours.merge).toFixed(0)} ms (merging a note of ours) beside git fetch of the ref ${m(plain.fetch).toFixed(0)} ms: ratios ${(m(ours.fetch) / m(plain.fetch)).toFixed(2)}x, ${(m(ours.merge) / m(plain.fetch)).toFixed(2)}x`);
}

if (require.main === module) {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing; run npm run build first`);
  benchShare();
}
