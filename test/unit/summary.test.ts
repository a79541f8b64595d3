import * as assert from 'node:assert/strict';
import { ignoreMatcher, parsePolicy } from '../../src/core/policy';
import { createRegion, Region } from '../../src/core/regions';
import { summarize } from '../../src/core/summary';

function region(line: number, reviewed = false): Region {
  const r = createRegion({ source: 'inline', start: { line, character: 0 }, end: { line, character: 5 } });
  return reviewed ? { ...r, review: { by: 'me@example.com', at: '2026-01-01T00:00:00.000Z', hash: r.hash } } : r;
}

function policy(text?: string): (path: string) => boolean {
  const parsed = parsePolicy(text);
  assert.ok(parsed.ok);
  return ignoreMatcher(parsed.policy);
}

describe('summarize (what blocks, what the policy ignores)', () => {
  it('counts unreviewed regions of files the policy does not ignore as blocking, sorted by path', () => {
    const s = summarize(
      [
        { path: 'src/b.ts', regions: [region(0), region(3, true), region(5)] },
        { path: 'src/a.ts', regions: [region(1)] },
      ],
      policy(),
    );
    assert.deepEqual(s.blocking.map((f) => [f.path, f.regions.length]), [['src/a.ts', 1], ['src/b.ts', 2]]);
    assert.equal(s.blockingCount, 3);
    assert.deepEqual(s.ignored, []);
    assert.equal(s.ignoredCount, 0);
  });

  it('puts the default ignores (lock files, snapshots) and the policy file\'s globs aside, not in the count', () => {
    const s = summarize(
      [
        { path: 'package-lock.json', regions: [region(0), region(1)] },
        { path: 'test/__snapshots__/a.test.ts.snap', regions: [region(0)] },
        { path: 'gen/api.ts', regions: [region(2)] },
        { path: 'src/a.ts', regions: [region(0)] },
      ],
      policy('{"ignore": ["gen/**"]}'),
    );
    assert.deepEqual(s.blocking.map((f) => f.path), ['src/a.ts']);
    assert.equal(s.blockingCount, 1);
    assert.deepEqual(s.ignored.map((f) => f.path), ['gen/api.ts', 'package-lock.json', 'test/__snapshots__/a.test.ts.snap']);
    assert.equal(s.ignoredCount, 4);
  });

  it('leaves out files whose regions are all reviewed, ignored or not', () => {
    const s = summarize([{ path: 'a.ts', regions: [region(0, true)] }, { path: 'yarn.lock', regions: [region(0, true)] }], policy());
    assert.deepEqual(s, { blocking: [], ignored: [], blockingCount: 0, ignoredCount: 0 });
  });

  it('takes any region shape that may carry a review (the panel passes its row summaries)', () => {
    const rows = [{ id: 'x', review: null }, { id: 'y', review: null }];
    const s = summarize([{ path: 'src/a.ts', regions: rows }], policy());
    assert.equal(s.blockingCount, 2);
    assert.equal(s.blocking[0].regions[0], rows[0]);
  });
});
