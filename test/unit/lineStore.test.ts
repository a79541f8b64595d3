import * as assert from 'node:assert/strict';
import { LineStore } from '../../src/core/lineStore';
import { lineHash } from '../../src/core/text';

/** Deterministic pseudo-random numbers, so a failure repeats. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

describe('LineStore', () => {
  it('keeps the same lines as a flat list through random sets, in-line edits and splices, across chunk splits and merges', () => {
    for (const seed of [1, 2, 3, 4]) {
      const rand = rng(seed);
      const flat = Array.from({ length: 1500 }, (_, i) => `line ${i}`);
      const store = new LineStore(flat);
      for (let step = 0; step < 3000; step++) {
        const roll = rand();
        const at = Math.floor(rand() * (flat.length + 1));
        if (roll < 0.2 && at < flat.length) {
          flat[at] = `set ${step}`;
          store.set(at, `set ${step}`);
        } else if (roll < 0.4 && at < flat.length) {
          // A keystroke within the line: characters from..to replaced.
          const from = Math.floor(rand() * (flat[at].length + 1));
          const to = from + Math.floor(rand() * (flat[at].length - from + 1));
          const text = rand() < 0.5 ? '' : `k${step}`;
          flat[at] = flat[at].slice(0, from) + text + flat[at].slice(to);
          store.edit(at, from, to, text);
        } else {
          // Mostly Enter-sized changes, sometimes a large block that crosses chunks.
          const big = rand() < 0.05;
          const del = Math.min(flat.length - at, Math.floor(rand() * (big ? 1200 : 3)));
          const ins = Array.from({ length: Math.floor(rand() * (big ? 1100 : 3)) }, (_, k) => `ins ${step}.${k}`);
          flat.splice(at, del, ...ins);
          store.splice(at, del, ins);
        }
        assert.equal(store.length, flat.length, `seed ${seed}, step ${step}`);
      }
      assert.deepEqual(store.toArray(), flat, `seed ${seed}`);
      assert.deepEqual(store.hashes(), flat.map(lineHash), `seed ${seed}`);
    }
  });

  it('holds an empty text as one empty line and refuses a line outside the text', () => {
    const store = new LineStore(['']);
    store.splice(1, 0, ['a', 'b']);
    assert.deepEqual(store.toArray(), ['', 'a', 'b']);
    store.splice(0, 3, []);
    assert.deepEqual(store.toArray(), []);
    assert.throws(() => store.set(4, 'x'), /outside the text/);
  });
});
