import * as assert from 'node:assert/strict';
import { TempRepo } from './helpers';

// status and check count from one summary: regions in paths the policy ignores are listed by
// status, marked, and counted by neither.
describe('CLI: status and check agree on what the policy ignores', () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = new TempRepo();
    repo.write('src/a.ts', 'one\ntwo\nthree\n');
    repo.write('gen/api.ts', 'export const x = 1;\nexport const y = 2;\n');
    repo.write('package-lock.json', '{\n  "lockfileVersion": 3\n}\n');
    repo.write('.ai-provenance.json', '{ "ignore": ["gen/**"] }\n');
    repo.commitAll();
    for (const target of ['src/a.ts:1-2', 'gen/api.ts:1-2', 'package-lock.json:2']) {
      assert.equal(repo.cli(['mark', target, '--source', 'agent']).code, 0);
    }
  });
  afterEach(() => repo.dispose());

  it('counts only what blocks, and lists the ignored regions as ignored', () => {
    const check = repo.cli(['check', '--json']);
    assert.equal(check.code, 1);
    const blocking = JSON.parse(check.stdout).regions as { path: string }[];
    assert.deepEqual(blocking.map((r) => r.path), ['src/a.ts']);

    const status = repo.cli(['status']);
    assert.equal(status.code, 0, status.stderr);
    const [first, ...lines] = status.stdout.trim().split('\n');
    assert.equal(first, '1 unreviewed AI region in 1 file; 2 more in files the policy ignores.');
    assert.deepEqual(lines.filter((l) => l.endsWith('(ignored by policy)')).map((l) => l.split(':')[0]).sort(), ['gen/api.ts', 'package-lock.json']);

    const json = JSON.parse(repo.cli(['status', '--json']).stdout).regions as { path: string; ignored: boolean }[];
    assert.equal(json.filter((r) => !r.ignored).length, blocking.length);
    assert.deepEqual(json.filter((r) => r.ignored).map((r) => r.path).sort(), ['gen/api.ts', 'package-lock.json']);
  });
});
