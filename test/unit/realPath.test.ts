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

  const refused = (p: string): void => assert.throws(() => realPathInside(root, p, 'x'), (e: unknown) => e instanceof OutsideRepositoryError);

  it('accepts a file that does not exist yet in a real folder', () => {
    assert.equal(realPathInside(root, path.join(root, 'src/new/a.ts')), path.join(root, 'src/new/a.ts'));
  });

  it('follows a link inside that stays inside', () => {
    fs.writeFileSync(path.join(root, 'src/a.ts'), '');
    fs.symlinkSync('src', path.join(root, 'lib'));
    assert.equal(realPathInside(root, path.join(root, 'lib/a.ts')), path.join(root, 'src/a.ts'));
  });

  it('refuses a folder link that leads outside, whether or not the file exists', () => {
    fs.symlinkSync(outside, path.join(root, 'linked'));
    fs.writeFileSync(path.join(outside, 'there.ts'), '');
    refused(path.join(root, 'linked/there.ts'));
    refused(path.join(root, 'linked/not-yet/a.ts'));
  });

  it('refuses a dangling link to a place outside (a write would land there)', () => {
    fs.symlinkSync(path.join(outside, 'missing'), path.join(root, '.claude'));
    refused(path.join(root, '.claude/settings.json'));
    fs.symlinkSync(path.join(outside, 'gone.json'), path.join(root, 'src/settings.json'));
    refused(path.join(root, 'src/settings.json'));
  });

  it("refuses the repository's .git, also through a link", () => {
    refused(path.join(root, '.git/config'));
    fs.symlinkSync('.git', path.join(root, 'meta'));
    refused(path.join(root, 'meta/hooks/pre-commit'));
  });
});
