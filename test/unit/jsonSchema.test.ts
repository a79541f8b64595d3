/** The test validator (test/jsonSchema.ts) on the Agent Trace schema kept as test data: it must refuse what the schema refuses. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Schema, validate } from '../jsonSchema';

const SCHEMA: Schema = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../test/fixtures/agent-trace/trace-record.schema.json'), 'utf8'));

function valid(): Record<string, unknown> {
  return {
    version: '0.1.0',
    id: '0f8fad5b-d9cb-469f-a165-70867728950e',
    timestamp: '2026-03-01T09:30:00.000Z',
    vcs: { type: 'git', revision: 'a'.repeat(40) },
    tool: { name: 'ai-provenance', version: '0.2.0' },
    files: [
      {
        path: 'src/a.ts',
        conversations: [
          {
            url: 'https://example.com/c/1',
            contributor: { type: 'ai', model_id: 'openai/gpt-4o' },
            ranges: [{ start_line: 3, end_line: 4, content_hash: 'sha256:00' }, { start_line: 9, end_line: 9, contributor: { type: 'mixed' } }],
            related: [{ type: 'session', url: 'urn:session:1' }],
          },
        ],
      },
    ],
    metadata: { anything: [1, { goes: true }] },
  };
}

const REMOVE = Symbol('remove');

/** A copy of the valid record with the value at a JSON pointer replaced (or removed). */
function changed(pointer: string, value: unknown): unknown {
  const r: unknown = valid();
  const keys = pointer.slice(1).split('/');
  let node = r as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) node = node[k] as Record<string, unknown>;
  const last = keys[keys.length - 1];
  if (value === REMOVE) delete node[last];
  else node[last] = value;
  return r;
}

describe('JSON Schema validator (tests) on the Agent Trace v1 schema', () => {
  it('accepts a complete record and a minimal one', () => {
    assert.deepEqual(validate(SCHEMA, valid()), []);
    const minimal = { version: '1.0.0', id: '550E8400-E29B-41D4-A716-446655440000', timestamp: '2026-01-25T10:00:00+01:00', files: [] };
    assert.deepEqual(validate(SCHEMA, minimal), []);
  });

  const conv = '/files/0/conversations/0';
  const failing: [string, string, unknown, RegExp][] = [
    ['not an array', '/files', 'x', /\/files: is string, not array/],
    ['a required field missing', '/timestamp', REMOVE, /\/: "timestamp" is required/],
    ['a version without three numbers', '/version', '1.0', /\/version: "1\.0" does not match/],
    ['an id that is no UUID', '/id', 'not-a-uuid', /\/id: "not-a-uuid" is not a uuid/],
    ['a timestamp without a zone', '/timestamp', '2026-03-01T09:30:00', /\/timestamp: .* is not a date-time/],
    ['a timestamp on 30 February', '/timestamp', '2026-02-30T09:30:00Z', /is not a date-time/],
    ['a vcs type outside the enum', '/vcs/type', 'cvs', /\/vcs\/type: "cvs" is not one of/],
    ['a vcs without revision', '/vcs/revision', REMOVE, /\/vcs: "revision" is required/],
    ['a tool without version', '/tool/version', REMOVE, /\/tool: "version" is required/],
    ['a property the schema does not list', '/extra', 1, /\/: "extra" is not allowed/],
    ['a range property the schema does not list', `${conv}/ranges/0/source`, 'inline', /\/files\/0\/conversations\/0\/ranges\/0: "source" is not allowed/],
    ['a file without conversations', '/files/0/conversations', REMOVE, /\/files\/0: "conversations" is required/],
    ['a line number below 1', `${conv}/ranges/0/start_line`, 0, /start_line: 0 is less than 1/],
    ['a line number that is not whole', `${conv}/ranges/0/end_line`, 4.5, /end_line: is number, not integer/],
    ['a contributor type outside the enum', `${conv}/contributor/type`, 'robot', /contributor\/type: "robot" is not one of/],
    ['a range contributor without type', `${conv}/ranges/1/contributor/type`, REMOVE, /ranges\/1\/contributor: "type" is required/],
    ['a model id over 250 characters', `${conv}/contributor/model_id`, 'm'.repeat(251), /model_id: longer than 250/],
    ['a conversation url that is no URI', `${conv}/url`, 'not a uri', /\/url: "not a uri" is not a uri/],
    ['a related entry without url', `${conv}/related/0/url`, REMOVE, /related\/0: "url" is required/],
    ['metadata that is not an object', '/metadata', [], /\/metadata: is array, not object/],
  ];
  for (const [what, pointer, value, error] of failing) {
    it(`refuses ${what}`, () => {
      const errors = validate(SCHEMA, changed(pointer, value));
      assert.ok(errors.some((e) => error.test(e)), `expected ${error} among ${JSON.stringify(errors)}`);
    });
  }

  it('throws on a keyword or format it does not check, rather than passing everything', () => {
    assert.throws(() => validate({ type: 'object', minProperties: 1 }, {}), /unsupported keyword minProperties/);
    assert.throws(() => validate({ type: 'string', format: 'email' }, 'a@b'), /unsupported format email/);
    assert.throws(() => validate({ $ref: 'https://example.com/s.json' }, {}), /only local references/);
    assert.throws(() => validate({ $ref: '#/$defs/missing' }, {}), /points at nothing/);
  });
});
