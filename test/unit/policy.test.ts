import * as assert from 'node:assert/strict';
import { globToRegExp } from '../../src/core/glob';
import { ignoreMatcher, parsePolicy, verdictSentence } from '../../src/core/policy';

describe('glob', () => {
  const table: [string, string, boolean][] = [
    ['*.lock', 'Cargo.lock', true],
    ['*.lock', 'deep/dir/yarn.lock', true],
    ['docs/*.md', 'docs/a.md', true],
    ['docs/*.md', 'docs/sub/a.md', false],
    ['docs/**', 'docs/sub/a.md', true],
    ['**/gen/*.ts', 'gen/a.ts', true],
    ['**/gen/*.ts', 'x/y/gen/a.ts', true],
    ['src/**/*.{js,ts}', 'src/a/b/c.ts', true],
    ['src/**/*.{js,ts}', 'src/a/b/c.tsx', false],
    ['file?.txt', 'file1.txt', true],
    ['file?.txt', 'file12.txt', false],
    ['a.ts', 'xa.ts', false],
  ];
  for (const [glob, p, expected] of table) {
    it(`${glob} ${expected ? 'matches' : 'does not match'} ${p}`, () => assert.equal(globToRegExp(glob).test(p), expected));
  }
});

describe('policy', () => {
  it('defaults to blocking and failing closed, with lock files ignored', () => {
    const { policy } = parsePolicy(undefined);
    assert.equal(policy.unreviewed, 'block');
    assert.equal(policy.onError, 'block');
    assert.ok(ignoreMatcher(policy)('web/package-lock.json'));
    assert.ok(!ignoreMatcher(policy)('src/index.ts'));
  });

  it('an invalid policy never loosens the gate', () => {
    for (const text of ['{', '[]', '{"unreviewed": "allow"}', '{"ignore": "*.ts"}', '{"onErorr": "warn"}']) {
      const r = parsePolicy(text);
      assert.equal(r.ok, false, text);
      assert.equal(r.policy.unreviewed, 'block');
      assert.equal(r.policy.onError, 'block');
    }
  });

  it('adds user ignores to the defaults unless told not to', () => {
    const { policy } = parsePolicy('{"ignore": ["vendor/**"], "useDefaultIgnores": false, "unreviewed": "warn"}');
    const ignored = ignoreMatcher(policy);
    assert.ok(ignored('vendor/x.js'));
    assert.ok(!ignored('yarn.lock'));
    assert.equal(policy.unreviewed, 'warn');
  });

  it('phrases the verdict as one complete sentence', () => {
    assert.equal(verdictSentence(0, 0, 'block'), 'AI Provenance: no unreviewed AI code.');
    assert.match(verdictSentence(2, 1, 'block', 'a.ts:3-4'), /^AI Provenance blocked this commit: 2 unreviewed AI regions in 1 file, first at a\.ts:3-4\. .*\.$/);
  });
});
