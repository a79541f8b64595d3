import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OutsideRepositoryError } from '../../src/store/markerStore';
import { realPathInside } from '../../src/store/realPath';

describe('realPathInside: paths judged where they really lead', () => {
  let root: string;
  let outside: string;
  beforeEach(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aip-root-')));
    outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aip-out-')));
    fs.mkdirSync(path.join(root, 'src'));
    fs.mkdirSync(path.join(root, '.git'));
  });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  const refused = (p: string): Promise<void> => assert.rejects(realPathInside(root, p, 'x'), (e: unknown) => e instanceof OutsideRepositoryError);

  it('accepts a file that does not exist yet in a real folder', async () => {
    assert.equal(await realPathInside(root, path.join(root, 'src/new/a.ts')), path.join(root, 'src/new/a.ts'));
  });

  it('follows a link inside that stays inside', async () => {
    fs.writeFileSync(path.join(root, 'src/a.ts'), '');
    fs.symlinkSync('src', path.join(root, 'lib'));
    assert.equal(await realPathInside(root, path.join(root, 'lib/a.ts')), path.join(root, 'src/a.ts'));
  });

  it('refuses a folder link that leads outside, whether or not the file exists', async () => {
    fs.symlinkSync(outside, path.join(root, 'linked'));
    fs.writeFileSync(path.join(outside, 'there.ts'), '');
    await refused(path.join(root, 'linked/there.ts'));
    await refused(path.join(root, 'linked/not-yet/a.ts'));
  });

  it('refuses a dangling link to a place outside (a write would land there)', async () => {
    fs.symlinkSync(path.join(outside, 'missing'), path.join(root, '.claude'));
    await refused(path.join(root, '.claude/settings.json'));
    fs.symlinkSync(path.join(outside, 'gone.json'), path.join(root, 'src/settings.json'));
    await refused(path.join(root, 'src/settings.json'));
  });

  it("refuses the repository's .git, also through a link", async () => {
    await refused(path.join(root, '.git/config'));
    fs.symlinkSync('.git', path.join(root, 'meta'));
    await refused(path.join(root, 'meta/hooks/pre-commit'));
  });
});
