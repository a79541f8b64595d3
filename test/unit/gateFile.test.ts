import * as assert from 'node:assert/strict';
import { GATE_REGIONS, GateFile, parseGateFile, serializeGateFile } from '../../src/core/gateFile';

describe('gate.json', () => {
  const gate: GateFile = {
    at: '2026-11-26T12:00:00.000Z',
    count: 2,
    regions: [
      { id: 'r1', path: 'src/a.ts', from: 3, to: 5, source: 'chat', tool: 'copilot' },
      { id: 'r2', path: 'new\nline.ts', from: 1, to: 1, source: 'manual', tool: null },
    ],
  };

  it('reads back what it writes', () => {
    assert.deepEqual(parseGateFile(serializeGateFile(gate)), { ok: true, gate });
  });

  it('writes at most the first hundred regions; the count stays the total', () => {
    const many = Array.from({ length: 150 }, (_, i) => ({ ...gate.regions[0], id: `r${i}`, from: i + 1, to: i + 1 }));
    const parsed = parseGateFile(serializeGateFile({ ...gate, count: 150, regions: many }));
    assert.ok(parsed.ok);
    assert.equal(parsed.gate.count, 150);
    assert.equal(parsed.gate.regions.length, GATE_REGIONS);
  });

  it('reads the fuller region objects that 0.1 wrote', () => {
    const old = { at: gate.at, count: 1, regions: [{ id: 'r', path: 'a.ts', from: 1, to: 2, source: 'agent', tool: null, reviewed: false, createdAt: gate.at, author: 'a@b' }] };
    const parsed = parseGateFile(JSON.stringify(old));
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.gate.regions[0], { id: 'r', path: 'a.ts', from: 1, to: 2, source: 'agent', tool: null });
  });

  const bad: [string, unknown, RegExp][] = [
    ['not JSON', '{"at":', /not valid JSON/],
    ['not an object', [], /not a JSON object/],
    ['at', { ...gate, at: 'yesterday' }, /"at"/],
    ['count', { ...gate, count: -1 }, /"count"/],
    ['regions', { ...gate, regions: {} }, /"regions" is not a list/],
    ['a region', { ...gate, regions: [7] }, /"regions\[0\]" is not an object/],
    ['a path', { ...gate, regions: [{ ...gate.regions[0], path: 3 }] }, /"regions\[0\]\.path"/],
    ['from', { ...gate, regions: [gate.regions[0], { ...gate.regions[1], from: 0 }] }, /"regions\[1\]\.from"/],
    ['to', { ...gate, regions: [{ ...gate.regions[0], to: 2 }] }, /"regions\[0\]\.to"/],
    ['tool', { ...gate, regions: [{ ...gate.regions[0], tool: 1 }] }, /"regions\[0\]\.tool"/],
  ];
  for (const [name, value, error] of bad) {
    it(`names the field that is wrong: ${name}`, () => {
      const parsed = parseGateFile(typeof value === 'string' ? value : JSON.stringify(value));
      assert.equal(parsed.ok, false);
      if (!parsed.ok) assert.match(parsed.error, error);
    });
  }
});
