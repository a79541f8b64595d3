/**
 * `gate.json` in the store: the last `check --staged` verdict, written by the CLI (the pre-commit
 * hook) and read by the extension to explain a blocked commit. One type, one writer, one reader.
 */
import { isObject, parseObject } from './json';

export const GATE_FILE_NAME = 'gate.json';

/** How many regions the file lists; its `count` is the total. The editor shows the count and the first location. */
export const GATE_REGIONS = 100;

export interface GateRegion {
  id: string;
  /** Repository-relative, forward slashes. */
  path: string;
  /** 1-based inclusive lines. */
  from: number;
  to: number;
  source: string;
  tool: string | null;
}

export interface GateFile {
  /** ISO time of the verdict. */
  at: string;
  /** Regions that blocked (or, under a warn policy, were flagged). */
  count: number;
  regions: GateRegion[];
}

export function serializeGateFile(gate: GateFile): string {
  const regions = gate.regions.slice(0, GATE_REGIONS).map((r) => ({ id: r.id, path: r.path, from: r.from, to: r.to, source: r.source, tool: r.tool }));
  return JSON.stringify({ at: gate.at, count: gate.count, regions }) + '\n';
}

export type GateParse = { ok: true; gate: GateFile } | { ok: false; error: string };

/** Reads a gate file; the error names the first field that is wrong. Fields we do not know are ignored. */
export function parseGateFile(text: string): GateParse {
  const parsed = parseObject(text);
  if (!parsed.ok) return parsed;
  const value = parsed.value;
  const { at, count, regions } = value;
  if (typeof at !== 'string' || Number.isNaN(Date.parse(at))) return { ok: false, error: '"at" is not a date' };
  if (!isCount(count)) return { ok: false, error: '"count" is not a whole number' };
  if (!Array.isArray(regions)) return { ok: false, error: '"regions" is not a list' };
  const out: GateRegion[] = [];
  for (const [i, r] of regions.entries()) {
    const region = gateRegion(r);
    if (typeof region === 'string') return { ok: false, error: `"regions[${i}]${region}` };
    out.push(region);
  }
  return { ok: true, gate: { at, count, regions: out } };
}

/** The region, or the rest of the error message after `"regions[i]`. */
function gateRegion(r: unknown): GateRegion | string {
  if (!isObject(r)) return '" is not an object';
  const { id, path, from, to, source, tool } = r;
  if (typeof id !== 'string') return '.id" is not a string';
  if (typeof path !== 'string' || path === '') return '.path" is not a path';
  if (!isCount(from) || from < 1) return '.from" is not a line number';
  if (!isCount(to) || to < from) return '.to" is not a line number at or after "from"';
  if (typeof source !== 'string') return '.source" is not a string';
  if (tool !== null && typeof tool !== 'string') return '.tool" is neither a string nor null';
  return { id, path, from, to, source, tool };
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

