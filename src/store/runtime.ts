/**
 * Which Node and which CLI the hooks we install (the git pre-commit hook, the agents' hooks) run.
 * One decision, used by the CLI and the extension alike, because the hooks run later, outside
 * VS Code, from whatever shell or GUI application starts them.
 */
import { accessSync, constants, statSync } from 'node:fs';
import * as path from 'node:path';

export interface HookRuntime {
  /** Absolute path of the Node binary the hook runs. */
  node: string;
  /** Absolute path of the bundled CLI (`dist/cli.js`). */
  cli: string;
  /** `node` is Electron (VS Code's own binary), which runs as Node only with ELECTRON_RUN_AS_NODE=1. */
  electron: boolean;
}

/** The facts about the running process that the decision depends on (the current process by default; tests pass their own). */
export interface RuntimeFacts {
  execPath: string;
  /** `process.versions.electron`: set when this process is Electron (desktop VS Code's extension host, or Electron run as Node). */
  electronVersion?: string;
  env: NodeJS.ProcessEnv;
}

export function currentProcess(): RuntimeFacts {
  return { execPath: process.execPath, electronVersion: process.versions.electron, env: process.env };
}

/**
 * The Node a hook should run, for the CLI at `cli`.
 * - Run by a plain Node as the command line: that very Node (the user chose it, it runs this CLI).
 * - Inside an editor (`from: 'extension'`), or in Electron: the `node` on PATH, which is what the
 *   user's terminal runs and survives editor updates. The editor's own binary is the fallback only:
 *   a plain Node (code-server's) as it is, Electron (desktop VS Code) marked so the hook sets
 *   ELECTRON_RUN_AS_NODE=1, without which it would start the editor instead of running the script.
 */
export function hookRuntime(cli: string, from: 'cli' | 'extension', facts: RuntimeFacts = currentProcess()): HookRuntime {
  const electron = Boolean(facts.electronVersion);
  if (!electron && from === 'cli') return { node: facts.execPath, cli, electron: false };
  const onPath = findNodeOnPath(facts.env);
  if (onPath) return { node: onPath, cli, electron: false };
  return { node: facts.execPath, cli, electron };
}

/** The `node` that a shell would run from PATH (an executable file), or undefined. */
export function findNodeOnPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const name = process.platform === 'win32' ? 'node.exe' : 'node';
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      if (statSync(candidate).isFile()) {
        accessSync(candidate, constants.X_OK);
        return candidate;
      }
    } catch {
      // Not here.
    }
  }
  return undefined;
}
