import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hookScript } from '../../src/store/hook';
import { resolverScript } from '../../src/store/hookResolver';
import { findNodeOnPath, hookRuntime, RuntimeFacts } from '../../src/store/runtime';

describe('hookRuntime: which Node and CLI the hooks run', () => {
  const CLI = '/ext/dist/cli.js';
  let dir: string;
  let pathNode: string;
  let withNode: NodeJS.ProcessEnv;
  const without: NodeJS.ProcessEnv = { PATH: '' };

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aip-runtime-'));
    fs.mkdirSync(path.join(dir, 'bin'));
    fs.mkdirSync(path.join(dir, 'noexec'));
    pathNode = path.join(dir, 'bin', 'node');
    fs.writeFileSync(pathNode, '#!/bin/sh\n', { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'noexec', 'node'), '', { mode: 0o644 });
    withNode = { PATH: [path.join(dir, 'noexec'), path.join(dir, 'bin')].join(path.delimiter) };
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const node = (env: NodeJS.ProcessEnv): RuntimeFacts => ({ execPath: '/usr/local/bin/node', env });
  const electron = (env: NodeJS.ProcessEnv): RuntimeFacts => ({ execPath: '/usr/share/code/code', electronVersion: '37.2.0', env });
  const codeServer = (env: NodeJS.ProcessEnv): RuntimeFacts => ({ execPath: '/usr/lib/code-server/lib/node', env });

  const table: [string, 'cli' | 'extension', RuntimeFacts | (() => RuntimeFacts), () => { node: string; electron: boolean }][] = [
    ['the CLI run by a plain Node: that Node, even with another on PATH', 'cli', () => node(withNode), () => ({ node: '/usr/local/bin/node', electron: false })],
    ['the CLI run by Electron as Node: the node on PATH', 'cli', () => electron(withNode), () => ({ node: pathNode, electron: false })],
    ['the CLI run by Electron as Node, no node on PATH: Electron, flagged', 'cli', () => electron(without), () => ({ node: '/usr/share/code/code', electron: true })],
    ['desktop VS Code: the node on PATH, never the editor binary', 'extension', () => electron(withNode), () => ({ node: pathNode, electron: false })],
    ['desktop VS Code, no node on PATH: Electron, flagged for ELECTRON_RUN_AS_NODE', 'extension', () => electron(without), () => ({ node: '/usr/share/code/code', electron: true })],
    ["code-server: the node on PATH rather than the server's private one", 'extension', () => codeServer(withNode), () => ({ node: pathNode, electron: false })],
    ["code-server, no node on PATH: its own plain Node", 'extension', () => codeServer(without), () => ({ node: '/usr/lib/code-server/lib/node', electron: false })],
  ];
  for (const [name, from, facts, expected] of table) {
    it(name, () => {
      const r = hookRuntime(CLI, from, typeof facts === 'function' ? facts() : facts);
      assert.deepEqual(r, { ...expected(), cli: CLI });
    });
  }

  it('skips a node on PATH that is not executable', () => {
    assert.equal(findNodeOnPath({ PATH: path.join(dir, 'noexec') }), undefined);
    assert.equal(findNodeOnPath(withNode), pathNode);
  });

  it("the agent hooks' resolver and the pre-commit hook run Electron as Node", () => {
    const r = hookRuntime(CLI, 'extension', electron(without));
    const script = resolverScript(r, '0.2.0');
    assert.match(script, /^node='\/usr\/share\/code\/code'$/m);
    assert.match(script, /^cli='\/ext\/dist\/cli\.js'$/m);
    assert.match(script, /^ELECTRON_RUN_AS_NODE=1 "\$node" "\$cli" "\$@" \|\| exit 1$/m);
    assert.match(hookScript(r), /^\s*ELECTRON_RUN_AS_NODE=1 "\$node" "\$AIP_CLI" check --staged/m);
    assert.match(resolverScript(hookRuntime(CLI, 'cli', node(without)), '0.2.0'), /^"\$node" "\$cli" "\$@" \|\| exit 1$/m);
  });
});
