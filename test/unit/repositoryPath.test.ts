import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { invalidRepositoryPath, parseMarkerFile, peekMarkerFile, recordFor, serializeMarkerFile } from '../../src/core/markerFile';
import { MarkerStore, OutsideRepositoryError } from '../../src/store/markerStore';

describe('repository-relative paths in marker files', () => {
  const table: [string, string | undefined][] = [
    ['src/a.ts', undefined],
    ['a b/ünï.ts', undefined],
    ['..foo/x', undefined],
    ['.github/workflows/ci.yml', undefined],
    ['.gitignore', undefined],
    ['', 'is empty'],
    ['a\0b', 'holds a NUL character'],
    ['/etc/passwd', 'is absolute'],
    ['\\\\server\\share', 'is absolute'],
    ['C:/x', 'is absolute'],
    ['../../x', 'has a ".." segment'],
    ['a/../../x', 'has a ".." segment'],
    ['a\\..\\..\\x', 'has a ".." segment'],
    ['a//b', 'has an empty or "." segment'],
    ['./a', 'has an empty or "." segment'],
    ['a/', 'has an empty or "." segment'],
    ['.git/config', 'is inside .git'],
    ['.GIT/hooks/pre-commit', 'is inside .git'],
    ['.git', 'is inside .git'],
  ];
  for (const [p, expected] of table) {
    it(`${JSON.stringify(p)} ${expected ?? 'is valid'}`, () => assert.equal(invalidRepositoryPath(p), expected));
  }

  it('a marker file naming an invalid path is corrupt, and peeking it declines', () => {
    const text = serializeMarkerFile(recordFor('../../x', 'a\n', []));
    const parsed = parseMarkerFile(text);
    assert.equal(parsed.ok, false);
    if (!parsed.ok) assert.equal(parsed.error, '"path" "../../x" has a ".." segment');
    assert.equal(peekMarkerFile(text), undefined);
  });
});

describe('MarkerStore.relative: judged on the real location', function () {
  if (process.platform === 'win32') return;
  let root: string;
  let outside: string;
  let store: MarkerStore;
  beforeEach(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aip-rel-')));
    outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aip-out-')));
    fs.mkdirSync(path.join(root, 'src'));
    fs.writeFileSync(path.join(root, 'src', 'a.ts'), 'x\n');
    store = new MarkerStore(root, path.join(root, '.git', 'ai-provenance'));
  });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it('keeps plain paths, existing or not', () => {
    assert.equal(store.relative('src/a.ts'), 'src/a.ts');
    assert.equal(store.relative(path.join(root, 'src', 'new', 'b.ts')), 'src/new/b.ts');
    assert.equal(store.relative('..foo'), '..foo');
  });

  it('refuses what is outside, lexically or through a link, existing or not', () => {
    fs.symlinkSync(outside, path.join(root, 'out'));
    fs.symlinkSync(path.join(outside, 'later.ts'), path.join(root, 'dangling.ts'));
    fs.symlinkSync(path.join(root, '.git'), path.join(root, 'g'));
    for (const input of ['../x', '/etc/passwd', 'out/passwd', 'out/deep/new.ts', 'dangling.ts', '.git/config', 'g/config', '.']) {
      assert.throws(() => store.relative(input), OutsideRepositoryError, input);
    }
  });

  it('names the target of a link that stays inside', () => {
    fs.symlinkSync('src/a.ts', path.join(root, 'link.ts'));
    fs.symlinkSync('src', path.join(root, 'lib'));
    assert.equal(store.relative('link.ts'), 'src/a.ts');
    assert.equal(store.relative('lib/a.ts'), 'src/a.ts');
    assert.equal(store.relative('lib/not-yet.ts'), 'src/not-yet.ts');
  });

  it('reaches the root through a link to it', () => {
    const alias = path.join(outside, 'alias');
    fs.symlinkSync(root, alias);
    assert.equal(store.relative(path.join(alias, 'src', 'a.ts')), 'src/a.ts');
  });
});
