// The real `npm run package` (vsce package), run as on a fresh clone (scripts/pack-fresh.mjs), and
// what the .vsix holds. `vsce ls` is not enough: it never processes the README, which is where a
// missing repository URL stops packaging.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../../..');

/** Exactly what a user needs; vsce itself renames README and LICENSE and adds the two manifests. */
const EXPECTED = [
  '[Content_Types].xml',
  'extension.vsixmanifest',
  'extension/LICENSE.txt',
  'extension/changelog.md',
  'extension/dist/cli.js',
  'extension/dist/extension.js',
  'extension/media/gutter-reviewed-dark.svg',
  'extension/media/gutter-reviewed-light.svg',
  'extension/media/gutter-unreviewed-dark.svg',
  'extension/media/gutter-unreviewed-light.svg',
  'extension/media/history-reviewed-dark.svg',
  'extension/media/history-reviewed-light.svg',
  'extension/media/history-unreviewed-dark.svg',
  'extension/media/history-unreviewed-light.svg',
  'extension/media/icon.png',
  'extension/media/view-icon.svg',
  'extension/package.json',
  'extension/package.nls.json',
  'extension/readme.md',
  'extension/schemas/ai-provenance.schema.json',
].sort();

/** `unzip -Z1 <vsix>` lists the entries, `unzip -p <vsix> <entry>` prints one. */
function unzip(option: '-Z1' | '-p', vsix: string, entry?: string): string {
  const r = spawnSync('unzip', [option, vsix, ...(entry ? [entry] : [])], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

describe('the .vsix (npm run package)', () => {
  let tmp: string;
  let vsix: string;

  before(function () {
    this.timeout(180_000);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aip-vsix-'));
    vsix = path.join(tmp, 'ai-provenance.vsix');
    const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'pack-fresh.mjs'), vsix], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 0, `npm run package failed:\n${r.stdout}\n${r.stderr}`);
  });

  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('holds exactly the bundles, the manifest and its translations, icons, schema and documents', () => {
    const files = unzip('-Z1', vsix).trim().split('\n').sort();
    assert.deepEqual(files, EXPECTED);
  });

  it('ships a production build: no source map comment, the CLI runnable', () => {
    for (const bundle of ['extension/dist/extension.js', 'extension/dist/cli.js']) {
      assert.doesNotMatch(unzip('-p', vsix, bundle).slice(-2000), /sourceMappingURL/, bundle);
    }
    assert.match(unzip('-p', vsix, 'extension/dist/cli.js'), /^#!\/usr\/bin\/env node/);
  });

  it('points the README images at the repository, so they show in the Marketplace', () => {
    const readme = unzip('-p', vsix, 'extension/readme.md');
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]);
    assert.ok(images.length > 0, 'the README shows screenshots');
    for (const src of images) assert.match(src, /^https:\/\/github\.com\/aiprovenance\/ai-provenance\/raw\/HEAD\/media\//, src);
  });

  it('has a 128x128 PNG Marketplace icon and resolves every %key% of its manifest', () => {
    const manifest: unknown = JSON.parse(unzip('-p', vsix, 'extension/package.json'));
    assert.ok(manifest && typeof manifest === 'object' && 'icon' in manifest && manifest.icon === 'media/icon.png');
    const png = fs.readFileSync(path.join(root, 'media', 'icon.png'));
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
    const nls: unknown = JSON.parse(unzip('-p', vsix, 'extension/package.nls.json'));
    assert.ok(nls && typeof nls === 'object');
    const keys = [...JSON.stringify(manifest).matchAll(/"%([\w.]+)%"/g)].map((m) => m[1]);
    assert.ok(keys.length > 20, 'titles and descriptions are localizable');
    assert.deepEqual(keys.filter((k) => !(k in nls)), []);
  });
});
