/** Real temporary git repositories and the real bundled CLI, for tests that run `dist/cli.js`. */
import { spawnSync, SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const CLI = path.resolve(__dirname, '../../../dist/cli.js');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function result(r: SpawnSyncReturns<string>): Run {
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export class TempRepo {
  readonly root: string;

  constructor(prefix = 'aip-test-') {
    // realpath: on some systems the temp dir is a symlink, and git reports resolved paths.
    this.root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
    this.git('init', '-q', '-b', 'main');
    this.git('config', 'user.email', 'dev@example.com');
    this.git('config', 'user.name', 'Dev');
    this.git('config', 'commit.gpgsign', 'false');
  }

  path(rel: string): string {
    return path.join(this.root, rel);
  }

  write(rel: string, content: string | Buffer): void {
    fs.mkdirSync(path.dirname(this.path(rel)), { recursive: true });
    fs.writeFileSync(this.path(rel), content);
  }

  read(rel: string): string {
    return fs.readFileSync(this.path(rel), 'utf8');
  }

  /** Runs git; throws with its stderr when it fails. */
  git(...args: string[]): string {
    const r = result(spawnSync('git', args, { cwd: this.root, encoding: 'utf8', env: cleanEnv() }));
    if (r.code !== 0) throw new Error(`git ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
    return r.stdout;
  }

  /** Runs git and returns its outcome without throwing (for commits a hook may block). */
  tryGit(...args: string[]): Run {
    return result(spawnSync('git', args, { cwd: this.root, encoding: 'utf8', env: cleanEnv() }));
  }

  /** Runs git with extra environment variables (GIT_EDITOR, say) and returns its outcome without throwing. */
  tryGitEnv(args: string[], env: NodeJS.ProcessEnv): Run {
    return result(spawnSync('git', args, { cwd: this.root, encoding: 'utf8', env: { ...cleanEnv(), ...env } }));
  }

  /** Runs git with `input` on stdin and returns its outcome without throwing. */
  tryGitInput(args: string[], input: string): Run {
    return result(spawnSync('git', args, { cwd: this.root, encoding: 'utf8', input, env: cleanEnv() }));
  }

  commitAll(message = 'commit'): void {
    this.git('add', '-A');
    this.git('commit', '-q', '--no-verify', '-m', message);
  }

  /** Runs the bundled CLI in `cwd` (the repository root by default). */
  cli(args: string[], opts: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {}): Run {
    return result(
      spawnSync(process.execPath, [CLI, ...args], {
        cwd: opts.cwd ?? this.root,
        encoding: 'utf8',
        input: opts.input ?? '',
        env: { ...cleanEnv(), ...opts.env },
      }),
    );
  }

  /** `status --json --all` parsed. */
  regions(): { id: string; path: string; from: number; to: number; source: string; tool: string | null; reviewed: boolean }[] {
    const r = this.cli(['status', '--json', '--all']);
    if (r.code !== 0) throw new Error(`status failed: ${r.stderr}`);
    return JSON.parse(r.stdout).regions;
  }

  storeDir(): string {
    return path.resolve(this.root, this.git('rev-parse', '--git-path', 'ai-provenance').trim());
  }

  dispose(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

/** The environment without anything that would point git at another repository or index. */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('GIT_')) delete env[k];
  env.GIT_CONFIG_NOSYSTEM = '1';
  env.HOME = emptyHome();
  return env;
}

let home: string | undefined;
/** An empty HOME, so the developer's global git config (hooksPath, templates, signing) never leaks into a test. */
function emptyHome(): string {
  home ??= fs.mkdtempSync(path.join(os.tmpdir(), 'aip-home-'));
  return home;
}
