/** The first step of every reader of JSON from outside (notes, marker files, gate files, trace records): one object, or why not. */

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export type ObjectParse = { ok: true; value: Record<string, unknown> } | { ok: false; error: string };

/** Parses `text` as one JSON object; the error says "not valid JSON (…)" or "not a JSON object". */
export function parseObject(text: string): ObjectParse {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `not valid JSON (${e instanceof Error ? e.message : String(e)})` };
  }
  return isObject(value) ? { ok: true, value } : { ok: false, error: 'not a JSON object' };
}
