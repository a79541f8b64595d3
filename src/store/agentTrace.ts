/**
 * Agent Trace export and import (core/agentTrace.ts has the mapping): records of commits' notes
 * out, and records in, each range placed where its lines are, re-anchored, in the notes of the
 * commits that wrote them or in the working tree's markers.
 *
 * Where an imported range goes:
 * - With a content hash we can check (`cyrb53:`, what our export writes): where those lines are,
 *   at the range's place or wherever they moved to, in the record's revision first (then: notes),
 *   else in the working tree (then: markers). Found nowhere, the range is skipped.
 * - Without one: at its place in the record's revision, as the specification defines ranges
 *   (notes); except that when the revision is HEAD and the file has uncommitted changes, the place
 *   is taken in the working tree, and only its uncommitted lines are marked (what the reference
 *   hooks record: the revision the edit was made on top of, and the edit not committed yet). A
 *   record without `vcs` is about the working tree.
 * - Lines in a revision go, by `git blame` of that revision, to the note of the commit that wrote
 *   each of them, at their place in that commit: the note `verify` and `blame` look in.
 * Nothing is recorded twice: lines a note or a marker already covers are left out.
 *
 * Every record is read, checked and placed before anything is written: bad input writes nothing.
 */
import { createHash } from 'node:crypto';
import { addImported, findLines, ImportedRegion, linesHash, parseTraceRecord, recordOfNote, repositoryPath, TraceRangeInput, traceRanges, TraceRecord, uncoveredRuns } from '../core/agentTrace';
import { addedLines } from '../core/carry';
import { emptyNote, Note, NoteRegion, noteWriter, serializeNote, setFile } from '../core/note';
import { addRegion, coveredLines, createRegion, lineSpan, newId } from '../core/regions';
import { hashText, LineIndex, splitLines } from '../core/text';
import { VERSION } from '../core/version';
import { blameFile } from './blame';
import { catFileBatch, git } from './git';
import { commitId, HistoryError, resolveRange } from './history';
import { OutsideRepositoryError } from './markerStore';
import { readNotes, updateNote } from './notes';
import { Repository, UnsupportedFileError } from './repository';
import { ImportError } from './errors';
import { readTexts } from './rewrite';

export { ImportError };

/** Our namespace for record ids (UUID version 5, RFC 4122 section 4.3): the same note of the same commit always gets the same id. */
const ID_NAMESPACE = Buffer.from('5b1e0c9a7f3d4c2e8a6b1d0f9e8c7a65', 'hex');

function uuidFor(name: string): string {
  const h = createHash('sha1').update(ID_NAMESPACE).update(name, 'utf8').digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** `%H <format>` of each commit, one git process: commit -> the formatted field. */
async function commitFields(root: string, commits: readonly string[], format: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (commits.length === 0) return out;
  const text = await git(root, ['log', '--no-walk=unsorted', '--stdin', `--format=%H ${format}`], commits.join('\n') + '\n');
  for (const line of text.split('\n')) {
    const space = line.indexOf(' ');
    if (space > 0) out.set(line.slice(0, space), line.slice(space + 1));
  }
  return out;
}

export interface ExportResult {
  /** One record per commit that carries a note, oldest first. */
  records: TraceRecord[];
  /** Commits asked for that carry no note (nothing is known of them). */
  withoutNote: string[];
}

/** The records of one commit (`rev`, HEAD when omitted) or of a range `<base>..<head>`. */
export async function exportRecords(root: string, rev = 'HEAD'): Promise<ExportResult> {
  let commits: string[];
  if (/\.\.(?!\.)/.test(rev)) commits = (await resolveRange(root, rev)).commits.map((c) => c.id).reverse();
  else {
    const id = await commitId(root, rev);
    if (!id) throw new HistoryError(`"${rev}" is not a commit in this repository`);
    commits = [id];
  }
  const [notes, times] = await Promise.all([readNotes(root, commits), commitFields(root, commits, '%ct')]);
  const records: TraceRecord[] = [];
  const withoutNote: string[] = [];
  for (const commit of commits) {
    const note = notes.get(commit);
    if (!note) {
      withoutNote.push(commit);
      continue;
    }
    const timestamp = new Date(Number(times.get(commit)) * 1000).toISOString();
    records.push(recordOfNote(note, { revision: commit, id: uuidFor(`${commit}\n${serializeNote({ ...note, writer: '' })}`), timestamp, toolVersion: VERSION }));
  }
  return { records, withoutNote };
}

/** Why ranges were not imported, for the summary. */
export type SkipReason = 'notAi' | 'noFile' | 'notFound';

export interface ImportSummary {
  records: number;
  /** New AI lines in the notes, and how many commits' notes got some. */
  noteLines: number;
  commits: number;
  /** New AI lines in the working tree's markers, and in how many files. */
  treeLines: number;
  files: number;
  /** Lines placed that a note or a marker covered already. */
  recordedLines: number;
  /** Ranges not imported: not AI (human, unknown), no such file, their lines not found. */
  skipped: Record<SkipReason, number>;
}

/** One range, read and placed. */
interface Placed {
  line: number;
  input: TraceRangeInput;
  path: string;
}

/** A range placed in a revision: lines `from..to` of `path` at `rev`. */
interface AtRevision extends Placed {
  rev: string;
  from: number;
  to: number;
  text: string[];
}

/** A range placed in the working tree: these runs of its lines, in this content of the file. */
interface InTree extends Placed {
  runs: [number, number][];
  content: string;
}

/**
 * Imports Agent Trace records (a JSON Lines text, one record a line; blank lines are skipped).
 * Throws ImportError before writing anything when a line is not a record, names a revision this
 * repository does not have or a path outside it.
 */
export async function importRecords(repo: Repository, text: string): Promise<ImportSummary> {
  const root = repo.root;
  const read: { line: number; record: TraceRecord; ranges: TraceRangeInput[]; rev?: string }[] = [];
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return;
    const parsed = parseTraceRecord(raw);
    if (!parsed.ok) throw new ImportError(`line ${i + 1}: ${parsed.error}`);
    const ranges = traceRanges(parsed.record);
    if (typeof ranges === 'string') throw new ImportError(`line ${i + 1}: ${ranges}`);
    read.push({ line: i + 1, record: parsed.record, ranges });
  });
  // Revisions, in one cat-file: each must be a commit here.
  const named = read.filter((r) => r.record.vcs);
  for (const r of named) {
    const vcs = r.record.vcs!;
    if (vcs.type !== 'git') throw new ImportError(`line ${r.line}: "vcs.type" is "${vcs.type}"; only git revisions can be imported`);
    if (!/^[0-9a-f]{7,64}$/i.test(vcs.revision)) throw new ImportError(`line ${r.line}: "vcs.revision" ${JSON.stringify(vcs.revision)} is not a commit id`);
  }
  const answers = await catFileBatch(root, named.map((r) => `${r.record.vcs!.revision}^{commit}`));
  named.forEach((r, i) => {
    const a = answers[i];
    if (!a || a.type !== 'commit') throw new ImportError(`line ${r.line}: revision ${r.record.vcs!.revision} is not a commit in this repository (fetch it first, or import where it was made)`);
    r.rev = a.id;
  });
  const placed: Placed[] = [];
  for (const r of read) {
    for (const input of r.ranges) {
      const p = repositoryPath(input.path, root);
      if (p === undefined) throw new ImportError(`line ${r.line}: path ${JSON.stringify(input.path)} is not a path inside the repository`);
      placed.push({ line: r.line, input, path: p });
    }
  }
  const revOf = new Map(read.map((r) => [r.line, r.rev]));
  const ai = placed.filter((p) => p.input.ai);
  const { atRevision, inTree, skipped } = await place(repo, ai, revOf);
  const notes = await noteRegions(root, atRevision);
  // A record describes its revision: that commit is noted (with no lines of its own, if blame
  // sent them all elsewhere) when some range was found there, or when the record has no files.
  for (const r of read) {
    if (r.rev && !notes.has(r.rev) && (r.record.files.length === 0 || atRevision.some((a) => a.rev === r.rev))) notes.set(r.rev, new Map());
  }
  // Everything is read and placed: now write.
  const summary: ImportSummary = { records: read.length, noteLines: 0, commits: 0, treeLines: 0, files: 0, recordedLines: 0, skipped: { notAi: placed.length - ai.length, noFile: 0, notFound: 0 } };
  for (const reason of skipped) summary.skipped[reason]++;
  for (const [commit, files] of notes) {
    const lines = await addToNote(root, commit, files);
    summary.noteLines += lines;
    if (lines > 0) summary.commits++;
  }
  const author = await repo.author();
  for (const [rel, items] of groupBy(inTree, (r) => r.path)) {
    const lines = await addToTree(repo, rel, items, author);
    summary.treeLines += lines;
    if (lines > 0) summary.files++;
  }
  const placedLines = atRevision.reduce((n, r) => n + r.to - r.from + 1, 0) + inTree.reduce((n, r) => n + r.runs.reduce((m, [a, b]) => m + b - a + 1, 0), 0);
  summary.recordedLines = placedLines - summary.noteLines - summary.treeLines;
  return summary;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) out.set(key(item), [...(out.get(key(item)) ?? []), item]);
  return out;
}

/** Adds imported regions to a commit's note (creating it if need be). Returns the new lines. */
async function addToNote(root: string, commit: string, files: Map<string, ImportedRegion[]>): Promise<number> {
  let lines = 0;
  await updateNote(root, commit, (current) => {
    const writer = noteWriter(VERSION);
    const note: Note = emptyNote(writer);
    for (const [path, regions] of Object.entries(current?.files ?? {})) setFile(note.files, path, regions);
    lines = 0;
    for (const [path, imported] of files) {
      const added = addImported(Object.hasOwn(note.files, path) ? note.files[path] : [], imported);
      lines += added.lines;
      setFile(note.files, path, added.regions);
    }
    // Nothing new (our own record imported again): the note stays as it is, writer and all.
    return current && serializeNote(note) === serializeNote({ ...current, writer }) ? undefined : note;
  });
  return lines;
}

/** Marks the imported runs of lines in the working tree, where no marker covers them yet. Returns the new lines. */
async function addToTree(repo: Repository, rel: string, items: InTree[], author: string): Promise<number> {
  const content = items[0].content;
  const index = new LineIndex(content);
  let lines = 0;
  await repo.updateRegions(
    rel,
    (regions) => {
      lines = 0;
      let out = regions;
      const taken = new Set(out.map((r) => r.id));
      const covered = (line: number): boolean =>
        out.some((r) => {
          const { first, last } = coveredLines(r, (l) => index.lineLength(l));
          return first + 1 <= line && line <= last + 1;
        });
      for (const item of items) {
        const fields = item.input.extras ?? { ...item.input.fields, author };
        for (const [from, to] of item.runs) {
          for (const [a, b] of uncoveredRuns(from, to, covered)) {
            const id = taken.has(fields.id) ? newId() : fields.id;
            taken.add(id);
            out = addRegion(out, createRegion({ ...lineSpan(index, a, b), id, source: fields.source, tool: fields.tool, model: fields.model, session: fields.session, author: fields.author, createdAt: fields.createdAt }));
            lines += b - a + 1;
          }
        }
      }
      return out;
    },
    content,
  );
  return lines;
}

/** Where each AI range's lines are: in its revision, in the working tree, or nowhere. */
async function place(repo: Repository, ranges: Placed[], revOf: Map<number, string | undefined>): Promise<{ atRevision: AtRevision[]; inTree: InTree[]; skipped: SkipReason[] }> {
  const root = repo.root;
  const head = (await catFileBatch(root, ['HEAD^{commit}']))[0]?.id;
  const names = [...new Set(ranges.flatMap((r) => (revOf.get(r.line) ? [`${revOf.get(r.line)}:${r.path}`] : [])))];
  const revTexts = new Map<string, string[] | undefined>();
  (await revisionTexts(root, names)).forEach((t, i) => revTexts.set(names[i], t === undefined ? undefined : splitLines(t)));
  // The working tree's version of each file, split once (a traces.jsonl may hold hundreds of records of one file).
  const tree = new Map<string, { text: string; lines: string[] } | undefined>();
  for (const p of new Set(ranges.map((r) => r.path))) {
    try {
      const text = await repo.readWorkingFile(p);
      tree.set(p, text === undefined ? undefined : { text, lines: splitLines(text) });
    } catch (e) {
      if (e instanceof OutsideRepositoryError) throw new ImportError(`path ${JSON.stringify(p)} leads outside the repository through a symbolic link`);
      if (!(e instanceof UnsupportedFileError)) throw e;
      tree.set(p, undefined); // binary, too large, a folder: no lines to mark
    }
  }
  // Per path: the working tree's lines that HEAD does not hold, when the file differs from HEAD.
  const uncommitted = new Map<string, [number, number][] | undefined>();
  const changedSinceHead = async (p: string, headLines: string[] | undefined, treeLines: string[]): Promise<[number, number][] | undefined> => {
    if (!uncommitted.has(p)) {
      const same = headLines !== undefined && headLines.length === treeLines.length && headLines.every((l, i) => l === treeLines[i]);
      uncommitted.set(p, same ? undefined : await uncommittedLines(root, p, headLines === undefined));
    }
    return uncommitted.get(p);
  };
  const out = { atRevision: [] as AtRevision[], inTree: [] as InTree[], skipped: [] as SkipReason[] };
  for (const r of ranges) {
    const rev = revOf.get(r.line);
    const revLines = rev ? revTexts.get(`${rev}:${r.path}`) : undefined;
    const file = tree.get(r.path);
    const treeLines = file?.lines;
    const { from, to, hash } = r.input;
    const length = to - from + 1;
    const atRev = (start: number): void => void out.atRevision.push({ ...r, rev: rev!, from: start, to: start + length - 1, text: revLines!.slice(start - 1, start - 1 + length) });
    if (revLines === undefined && treeLines === undefined) {
      out.skipped.push('noFile');
      continue;
    }
    if (hash) {
      const inRev = revLines && findLines(revLines, from, length, hash);
      if (inRev) atRev(inRev);
      else {
        const inTreeAt = treeLines && findLines(treeLines, from, length, hash);
        if (inTreeAt) out.inTree.push({ ...r, runs: [[inTreeAt, inTreeAt + length - 1]], content: file!.text });
        else out.skipped.push('notFound');
      }
      continue;
    }
    const fresh = rev !== undefined && rev === head && file ? await changedSinceHead(r.path, revLines, file.lines) : undefined;
    if (rev === undefined || fresh) {
      if (!file || to > file.lines.length) {
        out.skipped.push(file ? 'notFound' : 'noFile');
        continue;
      }
      const runs = fresh ? uncoveredRuns(from, to, (line) => !fresh.some(([a, b]) => a <= line && line <= b)) : [[from, to] as [number, number]];
      if (runs.length) out.inTree.push({ ...r, runs, content: file.text });
      else out.skipped.push('notFound');
      continue;
    }
    if (revLines && to <= revLines.length) atRev(from);
    else out.skipped.push(revLines ? 'notFound' : 'noFile');
  }
  return out;
}

/**
 * Texts of `<rev>:<path>` names (undefined: missing or binary). One cat-file for all, except a
 * path holding a line break, which would shift the batch's answers: it is asked for alone.
 */
async function revisionTexts(root: string, names: readonly string[]): Promise<(string | undefined)[]> {
  const plain = names.filter((n) => !/[\r\n]/.test(n));
  const texts = new Map<string, string | undefined>();
  (await readTexts(root, plain)).forEach((t, i) => texts.set(plain[i], t));
  for (const n of names.filter((x) => /[\r\n]/.test(x))) {
    const t = await git(root, ['cat-file', 'blob', n]).catch(() => undefined);
    texts.set(n, t === undefined || t.includes('\0') ? undefined : t);
  }
  return names.map((n) => texts.get(n));
}

/** Lines of the working-tree file that HEAD does not hold (all of them for a file HEAD does not have). */
async function uncommittedLines(root: string, rel: string, untracked: boolean): Promise<[number, number][]> {
  if (untracked) return [[1, Number.MAX_SAFE_INTEGER]];
  const diff = await git(root, ['--literal-pathspecs', '-c', 'core.quotePath=false', 'diff', '--unified=0', '--no-color', '--no-ext-diff', '--no-textconv', '--src-prefix=a/', '--dst-prefix=b/', 'HEAD', '--', rel]);
  return addedLines(diff).get(rel) ?? [];
}

/**
 * The note regions of ranges placed in revisions, in the notes of the commits that wrote their
 * lines (by blame of the revision): commit -> path -> regions with their text.
 */
async function noteRegions(root: string, ranges: AtRevision[]): Promise<Map<string, Map<string, ImportedRegion[]>>> {
  const blames = new Map<string, Awaited<ReturnType<typeof blameFile>>>();
  for (const key of new Set(ranges.map((r) => `${r.rev}\0${r.path}`))) {
    const [rev, rel] = key.split('\0');
    blames.set(key, await blameFile(root, rel, { rev }));
  }
  // Authors of the commits that wrote the lines: who was at the keyboard, for records without ours.
  const origins = new Set<string>();
  for (const b of blames.values()) for (const e of b) origins.add(e.commit);
  const authors = await commitFields(root, [...origins], '%ae');
  const out = new Map<string, Map<string, ImportedRegion[]>>();
  for (const r of ranges) {
    const entries = blames.get(`${r.rev}\0${r.path}`)!;
    // Runs of the range's lines that come from one commit, consecutive there too.
    let part = 0;
    for (const e of entries) {
      const a = Math.max(r.from, e.line);
      const b = Math.min(r.to, e.line + e.count - 1);
      if (a > b) continue;
      const text = r.text.slice(a - r.from, b - r.from + 1);
      const fields = r.input.extras ?? { ...r.input.fields, author: authors.get(e.commit) ?? '' };
      const region: NoteRegion = {
        id: part++ === 0 ? fields.id : `${fields.id}-${a - r.from}`,
        from: e.origLine + (a - e.line),
        to: e.origLine + (b - e.line),
        source: fields.source,
        tool: fields.tool,
        ...(fields.model !== undefined ? { model: fields.model } : {}),
        ...(fields.session !== undefined ? { session: fields.session } : {}),
        author: fields.author,
        createdAt: fields.createdAt,
        hash: linesHash(text),
        lines: text.map(hashText),
        reviews: fields.reviews,
      };
      let files = out.get(e.commit);
      if (!files) out.set(e.commit, (files = new Map()));
      files.set(e.origPath, [...(files.get(e.origPath) ?? []), { region, text }]);
    }
  }
  return out;
}
