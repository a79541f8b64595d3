// Starts a real VS Code workbench (code-server) in headless Chromium, with this extension loaded
// for development. Shared by scripts/run-integration.mjs (extension-host mocha suites) and the
// browser-level UI driver (test/ui/driver.ts). Why it is done this way: see
// shared/notes/real-vscode-offline.md — VS Code itself cannot be downloaded on our machines.
//
// Everything a run writes (user data, extensions, XDG dirs, HOME, browser profile, workspace) goes
// into one fresh temporary folder, removed on close.

import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import * as util from 'util';
import { chromium, BrowserContext, Page } from 'playwright-core';

/** The repository root: the nearest folder above this file with the extension's package.json. */
export const repoRoot: string = findRepoRoot(__dirname);

function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).name === 'ai-provenance') return dir;
    if (path.dirname(dir) === dir) throw new Error(`no ai-provenance package.json above ${start}`);
  }
}

export interface Runtime {
  dir: string;
  nodeBin: string;
  codeServerEntry: string;
  chromium: string;
}

let runtime: Runtime | undefined;

/** Provisions (or reuses) the code-server runtime; progress goes to stderr, the JSON answer to stdout. */
export function provisionRuntime(): Runtime {
  if (!runtime) {
    const script = path.join(repoRoot, 'scripts', 'provision-vscode.mjs');
    const out = execFileSync(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
    runtime = JSON.parse(out) as Runtime;
  }
  return runtime;
}

/** Environment for git in the throwaway workspace: no user or system config leaks in. */
function isolatedGitEnv(home: string): NodeJS.ProcessEnv {
  return { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), GIT_CONFIG_NOSYSTEM: '1' };
}

/** Makes `dir` a real git repository with a few files and one commit, and a local identity. */
export function createGitWorkspace(dir: string, home: string = path.join(dir, '..', 'home')): string {
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  fs.mkdirSync(home, { recursive: true });
  fs.writeFileSync(path.join(dir, 'README.md'), '# Sample project\n\nA workspace for AI Provenance tests.\n');
  fs.writeFileSync(path.join(dir, 'src', 'math.ts'),
    'export function add(a: number, b: number): number {\n  return a + b;\n}\n\nexport function sub(a: number, b: number): number {\n  return a - b;\n}\n');
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'line one\nline two\nline three\n');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env: isolatedGitEnv(home), stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'Test User');
  git('config', 'user.email', 'test@example.com');
  git('config', 'commit.gpgsign', 'false');
  git('add', '-A');
  git('commit', '-q', '-m', 'Initial commit');
  return dir;
}

/** User settings that keep runs deterministic: no prompts, tours, telemetry, or background work. */
export const testUserSettings = {
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'files.autoSave': 'off',
  'editor.formatOnSave': false,
  'git.autofetch': false,
  'git.openRepositoryInParentFolders': 'never',
};

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface LaunchOptions {
  /** Folder to open; default: a fresh git repository in the temporary folder. */
  workspace?: string;
  /** Compiled mocha entry module to run inside the extension host (sets payload extensionTestsPath). */
  extensionTestsPath?: string;
  /** Console lines from the workbench and extension host (needs to be set to receive test output). */
  onLog?: (type: string, line: string) => void;
  /** Called once the extension host exits after running extensionTestsPath. */
  onExit?: (code: number) => void;
  /** Extra environment for code-server and so the extension host (e.g. AIP_TEST_GREP). */
  env?: NodeJS.ProcessEnv;
  viewport?: { width: number; height: number };
  /** The extension loaded for development; default: this repository. */
  developmentPath?: string;
  /** .vsix files installed (code-server --install-extension) into the run's extensions folder first. */
  install?: string[];
  /** Leave workspace trust on, so a folder opens in Restricted Mode (default: trust is off). */
  workspaceTrust?: boolean;
  /**
   * Test fixture extensions to install beside ours, each with proposed API enabled. Installed, not
   * loaded in development: code-server honours only one extension development path.
   */
  testExtensions?: { path: string; id: string }[];
}

export interface Workbench {
  page: Page;
  context: BrowserContext;
  workspace: string;
  port: number;
  url: string;
  tmpRoot: string;
  /** Where code-server's own output goes (worth reading when the workbench misbehaves). */
  serverLog: string;
  /** The folder code-server installs extensions into. */
  extensionsDir: string;
  close(): Promise<void>;
}

/** Synchronous clean-ups (kill code-server, remove its folder) of the workbenches still open. */
const liveCleanups = new Set<() => void>();
let exitHooksInstalled = false;

/**
 * Whatever happens to this process, code-server must not outlive it: it runs in its own process
 * group (so its extension host and helpers go with it) and is killed on exit and on signals.
 * Playwright kills its browser on process exit by itself.
 */
function onProcessExit(): void {
  for (const cleanup of liveCleanups) cleanup();
}

function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on('exit', onProcessExit);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\n[workbench] ${signal}: stopping code-server and the browser\n`);
      process.exit(130);
    });
  }
}

/** Signals code-server's whole process group: its extension host and helpers may outlive it. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

async function waitForServer(child: ChildProcess, baseUrl: string, serverLog: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited early (${child.exitCode ?? child.signalCode}); its log:\n${readTail(serverLog)}`);
    }
    try {
      const response = await fetch(`${baseUrl}/healthz`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`code-server did not answer within ${timeoutMs / 1000} s; its log:\n${readTail(serverLog)}`);
}

function readTail(file: string, chars = 4000): string {
  try {
    return fs.readFileSync(file, 'utf8').slice(-chars);
  } catch {
    return '(no log)';
  }
}

/** The workbench URL; the payload is honoured only with `--vscode-option enable-smoke-test-driver`. */
export function workbenchUrl(port: number, folder: string, extensionTestsPath?: string, developmentPath: string = repoRoot): string {
  const remote = (file: string) => `vscode-remote://127.0.0.1:${port}${file}`;
  const payload: [string, string][] = [['extensionDevelopmentPath', remote(developmentPath)], ['skipWelcome', 'true']];
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  return `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/** Starts code-server and a headless Chromium on the workbench, with this extension in development. */
export async function launchWorkbench(options: LaunchOptions = {}): Promise<Workbench> {
  const rt = provisionRuntime();
  installExitHooks();
  const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'aip-vscode-'));
  const dir = (name: string) => {
    const full = path.join(tmpRoot, name);
    fs.mkdirSync(full, { recursive: true });
    return full;
  };
  const home = dir('home');
  const workspace = options.workspace ? path.resolve(options.workspace) : createGitWorkspace(dir('workspace'), home);
  const userData = dir('user-data');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  const settings = { ...testUserSettings, 'security.workspace.trust.enabled': options.workspaceTrust === true };
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  const extensionsDir = dir('extensions');

  for (const x of options.testExtensions ?? []) {
    const { version } = JSON.parse(fs.readFileSync(path.join(x.path, 'package.json'), 'utf8')) as { version: string };
    fs.cpSync(x.path, path.join(extensionsDir, `${x.id}-${version}`), { recursive: true });
  }

  const port = await freePort();
  const configFile = path.join(tmpRoot, 'config.yaml');
  fs.writeFileSync(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  // HOME and XDG_* point into the temporary folder so neither code-server, the extension host
  // nor Chromium writes to the user's home; Node 24 first on PATH is what code-server was built for.
  const isolatedEnv: NodeJS.ProcessEnv = {
    HOME: home,
    XDG_CONFIG_HOME: dir('xdg-config'),
    XDG_DATA_HOME: dir('xdg-data'),
    XDG_CACHE_HOME: dir('xdg-cache'),
    XDG_RUNTIME_DIR: dir('xdg-runtime'),
    GIT_CONFIG_NOSYSTEM: '1',
  };
  const serverLog = path.join(tmpRoot, 'code-server.log');
  // AIP_INSTALLED_EXTENSIONS_DIR tells the extension host's tests where installed extensions live.
  const serverEnv = { ...process.env, ...options.env, ...isolatedEnv, AIP_INSTALLED_EXTENSIONS_DIR: extensionsDir, PATH: `${path.dirname(rt.nodeBin)}${path.delimiter}${process.env.PATH}` };
  for (const vsix of options.install ?? []) {
    const installLog = fs.openSync(serverLog, 'a');
    try {
      execFileSync(rt.nodeBin, [rt.codeServerEntry, '--user-data-dir', userData, '--extensions-dir', extensionsDir, '--install-extension', vsix],
        { env: serverEnv, stdio: ['ignore', installLog, installLog], timeout: 120_000 });
    } catch (error) {
      const message = `code-server --install-extension ${vsix} failed; its log:\n${readTail(serverLog)}`;
      fs.rmSync(tmpRoot, { recursive: true, force: true });
      throw new Error(message, { cause: error });
    } finally {
      fs.closeSync(installLog);
    }
  }
  const logFd = fs.openSync(serverLog, 'a');
  const server = spawn(rt.nodeBin, [
    rt.codeServerEntry,
    '--config', configFile,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', userData,
    '--extensions-dir', extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--vscode-option', 'enable-smoke-test-driver',
    ...(options.testExtensions ?? []).flatMap((x) => ['--enable-proposed-api', x.id]),
    workspace,
  ], {
    env: serverEnv,
    stdio: ['ignore', logFd, logFd],
    detached: true, // own process group: see installExitHooks
  });
  fs.closeSync(logFd);

  const removeTmpRoot = () => {
    // AIP_KEEP_TMP=1 keeps the workspace, settings and code-server.log for a post-mortem.
    if (process.env.AIP_KEEP_TMP === '1') process.stderr.write(`[workbench] kept ${tmpRoot}\n`);
    else fs.rmSync(tmpRoot, { recursive: true, force: true, maxRetries: 3 });
  };
  const cleanupSync = () => {
    killGroup(server, 'SIGKILL');
    try {
      removeTmpRoot();
    } catch {
      // The browser may still be writing its profile while the process exits; tmp is tmp.
    }
  };
  liveCleanups.add(cleanupSync);
  let context: BrowserContext | undefined;
  const url = workbenchUrl(port, workspace, options.extensionTestsPath, options.developmentPath);
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await context?.close().catch(() => undefined);
    killGroup(server, 'SIGTERM');
    if (server.exitCode === null && server.signalCode === null) {
      const timer = setTimeout(() => killGroup(server, 'SIGKILL'), 5000);
      await new Promise((resolve) => server.once('exit', resolve));
      clearTimeout(timer);
    }
    removeTmpRoot();
    // Only now: until here, an exit mid-close must still kill the server.
    liveCleanups.delete(cleanupSync);
  };

  try {
    await waitForServer(server, `http://127.0.0.1:${port}`, serverLog, 60_000);
    context = await chromium.launchPersistentContext(dir('browser-profile'), {
      executablePath: rt.chromium,
      headless: true,
      env: { ...process.env, ...isolatedEnv },
      viewport: options.viewport ?? { width: 1600, height: 1000 },
      // We clean up ourselves (installExitHooks); Playwright's handlers would exit mid-cleanup.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      args: [
        '--no-sandbox', // Chromium refuses to run as root with its sandbox
        '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
      ],
    });
    // Playwright kills its browser in its own exit listener, added at the first launch; ours must
    // run after it, or the browser is still writing its profile while we remove the folder.
    process.off('exit', onProcessExit).on('exit', onProcessExit);
    const page = context.pages()[0] ?? await context.newPage();
    // The workbench calls these only when they exist before it loads.
    if (options.onLog) {
      const onLog = options.onLog;
      await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) =>
        onLog(type, util.format(...(Array.isArray(args) ? args : [args]))));
    }
    if (options.onExit) await page.exposeFunction('codeAutomationExit', options.onExit);
    await page.goto(url);
    return { page, context, workspace, port, url, tmpRoot, serverLog, extensionsDir, close };
  } catch (error) {
    await close();
    throw error;
  }
}
