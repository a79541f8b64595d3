/**
 * Our hook entries in the coding agents' configuration files: install, uninstall, status. The
 * files belong to the user, the team and the agents, so we only ever add, refresh or remove our own
 * entry: other hooks, keys and their order stay as they were, the file keeps its comments,
 * indentation and final newline, and a file that is not valid JSON is refused, never overwritten.
 * Where an agent's hook is a script or a plugin module (Cline, OpenCode, Amp, Pi), the whole file is
 * ours and carries our mark (`fileMark`); a file of that name without it is the user's, and we
 * neither overwrite nor delete it.
 *
 * Team-safe wiring. Nothing we write into a file names a path of this machine: every entry runs
 * the same command (src/core/agents/hookCommand.ts), which asks git to run this machine's resolver,
 * `~/.ai-provenance/hook` (src/store/hookResolver.ts), and does nothing, silently and in a few
 * milliseconds, where there is none. So a file the team commits works for every teammate, on any
 * path, and a teammate without AI Provenance is neither blocked nor warned; the command never
 * changes when the extension is updated (only the resolver does), so an agent that trusts a hook
 * by its exact text (Codex) keeps trusting it. Where each agent's entry goes, and why:
 *
 * - Claude Code: `.claude/settings.local.json`, the project's personal settings, which are this
 *   clone's alone (Claude Code reads them with the shared settings; install makes git ignore the
 *   file, in `.git/info/exclude`, when it does not already). Teammates see nothing. Earlier
 *   versions wrote the shared `.claude/settings.json`: install moves our entry out of it.
 * - Cursor: `.cursor/hooks.json` in the project. Cursor has no personal per-project hooks file; its
 *   user file (`~/.cursor/hooks.json`) would hook every folder opened in Cursor, run from
 *   `~/.cursor`, with no cheap way to tell which repository an edit is in. The portable command costs
 *   a teammate without AI Provenance one git start per edit and nothing else.
 * - Codex: the user's `hooks.json` in CODEX_HOME (`~/.codex`), for every repository. Codex runs a
 *   project's hooks only after each person has trusted them, and asks about new ones at start-up:
 *   a project hook would ask every teammate. Trust is per person anyway, and is kept by a hash of
 *   the exact hook (src/core/agents/codexTrust.ts): since our command never changes, one approval
 *   lasts across updates. Status reads Codex's record of it and says when Codex still needs it
 *   approved. Earlier versions wrote `.codex/hooks.json`: install moves our entry out of it.
 * - Gemini CLI: `.gemini/settings.json` in the project. Gemini has no personal per-project settings;
 *   its user settings would hook every folder Gemini runs in (and Gemini shows every non-zero exit
 *   as a warning). It tells each person once, by name, when a project hook first appears (it
 *   fingerprints project hooks); the command never changes, so it never tells again.
 * - VS Code agent hooks (Copilot): `.github/hooks/ai-provenance.json`, the only place these hooks
 *   are read from in a repository; GitHub's cloud agent reads it in a Linux sandbox without AI
 *   Provenance, where the command does nothing.
 *
 * Codex keys its trust records by the hook's position in its event's list, so removing our group
 * from the middle of it would shift the keys of the user's hooks after it (Codex would then show
 * them as changed and skip them). Uninstall leaves an empty group in our place when other groups
 * follow it (Codex ignores a group without hooks, and counts it), install fills such a group again,
 * and a trailing one is removed.
 */
import { createHash } from 'node:crypto';
import { existsSync, promises as fs, realpathSync } from 'node:fs';
import * as path from 'node:path';
import { applyEdits, findNodeAtLocation, FormattingOptions, JSONPath, Node as JsonNode, modify, parse as parseJsonc, ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import { Agent, AgentHookSpec, fileMark } from '../core/agents';
import { codexHookIdentity, codexHookKey, parseCodexHookStates } from '../core/agents/codexTrust';
import { agentHookCommand, isOurCommand } from '../core/agents/hookCommand';
import { git, gitPath, GitError } from './git';
import { resolverState, RESOLVER_SHOWN, userHome, writeResolver } from './hookResolver';
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
  /** Ours, for every event, with today's command, and this machine's resolver can run it. */
  | { kind: 'installed'; file: string }
  /** Ours, but out of date: an older command (machine paths), missing events, still in a former file, or this machine's resolver missing or outdated. */
  | { kind: 'stale'; file: string; problems: string[] }
  /** Ours and current, but the agent will not run it until the user approves it there (Codex). */
  | { kind: 'needs-approval'; file: string; problems: string[] }
  | { kind: 'missing'; file: string }
  | { kind: 'invalid'; file: string; error: string };

/** What install, uninstall and status need to know about the machine: the CLI the resolver should run, and the environment (HOME, CODEX_HOME). */
export interface HookContext {
  runtime: HookRuntime;
  /** The version of that CLI. */
  version: string;
  env?: NodeJS.ProcessEnv;
}

/** Where the agent's config file is shown to the user: repository-relative, or from the home (`~/.codex/hooks.json`, `$CODEX_HOME/hooks.json`). */
export function configShown(spec: AgentHookSpec, env: NodeJS.ProcessEnv = process.env): string {
  if (spec.location !== 'home') return spec.file;
  if (spec.homeEnv && env[spec.homeEnv]) return `$${spec.homeEnv}/${spec.file.split('/').slice(1).join('/')}`;
  return `~/${spec.file}`;
}

/** Adds (or refreshes) our hook entries, moves them out of former files, and points this machine's resolver at this CLI. Idempotent. */
export async function installAgentHooks(root: string, agent: Agent, ctx: HookContext): Promise<{ state: AgentHookState; changed: boolean; moved: string[] }> {
  const spec = agent.hooks;
  const env = ctx.env ?? process.env;
  const command = agentHookCommand(agent.name);
  if (spec.shape === 'file') {
    const changed = await installFiles(root, agent, command);
    const resolver = await writeResolver(ctx.runtime, ctx.version, env);
    return { state: await agentHookStatus(root, agent, ctx), changed: changed || resolver, moved: [] };
  }
  const file = await configFile(root, spec, env);
  const formers = await formerFiles(root, spec);
  const doc = await readConfig(file);
  // Read every file first: one that cannot be read stops the install before anything is written.
  const formerDocs = await Promise.all(formers.map(async (f) => ({ ...f, doc: await readConfig(f.file) })));
  const edit = new ConfigText(doc);
  hooksObject(edit.value, spec, spec.file);
  const version = VERSION[spec.shape];
  if (version !== undefined && edit.value.version === undefined) edit.set(['version'], version);
  for (const event of spec.events) {
    const mine = ourEntries(eventList(edit.value, event, spec, spec.file), spec, agent, event);
    if (mine.length === 0) {
      const place = spec.trust === 'codex' ? placeholderIndex(eventList(edit.value, event, spec, spec.file), spec) : -1;
      if (place >= 0) edit.append(['hooks', event, place, 'hooks'], hookEntry(spec, command));
      else edit.append(listPath(spec, event), newEntry(spec, command, event));
      continue;
    }
    // Point it at today's command, keeping whatever else the user set on it (a timeout, say).
    for (const key of commandKeys(spec)) {
      if (valueAt(mine[0].entry, key) !== command) edit.set([...listPath(spec, event), ...mine[0].at, ...key], command);
    }
    for (const extra of mine.slice(1).reverse()) removeEntry(edit, event, extra.at, spec);
  }
  let changed = await writeConfig(file, doc, edit.result());
  if (spec.personal) changed = (await keepOutOfGit(root, spec.file)) || changed;
  const moved: string[] = [];
  for (const former of formerDocs) {
    if (await removeOurs(root, former.file, former.doc, spec, agent, 'repository')) moved.push(former.shown);
  }
  changed = (await writeResolver(ctx.runtime, ctx.version, env)) || changed || moved.length > 0;
  return { state: await agentHookStatus(root, agent, ctx), changed, moved };
}

/** Removes our hook entries (also from former files) and nothing else. A file left holding nothing but our scaffolding is deleted. The resolver stays: other repositories may use it. */
export async function uninstallAgentHooks(root: string, agent: Agent, ctx: HookContext): Promise<{ state: AgentHookState; changed: boolean }> {
  const spec = agent.hooks;
  const env = ctx.env ?? process.env;
  if (spec.shape === 'file') return { changed: await uninstallFiles(root, agent), state: await agentHookStatus(root, agent, ctx) };
  const file = await configFile(root, spec, env);
  const formers = await formerFiles(root, spec);
  const docs = [{ file, doc: await readConfig(file), where: spec.location ?? 'repository' }, ...(await Promise.all(formers.map(async (f) => ({ file: f.file, doc: await readConfig(f.file), where: 'repository' as const }))))];
  let changed = false;
  for (const d of docs) changed = (await removeOurs(root, d.file, d.doc, spec, agent, d.where)) || changed;
  if (spec.personal && !existsSync(file)) changed = (await forgetExclusion(root, spec.file)) || changed;
  return { state: await agentHookStatus(root, agent, ctx), changed };
}

/** Whether our hook is in the agent's config, current, runnable on this machine, and (Codex) approved. */
export async function agentHookStatus(root: string, agent: Agent, ctx: HookContext): Promise<AgentHookState> {
  const spec = agent.hooks;
  const env = ctx.env ?? process.env;
  if (spec.shape === 'file') return filesStatus(root, agent, ctx);
  const shown = configShown(spec, env);
  let file: string;
  let config: Entry | undefined;
  const formerFound: string[] = [];
  try {
    file = await configFile(root, spec, env);
    config = (await readConfig(file)).value;
    for (const former of await formerFiles(root, spec)) {
      const value = (await readConfig(former.file)).value;
      if (value && spec.events.some((event) => ourEntries(listAt(value, event, spec), spec, agent, event).length)) formerFound.push(former.shown);
    }
  } catch (e) {
    if (!(e instanceof AgentConfigError)) throw e;
    return { kind: 'invalid', file: shown, error: e.message };
  }
  const command = agentHookCommand(agent.name);
  const found: string[] = [];
  let older = false;
  for (const event of spec.events) {
    const mine = config ? ourEntries(listAt(config, event, spec), spec, agent, event) : [];
    if (mine.length) found.push(event);
    if (mine.some((m) => commandKeys(spec).some((key) => valueAt(m.entry, key) !== command))) older = true;
  }
  if (found.length === 0 && formerFound.length === 0) return { kind: 'missing', file: shown };
  const problems: string[] = [];
  for (const former of formerFound) problems.push(`our hook is still in ${former}, where earlier versions put it with this machine's paths`);
  if (found.length && found.length < spec.events.length) problems.push(`only ${found.join(', ')} of ${spec.events.join(', ')}`);
  if (found.length === 0) problems.push(`not in ${shown}`);
  if (older) problems.push('it runs an older command (paths of one machine, or an earlier form)');
  const resolver = await resolverState(ctx.version, env);
  if (resolver.kind === 'missing') problems.push(`not active on this machine: ${RESOLVER_SHOWN} is missing`);
  else if (resolver.kind === 'stale') problems.push(resolver.problem);
  if (problems.length) return { kind: 'stale', file: shown, problems };
  if (spec.trust === 'codex' && config) {
    const waiting = await codexApproval(file, config, spec, agent);
    if (waiting.length) return { kind: 'needs-approval', file: shown, problems: waiting };
  }
  return { kind: 'installed', file: shown };
}

/**
 * What Codex still has to be told about our hooks: read from its config.toml, where it records the
 * hash of every hook the user trusted (src/core/agents/codexTrust.ts).
 */
async function codexApproval(file: string, config: Entry, spec: AgentHookSpec, agent: Agent): Promise<string[]> {
  const home = path.dirname(file);
  const text = await fs.readFile(path.join(home, 'config.toml'), 'utf8').catch(() => '');
  const states = parseCodexHookStates(text);
  // Codex names the file from CODEX_HOME as it resolved it; either spelling finds the record.
  const sources = [...new Set([file, path.join(realOrSame(home), path.basename(file))])];
  const off: string[] = [];
  const untrusted: string[] = [];
  const changed: string[] = [];
  for (const event of spec.events) {
    for (const { entry, at } of ourEntries(listAt(config, event, spec), spec, agent, event)) {
      const [group, , hook] = at as [number, string, number];
      const groupValue = listAt(config, event, spec)[group] as Entry;
      const state = sources.map((s) => states.get(codexHookKey(s, event, group, hook))).find((s) => s !== undefined);
      const identity = codexHookIdentity(event, typeof groupValue.matcher === 'string' ? groupValue.matcher : undefined, {
        command: String(entry.command),
        timeout: typeof entry.timeout === 'number' ? entry.timeout : undefined,
        async: typeof entry.async === 'boolean' ? entry.async : undefined,
        statusMessage: typeof entry.statusMessage === 'string' ? entry.statusMessage : undefined,
      });
      const hash = `sha256:${createHash('sha256').update(identity).digest('hex')}`;
      if (state?.enabled === false) off.push(event);
      else if (!state?.trustedHash) untrusted.push(event);
      else if (state.trustedHash !== hash) changed.push(event);
    }
  }
  const out: string[] = [];
  if (untrusted.length) out.push(`Codex has not trusted it yet (${untrusted.join(', ')})`);
  if (changed.length) out.push(`it changed since Codex trusted it (${changed.join(', ')})`);
  if (off.length) out.push(`it is switched off in Codex (${off.join(', ')})`);
  if (untrusted.length || changed.length) out.push('trust the ai-provenance hooks when Codex asks at start-up, or in /hooks');
  else if (off.length) out.push('switch it on in /hooks');
  return out;
}

function realOrSame(p: string): string {
  try {
    return realpathSync.native(p);
  } catch {
    return p;
  }
}

/** Removes our entries from one file (written only if it changed); returns whether it did. */
async function removeOurs(root: string, file: string, doc: ConfigDoc, spec: AgentHookSpec, agent: Agent, where: 'repository' | 'home'): Promise<boolean> {
  if (!doc.value) return false;
  const edit = new ConfigText(doc);
  let removed = 0;
  if (hooksObject(edit.value, spec, file)) {
    for (const event of spec.events) {
      const mine = ourEntries(eventList(edit.value, event, spec, file), spec, agent, event);
      // Last first, so the positions of the others still hold.
      for (const { at } of mine.reverse()) removeEntry(edit, event, at, spec);
      removed += mine.length;
      if (mine.length && eventList(edit.value, event, spec, file).length === 0) edit.set(listPath(spec, event), undefined);
    }
    const hooks = hooksObject(edit.value, spec, file);
    if (removed && hooks && Object.keys(hooks).length === 0) edit.set(['hooks'], undefined);
  }
  if (!removed) return false;
  const config = edit.value;
  const version = VERSION[spec.shape];
  const leftover = Object.keys(config).filter((k) => !(k === 'version' && version !== undefined && config.version === version));
  if (leftover.length === 0) {
    await fs.rm(file, { force: true });
    if (where === 'repository') await removeEmptyDirs(await fs.realpath(root), path.dirname(file));
  } else {
    await writeConfig(file, doc, edit.result());
  }
  return true;
}

/**
 * The config file to read and write. In the repository: its real path, so a symbolic link inside
 * the repository is written through (and stays a link); a folder or file that leads outside it (a
 * cloned repository can ship `.claude -> ~/somewhere`) is refused: we never write or delete there.
 * In the home: the agent's own folder (the one `homeEnv` names when set), links followed.
 */
async function configFile(root: string, spec: AgentHookSpec, env: NodeJS.ProcessEnv): Promise<string> {
  if (spec.location === 'home') {
    const parts = spec.file.split('/');
    const custom = spec.homeEnv ? env[spec.homeEnv] : undefined;
    return custom ? path.join(path.resolve(custom), ...parts.slice(1)) : path.join(userHome(env), ...parts);
  }
  return repositoryFile(root, spec.file);
}

async function repositoryFile(root: string, rel: string): Promise<string> {
  try {
    return realPathInside(root, path.join(root, ...rel.split('/')), rel);
  } catch (e) {
    if (e instanceof OutsideRepositoryError) throw new AgentConfigError(`${e.message}; refusing to touch it. Nothing was changed.`);
    throw new AgentConfigError(`cannot resolve ${rel}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** The former files to clean, as repository files; one that leads outside the repository is not ours to clean (we never wrote there). */
async function formerFiles(root: string, spec: AgentHookSpec): Promise<{ file: string; shown: string }[]> {
  const out: { file: string; shown: string }[] = [];
  for (const rel of spec.formerFiles ?? []) {
    try {
      out.push({ file: realPathInside(root, path.join(root, ...rel.split('/')), rel), shown: rel });
    } catch (e) {
      if (!(e instanceof OutsideRepositoryError)) throw new AgentConfigError(`cannot resolve ${rel}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return out;
}

/** The line that keeps a personal config out of git, in `.git/info/exclude` (never committed), under a comment saying who added it. */
const EXCLUDE_MARK = '# added by ai-provenance agents install (a personal agent config, never committed)';

/** Makes git ignore the personal config unless it already does; returns whether it wrote anything. */
async function keepOutOfGit(root: string, rel: string): Promise<boolean> {
  try {
    await git(root, ['check-ignore', '-q', '--no-index', '--', rel]);
    return false; // Already ignored.
  } catch (e) {
    if (!(e instanceof GitError) || e.exitCode !== 1) throw e;
  }
  const exclude = await gitPath(root, 'info/exclude');
  const text = await fs.readFile(exclude, 'utf8').catch(() => '');
  const block = `${EXCLUDE_MARK}\n/${rel}\n`;
  await fs.mkdir(path.dirname(exclude), { recursive: true });
  await writeAtomic(exclude, `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${block}`);
  return true;
}

/** Takes our exclusion out again (once the personal file is gone). */
async function forgetExclusion(root: string, rel: string): Promise<boolean> {
  const exclude = await gitPath(root, 'info/exclude');
  const text = await fs.readFile(exclude, 'utf8').catch(() => undefined);
  const block = `${EXCLUDE_MARK}\n/${rel}\n`;
  if (text === undefined || !text.includes(block)) return false;
  await writeAtomic(exclude, text.replace(block, ''));
  return true;
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

/** The `version` a new config file of this shape starts with, which uninstall leaves behind. */
const VERSION: Partial<Record<AgentHookSpec['shape'], unknown>> = { cursor: 1, 'copilot-cli': 1, kiro: 'v1' };

/** Where an entry keeps its command: Copilot CLI has one for each shell (we write both), Kiro one under `action`. */
function commandKeys(spec: AgentHookSpec): string[][] {
  if (spec.shape === 'copilot-cli') return [['bash'], ['powershell']];
  if (spec.shape === 'kiro') return [['action', 'command']];
  return [['command']];
}

function valueAt(entry: Entry, key: readonly string[]): unknown {
  let v: unknown = entry;
  for (const k of key) v = isEntry(v) ? v[k] : undefined;
  return v;
}

/** Where an event's list is: `hooks.<event>`, or Kiro's one `hooks` list (its entries name their trigger). */
function listPath(spec: AgentHookSpec, event: string): JSONPath {
  return spec.shape === 'kiro' ? ['hooks'] : ['hooks', event];
}

/** `hooks`, validated; undefined when absent. */
function hooksObject(config: Entry, spec: AgentHookSpec, file: string): Entry | unknown[] | undefined {
  const hooks = config.hooks;
  if (hooks === undefined) return undefined;
  if (spec.shape === 'kiro') {
    if (!Array.isArray(hooks)) throw new AgentConfigError(`"hooks" in ${file} is not a list; fix it first. Nothing was changed.`);
    return hooks;
  }
  if (!isEntry(hooks)) throw new AgentConfigError(`"hooks" in ${file} is not an object; fix it first. Nothing was changed.`);
  return hooks;
}

/** `hooks.<event>` (Kiro: `hooks`), validated; empty when absent. */
function eventList(config: Entry, event: string, spec: AgentHookSpec, file: string): unknown[] {
  const hooks = hooksObject(config, spec, file);
  const list = Array.isArray(hooks) ? hooks : (hooks?.[event] ?? []);
  if (!Array.isArray(list)) throw new AgentConfigError(`"hooks.${event}" in ${file} is not a list; fix it first. Nothing was changed.`);
  return list;
}

/** `hooks.<event>` (Kiro: `hooks`) for reading only: empty when absent or of another shape. */
function listAt(config: Entry, event: string, spec: AgentHookSpec): unknown[] {
  const list = spec.shape === 'kiro' ? config.hooks : isEntry(config.hooks) ? config.hooks[event] : undefined;
  return Array.isArray(list) ? list : [];
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
function ourEntries(list: unknown[], spec: AgentHookSpec, agent: Agent, event: string): Found[] {
  const out: Found[] = [];
  const [key] = commandKeys(spec);
  for (const [i, item] of list.entries()) {
    if (!isEntry(item)) continue;
    if (spec.shape === 'kiro' && item.trigger !== event) continue;
    if (spec.shape !== 'groups') {
      if (isOurCommand(valueAt(item, key), agent.name)) out.push({ entry: item, at: [i] });
      continue;
    }
    if (!Array.isArray(item.hooks)) continue;
    for (const [h, hook] of item.hooks.entries()) if (isEntry(hook) && isOurCommand(hook.command, agent.name)) out.push({ entry: hook, at: [i, 'hooks', h] });
  }
  return out;
}

/** A group that holds no hook and has our matcher: the place an uninstall kept for us (Codex). */
function isPlaceholder(item: unknown, spec: AgentHookSpec): boolean {
  return isEntry(item) && Array.isArray(item.hooks) && item.hooks.length === 0 && item.matcher === spec.matcher;
}

function placeholderIndex(list: unknown[], spec: AgentHookSpec): number {
  return list.findIndex((item) => isPlaceholder(item, spec));
}

function hookEntry(spec: AgentHookSpec, command: string): Entry {
  if (spec.shape === 'cursor' || spec.shape === 'commands') return { command };
  if (spec.shape === 'copilot-cli') return { type: 'command', bash: command, powershell: command, ...(spec.timeout ? { timeoutSec: spec.timeout } : {}) };
  return { ...(spec.name ? { name: spec.name } : {}), type: 'command', command, ...(spec.timeout ? { timeout: spec.timeout } : {}) };
}

function newEntry(spec: AgentHookSpec, command: string, event: string): Entry {
  if (spec.shape === 'kiro') {
    return {
      name: `${spec.name ?? 'ai-provenance'}-${event}`,
      trigger: event,
      ...(spec.matcher ? { matcher: spec.matcher } : {}),
      action: { type: 'command', command },
      ...(spec.timeout ? { timeout: spec.timeout } : {}),
    };
  }
  if (spec.shape !== 'groups') return hookEntry(spec, command);
  return { matcher: spec.matcher, hooks: [hookEntry(spec, command)] };
}

/**
 * Removes one of our entries; a matcher group left empty goes with it, unless the agent keys its
 * trust by position (Codex) and other groups follow: then the empty group stays, keeping their
 * place, and empty groups of ours left at the end of the list go.
 */
function removeEntry(edit: ConfigText, event: string, at: (string | number)[], spec: AgentHookSpec): void {
  const [group] = at;
  const list = listAt(edit.value, event, spec);
  const groupValue = list[Number(group)];
  const alone = at.length === 3 && isEntry(groupValue) && Array.isArray(groupValue.hooks) && groupValue.hooks.length === 1;
  if (!alone) {
    edit.set([...listPath(spec, event), ...at], undefined);
    return;
  }
  const followed = list.slice(Number(group) + 1).some((item) => !isPlaceholder(item, spec));
  if (spec.trust === 'codex' && followed) {
    edit.set(['hooks', event, group, 'hooks', 0], undefined);
    return;
  }
  edit.set(['hooks', event, group], undefined);
  if (spec.trust !== 'codex') return;
  // Trailing placeholders shift nothing when they go.
  for (let rest = listAt(edit.value, event, spec); rest.length && isPlaceholder(rest[rest.length - 1], spec); rest = listAt(edit.value, event, spec)) {
    edit.set(['hooks', event, rest.length - 1], undefined);
  }
}

/**
 * Shape 'file': hook scripts and plugin modules that are wholly ours. Each is ours when it carries
 * our mark (`fileMark`); a file of the same name without it belongs to the user and is never
 * overwritten or deleted. They run the same portable command as every other hook.
 */
interface HookFile {
  /** Repository-relative, as shown. */
  rel: string;
  /** Its real path. */
  abs: string;
  event: string;
  /** Its text; undefined when it does not exist. */
  text: string | undefined;
}

/** The files of a 'file' spec, read: one per event where `file` holds `{event}`, else one for all. */
async function hookFiles(root: string, spec: AgentHookSpec): Promise<HookFile[]> {
  const perEvent = spec.file.includes('{event}');
  const out: HookFile[] = [];
  for (const event of perEvent ? spec.events : [spec.events.join(', ')]) {
    const rel = spec.file.replace('{event}', event);
    const abs = await repositoryFile(root, rel);
    let text: string | undefined;
    try {
      text = await fs.readFile(abs, 'utf8');
    } catch (e) {
      if (!(e instanceof Error && 'code' in e && e.code === 'ENOENT')) throw new AgentConfigError(`cannot read ${rel}: ${e instanceof Error ? e.message : String(e)}`);
    }
    out.push({ rel, abs, event, text });
  }
  return out;
}

function isOurFile(text: string | undefined, agent: Agent): boolean {
  return text !== undefined && new RegExp(`${fileMark(agent.name).replace(/[-]/g, '\\-')}(?![\\w-])`).test(text);
}

function renderFor(agent: Agent, command: string): string {
  if (!agent.hooks.render) throw new Error(`agent ${agent.name} has no hook file to render`);
  return agent.hooks.render(command);
}

async function installFiles(root: string, agent: Agent, command: string): Promise<boolean> {
  const files = await hookFiles(root, agent.hooks);
  // All or nothing: a hook of the user's where ours would go stops the install before anything is written.
  const theirs = files.find((f) => f.text !== undefined && !isOurFile(f.text, agent));
  if (theirs) {
    throw new AgentConfigError(`${theirs.rel} is a hook that is not ours; have it run \`${command}\` with the same input, or move it away. Nothing was changed.`);
  }
  const text = renderFor(agent, command);
  let changed = false;
  for (const f of files) {
    if (f.text === text) continue;
    await fs.mkdir(path.dirname(f.abs), { recursive: true });
    await writeAtomic(f.abs, text, { executable: agent.hooks.executable });
    changed = true;
  }
  return changed;
}

async function uninstallFiles(root: string, agent: Agent): Promise<boolean> {
  const realRoot = await fs.realpath(root);
  let changed = false;
  for (const f of await hookFiles(root, agent.hooks)) {
    if (!isOurFile(f.text, agent)) continue;
    await fs.rm(f.abs, { force: true });
    await removeEmptyDirs(realRoot, path.dirname(f.abs));
    changed = true;
  }
  return changed;
}

async function filesStatus(root: string, agent: Agent, ctx: HookContext): Promise<AgentHookState> {
  const spec = agent.hooks;
  const shown = spec.file.replace('{event}', '*');
  let files: HookFile[];
  try {
    files = await hookFiles(root, spec);
  } catch (e) {
    if (!(e instanceof AgentConfigError)) throw e;
    return { kind: 'invalid', file: shown, error: e.message };
  }
  const ours = files.filter((f) => isOurFile(f.text, agent));
  if (ours.length === 0) return { kind: 'missing', file: shown };
  const problems: string[] = [];
  if (ours.length < files.length) problems.push(`only ${ours.map((f) => f.event).join(', ')} of ${spec.events.join(', ')}`);
  const text = renderFor(agent, agentHookCommand(agent.name));
  if (ours.some((f) => f.text !== text)) problems.push('it is not the file this version writes (an older command, or edited since)');
  const resolver = await resolverState(ctx.version, ctx.env ?? process.env);
  if (resolver.kind === 'missing') problems.push(`not active on this machine: ${RESOLVER_SHOWN} is missing`);
  else if (resolver.kind === 'stale') problems.push(resolver.problem);
  return problems.length ? { kind: 'stale', file: shown, problems } : { kind: 'installed', file: shown };
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
