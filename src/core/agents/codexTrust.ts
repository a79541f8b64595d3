/**
 * How Codex decides whether it may run a hook, read from its source (openai/codex, codex-rs/hooks:
 * engine/discovery.rs, config_rules.rs, lib.rs `hook_key`; codex-rs/config: fingerprint.rs
 * `version_for_toml`, hook_config.rs):
 *
 * - Every hook that is not managed by an administrator runs only once the user trusted it (the
 *   /hooks screen, or the start-up "Hooks need review" prompt). Codex then writes, to the user's
 *   `config.toml` (in CODEX_HOME, `~/.codex` by default):
 *
 *     [hooks.state."<absolute path of hooks.json>:<event>:<group index>:<hook index>"]
 *     trusted_hash = "sha256:…"
 *
 *   (`enabled = false` there when the user switched it off.) The key is positional: the event's
 *   label (`pre_tool_use`), the index of the matcher group in the event's list and of the hook in
 *   the group. Removing a group shifts the keys of every group after it, whose recorded hashes then
 *   belong to other hooks: Codex shows them as changed and skips them until trusted again.
 * - The hash is SHA-256 over a canonical JSON of the hook's normalized definition: the event label,
 *   the group's matcher, and the one hook with `type`, `command` (the Windows override's text on
 *   Windows), `timeout` (600 when unset), `async` (false when unset) and, when set,
 *   `statusMessage`; keys sorted at every level, no spaces. A hook whose command changes by one
 *   character is a new hook to Codex, silently skipped until trusted.
 *
 * This module reads the recorded states out of a config.toml and builds the canonical text that
 * Codex hashes; the store hashes it (node:crypto) and compares.
 */

export interface CodexHookState {
  enabled?: boolean;
  trustedHash?: string;
}

/** The persisted-state key of one hook (lib.rs `hook_key`). */
export function codexHookKey(sourcePath: string, event: string, group: number, hook: number): string {
  return `${sourcePath}:${codexEventLabel(event)}:${group}:${hook}`;
}

/** `PreToolUse` → `pre_tool_use`, as Codex labels events in its keys and hashes. */
export function codexEventLabel(event: string): string {
  return event.replace(/(?<=[a-z])(?=[A-Z])/g, '_').toLowerCase();
}

/** The hook as Codex normalizes it before hashing. */
export interface CodexHookDefinition {
  command: string;
  timeout?: number;
  async?: boolean;
  statusMessage?: string;
}

/** The exact text whose SHA-256 is Codex's `trusted_hash` for this hook (discovery.rs `hook_hash`, fingerprint.rs). */
export function codexHookIdentity(event: string, matcher: string | undefined, hook: CodexHookDefinition): string {
  const handler: Record<string, unknown> = {
    async: hook.async ?? false,
    command: hook.command,
    ...(hook.statusMessage !== undefined ? { statusMessage: hook.statusMessage } : {}),
    timeout: Math.max(1, hook.timeout ?? 600),
    type: 'command',
  };
  return canonicalJson({ event_name: codexEventLabel(event), hooks: [handler], ...(matcher !== undefined ? { matcher } : {}) });
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The `hooks.state` entries of a Codex config.toml, however they are written: a table per hook
 * (what Codex writes), an inline table or dotted keys under `[hooks.state]` or `[hooks]`. Only
 * what this needs of TOML is read (tables, dotted and quoted keys, strings, booleans, one-line
 * inline tables); multi-line strings and arrays are skipped over.
 */
export function parseCodexHookStates(toml: string): Map<string, CodexHookState> {
  const states = new Map<string, CodexHookState>();
  const record = (path: string[], value: unknown): void => {
    if (path.length !== 4 || path[0] !== 'hooks' || path[1] !== 'state') return;
    const state = states.get(path[2]) ?? {};
    if (path[3] === 'trusted_hash' && typeof value === 'string') state.trustedHash = value;
    else if (path[3] === 'enabled' && typeof value === 'boolean') state.enabled = value;
    else return;
    states.set(path[2], state);
  };
  const text = toml.replace(/^\ufeff/, '');
  let table: string[] = [];
  let i = 0;
  while (i < text.length) {
    i = skipSpace(text, i, true);
    if (i >= text.length) break;
    const c = text[i];
    if (c === '[') {
      const array = text[i + 1] === '[';
      const parsed = readKey(text, i + (array ? 2 : 1));
      table = parsed ? parsed.key : [];
      i = endOfLine(text, parsed ? parsed.end : i + 1);
      continue;
    }
    const key = readKey(text, i);
    if (!key || text[skipSpace(text, key.end)] !== '=') {
      i = endOfLine(text, i);
      continue;
    }
    const value = readValue(text, skipSpace(text, skipSpace(text, key.end) + 1));
    const path = [...table, ...key.key];
    if (value.value instanceof Map) {
      for (const [k, v] of value.value) record([...path, ...(k as string[])], v);
    } else {
      record(path, value.value);
    }
    i = endOfLine(text, value.end);
  }
  return states;
}

function skipSpace(text: string, i: number, newlines = false): number {
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || (newlines && (c === '\n' || c === '\r'))) i++;
    else if (newlines && c === '#') i = endOfLine(text, i);
    else break;
  }
  return i;
}

function endOfLine(text: string, i: number): number {
  const n = text.indexOf('\n', i);
  return n < 0 ? text.length : n + 1;
}

/** A dotted key (`a."b c".'d'`) at `i`; undefined when none is there. */
function readKey(text: string, i: number): { key: string[]; end: number } | undefined {
  const key: string[] = [];
  for (;;) {
    i = skipSpace(text, i);
    let part: { value: string; end: number } | undefined;
    if (text[i] === '"' || text[i] === "'") part = readString(text, i);
    else {
      const m = /^[A-Za-z0-9_-]+/.exec(text.slice(i, i + 256));
      if (m) part = { value: m[0], end: i + m[0].length };
    }
    if (!part) return undefined;
    key.push(part.value);
    i = skipSpace(text, part.end);
    if (text[i] === '.') {
      i++;
      continue;
    }
    if (text[i] === ']') i += text[i + 1] === ']' ? 2 : 1;
    return { key, end: i };
  }
}

/** A one-line basic or literal string at `i` (its quote); undefined when it does not close on its line. */
function readString(text: string, i: number): { value: string; end: number } | undefined {
  const quote = text[i];
  let out = '';
  for (let j = i + 1; j < text.length; j++) {
    const c = text[j];
    if (c === '\n') return undefined;
    if (c === quote) return { value: out, end: j + 1 };
    if (c === '\\' && quote === '"') {
      const e = text[++j];
      const simple: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '"': '"', '\\': '\\' };
      if (e in simple) out += simple[e];
      else if (e === 'u' || e === 'U') {
        const len = e === 'u' ? 4 : 8;
        out += String.fromCodePoint(parseInt(text.slice(j + 1, j + 1 + len), 16) || 0xfffd);
        j += len;
      } else return undefined;
      continue;
    }
    out += c;
  }
  return undefined;
}

/** A value at `i`: a string, a boolean, or a one-line inline table (as key paths to values); anything else is skipped. */
function readValue(text: string, i: number): { value: unknown; end: number } {
  const rest = text.slice(i, i + 3);
  if (rest === '"""' || rest === "'''") {
    const close = text.indexOf(rest, i + 3);
    return { value: undefined, end: close < 0 ? text.length : close + 3 };
  }
  if (text[i] === '"' || text[i] === "'") {
    const s = readString(text, i);
    return s ? { value: s.value, end: s.end } : { value: undefined, end: endOfLine(text, i) };
  }
  const word = /^(true|false)(?![A-Za-z0-9_-])/.exec(text.slice(i, i + 6));
  if (word) return { value: word[1] === 'true', end: i + word[1].length };
  if (text[i] === '[') return { value: undefined, end: skipBracketed(text, i) };
  if (text[i] === '{') {
    const entries = new Map<string[], unknown>();
    let j = i + 1;
    for (;;) {
      j = skipSpace(text, j);
      if (text[j] === '}') return { value: entries, end: j + 1 };
      const key = readKey(text, j);
      if (!key || text[skipSpace(text, key.end)] !== '=') break;
      const v = readValue(text, skipSpace(text, skipSpace(text, key.end) + 1));
      entries.set(key.key, v.value);
      j = skipSpace(text, v.end);
      if (text[j] === ',') j++;
    }
    return { value: undefined, end: endOfLine(text, i) };
  }
  return { value: undefined, end: endOfLine(text, i) };
}

/** The end of an array value, which may span lines and hold strings with brackets in them. */
function skipBracketed(text: string, i: number): number {
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const c = text[j];
    if (c === '"' || c === "'") {
      const s = readString(text, j);
      if (s) {
        j = s.end - 1;
        continue;
      }
    } else if (c === '#') {
      j = endOfLine(text, j) - 1;
    } else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return j + 1;
  }
  return text.length;
}
