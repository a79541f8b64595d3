/**
 * This machine's agent-hook resolver, `~/.ai-provenance/hook`: the one file that names this
 * machine's Node and CLI for the agent hooks. The hooks in the agents' configs name no path (see
 * src/core/agents/hookCommand.ts); they run this file through git's sh when it is there, and do
 * nothing when it is not. `agents install` writes it (for the CLI doing the install); the editor
 * extension repoints it when an update moved the CLI it names.
 *
 * It is a small sh script. It takes the hook back to the folder the agent started it in (git runs
 * an alias at the top of the work tree and says where it came from in GIT_PREFIX), and exits 0 or
 * 1 only, whatever happens: 1, with one line on stderr, when the CLI or Node it names is gone (the
 * user sees the hook fail and `agents status` says why), or when the CLI fails in any way.
 */
import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RESOLVER_PATH } from '../core/agents/hookCommand';
import { writeAtomic } from './atomicWrite';
import { HookRuntime } from './runtime';

/** Bumped when the script changes in a way that an old copy should be rewritten for. */
const FORMAT = 1;
const HEADER = `# ai-provenance agent hook resolver, format ${FORMAT}`;

/** The home the hooks' `~` means: HOME (which git's sh uses, on Windows too), else the OS's idea of it. */
export function userHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.HOME || os.homedir();
}

/** The resolver's absolute path. */
export function resolverFile(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(userHome(env), ...RESOLVER_PATH.split('/'));
}

/** The resolver's path as a user would write it. */
export const RESOLVER_SHOWN = `~/${RESOLVER_PATH}`;

export type ResolverState =
  | { kind: 'current'; cli: string; version: string }
  | { kind: 'missing' }
  /** It is there but names a CLI or Node that is gone, an older version, or was written by an older format. */
  | { kind: 'stale'; problem: string };

interface Recorded {
  format: number;
  node?: string;
  cli?: string;
  version?: string;
}

/** The script for this runtime. */
export function resolverScript(runtime: HookRuntime, version: string): string {
  const norm = (p: string): string => (process.platform === 'win32' ? p.replace(/\\/g, '/') : p);
  return [
    '#!/bin/sh',
    HEADER,
    '# Written by `ai-provenance agents install`; the AI Provenance extension repoints it after an update.',
    "# The agents' hooks run it through git when it exists (README: Agents in a terminal), and do nothing",
    '# when it does not: delete it to switch off recording of every agent on this machine.',
    `node=${shQuote(norm(runtime.node))}`,
    `cli=${shQuote(norm(runtime.cli))}`,
    `version=${shQuote(version)}`,
    '# git ran the hook at the top of the work tree; GIT_PREFIX says where the agent started it.',
    'if [ -n "$GIT_PREFIX" ]; then cd "./$GIT_PREFIX" 2>/dev/null || :; fi',
    'unset GIT_PREFIX GIT_CONFIG_PARAMETERS',
    '[ -x "$node" ] || node=$(command -v node) || node=',
    'if [ -z "$node" ] || [ ! -f "$cli" ]; then',
    '  cat >/dev/null',
    '  echo "ai-provenance: the agent hook cannot run: $cli or its Node is gone; run: ai-provenance agents install" >&2',
    '  exit 1',
    'fi',
    `${runtime.electron ? 'ELECTRON_RUN_AS_NODE=1 ' : ''}"$node" "$cli" "$@" || exit 1`,
    '',
  ].join('\n');
}

/** What the resolver on disk names; undefined when there is none. */
async function readRecorded(file: string): Promise<Recorded | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  const format = Number(/^# ai-provenance agent hook resolver, format (\d+)$/m.exec(text)?.[1] ?? 0);
  const value = (name: string): string | undefined => {
    const m = new RegExp(`^${name}=((?:'[^']*'|\\\\')+)$`, 'm').exec(text);
    return m ? m[1].replace(/'\\''/g, "'").replace(/^'|'$/g, '') : undefined;
  };
  return { format, node: value('node'), cli: value('cli'), version: value('version') };
}

/** Whether the resolver can run the hooks, for a CLI of version `version` asking. */
export async function resolverState(version: string, env: NodeJS.ProcessEnv = process.env): Promise<ResolverState> {
  const file = resolverFile(env);
  const recorded = await readRecorded(file);
  if (!recorded) return { kind: 'missing' };
  if (recorded.format < FORMAT || !recorded.cli || !recorded.node) return { kind: 'stale', problem: `${RESOLVER_SHOWN} was written by an older version` };
  if (!existsSync(recorded.cli)) return { kind: 'stale', problem: `${RESOLVER_SHOWN} names ${recorded.cli}, which is gone (the extension was updated or moved)` };
  if (!existsSync(recorded.node)) return { kind: 'stale', problem: `${RESOLVER_SHOWN} names the Node ${recorded.node}, which is gone` };
  if (recorded.version && olderThan(recorded.version, version)) {
    return { kind: 'stale', problem: `${RESOLVER_SHOWN} runs version ${recorded.version} of the CLI (${recorded.cli}); this is ${version}` };
  }
  return { kind: 'current', cli: recorded.cli, version: recorded.version ?? '' };
}

/** Writes the resolver for this runtime; returns whether anything changed. */
export async function writeResolver(runtime: HookRuntime, version: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const file = resolverFile(env);
  const script = resolverScript(runtime, version);
  const old = await fs.readFile(file, 'utf8').catch(() => undefined);
  if (old === script) return false;
  await fs.mkdir(path.dirname(file), { recursive: true });
  await writeAtomic(file, script, { mode: 0o755, executable: true });
  return true;
}

/** a < b, for two dotted version numbers; false when either is not one (`dev`). */
function olderThan(a: string, b: string): boolean {
  const parse = (v: string): number[] | undefined => (/^\d+(\.\d+)*$/.test(v) ? v.split('.').map(Number) : undefined);
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return false;
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) < (y[i] ?? 0);
  }
  return false;
}

/** A string as one sh word, in single quotes. */
function shQuote(s: string): string {
  return `'${s.replace(/'/g, "'\\''")}'`;
}
