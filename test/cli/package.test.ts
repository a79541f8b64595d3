import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

describe('the .vsix', () => {
  it('holds only what a user needs: the two bundles, the manifest, icons and documents', function () {
    this.timeout(60_000);
    const root = path.resolve(__dirname, '../../..');
    const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
    const r = spawnSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const files = r.stdout.trim().split('\n').filter((l) => l && !l.startsWith('npm warn'));
    assert.ok(files.includes('dist/extension.js') && files.includes('dist/cli.js') && files.includes('package.json'), files.join(', '));
    const unexpected = files.filter((f) => !/^(dist\/(extension|cli)\.js|media\/[\w-]+\.svg|package\.json|README\.md|LICENSE|CHANGELOG\.md)$/.test(f));
    assert.deepEqual(unexpected, [], 'no sources, tests, maps or caches in the package');
  });
});
