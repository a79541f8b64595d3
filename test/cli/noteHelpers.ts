/** Notes written by hand (`git notes add`), as the hooks would write them, for tests of what reads them. */
import { emptyNote, hashLines, Note, NOTES_REF, parseNote, serializeNote, setFile } from '../../src/core/note';
import { Source } from '../../src/core/regions';
import { splitLines } from '../../src/core/text';
import { TempRepo } from './helpers';

export interface HandRegion {
  path: string;
  from: number;
  to: number;
  source?: Source;
  tool?: string | null;
  /** A review by this identity of the region's text as committed. */
  reviewedBy?: string;
}

let seq = 0;

/** The note for `commit` holding `regions` (hashes taken from the commit's version of each file). */
export function noteFor(repo: TempRepo, commit: string, regions: HandRegion[]): Note {
  const note = emptyNote('ai-provenance test');
  const byPath = new Map<string, HandRegion[]>();
  for (const r of regions) byPath.set(r.path, [...(byPath.get(r.path) ?? []), r]);
  for (const [path, list] of byPath) {
    const fileLines = splitLines(repo.git('show', `${commit}:${path}`));
    setFile(
      note.files,
      path,
      list.map((r) => {
        const { hash, lines } = hashLines(fileLines, r.from, r.to);
        return {
          id: `hand${++seq}`,
          from: r.from,
          to: r.to,
          source: r.source ?? 'inline',
          tool: r.tool === undefined ? 'copilot' : r.tool,
          author: 'dev@example.com',
          createdAt: '2026-01-01T00:00:00.000Z',
          hash,
          lines,
          reviews: r.reviewedBy ? [{ by: r.reviewedBy, at: '2026-01-02T00:00:00.000Z', hash }] : [],
        };
      }),
    );
  }
  return note;
}

/** Attaches a note to `commit` with plain `git notes` (replacing any). */
export function addNote(repo: TempRepo, commit: string, regions: HandRegion[]): void {
  addRawNote(repo, commit, serializeNote(noteFor(repo, commit, regions)));
}

export function addRawNote(repo: TempRepo, commit: string, text: string): void {
  repo.git('notes', `--ref=${NOTES_REF}`, 'add', '-f', '-m', text, commit);
}

/** The commit's note as stored, parsed (undefined when it has none). */
export function readNote(repo: TempRepo, commit: string): Note | undefined {
  const r = repo.tryGit('notes', `--ref=${NOTES_REF}`, 'show', commit);
  if (r.code !== 0) return undefined;
  const parsed = parseNote(r.stdout);
  if (!parsed.ok) throw new Error(`note of ${commit}: ${parsed.error}`);
  return parsed.note;
}

/** Commits `content` to `rel` (git commit --no-verify) and returns the new commit id. */
export function commitFile(repo: TempRepo, rel: string, content: string, message = `change ${rel}`): string {
  repo.write(rel, content);
  repo.commitAll(message);
  return head(repo);
}

export function head(repo: TempRepo, rev = 'HEAD'): string {
  return repo.git('rev-parse', rev).trim();
}

/** `n` numbered lines with a prefix, newline-terminated. */
export function numbered(prefix: string, n: number, start = 1): string {
  return Array.from({ length: n }, (_, i) => `${prefix} ${start + i}`).join('\n') + '\n';
}
