/**
 * Readers for the payloads of the agents that name one field several ways (snake_case in one
 * version or product, camelCase in another). Each throws PayloadError naming the field when a value
 * is there with the wrong type, and says nothing when it is simply absent.
 */
import { Json, PayloadError, TextEdit } from './payload';

/** The value under the first of `keys` present in `o`. */
function firstKey(o: Json, keys: readonly string[]): [string, unknown] | undefined {
  for (const key of keys) if (o[key] !== undefined && o[key] !== null) return [key, o[key]];
  return undefined;
}

/** An optional string under any of `keys`. */
export function anyString(o: Json, keys: readonly string[], where: string): string | undefined {
  const found = firstKey(o, keys);
  if (!found) return undefined;
  if (typeof found[1] !== 'string') throw new PayloadError(`${where}.${found[0]} is not a string`);
  return found[1];
}

/** The file a tool names, under any of `keys`. */
export function pathUnder(o: Json, keys: readonly string[], where: string): string {
  const v = anyString(o, keys, where);
  if (!v) throw new PayloadError(`${where} names no file (expected ${where}.${keys[0]})`);
  return v;
}

/**
 * A replacement from `old`/`new` under any of their names; undefined when the payload carries
 * neither (the pre-tool snapshot then tells what changed).
 */
export function optionalReplacement(o: Json, oldKeys: readonly string[], newKeys: readonly string[], where: string, all = false): TextEdit | undefined {
  const newText = anyString(o, newKeys, where);
  const oldText = anyString(o, oldKeys, where) ?? '';
  if (newText === undefined) return undefined;
  return all ? { oldText, newText, all } : { oldText, newText };
}

/** An object, or a JSON text of one (Copilot CLI's `toolArgs`, Cline's string-valued parameters); else empty. */
export function objectOrJson(v: unknown, where: string): Json {
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      throw new PayloadError(`${where} is not a JSON object`);
    }
  }
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new PayloadError(`${where} is not an object`);
  return v as Json;
}

/**
 * The edits of a SEARCH/REPLACE diff, as Cline's replace_in_file takes it: blocks of
 * `------- SEARCH` (or `<<<<<<< SEARCH`), the old lines, `=======`, the new lines,
 * `+++++++ REPLACE` (or `>>>>>>> REPLACE`), applied in order.
 */
export function searchReplaceEdits(diff: string, where: string): TextEdit[] {
  const edits: TextEdit[] = [];
  let state: 'out' | 'search' | 'replace' = 'out';
  let search: string[] = [];
  let replace: string[] = [];
  for (const line of diff.split(/\r?\n/)) {
    const marker = line.trim();
    if (state === 'out' && /^(-{3,}|<{3,}) SEARCH>?$/.test(marker)) {
      state = 'search';
      search = [];
      replace = [];
    } else if (state === 'search' && /^={3,}$/.test(marker)) {
      state = 'replace';
    } else if (state === 'replace' && /^(\+{3,}|>{3,}) REPLACE>?$/.test(marker)) {
      edits.push({ oldText: search.join('\n'), newText: replace.join('\n') });
      state = 'out';
    } else if (state === 'search') {
      search.push(line);
    } else if (state === 'replace') {
      replace.push(line);
    }
  }
  if (edits.length === 0) throw new PayloadError(`${where} holds no SEARCH/REPLACE block`);
  return edits;
}
