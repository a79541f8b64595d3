#!/usr/bin/env node
// Runs the integration tests in a real VS Code, then the packaged-extension tests, then the
// browser-level UI tests; exits non-zero when any fails.
//
//   node scripts/run-integration.mjs [--host-only | --packaged-only | --ui-only]
//
// Extension-host suites (out/test/integration/index.js) run in:
//   - desktop VS Code via @vscode/test-electron, when VS Code can be downloaded and shown
//     (AIP_USE_TEST_ELECTRON=1 forces it, =0 forbids it), or else
//   - code-server in headless Chromium (the default on our machines and CI, which cannot
//     download VS Code; see shared/notes/real-vscode-offline.md).
// Packaged-extension suites (out/test/packaged): `npm run package` builds the .vsix as a fresh
// clone would (scripts/pack-fresh.mjs), code-server installs it (--install-extension) and opens
// a folder that is no git repository, in Restricted Mode; the suites check that the installed
// extension activates from its installed folder and what it does there. One code-server start.
// UI suites (out/test/ui/**/*.test.js) always use code-server, through test/ui/driver.ts.
//
// Environment: AIP_WORKSPACE  folder to open instead of a fresh temporary git repository
//              AIP_TEST_GREP  mocha --grep for both parts
//              AIP_TEST_TIMEOUT_MS  limit on the tests, provisioning excluded (default 10 minutes)
//              AIP_VERBOSE=1  print the workbench's whole log, not only test output
//              AIP_RUNTIME_DIR, AIP_CHROMIUM, AIP_KEEP_TMP  see provision-vscode.mjs / codeServer.ts

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const extensionTestsPath = path.join(repoRoot, 'out', 'test', 'integration', 'index.js');
const packagedTestsPath = path.join(repoRoot, 'out', 'test', 'packaged', 'index.js');
const sharedLaunchCode = path.join(repoRoot, 'out', 'test', 'ui', 'codeServer.js');
const grep = process.env.AIP_TEST_GREP || undefined;
const timeoutMs = Number(process.env.AIP_TEST_TIMEOUT_MS) || 10 * 60_000;

const log = (message) => process.stderr.write(`[integration] ${message}\n`);
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

function checkBuilt() {
  const main = require(path.join(repoRoot, 'package.json')).main;
  const needed = [extensionTestsPath, packagedTestsPath, sharedLaunchCode, path.join(repoRoot, main)];
  const missing = needed.filter((file) => !existsSync(file));
  if (missing.length > 0) {
    log(`missing ${missing.map((f) => path.relative(repoRoot, f)).join(', ')}: run \`npm run compile && npm run build\` first (npm test does).`);
    process.exit(2);
  }
}

/** Desktop VS Code needs a download and, on Linux, a display; both are missing on our machines. */
async function canUseTestElectron() {
  if (process.env.AIP_USE_TEST_ELECTRON) return process.env.AIP_USE_TEST_ELECTRON === '1';
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return false;
  try {
    const response = await fetch('https://update.code.visualstudio.com/api/releases/stable', { signal: AbortSignal.timeout(3000) });
    return response.ok;
  } catch {
    return false;
  }
}

async function runHostWithTestElectron() {
  const { runTests } = await import('@vscode/test-electron');
  const { createGitWorkspace } = require(sharedLaunchCode);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'aip-electron-'));
  try {
    const workspace = process.env.AIP_WORKSPACE || createGitWorkspace(path.join(tmp, 'workspace'), path.join(tmp, 'home'));
    return await runTests({
      cachePath: path.join(repoRoot, '.cache', 'vscode-test'), // gitignored, unlike the default
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath,
      extensionTestsEnv: grep ? { AIP_TEST_GREP: grep } : {},
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes',
        `--user-data-dir=${path.join(tmp, 'user-data')}`, `--extensions-dir=${path.join(tmp, 'extensions')}`],
    });
  } catch (error) {
    // runTests rejects with the exit code when the suite fails.
    log(error instanceof Error ? error.message : String(error));
    return typeof error?.code === 'number' && error.code !== 0 ? error.code : 1;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

// The workbench's own log reaches us on the same channel as the extension host's console (mocha's
// output), with nothing to tell them apart. These known lines are its chatter in a normal offline
// run and are dropped; anything else is printed, so an unknown message is never hidden.
// AIP_VERBOSE=1 prints everything.
const NOISE = [
  /^(Resolving|Resolved) connection token|^Creating a socket|^Updating additional builtin extensions cache/,
  /^\[(reconnection-grace-time|Service Worker|AgentHost[^\]]*|AccountPolicyGate)\]/,
  /^(getaddrinfo )?ENOTFOUND|getaddrinfo ENOTFOUND|^Canceled: Canceled/, // offline marketplace look-ups; shutdown
  /^Creation of workbench contribution .* took \d+ms/, /^Timed out waiting for authentication provider 'github'/,
];
const isNoise = (line) => process.env.AIP_VERBOSE !== '1' && NOISE.some((re) => re.test(line));

async function runHostWithCodeServer() {
  const { launchWorkbench } = require(sharedLaunchCode);
  let finish;
  const finished = new Promise((resolve) => { finish = resolve; });
  const started = Date.now();
  const workbench = await launchWorkbench({
    workspace: process.env.AIP_WORKSPACE,
    extensionTestsPath,
    env: grep ? { AIP_TEST_GREP: grep } : {},
    // A chat participant that drives VS Code's own chat editing session (test/integration/chatEditing.test.ts).
    testExtensions: [{ path: path.join(repoRoot, 'test', 'fixtures', 'chat-extension'), id: 'aip-test.chat-fixture' }],
    onLog: (type, line) => {
      if (!isNoise(line)) process.stdout.write(`${line}\n`);
    },
    onExit: (code) => finish(code),
  });
  log(`workbench loading on port ${workbench.port} (${seconds(started)})`);
  workbench.page.on('crash', () => { log('the browser page crashed'); finish(1); });
  try {
    return await finished;
  } finally {
    await workbench.close();
  }
}

async function runPackagedTests() {
  const { launchWorkbench } = require(sharedLaunchCode);
  const { packFresh } = await import('./pack-fresh.mjs');
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'aip-packaged-'));
  let workbench;
  try {
    const vsix = path.join(tmp, 'ai-provenance.vsix');
    let started = Date.now();
    try {
      packFresh(vsix);
    } catch (error) {
      log(`npm run package failed:\n${error.stdout ?? ''}${error.stderr ?? error.message}`);
      return 1;
    }
    log(`packaged ${path.basename(vsix)} (${seconds(started)})`);
    const folder = path.join(tmp, 'not-a-repository');
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'notes.txt'), 'No git repository here.\n');
    let finish;
    const finished = new Promise((resolve) => { finish = resolve; });
    started = Date.now();
    workbench = await launchWorkbench({
      workspace: folder,
      install: [vsix],
      workspaceTrust: true,
      developmentPath: path.join(repoRoot, 'test', 'packaged', 'probe'),
      extensionTestsPath: packagedTestsPath,
      env: { AIP_TEST_INTERNALS: '1', AIP_SOURCE_DIR: repoRoot, ...(grep ? { AIP_TEST_GREP: grep } : {}) },
      onLog: (type, line) => {
        if (!isNoise(line)) process.stdout.write(`${line}\n`);
      },
      onExit: (code) => finish(code),
    });
    log(`workbench with the installed .vsix loading on port ${workbench.port} (${seconds(started)})`);
    workbench.page.on('crash', () => { log('the browser page crashed'); finish(1); });
    return await finished;
  } finally {
    await workbench?.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

function runUiTests() {
  const mocha = path.join(path.dirname(require.resolve('mocha/package.json')), 'bin', 'mocha.js');
  const args = [mocha, '--ui', 'tdd', '--reporter', 'spec', '--timeout', '180000', 'out/test/ui/**/*.test.js'];
  if (grep) args.push('--grep', grep);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: 'inherit' });
    // The child cleans up its own workbenches when told to stop.
    const stop = () => child.kill('SIGTERM');
    process.on('exit', stop);
    child.on('exit', (code, signal) => {
      process.off('exit', stop);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

// Exiting through process.exit runs the exit hooks that stop code-server, the browser and the UI
// child; dying of the signal's default action would skip them.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    log(`${signal}: stopping VS Code and the browser`);
    process.exit(130);
  });
}

async function main() {
  const only = process.argv.slice(2).find((a) => /^--(host|packaged|ui)-only$/.test(a));
  const runHost = !only || only === '--host-only';
  const runPackaged = !only || only === '--packaged-only';
  const runUi = !only || only === '--ui-only';
  checkBuilt();

  const results = [];
  const electron = runHost && await canUseTestElectron();
  if (runUi || runPackaged || !electron) {
    // Up front, so that a cold install (minutes) shows its progress and never counts against a
    // mocha timeout inside the UI suites, nor against the limit below: on a loaded machine the
    // install alone took 12 minutes (it builds native addons), and it prints its progress as it goes.
    require(sharedLaunchCode).provisionRuntime();
  }

  // Nothing may hang a CI run: past the limit we say so and exit; exit hooks kill what we started.
  setTimeout(() => {
    log(`timed out after ${timeoutMs / 1000} s of tests (AIP_TEST_TIMEOUT_MS); stopping VS Code and the browser`);
    process.exit(124);
  }, timeoutMs).unref();
  if (runHost) {
    const started = Date.now();
    log(`extension-host tests in ${electron ? 'desktop VS Code (@vscode/test-electron)' : 'code-server + headless Chromium'}`);
    const code = electron ? await runHostWithTestElectron() : await runHostWithCodeServer();
    log(`extension-host tests ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${seconds(started)}`);
    results.push(code);
  }
  if (runPackaged) {
    const started = Date.now();
    log('packaged-extension tests: npm run package, then the .vsix installed into code-server');
    const code = await runPackagedTests();
    log(`packaged-extension tests ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${seconds(started)}`);
    results.push(code);
  }
  if (runUi) {
    const started = Date.now();
    log('UI tests in code-server + headless Chromium');
    const code = await runUiTests();
    log(`UI tests ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${seconds(started)}`);
    results.push(code);
  }
  return results.find((code) => code !== 0) ?? 0;
}

// The workbench module installs exit hooks that stop code-server on SIGINT/SIGTERM; a failed
// launch must still end with a clear message and a non-zero code.
main().then(
  (code) => process.exit(code),
  (error) => {
    log(`error: ${error instanceof Error ? error.stack : error}`);
    process.exit(1);
  });
