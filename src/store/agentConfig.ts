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
import { applyEdits, findNodeAtLocation, FormattingOptions, JSONPath, Node as JsonNode, modify, parse as parseJsonc, ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
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
  const edit = new ConfigText(doc);
  hooksObject(edit.value, spec.file);
  if (spec.shape === 'cursor' && edit.value.version === undefined) edit.set(['version'], 1);
  for (const event of spec.events) {
    const mine = ourEntries(eventList(edit.value, event, spec.file), spec, agent);
    if (mine.length === 0) {
      edit.append(['hooks', event], newEntry(spec, command));
      continue;
    }
    // Point it at the current CLI, keeping whatever else the user set on it (a timeout, say).
    if (mine[0].entry.command !== command) edit.set(['hooks', event, ...mine[0].at, 'command'], command);
    for (const extra of mine.slice(1).reverse()) removeEntry(edit, event, extra.at);
  }
  const changed = await writeConfig(file, doc, edit.result());
  return { state: await agentHookStatus(root, agent, runtime), changed };
}

/** Removes our hook entries and nothing else. A file left holding nothing but our scaffolding is deleted. */
export async function uninstallAgentHooks(root: string, agent: Agent, runtime: HookRuntime): Promise<{ state: AgentHookState; changed: boolean }> {
  const spec = agent.hooks;
  const file = await configFile(root, spec);
  const doc = await readConfig(file);
  if (!doc.value) return { state: { kind: 'missing', file: spec.file }, changed: false };
  const edit = new ConfigText(doc);
  let removed = 0;
  if (hooksObject(edit.value, spec.file)) {
    for (const event of spec.events) {
      const mine = ourEntries(eventList(edit.value, event, spec.file), spec, agent);
      // Last first, so the positions of the others still hold.
      for (const { at } of mine.reverse()) removeEntry(edit, event, at);
      removed += mine.length;
      if (mine.length && eventList(edit.value, event, spec.file).length === 0) edit.set(['hooks', event], undefined);
    }
    const hooks = hooksObject(edit.value, spec.file);
    if (removed && hooks && Object.keys(hooks).length === 0) edit.set(['hooks'], undefined);
  }
  if (!removed) return { state: await agentHookStatus(root, agent, runtime), changed: false };
  const config = edit.value;
  const leftover = Object.keys(config).filter((k) => !(spec.shape === 'cursor' && k === 'version' && config.version === 1));
  if (leftover.length === 0) {
    await fs.rm(file, { force: true });
    await removeEmptyDirs(await fs.realpath(root), path.dirname(file));
  } else {
    await writeConfig(file, doc, edit.result());
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
    const commands = ourEntries(list, spec, agent).map((e) => e.entry.command);
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
    return realPathInside(root, path.join(root, ...spec.file.split('/')), spec.file);
  } catch (e) {
    if (e instanceof OutsideRepositoryError) throw new AgentConfigError(`${e.message}; refusing to touch it. Nothing was changed.`);
    throw new AgentConfigError(`cannot resolve ${spec.file}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

interface ConfigDoc {
  /** Undefined when the file is missing or empty. */
  value: Entry | undefined;
  /** The text, without a byte-order mark. */
  text: string;
  bom: boolean;
}

async function readConfig(file: string): Promise<ConfigDoc> {
  let raw: string;
  try {
    raw = await fs.readFile(file, 'utf8');
  } catch (e) {
    if (e instanceof Error && 'code' in e && e.code === 'ENOENT') return { value: undefined, text: '', bom: false };
    throw new AgentConfigError(`cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const bom = raw.charCodeAt(0) === 0xfeff;
  const text = bom ? raw.slice(1) : raw;
  if (text.trim() === '') return { value: undefined, text, bom };
  // Comments are kept (Gemini CLI and VS Code read them); a trailing comma is an error, as the agents see it.
  const errors: ParseError[] = [];
  const value: unknown = parseJsonc(text, errors, { allowTrailingComma: false, disallowComments: false });
  if (errors.length) {
    const { error, offset } = errors[0];
    const before = text.slice(0, offset).split('\n');
    const where = `line ${before.length}, column ${before[before.length - 1].length + 1}`;
    throw new AgentConfigError(`${file} is not valid JSON (${printParseErrorCode(error)} at ${where}); fix or remove it first. Nothing was changed.`);
  }
  if (!isEntry(value)) throw new AgentConfigError(`${file} does not hold a JSON object; fix or remove it first. Nothing was changed.`);
  return { value, text, bom };
}

/**
 * The config's text, changed one property or list item at a time (jsonc-parser's modify), so the
 * user's comments, key order and formatting outside what we touch stay exactly as they were.
 */
class ConfigText {
  private text: string;
  private readonly formatting: FormattingOptions;

  constructor(private readonly doc: ConfigDoc) {
    this.text = doc.value ? doc.text : '';
    const indent = /\n([ \t]+)\S/.exec(doc.text)?.[1] ?? '  ';
    this.formatting = { insertSpaces: !indent.includes('\t'), tabSize: indent.includes('\t') ? 1 : indent.length, eol: doc.text.includes('\r\n') ? '\r\n' : '\n' };
  }

  /** The document as it stands (it was valid when read, and our edits keep it so). */
  get value(): Entry {
    const value: unknown = parseJsonc(this.text);
    return isEntry(value) ? value : {};
  }

  /** Sets (or, with `undefined`, removes) the value at `at`. */
  set(at: JSONPath, value: unknown): void {
    // Formatting applies to whole lines around the edit; only a new property needs it (to be laid out
    // like its neighbours). Replacing or removing one leaves the lines around it exactly as they were.
    const node = this.node(at);
    const items = node?.parent?.type === 'array' ? node.parent.children : undefined;
    if (node && items && value === undefined) {
      // A list item goes with the separator before it (after it, for the first), and nothing else:
      // modify would also take the line break before the closing bracket.
      const i = items.indexOf(node);
      const start = i > 0 ? items[i - 1].offset + items[i - 1].length : node.offset;
      const end = i === 0 && items.length > 1 ? items[1].offset : node.offset + node.length;
      this.text = this.text.slice(0, start) + this.text.slice(end);
      return;
    }
    const exists = node !== undefined;
    this.text = applyEdits(this.text, modify(this.text, at, value, exists || value === undefined ? {} : { formattingOptions: this.formatting }));
  }

  private node(at: JSONPath): JsonNode | undefined {
    const tree = parseTree(this.text);
    return tree && findNodeAtLocation(tree, at);
  }

  /** Appends to the list at `at`, creating it when absent. */
  append(at: JSONPath, value: unknown): void {
    const list = this.node(at);
    const last = list?.type === 'array' ? list.children?.at(-1) : undefined;
    const lead = last && this.text.slice(this.text.lastIndexOf('\n', last.offset - 1) + 1, last.offset);
    if (last && lead !== undefined && /^[ \t]*$/.test(lead)) {
      // The last item starts its own line: ours goes on the next line at the same indentation.
      // (modify would reformat the line of the item before, undoing a user's one-line entry.)
      const unit = this.formatting.insertSpaces ? ' '.repeat(this.formatting.tabSize ?? 2) : '\t';
      const body = JSON.stringify(value, null, unit).split('\n').join(this.formatting.eol + lead);
      const end = last.offset + last.length;
      this.text = `${this.text.slice(0, end)},${this.formatting.eol}${lead}${body}${this.text.slice(end)}`;
      return;
    }
    this.text = applyEdits(this.text, modify(this.text, [...at, -1], value, { formattingOptions: this.formatting, isArrayInsertion: true }));
  }

  /** The text to write: a new file ends with a newline, an existing one keeps its ending and byte-order mark. */
  result(): string {
    const text = this.doc.value ? this.text : this.text + this.formatting.eol;
    return this.doc.bom ? `\ufeff${text}` : text;
  }
}

/** Writes the config if it changed; returns whether it did. */
async function writeConfig(file: string, doc: ConfigDoc, out: string): Promise<boolean> {
  if (doc.value && out === (doc.bom ? `\ufeff${doc.text}` : doc.text)) return false;
  await fs.mkdir(path.dirname(file), { recursive: true });
  await writeAtomic(file, out);
  return true;
}

/** `hooks`, validated; undefined when absent. */
function hooksObject(config: Entry, file: string): Entry | undefined {
  const hooks = config.hooks;
  if (hooks === undefined) return undefined;
  if (!isEntry(hooks)) throw new AgentConfigError(`"hooks" in ${file} is not an object; fix it first. Nothing was changed.`);
  return hooks;
}

/** `hooks.<event>`, validated; empty when absent. */
function eventList(config: Entry, event: string, file: string): unknown[] {
  const list = hooksObject(config, file)?.[event] ?? [];
  if (!Array.isArray(list)) throw new AgentConfigError(`"hooks.${event}" in ${file} is not a list; fix it first. Nothing was changed.`);
  return list;
}

type Entry = Record<string, unknown>;

function isEntry(v: unknown): v is Entry {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** One of our entries and where it sits in its event's list: `[i]`, or `[group, 'hooks', i]` inside a matcher group. */
interface Found {
  entry: Entry;
  at: (string | number)[];
}

/** Our entries in one event's list: for matcher groups, our hook inside a group (the group may hold others' hooks too). */
function ourEntries(list: unknown[], spec: AgentHookSpec, agent: Agent): Found[] {
  const out: Found[] = [];
  for (const [i, item] of list.entries()) {
    if (!isEntry(item)) continue;
    if (spec.shape !== 'groups') {
      if (isOurCommand(item.command, agent)) out.push({ entry: item, at: [i] });
      continue;
    }
    if (!Array.isArray(item.hooks)) continue;
    for (const [h, hook] of item.hooks.entries()) if (isEntry(hook) && isOurCommand(hook.command, agent)) out.push({ entry: hook, at: [i, 'hooks', h] });
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
function removeEntry(edit: ConfigText, event: string, at: (string | number)[]): void {
  const [group] = at;
  const list = edit.value.hooks;
  const groupValue = isEntry(list) && Array.isArray(list[event]) ? list[event][Number(group)] : undefined;
  const alone = at.length === 3 && isEntry(groupValue) && Array.isArray(groupValue.hooks) && groupValue.hooks.length === 1;
  edit.set(['hooks', event, ...(alone ? [group] : at)], undefined);
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
