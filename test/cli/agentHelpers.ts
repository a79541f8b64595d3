/** What the agent hook tests share: the fixtures folder, the file the agents edit, and how to read what was recorded. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TempRepo } from './helpers';

export const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/agents');

/** src/app.ts as every agent fixture finds it. */
export const BASE = [
  "import { a } from './a';",
  '',
  'export function add(x: number, y: number): number {',
  '  return x + y;',
  '}',
  '',
  'export function sub(x: number, y: number): number {',
  '  return x - y;',
  '}',
  '',
].join('\n');

/** What the agent's tool does to the file: the same replacement the payload describes. */
export function replaceIn(repo: TempRepo, rel: string, from: string, to: string): void {
  const text = repo.read(rel);
  assert.ok(text.includes(from), `${rel} should contain ${JSON.stringify(from)}`);
  repo.write(rel, text.replace(from, to));
}

/** The store's regions as [path, from, to, source, tool]. */
export function lines(repo: TempRepo): [string, number, number, string, string | null][] {
  return repo.regions().map((r) => [r.path, r.from, r.to, r.source, r.tool]);
}

/** The pre-tool snapshots still in the store. */
export function snapshotsLeft(repo: TempRepo): string[] {
  const dir = path.join(repo.storeDir(), 'snapshots');
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
}
