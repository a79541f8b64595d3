/** How the command line prints regions: `path:from-to` lines for people, the SPEC's JSON shape for programs. */
import { Region, lineRange } from '../core/regions';
import { StoreError } from '../store/markerStore';
import { FileRegions } from '../store/repository';

const C_ESCAPES: Record<string, string> = { '\x07': 'a', '\b': 'b', '\t': 't', '\n': 'n', '\v': 'v', '\f': 'f', '\r': 'r', '"': '"', '\\': '\\' };

/**
 * A path for a line of human output. One holding a control character (a line break would split
 * the one-line verdict), a double quote or a backslash is quoted as git quotes it: in double quotes,
 * with C escapes (`\n`, `\t`, `\"`, `\\`) and octal for the other control characters. Other
 * characters, non-ASCII ones too, are left as they are (git with `core.quotePath=false`).
 */
export function quotePath(p: string): string {
  if (!/[\x00-\x1f\x7f"\\]/.test(p)) return p;
  return `"${p.replace(/[\x00-\x1f\x7f"\\]/g, (c) => `\\${C_ESCAPES[c] ?? c.charCodeAt(0).toString(8).padStart(3, '0')}`)}"`;
}

/** `path:from-to`, 1-based inclusive, the path quoted where it must be. */
export function location(p: string, r: Region): string {
  const { from, to } = lineRange(r);
  return `${quotePath(p)}:${from}-${to}`;
}

export function locationLines(files: FileRegions[], details: boolean): string[] {
  return files.flatMap((f) =>
    f.regions.map((r) => {
      const extra = details ? `${r.tool ? `  ${r.tool}` : ''}${r.review ? '  (reviewed)' : ''}` : '';
      return `${location(f.path, r)}  ${r.source}${extra}`;
    }),
  );
}

/** One region as `status --json` and `check --json` print it (SPEC: id, path, from, to, source, tool, reviewed at least). */
export function regionJson(p: string, r: Region): Record<string, unknown> {
  const { from, to } = lineRange(r);
  return {
    id: r.id,
    path: p,
    from,
    to,
    source: r.source,
    tool: r.tool,
    reviewed: r.review !== null,
    ...(r.model ? { model: r.model } : {}),
    ...(r.session ? { session: r.session } : {}),
    createdAt: r.createdAt,
    author: r.author,
    ...(r.review ? { reviewedBy: r.review.by, reviewedAt: r.review.at } : {}),
  };
}

export function regionsJson(files: FileRegions[]): Record<string, unknown>[] {
  return files.flatMap((f) => f.regions.map((r) => regionJson(f.path, r)));
}

/** Corrupt marker files were moved aside: nobody can vouch for what they held, so status and check both fail. */
export function corruptStoreError(quarantined: string[], what: 'commit' | 'tree'): StoreError {
  return new StoreError(
    `${quarantined.length} corrupt marker file(s) were moved aside, so AI Provenance cannot vouch for this ${what}: ${quarantined.join(', ')}. Inspect and delete them (then mark the affected code again if needed).`,
  );
}
