import * as assert from 'node:assert/strict';
import { parseArgs, parseTarget, UsageError } from '../../src/cli/args';
import { quotePath } from '../../src/cli/format';

describe('CLI arguments', () => {
  const spec = { json: 'boolean', source: 'string' } as const;

  it('reads flags, --flag=value and positionals; -- ends the flags', () => {
    assert.deepEqual(parseArgs(['a', '--json', '--source=x=y', 'b'], spec), { positionals: ['a', 'b'], flags: { json: true, source: 'x=y' } });
    assert.deepEqual(parseArgs(['--source', 'chat', '--', '--json', '-'], spec), { positionals: ['--json', '-'], flags: { source: 'chat' } });
  });

  const refused: [string[], RegExp][] = [
    [['--jsn'], /^unknown option --jsn$/],
    [['-x'], /^unknown option -x$/],
    [['--json=yes'], /^--json takes no value$/],
    [['--source'], /^--source needs a value/],
    [['--source='], /^--source needs a value/],
    [['--source', '--json'], /^--source needs a value/],
  ];
  for (const [argv, message] of refused) {
    it(`refuses ${argv.join(' ')} as a usage error`, () => {
      assert.throws(() => parseArgs(argv, spec), (e: unknown) => e instanceof UsageError && message.test(e.message));
    });
  }

  it('parseTarget takes lines only from a suffix that looks like lines, after any path', () => {
    assert.deepEqual(parseTarget('a.ts:3-5'), { path: 'a.ts', range: { from: 3, to: 5 } });
    assert.deepEqual(parseTarget('a.ts:7'), { path: 'a.ts', range: { from: 7, to: 7 } });
    assert.deepEqual(parseTarget('c:\\x.ts'), { path: 'c:\\x.ts' });
    assert.deepEqual(parseTarget('new\nline.ts:2'), { path: 'new\nline.ts', range: { from: 2, to: 2 } });
    assert.throws(() => parseTarget('a.ts:5-2'), UsageError);
  });

  it('quotes paths as git does when they hold control characters, quotes or backslashes', () => {
    assert.equal(quotePath('src/a.ts'), 'src/a.ts');
    assert.equal(quotePath('café/ü.ts'), 'café/ü.ts');
    assert.equal(quotePath('a\nb'), '"a\\nb"');
    assert.equal(quotePath('t\tq"b\\'), '"t\\tq\\"b\\\\"');
    assert.equal(quotePath('bell\x07esc\x1bdel\x7f'), '"bell\\aesc\\033del\\177"');
  });
});
