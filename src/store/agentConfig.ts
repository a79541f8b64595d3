/**
 * Our hook entries in the agents' project configuration files: install, uninstall, status. The
 * files belong to the user and to the agents, so we only ever add, refresh or remove our own entry:
 * other hooks, keys and their order stay as they were, the file keeps its indentation and final
 * newline, and a file that is not valid JSON is refused, never overwritten.
 *
 * The command we write runs the CLI through absolute paths (the Node binary and the bundled
 * `dist/cli.js` of the CLI doing the install), as the pre-commit hook does. Agents run hooks from
 * GUI applications whose PATH often lacks Node (an app started from the Dock does not read the
 * shell profile where nvm lives), and `npx ai-provenance` would only work where the package is a
 * dependency of the project (it is a VS Code extension, usually not), could reach for the network,
 * and adds hundreds of milliseconds to every tool call. The price is that the paths go stale when
 * the extension is updated or moved: `agents status` says so and `agents install` refreshes them.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Agent, AgentHookSpec } from '../core/agents';
import { OutsideRepositoryError, writeAtomic } from './markerStore';
import { realPathInside } from './realPath';
import { HookRuntime } from './runtime';

/** A configuration file that we refuse to touch (not JSON, an unexpected shape, outside the repository). Nothing was written. */
export class AgentConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AgentConfigError';
  }
}

export type AgentHookState =
  | { kind: 'installed'; file: string; command: string }
  /** Ours, but not for every event or with another command (other paths: the CLI moved or was updated). */
  | { kind: 'outdated'; file: string; command: string; found: string[] }
  | { kind: 'missing'; file: string }
  | { kind: 'invalid'; file: string; error: string };

/** The shell command our hook entry runs. */
export function hookCommand(runtime: HookRuntime, agent: Agent): string {
  return `${runtime.electron ? 'ELECTRON_RUN_AS_NODE=1 ' : ''}${shellWord(runtime.node)} ${shellWord(runtime.cli)} record --agent ${agent.name}`;
}

/** Is this hook command ours, for this agent? Paths differ between machines and versions; the verb does not. */
export function isOurCommand(command: unknown, agent: Agent): boolean {
  return typeof command === 'string' && new RegExp(`(^|\\s)record\\s+--agent[=\\s]+${agent.name.replace(/[-]/g, '\\-')}(\\s|$)`).test(command);
}

/** Adds (or refreshes) our hook entries. Idempotent: a second run changes nothing. */
export async function installAgentHooks(root: string, agent: Agent, runtime: HookRuntime): Promise<{ state: AgentHookState; changed: boolean }> {
  const spec = agent.hooks;
  const command = hookCommand(runtime, agent);
  const file = await configFile(root, spec);
  const doc = await readConfig(file);
  const config = doc.value ?? {};
  if (spec.shape === 'cursor' && config.version === undefined) config.version = 1;
  const hooks = hooksObject(config, spec.file, true)!;
  for (const event of spec.events) {
    const list = eventList(hooks, event, spec.file);
    const mine = ourEntries(list, spec, agent);
    if (mine.length === 0) {
      list.push(newEntry(spec, command));
    } else {
      // Point it at the current CLI, keeping whatever else the user set on it (a timeout, say).
      mine[0].command = command;
      for (const extra of mine.slice(1)) removeEntry(list, extra, spec);
    }
    hooks[event] = list;
  }
  const changed = await writeConfig(file, doc, config);
  return { state: await agentHookStatus(root, agent, runtime), changed };
}

/** Removes our hook entries and nothing else. A file left holding nothing but our scaffolding is deleted. */
export async function uninstallAgentHooks(root: string, agent: Agent, runtime: HookRuntime): Promise<{ state: AgentHookState; changed: boolean }> {
  const spec = agent.hooks;
  const file = await configFile(root, spec);
  const doc = await readConfig(file);
  if (!doc.value) return { state: { kind: 'missing', file: spec.file }, changed: false };
  const config = doc.value;
  const hooks = hooksObject(config, spec.file, false);
  let removed = 0;
  if (hooks) {
    for (const event of spec.events) {
      if (hooks[event] === undefined) continue;
      const list = eventList(hooks, event, spec.file);
      for (const entry of ourEntries(list, spec, agent)) {
        removeEntry(list, entry, spec);
        removed++;
      }
      if (list.length === 0) delete hooks[event];
    }
    if (removed && Object.keys(hooks).length === 0) delete config.hooks;
  }
  if (!removed) return { state: await agentHookStatus(root, agent, runtime), changed: false };
  const leftover = Object.keys(config).filter((k) => !(spec.shape === 'cursor' && k === 'version' && config.version === 1));
  if (leftover.length === 0) {
    await fs.rm(file, { force: true });
    await removeEmptyDirs(await fs.realpath(root), path.dirname(file));
  } else {
    await writeConfig(file, doc, config);
  }
  return { state: await agentHookStatus(root, agent, runtime), changed: true };
}

/** Whether our hook is in the agent's config, for every event and with the command this runner would write. */
export async function agentHookStatus(root: string, agent: Agent, runtime: HookRuntime): Promise<AgentHookState> {
  const spec = agent.hooks;
  let config: Record<string, unknown> | undefined;
  try {
    config = (await readConfig(await configFile(root, spec))).value;
  } catch (e) {
    if (!(e instanceof AgentConfigError)) throw e;
    return { kind: 'invalid', file: spec.file, error: e.message };
  }
  const command = hookCommand(runtime, agent);
  const hooks = config && isEntry(config.hooks) ? config.hooks : undefined;
  const found: string[] = [];
  let current = 0;
  for (const event of spec.events) {
    const list = hooks?.[event];
    if (!Array.isArray(list)) continue;
    const commands = ourEntries(list, spec, agent).map((e) => e.command);
    if (commands.length) found.push(event);
    if (commands.includes(command)) current++;
  }
  if (found.length === 0) return { kind: 'missing', file: spec.file };
  if (current === spec.events.length) return { kind: 'installed', file: spec.file, command };
  return { kind: 'outdated', file: spec.file, command, found };
}

/**
 * The config file to read and write: its real path, so a symbolic link inside the repository is
 * written through (and stays a link). A folder or file that leads outside the repository (a cloned
 * repository can ship `.claude -> ~/somewhere`) is refused: we never write or delete there.
 */
async function configFile(root: string, spec: AgentHookSpec): Promise<string> {
  try {
    return await realPathInside(root, path.join(root, ...spec.file.split('/')), spec.file);
  } catch (e) {
    if (e instanceof OutsideRepositoryError) throw new AgentConfigError(`${e.message}; refusing to touch it. Nothing was changed.`);
    throw new AgentConfigError(`cannot resolve ${spec.file}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

interface ConfigDoc {
  value: Record<string, unknown> | undefined;
  text?: string;
}

async function readConfig(file: string): Promise<ConfigDoc> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { value: undefined };
    throw new AgentConfigError(`cannot read ${file}: ${(e as Error).message}`);
  }
  if (text.trim() === '') return { value: undefined, text };
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    // JSON.parse quotes the text around the error, newlines and all: keep the message on one line.
    const why = (e as Error).message.replace(/\s+/g, ' ');
    throw new AgentConfigError(`${file} is not valid JSON (${why}); fix or remove it first. Nothing was changed.`);
  }
  if (!isEntry(value)) throw new AgentConfigError(`${file} does not hold a JSON object; fix or remove it first. Nothing was changed.`);
  return { value, text };
}

/** Writes the config back in the file's own style (indentation, final newline); returns whether anything changed. */
async function writeConfig(file: string, doc: ConfigDoc, config: Record<string, unknown>): Promise<boolean> {
  const style = detectStyle(doc.text);
  const text = JSON.stringify(config, null, style.indent) + (style.finalNewline ? style.eol : '');
  const out = style.eol === '\n' ? text : text.replace(/\n/g, style.eol);
  if (out === doc.text) return false;
  await fs.mkdir(path.dirname(file), { recursive: true });
  await writeAtomic(file, out);
  return true;
}

function detectStyle(text: string | undefined): { indent: string | number; finalNewline: boolean; eol: string } {
  if (!text) return { indent: 2, finalNewline: true, eol: '\n' };
  const m = /\n([ \t]+)\S/.exec(text);
  return { indent: m ? m[1] : 2, finalNewline: /\n$/.test(text), eol: text.includes('\r\n') ? '\r\n' : '\n' };
}

function hooksObject(config: Record<string, unknown>, file: string, create: boolean): Record<string, unknown> | undefined {
  if (config.hooks === undefined) {
    if (!create) return undefined;
    config.hooks = {};
  }
  const hooks = config.hooks;
  if (!isEntry(hooks)) throw new AgentConfigError(`"hooks" in ${file} is not an object; fix it first. Nothing was changed.`);
  return hooks;
}

function eventList(hooks: Record<string, unknown>, event: string, file: string): unknown[] {
  const list = hooks[event] ?? [];
  if (!Array.isArray(list)) throw new AgentConfigError(`"hooks.${event}" in ${file} is not a list; fix it first. Nothing was changed.`);
  return list;
}

type Entry = Record<string, unknown>;

function isEntry(v: unknown): v is Entry {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Our entries in one event's list: for matcher groups, our hook inside a group (the group may hold others' hooks too). */
function ourEntries(list: unknown[], spec: AgentHookSpec, agent: Agent): Entry[] {
  if (spec.shape !== 'groups') return list.filter((e): e is Entry => isEntry(e) && isOurCommand(e.command, agent));
  const out: Entry[] = [];
  for (const group of list) {
    if (!isEntry(group) || !Array.isArray(group.hooks)) continue;
    for (const h of group.hooks) if (isEntry(h) && isOurCommand(h.command, agent)) out.push(h);
  }
  return out;
}

function hookEntry(spec: AgentHookSpec, command: string): Entry {
  if (spec.shape === 'cursor') return { command };
  return { ...(spec.name ? { name: spec.name } : {}), type: 'command', command, ...(spec.timeout ? { timeout: spec.timeout } : {}) };
}

function newEntry(spec: AgentHookSpec, command: string): Entry {
  if (spec.shape !== 'groups') return hookEntry(spec, command);
  return { matcher: spec.matcher, hooks: [hookEntry(spec, command)] };
}

/** Removes one of our entries; a matcher group left empty goes with it. */
function removeEntry(list: unknown[], entry: Entry, spec: AgentHookSpec): void {
  if (spec.shape !== 'groups') {
    const i = list.indexOf(entry);
    if (i >= 0) list.splice(i, 1);
    return;
  }
  for (let g = 0; g < list.length; g++) {
    const group = list[g];
    if (!isEntry(group) || !Array.isArray(group.hooks)) continue;
    const i = group.hooks.indexOf(entry);
    if (i < 0) continue;
    group.hooks.splice(i, 1);
    if (group.hooks.length === 0) list.splice(g, 1);
    return;
  }
}

/** Removes the directories install created for the file, as long as they are empty (rmdir refuses otherwise). */
async function removeEmptyDirs(root: string, dir: string): Promise<void> {
  for (let d = dir; d.startsWith(root + path.sep); d = path.dirname(d)) {
    try {
      await fs.rmdir(d);
    } catch {
      return;
    }
  }
}

/** A path as one shell word: bare when it is plain, else double-quoted (which sh, bash, zsh and cmd all read). */
function shellWord(s: string): string {
  if (/^[\w@%+=:,./\\-]+$/.test(s)) return s;
  if (process.platform === 'win32') return `"${s}"`;
  return `"${s.replace(/(["\\$`])/g, '\\$1')}"`;
}
