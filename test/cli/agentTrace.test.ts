/** Agent Trace export and import (agent-trace.dev, v1 trace records) in real repositories, with the bundled CLI. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NOTES_REF } from '../../src/core/note';
import { workingProvenance } from '../../src/store/history';
import { Schema, validate } from '../jsonSchema';
import { TempRepo } from './helpers';
import { head, readNote } from './noteHelpers';

const SCHEMA: Schema = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../test/fixtures/agent-trace/trace-record.schema.json'), 'utf8'));

interface Range {
  start_line: number;
  end_line: number;
  content_hash?: string;
}
interface TraceJson {
  version: string;
  id: string;
  timestamp: string;
  vcs: { type: string; revision: string };
  tool: { name: string; version: string };
  files: { path: string; conversations: { contributor: { type: string; model_id?: string }; ranges: Range[] }[] }[];
  metadata: { [key: string]: unknown };
}

describe('CLI: Agent Trace export and import', function () {
  this.timeout(120_000);
  let repo: TempRepo;
  const others: TempRepo[] = [];
  beforeEach(() => {
    repo = new TempRepo('aip-trace-');
    repo.write('a.txt', 'a\nb\n');
    repo.commitAll('base');
    assert.equal(repo.cli(['hook', 'install']).code, 0);
  });
  afterEach(() => {
    repo.dispose();
    for (const o of others.splice(0)) o.dispose();
  });

  const commit = (r: TempRepo, message: string): string => {
    r.git('add', '-A');
    const c = r.tryGit('commit', '-q', '--no-verify', '-m', message);
    assert.equal(c.code, 0, c.stderr);
    return head(r);
  };
  const mark = (r: TempRepo, target: string, ...flags: string[]): void => {
    const m = r.cli(['mark', target, ...flags]);
    assert.equal(m.code, 0, m.stderr);
  };
  const exported = (r: TempRepo, ...args: string[]): TraceJson[] => {
    const x = r.cli(['export', '--format', 'agent-trace', ...args]);
    assert.equal(x.code, 0, x.stderr);
    return x.stdout.trimEnd().split('\n').filter(Boolean).map((l) => JSON.parse(l));
  };
  /** A file of records, outside the repository. */
  const traceFile = (lines: (string | object)[]): string => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'aip-traces-')), 'traces.jsonl');
    fs.writeFileSync(file, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
    return file;
  };
  const importFile = (r: TempRepo, file: string): { code: number; stdout: string; stderr: string } => r.cli(['import', '--format', 'agent-trace', file]);
  /** A clone of `repo` without its notes (git clone does not fetch them). */
  const cloneOf = (source: TempRepo): TempRepo => {
    const clone = new TempRepo('aip-trace-clone-');
    others.push(clone);
    clone.git('remote', 'add', 'origin', source.root);
    clone.git('fetch', '-q', 'origin', 'main');
    clone.git('checkout', '-q', '-B', 'main', 'origin/main');
    assert.equal(clone.tryGit('rev-parse', '-q', '--verify', NOTES_REF).code, 1, 'the clone has no notes');
    return clone;
  };
  /** Three commits: two tools and models in two files, a review, a session, a commit without AI lines. */
  const history = (): { base: string; commits: string[] } => {
    const base = head(repo);
    repo.write('a.txt', 'a\nb\nai one\nai two\n');
    mark(repo, 'a.txt:3-4', '--source', 'inline', '--tool', 'copilot', '--model', 'gpt-4o');
    repo.write('src/odd name é.ts', 'export const x = 1;\nexport const y = 2;\nexport const z = 3;\n');
    mark(repo, 'src/odd name é.ts:1', '--source', 'agent', '--tool', 'claude-code', '--model', 'claude-sonnet-4-5', '--session', 's-123');
    mark(repo, 'src/odd name é.ts:3', '--source', 'chat', '--tool', 'copilot', '--model', 'gpt-4o');
    assert.equal(repo.cli(['review', 'a.txt:3-4']).code, 0);
    const c1 = commit(repo, 'ai in two files');
    repo.write('a.txt', 'a\nb\nai one\nai two\nhuman\n');
    const c2 = commit(repo, 'human only');
    repo.write('a.txt', 'top\na\nb\nai one\nai two\nhuman\nmore ai\n');
    mark(repo, 'a.txt:7', '--source', 'next-edit', '--tool', 'cursor');
    const c3 = commit(repo, 'more ai below, a line above');
    return { base, commits: [c1, c2, c3] };
  };

  it('export: one record per commit, oldest first, each valid against the Agent Trace v1 schema; the same bytes every time', () => {
    const { base, commits } = history();
    const records = exported(repo, `${base}..HEAD`);
    assert.deepEqual(records.map((r) => r.vcs.revision), commits);
    for (const r of records) assert.deepEqual(validate(SCHEMA, r), [], JSON.stringify(r));
    const [r1, r2, r3] = records;
    assert.equal(r1.version, '0.1.0');
    assert.deepEqual(r1.tool.name, 'ai-provenance');
    assert.deepEqual(r1.vcs.type, 'git');
    assert.equal(r1.timestamp, new Date(Number(repo.git('log', '-1', '--format=%ct', commits[0]).trim()) * 1000).toISOString());
    assert.deepEqual(r1.files.map((f) => f.path), ['a.txt', 'src/odd name é.ts']);
    const odd = r1.files[1].conversations;
    assert.deepEqual(odd.map((c) => [c.contributor, c.ranges.map((x) => [x.start_line, x.end_line])]), [
      [{ type: 'ai', model_id: 'claude-sonnet-4-5' }, [[1, 1]]],
      [{ type: 'ai', model_id: 'gpt-4o' }, [[3, 3]]],
    ]);
    assert.match(odd[0].ranges[0].content_hash ?? '', /^cyrb53:[0-9a-z]{11}$/);
    assert.deepEqual(r2.files, [], 'a commit without AI lines: a record with no files');
    assert.deepEqual(r3.files.map((f) => [f.path, f.conversations[0].ranges[0].start_line, f.conversations[0].contributor]), [['a.txt', 7, { type: 'ai' }]]);
    assert.equal(new Set(records.map((r) => r.id)).size, 3, 'each record has its own id');
    assert.deepEqual(exported(repo, `${base}..HEAD`), records, 'the same records on a second export');
    assert.deepEqual(exported(repo), [r3], 'HEAD by default');
    assert.deepEqual(exported(repo, commits[0]), [r1]);
  });

  it('export → import into a fresh clone: the same notes, verify verdict and line provenance; importing again adds nothing', async () => {
    const { base, commits } = history();
    const file = traceFile(exported(repo, `${base}..HEAD`));
    const clone = cloneOf(repo);
    const r = importFile(clone, file);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'Imported 3 Agent Trace records: 5 lines into the notes of 2 commits.\n');
    const strip = (n: ReturnType<typeof readNote>): unknown => n && { ...n, writer: '' };
    for (const c of commits) assert.deepEqual(strip(readNote(clone, c)), strip(readNote(repo, c)), `note of ${c}`);
    const verify = (x: TempRepo): unknown => JSON.parse(x.cli(['verify', `${base}..HEAD`, '--json']).stdout);
    assert.deepEqual(verify(clone), verify(repo));
    assert.equal(clone.cli(['verify', `${base}..HEAD`]).code, 1, 'the unreviewed lines came along as unreviewed');
    // Line by line, as blame and the editor's hover read history.
    for (const f of ['a.txt', 'src/odd name é.ts']) {
      const [mine, theirs] = await Promise.all([workingProvenance(repo.root, f), workingProvenance(clone.root, f)]);
      assert.deepEqual(theirs, mine, f);
    }
    const a = await workingProvenance(clone.root, 'a.txt');
    assert.deepEqual(a.map((l) => [l.ai, l.reviewed, l.tool]), [[false, false, null], [false, false, null], [false, false, null], [true, true, 'copilot'], [true, true, 'copilot'], [false, false, null], [true, false, 'cursor']]);
    const notesBefore = clone.git('rev-parse', NOTES_REF);
    const again = importFile(clone, file);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, 'Imported 3 Agent Trace records: no new AI lines; left out: 5 lines already recorded.\n');
    assert.equal(clone.git('rev-parse', NOTES_REF), notesBefore, 'the notes did not change');
  });

  it('import after a review: the review reaches the note already there', () => {
    const { base } = history();
    const clone = cloneOf(repo);
    assert.equal(importFile(clone, traceFile(exported(repo, `${base}..HEAD`))).code, 0);
    assert.equal(repo.cli(['review', '--all']).code, 0);
    assert.equal(repo.cli(['verify', `${base}..HEAD`]).code, 0);
    assert.equal(importFile(clone, traceFile(exported(repo, `${base}..HEAD`))).code, 0);
    assert.equal(clone.cli(['verify', `${base}..HEAD`]).code, 0, clone.cli(['verify', `${base}..HEAD`]).stdout);
  });

  it('a record of another tool at a commit: its lines go to the notes of the commits that wrote them, at their place there', () => {
    const c1 = head(repo);
    repo.write('a.txt', 'a\nb\nagent one\nagent two\n');
    const writer = commit(repo, 'agent lines');
    repo.write('a.txt', 'new top\na\nb\nagent one\nagent two\n');
    const later = commit(repo, 'a line above');
    const clone = cloneOf(repo);
    // As another tool writes it: no content hash, no metadata of ours; lines 4-5 at `later`.
    const record = {
      version: '0.1.0',
      id: '7d444840-9dc0-11d1-b245-5ffdce74fad2',
      timestamp: '2026-02-01T10:00:00Z',
      vcs: { type: 'git', revision: later },
      tool: { name: 'cursor', version: '2.4.0' },
      files: [{ path: 'a.txt', conversations: [{ url: 'https://example.com/conversations/1', contributor: { type: 'ai', model_id: 'anthropic/claude-opus-4-5' }, ranges: [{ start_line: 4, end_line: 5 }] }, { contributor: { type: 'human' }, ranges: [{ start_line: 1, end_line: 1 }] }] }],
    };
    const r = importFile(clone, traceFile([record]));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'Imported 1 Agent Trace record: 2 lines into the notes of 1 commit; left out: 1 range not written by AI (human or unknown).\n');
    assert.deepEqual(readNote(clone, later)?.files, {}, 'the record\'s commit is noted, but did not write those lines');
    const [region] = readNote(clone, writer)!.files['a.txt'];
    assert.deepEqual([region.from, region.to, region.source, region.tool, region.model, region.session, region.author], [3, 4, 'external', 'cursor', 'anthropic/claude-opus-4-5', 'https://example.com/conversations/1', 'dev@example.com']);
    assert.equal(region.createdAt, '2026-02-01T10:00:00.000Z');
    const v = JSON.parse(clone.cli(['verify', `${c1}..HEAD`, '--json']).stdout);
    assert.deepEqual(v.unreviewed.map((u: { path: string; from: number; to: number; commit: string }) => [u.path, u.from, u.to, u.commit]), [['a.txt', 4, 5, writer]]);
  });

  it('a content hash finds lines that moved since the record was written', () => {
    repo.write('a.txt', 'a\nb\nai\n');
    mark(repo, 'a.txt:3', '--tool', 'copilot');
    const c = commit(repo, 'ai');
    const [record] = exported(repo);
    record.files[0].conversations[0].ranges[0] = { ...record.files[0].conversations[0].ranges[0], start_line: 1, end_line: 1 };
    record.metadata = {}; // as another tool would write it: no extras of ours
    const clone = cloneOf(repo);
    assert.equal(importFile(clone, traceFile([record])).code, 0);
    assert.deepEqual(readNote(clone, c)!.files['a.txt'].map((x) => [x.from, x.to, x.source, x.tool]), [[3, 3, 'external', null]]);
    record.files[0].conversations[0].ranges[0].content_hash = 'cyrb53:00000000000';
    const elsewhere = cloneOf(repo);
    const r = importFile(elsewhere, traceFile([record]));
    assert.equal(r.stdout, 'Imported 1 Agent Trace record: no new AI lines; left out: 1 range whose lines were not found.\n');
    assert.equal(readNote(elsewhere, c), undefined);
  });

  it('the reference hooks\' traces.jsonl: uncommitted edits come into the working tree\'s markers, session files are left out', () => {
    repo.write('src/x.ts', 'one\ntwo\nthree\n');
    commit(repo, 'x');
    repo.write('src/x.ts', 'one\ntwo\nagent a\nagent b\nthree\n');
    const at = head(repo);
    // What the specification's reference hooks append: version "1.0", no content hash, HEAD as the revision.
    const hook = (file: string, ranges: { start_line: number; end_line: number }[], extra: object = {}): object => ({
      version: '1.0',
      id: `00000000-0000-4000-8000-00000000000${ranges.length}`,
      timestamp: '2026-02-02T12:00:00.000Z',
      vcs: { type: 'git', revision: at },
      tool: { name: 'claude-code' },
      files: [{ path: file, conversations: [{ url: 'file:///home/dev/.claude/t.jsonl', contributor: { type: 'ai', model_id: 'anthropic/claude-sonnet-4-5' }, ranges }] }],
      metadata: { session_id: 's1', tool_name: 'Edit', ...extra },
    });
    const file = traceFile([hook('.sessions', [{ start_line: 1, end_line: 1 }], { event: 'session_start' }), '', hook(path.join(repo.root, 'src/x.ts'), [{ start_line: 2, end_line: 4 }])]);
    const r = importFile(repo, file);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "Imported 2 Agent Trace records: 2 lines into the working tree's markers (1 file); left out: 1 range of files not in the repository.\n");
    assert.deepEqual(repo.regions().map((x) => [x.path, x.from, x.to, x.source, x.tool, x.reviewed]), [['src/x.ts', 3, 4, 'external', 'claude-code', false]], 'line 2 was committed already: not the edit');
    const again = importFile(repo, file);
    assert.match(again.stdout, /no new AI lines; left out: 2 lines already recorded/);
    assert.equal(repo.regions().length, 1);
    assert.equal(repo.cli(['check']).code, 1, 'the gate sees them');
  });

  describe('bad input: exit 2, a clear error, nothing written', () => {
    let file: string;
    let good: TraceJson;
    beforeEach(() => {
      repo.write('a.txt', 'a\nb\nai\n');
      mark(repo, 'a.txt:3', '--tool', 'copilot');
      commit(repo, 'ai');
      [good] = exported(repo);
    });
    const refused = (clone: TempRepo, lines: (string | object)[], error: RegExp): void => {
      file = traceFile(lines);
      const r = importFile(clone, file);
      assert.equal(r.code, 2, r.stdout);
      assert.match(r.stderr, error);
      assert.equal(r.stdout, '');
      assert.equal(clone.tryGit('rev-parse', '-q', '--verify', NOTES_REF).code, 1, 'no note was written');
      assert.deepEqual(clone.regions(), [], 'no marker was written');
    };

    it('a line that is not JSON, or not a record, named by its number (the good line before it is not taken either)', () => {
      const clone = cloneOf(repo);
      refused(clone, [good, '{"version": "0.1.0", "id": '], /^ai-provenance import: line 2: not valid JSON/);
      refused(clone, [good, good, { ...good, files: [{ path: 'a.txt', conversations: [{ ranges: [{ start_line: 0, end_line: 1 }] }] }] }], /line 3: "files\[0\]\.conversations\[0\]\.ranges\[0\]\.start_line" is not a line number/);
      refused(clone, [{ ...good, version: '2.0.0' }], /line 1: "version" 2\.0\.0 is a later Agent Trace version/);
      const note = JSON.parse(JSON.stringify(good.metadata['dev.ai-provenance'])).note;
      note.files['a.txt'][0].source = 'telepathy';
      refused(clone, [{ ...good, metadata: { 'dev.ai-provenance': { note } } }], /line 1: "metadata\["dev\.ai-provenance"\]\.note": "files\["a\.txt"\]\[0\]\.source" is not a known source/);
      refused(clone, [{ ...good, metadata: { 'dev.ai-provenance': { note: { ...note, version: 9 } } } }], /line 1: "metadata\["dev\.ai-provenance"\]\.note": written by a newer AI Provenance/);
    });

    it('a record for a revision this repository does not have', () => {
      const clone = cloneOf(repo);
      const missing = 'f'.repeat(40);
      refused(clone, [good, { ...good, vcs: { type: 'git', revision: missing } }], new RegExp(`line 2: revision ${missing} is not a commit in this repository`));
      refused(clone, [{ ...good, vcs: { type: 'jj', revision: 'kkmpptxz' } }], /line 1: "vcs\.type" is "jj"; only git revisions can be imported/);
      refused(clone, [{ ...good, vcs: { type: 'git', revision: 'HEAD\nmain' } }], /line 1: "vcs\.revision" "HEAD\\nmain" is not a commit id/);
    });

    it('a path outside the repository', () => {
      const clone = cloneOf(repo);
      for (const p of ['../outside.txt', '/etc/passwd', 'a/../../x', '.git/config']) {
        refused(clone, [good, { ...good, files: [{ ...good.files[0], path: p }] }], new RegExp(`line 2: path ${JSON.stringify(p).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is not a path inside the repository`));
      }
    });

    it('a path through a symbolic link that leads outside the repository', () => {
      const clone = cloneOf(repo);
      const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'aip-outside-'));
      try {
        fs.writeFileSync(path.join(outside, 'x.txt'), 'x\n');
        fs.symlinkSync(outside, clone.path('link'));
        refused(clone, [good, { ...good, vcs: undefined, files: [{ ...good.files[0], path: 'link/x.txt' }] }], /path "link\/x\.txt" leads outside the repository through a symbolic link/);
      } finally {
        fs.rmSync(outside, { recursive: true, force: true });
      }
    });

    it('no --format, a file that is not there; export of a commit without a note or a name that is no commit', () => {
      const clone = cloneOf(repo);
      const noFormat = clone.cli(['import', traceFile([good])]);
      assert.equal(noFormat.code, 2);
      assert.match(noFormat.stderr, /--format agent-trace is required/);
      const gone = importFile(clone, path.join(clone.root, 'no-such.jsonl'));
      assert.equal(gone.code, 2);
      assert.match(gone.stderr, /cannot read .*no-such\.jsonl/);
      const none = clone.cli(['export', '--format', 'agent-trace']);
      assert.equal(none.code, 2);
      assert.match(none.stderr, /commit [0-9a-f]{12} carries no AI Provenance note, so there is nothing to export/);
      const bad = repo.cli(['export', '--format', 'agent-trace', 'no-such-branch']);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /"no-such-branch" is not a commit in this repository/);
      assert.equal(repo.cli(['export', '--format', 'json']).code, 2);
    });
  });
});
