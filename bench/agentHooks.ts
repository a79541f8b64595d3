/**
 * What the portable agent-hook command costs per tool call (src/core/agents/hookCommand.ts),
 * beside the command earlier versions wrote (this machine's Node and CLI, by absolute path), in the
 * same run, each started by `sh -c` with the payload on stdin as an agent starts it: on a machine
 * with AI Provenance (git, its sh, the resolver, then the same CLI) and on a teammate's without it
 * (git and its sh, which find no resolver and exit).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { agentHookCommand } from '../src/core/agents/hookCommand';
import { stats } from './stats';

const CLI = path.resolve(__dirname, '../../dist/cli.js');

function time(fn: () => void): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

export function benchAgentHooks(): void {
  const top = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aip-bench-hooks-')));
  const root = path.join(top, 'repo');
  const withTool = path.join(top, 'home-with');
  const without = path.join(top, 'home-without');
  for (const d of [root, withTool, without]) fs.mkdirSync(d);
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1' };
  const g = (...args: string[]): string => execFileSync('git', args, { cwd: root, env: { ...env, HOME: withTool }, encoding: 'utf8' });
  g('init', '-q', '-b', 'main');
  g('config', 'user.email', 'bench@example.com');
  g('config', 'user.name', 'Bench');
  const base = Array.from({ length: 200 }, (_, i) => `export const v${i} = ${i};`).join('\n') + '\n';
  fs.mkdirSync(path.join(root, 'src'));
  fs.writeFileSync(path.join(root, 'src', 'app.ts'), base);
  g('add', '-A');
  g('commit', '-q', '-m', 'start');
  // The resolver of the machine with AI Provenance.
  execFileSync(process.execPath, [CLI, 'agents', 'install', 'claude-code'], { cwd: root, env: { ...env, HOME: withTool } });

  const portable = agentHookCommand('claude-code');
  const direct = `'${process.execPath}' '${CLI}' record --agent claude-code`;
  const read = JSON.stringify({ session_id: 's', cwd: root, hook_event_name: 'PostToolUse', tool_name: 'Read', tool_input: { file_path: path.join(root, 'src', 'app.ts') } });
  const edit = JSON.stringify({
    session_id: 's', cwd: root, hook_event_name: 'PostToolUse', tool_name: 'Edit',
    tool_input: { file_path: path.join(root, 'src', 'app.ts'), old_string: 'export const v100 = 100;', new_string: 'export const v100 = 100 * 2;' }, tool_response: { success: true },
  });
  const payloads = { read: path.join(top, 'read.json'), edit: path.join(top, 'edit.json') };
  fs.writeFileSync(payloads.read, read);
  fs.writeFileSync(payloads.edit, edit);
  fs.writeFileSync(path.join(root, 'src', 'app.ts'), base.replace('export const v100 = 100;', 'export const v100 = 100 * 2;'));
  /**
   * Ten calls in one outer shell, which then prints the CPU time of its children (`times`, in
   * clock ticks: ten calls make it fine enough); the wall time is that of the ten, per call.
   */
  const batch = (command: string, home: string, input: keyof typeof payloads): { ms: number; cpu: number } => {
    const loop = 'i=0; while [ $i -lt 10 ]; do sh -c "$1" <"$2" >/dev/null || exit 1; i=$((i+1)); done; times';
    let out = '';
    const ms = time(() => {
      const r = spawnSync('sh', ['-c', loop, 'sh', command, payloads[input]], { cwd: root, env: { ...env, HOME: home }, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`${command} failed: ${r.stderr}`);
      out = r.stdout;
    });
    return { ms: ms / 10, cpu: childCpu(out) / 10 };
  };
  const ways = {
    directRead: () => batch(direct, withTool, 'read'),
    portableRead: () => batch(portable, withTool, 'read'),
    absentRead: () => batch(portable, without, 'read'),
    directEdit: () => batch(direct, withTool, 'edit'),
    portableEdit: () => batch(portable, withTool, 'edit'),
    absentEdit: () => batch(portable, without, 'edit'),
    shell: () => batch('cat >/dev/null', withTool, 'read'),
  };
  type Way = keyof typeof ways;
  const order = Object.keys(ways) as Way[];
  const samples = new Map<Way, { ms: number; cpu: number }[]>(order.map((w) => [w, []]));
  // Taken in turn, so that machine load falls on all alike; the first round warms the caches.
  for (let i = 0; i < 6; i++) for (const w of order) samples.get(w)!.push(ways[w]());
  fs.rmSync(top, { recursive: true, force: true });
  const m = (w: Way, k: 'ms' | 'cpu'): number => stats(samples.get(w)!.slice(1).map((x) => x[k])).median;
  const fig = (w: Way): string => `${m(w, 'ms').toFixed(1)} ms (CPU ${m(w, 'cpu').toFixed(1)} ms)`;
  const line = (what: string, p: Way, d: Way, a: Way): string =>
    `   ${what}: portable ${fig(p)}, direct ${fig(d)}: ${signed(m(p, 'ms') - m(d, 'ms'))} ms wall (${(m(p, 'ms') / m(d, 'ms')).toFixed(2)}x), ${signed(m(p, 'cpu') - m(d, 'cpu'))} ms CPU (${(m(p, 'cpu') / m(d, 'cpu')).toFixed(2)}x); ` +
    `without AI Provenance (a teammate) ${fig(a)}`;
  console.log('7. one agent hook call, started by sh -c with the payload on stdin (per call, medians of five batches of ten): the portable command beside the direct one earlier versions wrote');
  console.log(line('a tool that writes no file (Read)', 'portableRead', 'directRead', 'absentRead'));
  console.log(line('an Edit, recorded', 'portableEdit', 'directEdit', 'absentEdit'));
  console.log(`   (sh -c reading the payload and nothing else: ${fig('shell')})`);
}

function signed(x: number): string {
  return `${x >= 0 ? '+' : ''}${x.toFixed(1)}`;
}

/** The children's user + system time from the last line of `times`. */
function childCpu(times: string): number {
  const line = times.trim().split('\n').pop() ?? '';
  return [...line.matchAll(/(\d+)m([\d.]+)s/g)].reduce((ms, x) => ms + (Number(x[1]) * 60 + Number(x[2])) * 1000, 0);
}
