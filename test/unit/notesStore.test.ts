/** Reading and writing notes in real git repositories (store/notes.ts). */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { emptyNote, hashLines, Note, NoteError, NOTES_REF, NoteRegion, serializeNote } from '../../src/core/note';
import { listNotedCommits, readNote, readNotes, refValue, updateNote, writeNote } from '../../src/store/notes';
import { cleanEnv, TempRepo } from '../cli/helpers';

function region(id: string, reviews: NoteRegion['reviews'] = []): NoteRegion {
  return { id, from: 1, to: 1, source: 'chat', tool: 'copilot', author: 'dev@example.com', createdAt: '2026-11-26T15:00:00.000Z', ...hashLines(['x'], 1, 1), reviews };
}

function noteWith(file: string, ...regions: NoteRegion[]): Note {
  const note = emptyNote('ai-provenance test');
  note.files[file] = regions;
  return note;
}

describe('notes store', function () {
  this.timeout(60_000);
  let repo: TempRepo;
  let commits: string[];
  beforeEach(() => {
    repo = new TempRepo('aip-notes-');
    commits = [];
    for (let i = 0; i < 3; i++) {
      repo.write('f.txt', `${i}\n`);
      repo.commitAll(`c${i}`);
      commits.push(repo.git('rev-parse', 'HEAD').trim());
    }
  });
  afterEach(() => repo.dispose());

  it('reads nothing where there is no notes ref, writes a note, reads it back; git notes reads it too', async () => {
    assert.equal(await readNote(repo.root, commits[0]), undefined);
    assert.equal((await listNotedCommits(repo.root)).size, 0);
    const note = noteWith('src/a.ts', region('r1'));
    await writeNote(repo.root, commits[0], note);
    assert.equal(serializeNote((await readNote(repo.root, commits[0]))!), serializeNote(note));
    assert.equal(await readNote(repo.root, commits[1]), undefined);
    assert.equal(repo.git('notes', `--ref=${NOTES_REF}`, 'show', commits[0]), serializeNote(note));
    assert.deepEqual([...(await listNotedCommits(repo.root)).keys()], [commits[0]]);
    assert.deepEqual([...(await readNotes(repo.root, commits)).keys()], [commits[0]]);
    // Branches and the index are untouched; only the notes ref moved.
    assert.equal(repo.git('status', '--porcelain'), '');
    assert.equal(repo.git('rev-parse', 'HEAD').trim(), commits[2]);
  });

  it('refuses abbreviated ids', async () => {
    await assert.rejects(readNote(repo.root, commits[0].slice(0, 12)), RangeError);
    await assert.rejects(writeNote(repo.root, 'HEAD', emptyNote('w')), RangeError);
  });

  it('writing to a commit that has a note merges: reviews by two people both survive', async () => {
    const r = region('r1');
    await writeNote(repo.root, commits[1], noteWith('a.ts', { ...r, reviews: [{ by: 'A <a@x>', at: '2026-11-27T00:00:00.000Z', hash: r.hash }] }));
    await writeNote(repo.root, commits[1], noteWith('a.ts', { ...r, reviews: [{ by: 'B <b@x>', at: '2026-11-28T00:00:00.000Z', hash: r.hash }] }));
    const stored = await readNote(repo.root, commits[1]);
    assert.deepEqual(stored?.files['a.ts'][0].reviews.map((v) => v.by), ['A <a@x>', 'B <b@x>']);
    // Writing the same note again makes no new notes commit.
    const before = await refValue(repo.root);
    await writeNote(repo.root, commits[1], stored!);
    assert.equal(await refValue(repo.root), before);
  });

  it('a corrupt or newer note is refused with an error naming the commit, and a write does not replace it', async () => {
    repo.git('notes', `--ref=${NOTES_REF}`, 'add', '-m', '{"version": 1, "writer": "x", "files": {"a.ts": [{"id": 3}]}}', commits[0]);
    repo.git('notes', `--ref=${NOTES_REF}`, 'add', '-m', '{"version": 7, "writer": "future", "files": {}}', commits[1]);
    await assert.rejects(readNote(repo.root, commits[0]), (e: unknown) => e instanceof NoteError && e.commit === commits[0] && e.message.includes(commits[0].slice(0, 12)) && /\.id"/.test(e.message) && !e.newer);
    await assert.rejects(readNote(repo.root, commits[1]), (e: unknown) => e instanceof NoteError && e.newer && /newer AI Provenance/.test(e.message));
    await assert.rejects(readNotes(repo.root, commits), NoteError);
    await assert.rejects(writeNote(repo.root, commits[1], emptyNote('w')), NoteError);
    assert.match(repo.git('notes', `--ref=${NOTES_REF}`, 'show', commits[1]), /"version": 7/);
  });

  it('a notes ref that is not a commit is refused', async () => {
    const blob = repo.git('hash-object', '-w', 'f.txt').trim();
    repo.git('update-ref', NOTES_REF, blob);
    await assert.rejects(readNote(repo.root, commits[0]), /points at a blob/);
    await assert.rejects(writeNote(repo.root, commits[0], emptyNote('w')), /points at a blob/);
    assert.equal(repo.git('rev-parse', NOTES_REF).trim(), blob);
  });

  it('when another writer moves the ref between read and write, it starts again and both notes survive', async () => {
    let calls = 0;
    await writeNote(repo.root, commits[0], noteWith('mine.ts', region('mine')), {
      beforeWrite: async () => {
        if (calls++ === 0) repo.git('notes', `--ref=${NOTES_REF}`, 'add', '-m', serializeNote(noteWith('theirs.ts', region('theirs'))), commits[1]);
      },
    });
    assert.equal(calls, 2);
    assert.ok((await readNote(repo.root, commits[0]))?.files['mine.ts']);
    assert.ok((await readNote(repo.root, commits[1]))?.files['theirs.ts']);
  });

  it('the same commit written by another writer in between: update runs again on the note as it is now', async () => {
    const seen: (string | undefined)[] = [];
    let calls = 0;
    await updateNote(
      repo.root,
      commits[0],
      (current) => {
        seen.push(current?.writer);
        return noteWith('mine.ts', region('mine'));
      },
      {
        beforeWrite: async () => {
          if (calls++ === 0) repo.git('notes', `--ref=${NOTES_REF}`, 'add', '-m', serializeNote(emptyNote('other writer')), commits[0]);
        },
      },
    );
    assert.deepEqual(seen, [undefined, 'other writer']);
  });

  it('gives up with an error after its attempts when the ref keeps moving, having changed nothing of its own', async () => {
    let n = 0;
    await assert.rejects(
      writeNote(repo.root, commits[0], emptyNote('w'), {
        attempts: 3,
        beforeWrite: async () => {
          repo.git('notes', `--ref=${NOTES_REF}`, 'add', '-f', '-m', serializeNote(emptyNote(`other ${n++}`)), commits[1]);
        },
      }),
      /other writers kept moving it \(3 attempts\)/,
    );
    assert.equal(await readNote(repo.root, commits[0]), undefined);
  });

  it('two processes writing notes to different commits at the same time lose none', async () => {
    // 2 x 12 commits, noted by two concurrent processes.
    const targets: string[] = [];
    for (let i = 0; i < 24; i++) {
      repo.git('commit', '-q', '--allow-empty', '-m', `e${i}`);
      targets.push(repo.git('rev-parse', 'HEAD').trim());
    }
    const store = path.resolve(__dirname, '../../src/store/notes.js');
    const core = path.resolve(__dirname, '../../src/core/note.js');
    const writer = (ids: string[], name: string): Promise<number> =>
      new Promise((resolve, reject) => {
        const script = `const s = require(${JSON.stringify(store)}); const c = require(${JSON.stringify(core)});
(async () => { for (const id of ${JSON.stringify(ids)}) await s.writeNote(process.cwd(), id, c.emptyNote(${JSON.stringify(name)})); })().catch((e) => { console.error(e); process.exit(1); });`;
        const child = spawn(process.execPath, ['-e', script], { cwd: repo.root, env: cleanEnv(), stdio: ['ignore', 'inherit', 'inherit'] });
        child.on('error', reject);
        child.on('close', (code) => resolve(code ?? -1));
      });
    const codes = await Promise.all([writer(targets.filter((_, i) => i % 2 === 0), 'even'), writer(targets.filter((_, i) => i % 2 === 1), 'odd')]);
    assert.deepEqual(codes, [0, 0]);
    const notes = await readNotes(repo.root, targets);
    assert.equal(notes.size, 24);
    targets.forEach((id, i) => assert.equal(notes.get(id)?.writer, i % 2 === 0 ? 'even' : 'odd'));
  });

  it('reads and writes notes in a fanned-out notes tree (as git makes it past 256 notes)', async () => {
    // 300 commits and their notes in one fast-import stream; fast-import fans the notes tree out.
    const count = 300;
    let stream = '';
    for (let i = 1; i <= count; i++) {
      stream += `commit refs/heads/many\nmark :${i}\ncommitter T <t@x> ${1700000000 + i} +0000\ndata 2\nc\n${i === 1 ? '' : `from :${i - 1}\n`}`;
    }
    stream += `commit ${NOTES_REF}\ncommitter T <t@x> 1800000000 +0000\ndata 2\nn\n`;
    for (let i = 1; i <= count; i++) {
      const text = serializeNote(emptyNote(`w${i}`));
      stream += `N inline :${i}\ndata ${Buffer.byteLength(text)}\n${text}\n`;
    }
    const r = repo.tryGitInput(['fast-import', '--quiet'], stream);
    assert.equal(r.code, 0, r.stderr);
    const tree = repo.git('ls-tree', NOTES_REF);
    assert.match(tree, /^040000 tree [0-9a-f]+\t[0-9a-f]{2}$/m, 'the notes tree is fanned out');
    const ids = repo.git('rev-list', '--reverse', 'many').trim().split('\n');
    assert.equal((await readNote(repo.root, ids[41]))?.writer, 'w42');
    const all = await readNotes(repo.root, ids);
    assert.equal(all.size, count);
    assert.equal(all.get(ids[299])?.writer, 'w300');
    await writeNote(repo.root, ids[7], noteWith('late.ts', region('late')));
    assert.ok((await readNote(repo.root, ids[7]))?.files['late.ts']);
    assert.equal((await readNotes(repo.root, ids)).size, count);
    assert.match(repo.git('notes', `--ref=${NOTES_REF}`, 'show', ids[7]), /late\.ts/);
  });
});
