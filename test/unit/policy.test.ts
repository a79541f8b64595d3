import * as assert from 'node:assert/strict';
import { MAX_PATTERN_LENGTH } from '../../src/core/glob';
import { ignoreMatcher, MAX_IGNORES, parsePolicy, verdictSentence } from '../../src/core/policy';

/** Whether `glob`, alone in a policy, ignores `path`. */
function ignores(glob: string, path: string): boolean {
  const r = parsePolicy(JSON.stringify({ ignore: [glob], useDefaultIgnores: false }));
  assert.ok(r.ok, r.ok ? '' : r.error);
  return ignoreMatcher(r.policy)(path);
}

describe('glob', () => {
  const table: [string, string, boolean][] = [
    ['*.lock', 'Cargo.lock', true],
    ['*.lock', 'deep/dir/yarn.lock', true],
    ['docs/*.md', 'docs/a.md', true],
    ['docs/*.md', 'docs/sub/a.md', false],
    ['docs/*.md', 'x/docs/a.md', false],
    ['docs/**', 'docs/sub/a.md', true],
    ['docs/**', 'docsx/a.md', false],
    ['**/gen/*.ts', 'gen/a.ts', true],
    ['**/gen/*.ts', 'x/y/gen/a.ts', true],
    ['src/**/*.{js,ts}', 'src/a/b/c.ts', true],
    ['src/**/*.{js,ts}', 'src/a/b/c.tsx', false],
    ['file?.txt', 'file1.txt', true],
    ['file?.txt', 'file12.txt', false],
    ['a.ts', 'xa.ts', false],
    // A brace list of globs (the old matcher threw "Nothing to repeat" on every check).
    ['{*.js,*.ts}', 'a.ts', true],
    ['{*.js,*.ts}', 'deep/b.js', true],
    ['{*.js,*.ts}', 'c.md', false],
    // [!...] negates, as in .gitignore and sh.
    ['[!a].ts', 'b.ts', true],
    ['[!a].ts', 'a.ts', false],
    ['[!a].ts', '!.ts', true],
    ['[abc].ts', 'b.ts', true],
    ['[abc].ts', 'd.ts', false],
    // A trailing slash: everything under a folder of that name, at any depth; never a file of that name.
    ['docs/', 'docs/a.md', true],
    ['docs/', 'docs/sub/a.md', true],
    ['docs/', 'pkg/docs/a.md', true],
    ['docs/', 'docs', false],
    ['docs/', 'docsx/a.md', false],
    // A leading slash anchors at the root.
    ['/docs/', 'docs/a.md', true],
    ['/docs/', 'pkg/docs/a.md', false],
    ['/a.ts', 'a.ts', true],
    ['/a.ts', 'x/a.ts', false],
    // A name without a slash matches at any depth, a file or a folder (and then what is under it).
    ['vendor', 'vendor/lib/x.js', true],
    ['vendor', 'src/vendor/x.js', true],
    ['vendor', 'vendors/x.js', false],
    ['*.min.js', 'web/app.min.js', true],
    // Dot files are files like any other.
    ['*.snap', 'x/.hidden.snap', true],
    ['.env*', 'config/.env.local', true],
    // Characters a regular expression would treat specially are literal.
    ['a+b(1).ts', 'a+b(1).ts', true],
    ['a+b(1).ts', 'aab1.ts', false],
    ['$x^.ts', 'dir/$x^.ts', true],
    ['\\!bang', '!bang', true],
    // Extglobs are not glob syntax here: literal characters.
    ['+(a|b).ts', 'a.ts', false],
  ];
  for (const [glob, p, expected] of table) {
    it(`${glob} ${expected ? 'matches' : 'does not match'} ${p}`, () => assert.equal(ignores(glob, p), expected));
  }

  const refused: [string, RegExp][] = [
    ['{a,b', /not a valid glob/],
    ['!keep.ts', /negation is not supported/],
    ['', /is empty/],
    ['x'.repeat(MAX_PATTERN_LENGTH + 1), /longer than 256/],
    ['*a*a*a*a*b', /more than 3 wildcards/],
    ['**/a/**/a/**/a/**/b', /more than 3 wildcards/],
    ['file{1..20}.ts', /range/],
  ];
  for (const [glob, why] of refused) {
    it(`refuses ${JSON.stringify(glob.slice(0, 30))} as a policy error naming the file and the pattern, and stays strict`, () => {
      const r = parsePolicy(JSON.stringify({ ignore: ['ok/**', glob], unreviewed: 'warn', onError: 'warn' }));
      assert.equal(r.ok, false);
      if (r.ok) return;
      assert.match(r.error, /^\.ai-provenance\.json: "ignore": pattern /);
      assert.ok(r.error.includes(JSON.stringify(glob)), r.error);
      assert.match(r.error, why);
      assert.equal(r.policy.unreviewed, 'block');
      assert.equal(r.policy.onError, 'block');
      assert.ok(!r.policy.isIgnored('ok/x.ts'), 'none of its ignores apply');
    });
  }

  it('answers quickly on paths built to make the allowed wildcards backtrack', () => {
    // Each of these takes minutes as a plain regular expression on a long enough path; within the
    // limits the worst case stays small. A hang here is the failure (mocha's timeout ends it).
    const cases: [string, string][] = [
      ['*a*a*b', 'a'.repeat(255)],
      ['**/a/**/a/**/b', 'a/'.repeat(255)],
      ['*a*a*b', `${'a/'.repeat(100)}${'a'.repeat(255)}`],
      ['**/**/b', 'a/'.repeat(255)],
      ['a*a*b', 'a'.repeat(255) + '/c'],
    ];
    for (const [glob, p] of cases) assert.equal(ignores(glob, p), false);
  });

  it('never ignores a path too long for a working tree (it fails closed)', () => {
    assert.equal(ignores('**', 'a/'.repeat(300) + 'b'), false);
    assert.equal(ignores('*.ts', `${'x'.repeat(300)}.ts`), false);
    assert.equal(ignores('**', 'a/b'), true);
  });
});

describe('policy', () => {
  it('defaults to blocking and failing closed, with lock files ignored', () => {
    const { policy } = parsePolicy(undefined);
    assert.equal(policy.unreviewed, 'block');
    assert.equal(policy.onError, 'block');
    assert.ok(ignoreMatcher(policy)('web/package-lock.json'));
    assert.ok(!ignoreMatcher(policy)('src/index.ts'));
  });

  it('requireNotes: false by default, true when set, and a non-boolean is an error naming the key', () => {
    assert.equal(parsePolicy(undefined).policy.requireNotes, false);
    const on = parsePolicy('{"requireNotes": true}');
    assert.ok(on.ok && on.policy.requireNotes);
    const bad = parsePolicy('{"requireNotes": "yes"}');
    assert.equal(bad.ok, false);
    assert.match(bad.ok ? '' : bad.error, /"requireNotes" must be true or false/);
  });

  it('trailers: "none" by default, "assisted-by" when set, anything else an error naming the key', () => {
    assert.equal(parsePolicy(undefined).policy.trailers, 'none');
    const on = parsePolicy('{"trailers": "assisted-by"}');
    assert.ok(on.ok && on.policy.trailers === 'assisted-by');
    for (const text of ['{"trailers": "Assisted-by"}', '{"trailers": true}', '{"trailers": ["assisted-by"]}']) {
      const bad = parsePolicy(text);
      assert.equal(bad.ok, false, text);
      assert.match(bad.ok ? '' : bad.error, /"trailers" must be "none" or "assisted-by"/);
      assert.equal(bad.policy.trailers, 'none');
    }
  });

  it('an invalid policy never loosens the gate', () => {
    for (const text of ['{', '[]', '{"unreviewed": "allow"}', '{"ignore": "*.ts"}', '{"onErorr": "warn"}', '{"ignore": null}']) {
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

describe('policy file', () => {
  it('accepts a file saved with a UTF-8 byte-order mark', () => {
    const r = parsePolicy('\ufeff{"unreviewed": "warn", "ignore": ["docs/**"]}');
    assert.ok(r.ok, r.ok ? '' : r.error);
    assert.equal(r.policy.unreviewed, 'warn');
    assert.ok(r.policy.isIgnored('docs/a.md'));
  });

  it(`refuses more than ${MAX_IGNORES} patterns with a clear error (400,000 used to crash Node)`, () => {
    const ignore = Array.from({ length: 400_000 }, (_, i) => `generated/file${i}.ts`);
    const r = parsePolicy(JSON.stringify({ ignore, onError: 'warn' }));
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.error, `.ai-provenance.json: "ignore" holds 400000 patterns; at most ${MAX_IGNORES} are allowed`);
    assert.equal(r.policy.onError, 'block');
    assert.ok(parsePolicy(JSON.stringify({ ignore: ignore.slice(0, MAX_IGNORES) })).ok);
  });
});
