import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TempRepo } from './helpers';

describe('CLI: mark, unmark, review, status', () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = new TempRepo();
    repo.write('src/a.ts', 'one\ntwo\nthree\nfour\nfive\nsix\n');
    repo.commitAll();
  });
  afterEach(() => repo.dispose());

  it('marks lines and reports them in the SPEC JSON shape', () => {
    const r = repo.cli(['mark', 'src/a.ts:2-4', '--source', 'chat', '--tool', 'copilot']);
    assert.equal(r.code, 0, r.stderr);
    const status = JSON.parse(repo.cli(['status', '--json']).stdout);
    assert.equal(status.regions.length, 1);
    const region = status.regions[0];
    assert.deepEqual(
      { path: region.path, from: region.from, to: region.to, source: region.source, tool: region.tool, reviewed: region.reviewed },
      { path: 'src/a.ts', from: 2, to: 4, source: 'chat', tool: 'copilot', reviewed: false },
    );
    assert.equal(typeof region.id, 'string');
  });

  it('accepts absolute paths and paths relative to a subdirectory', () => {
    assert.equal(repo.cli(['mark', repo.path('src/a.ts') + ':1']).code, 0);
    assert.equal(repo.cli(['mark', 'a.ts:6'], { cwd: repo.path('src') }).code, 0);
    assert.deepEqual(repo.regions().map((r) => [r.path, r.from, r.to]), [['src/a.ts', 1, 1], ['src/a.ts', 6, 6]]);
  });

  it('refuses paths outside the repository with exit 2 and writes nothing', () => {
    const outside = repo.cli(['mark', '../elsewhere.ts:1']);
    assert.equal(outside.code, 2);
    assert.match(outside.stderr, /outside the repository/);
    assert.equal(repo.cli(['mark', '/etc/hostname:1']).code, 2);
    assert.equal(repo.cli(['review', '.git/config']).code, 2);
    assert.deepEqual(repo.regions(), []);
  });

  it('refuses binary and missing files, bad ranges and unknown options with exit 2', () => {
    repo.write('img.bin', Buffer.from([0x89, 0x50, 0x00, 0x01, 0x02]));
    assert.match(repo.cli(['mark', 'img.bin']).stderr, /binary/);
    assert.match(repo.cli(['mark', 'nope.ts:1']).stderr, /does not exist/);
    assert.equal(repo.cli(['mark', 'src/a.ts:5-2']).code, 2);
    assert.match(repo.cli(['mark', 'src/a.ts:99']).stderr, /line 99 does not exist/);
    assert.match(repo.cli(['status', '--jsn']).stderr, /unknown option --jsn/);
    assert.equal(repo.cli(['frobnicate']).code, 2);
    assert.equal(repo.cli(['mark', 'src/a.ts', '--source', 'robot']).code, 2);
  });

  it('unmark declares lines human and splits the region around them', () => {
    repo.cli(['mark', 'src/a.ts:1-5']);
    assert.equal(repo.cli(['unmark', 'src/a.ts:3']).code, 0);
    assert.deepEqual(repo.regions().map((r) => [r.from, r.to]), [[1, 2], [4, 5]]);
    repo.cli(['unmark', 'src/a.ts']);
    assert.deepEqual(repo.regions(), []);
  });

  it('review marks the overlapping regions, a whole file, or everything', () => {
    repo.write('b.ts', 'x\ny\n');
    repo.cli(['mark', 'src/a.ts:1-2']);
    repo.cli(['mark', 'src/a.ts:5']);
    repo.cli(['mark', 'b.ts:1']);
    assert.match(repo.cli(['review', 'src/a.ts:2']).stdout, /Marked 1 region reviewed/);
    assert.deepEqual(repo.regions().map((r) => [r.path, r.from, r.reviewed]), [['b.ts', 1, false], ['src/a.ts', 1, true], ['src/a.ts', 5, false]]);
    assert.equal(JSON.parse(repo.cli(['status', '--json']).stdout).regions.length, 2, 'status without --all lists only unreviewed');
    repo.cli(['review', '--all']);
    assert.ok(repo.regions().every((r) => r.reviewed));
  });

  it('follows the file when it changed while nothing watched', () => {
    repo.cli(['mark', 'src/a.ts:3-4']);
    repo.write('src/a.ts', 'new0\nnew1\none\ntwo\nthree\nFOUR changed\nfive\nsix\n');
    assert.deepEqual(repo.regions().map((r) => [r.from, r.to]), [[5, 5]], 'line 3 moved to 5; the changed line lost its marker');
  });

  it('loses no update when several processes write at once', async () => {
    const { spawn } = await import('node:child_process');
    const { CLI, cleanEnv } = await import('./helpers');
    const runs = [1, 2, 3, 4, 5, 6].map(
      (line) =>
        new Promise<number>((resolve) => {
          const child = spawn(process.execPath, [CLI, 'mark', `src/a.ts:${line}`, '--tool', `t${line}`], { cwd: repo.root, env: cleanEnv() });
          child.on('close', (code) => resolve(code ?? -1));
        }),
    );
    assert.deepEqual(await Promise.all(runs), [0, 0, 0, 0, 0, 0]);
    assert.deepEqual(repo.regions().map((r) => r.from), [1, 2, 3, 4, 5, 6]);
  });

  it('moves a corrupt marker file aside, says where, and the gate fails closed until it is dealt with', () => {
    repo.cli(['mark', 'src/a.ts:1']);
    const files = path.join(repo.storeDir(), 'files');
    const [marker] = fs.readdirSync(files);
    fs.writeFileSync(path.join(files, marker), '{"version": 1, "path": ');
    repo.write('src/a.ts', 'changed\n');
    repo.git('add', 'src/a.ts');
    const staged = repo.cli(['check', '--staged']);
    assert.equal(staged.code, 2, 'the commit gate finds the corrupt marker of a staged file and fails closed');
    assert.match(staged.stderr, /corrupt marker file/);
    const status = repo.cli(['status']);
    assert.equal(status.code, 2, 'status does not claim a clean tree it cannot vouch for');
    assert.equal(status.stdout, '');
    const backup = fs.readdirSync(files).find((n) => n.includes('.corrupt-'));
    assert.ok(backup);
    assert.match(status.stderr, /corrupt marker file/);
    assert.ok(status.stderr.includes(path.join(files, backup)), `names the file moved aside: ${status.stderr}`);
    assert.equal(status.stderr.trim().split('\n').length, 1, 'moved aside once, reported once');
    const json = repo.cli(['status', '--json']);
    assert.equal(json.code, 2);
    assert.equal(json.stdout, '');
    assert.ok(json.stderr.includes(path.join(files, backup)));
    const check = repo.cli(['check']);
    assert.equal(check.code, 2);
    assert.match(check.stderr, /corrupt marker file/);
    const backups = fs.readdirSync(files).filter((n) => n.includes('.corrupt-'));
    assert.equal(backups.length, 1);
    assert.equal(fs.readFileSync(path.join(files, backups[0]), 'utf8'), '{"version": 1, "path": ', 'the corrupt content is kept');
    repo.write('.ai-provenance.json', '{"onError": "warn"}');
    assert.equal(repo.cli(['check']).code, 0);
  });

  it('refuses a marker file from a newer version and leaves it untouched', () => {
    repo.cli(['mark', 'src/a.ts:1']);
    const files = path.join(repo.storeDir(), 'files');
    const [marker] = fs.readdirSync(files);
    const newer = '{"version": 99, "path": "src/a.ts"}\n';
    fs.writeFileSync(path.join(files, marker), newer);
    const r = repo.cli(['check']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /newer AI Provenance/);
    assert.equal(fs.readFileSync(path.join(files, marker), 'utf8'), newer);
  });

  it('prints help for every command', () => {
    for (const c of ['status', 'mark', 'unmark', 'review', 'check', 'hook']) {
      const r = repo.cli([c, '--help']);
      assert.equal(r.code, 0);
      assert.match(r.stdout, new RegExp(`^Usage: ai-provenance ${c}`));
    }
    assert.match(repo.cli(['--help']).stdout, /ai-provenance check/);
  });

  it('says clearly when run outside a git repository', () => {
    const r = repo.cli(['status'], { cwd: path.dirname(repo.root) });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not inside a git repository/);
  });
});
