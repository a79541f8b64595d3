/**
 * The pieces of the agents' team-safe wiring that are pure or local: the portable hook command,
 * Codex's trust records and hashes, and this machine's resolver.
 */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AGENT_NAMES } from '../../src/core/agents';
import { codexEventLabel, codexHookIdentity, codexHookKey, parseCodexHookStates } from '../../src/core/agents/codexTrust';
import { agentHookCommand, isOurCommand } from '../../src/core/agents/hookCommand';
import { resolverFile, resolverScript, resolverState, writeResolver } from '../../src/store/hookResolver';

describe('agent hooks: the portable command', () => {
  it('names no path and holds nothing that sh, cmd or PowerShell would expand inside its quotes', () => {
    for (const agent of AGENT_NAMES) {
      const command = agentHookCommand(agent);
      assert.ok(command.startsWith('git -c "alias.ai-provenance-hook=!'), command);
      // One double-quoted argument: exactly two double quotes, and none of $ ` % \ anywhere.
      assert.equal(command.split('"').length, 3, command);
      assert.doesNotMatch(command, /[$`%\\]/);
      // The only absolute path is /dev/null; the resolver is found from the home of the shell git runs.
      assert.deepEqual(command.match(/(?<![~\w.])\/[\w./-]+/g), ['/dev/null']);
      assert.ok(command.includes(`record --agent ${agent}"`));
    }
  });

  it("recognises our command, old and new, and no other agent's", () => {
    assert.ok(isOurCommand(agentHookCommand('claude-code'), 'claude-code'));
    assert.ok(isOurCommand('/usr/bin/node /x/dist/cli.js record --agent claude-code', 'claude-code'));
    assert.ok(isOurCommand('ELECTRON_RUN_AS_NODE=1 "/Applications/Visual Studio Code.app/x" "/y/cli.js" record --agent=cursor', 'cursor'));
    assert.ok(!isOurCommand(agentHookCommand('claude-code'), 'codex'));
    assert.ok(!isOurCommand('node x.js record --agent claude-code-extra', 'claude-code'));
    assert.ok(!isOurCommand('npx prettier --write .', 'gemini'));
    assert.ok(!isOurCommand(42, 'gemini'));
  });
});

describe("agent hooks: Codex's trust records", () => {
  const sha = (text: string): string => `sha256:${createHash('sha256').update(text).digest('hex')}`;

  it('hashes the normalized hook as Codex does (values computed independently, with Python)', () => {
    assert.equal(codexEventLabel('PreToolUse'), 'pre_tool_use');
    assert.equal(codexEventLabel('PostToolUse'), 'post_tool_use');
    assert.equal(sha(codexHookIdentity('PreToolUse', '^Bash$', { command: 'echo hello' })), 'sha256:63b52e87a8a4caef01cc989b31ad95ce5f4d3470c9a00e8407847e469cd1b31f');
    assert.equal(
      sha(codexHookIdentity('PostToolUse', 'apply_patch', { command: 'say "hi" é\n', timeout: 30, async: true, statusMessage: 'Recording' })),
      'sha256:a9cce10df2797c82041bed252d670c9f75b4162cef5b1cc419de3375bfffcd8c',
    );
  });

  it('keys a hook by its file, event and position', () => {
    assert.equal(codexHookKey('/home/u/.codex/hooks.json', 'PostToolUse', 2, 0), '/home/u/.codex/hooks.json:post_tool_use:2:0');
  });

  it('reads the states however config.toml writes them, and skips what is not a state', () => {
    const toml = [
      'model = "gpt-5-codex" # a comment',
      'notes = """',
      '[hooks.state."/fake:pre_tool_use:0:0"]',
      'trusted_hash = "sha256:not-a-table"',
      '"""',
      'list = ["[hooks.state.x]", 1,',
      '  2]',
      '',
      '[projects."/home/u/app"]',
      'trust_level = "trusted"',
      '',
      '[hooks.state."/home/u/.codex/hooks.json:pre_tool_use:0:0"]',
      'trusted_hash = "sha256:aaa"',
      '',
      "[hooks.state.'C:\\Users\\u\\.codex\\hooks.json:post_tool_use:1:0']",
      'enabled = false',
      'trusted_hash = "sha256:bbb"',
      '',
      '[hooks.state]',
      '"/h/hooks.json:stop:0:0" = { trusted_hash = "sha256:ccc", enabled = true }',
      '',
      '[hooks]',
      'state."/h/x \\"q\\".json:pre_tool_use:3:1".trusted_hash = "sha256:ddd"',
    ].join('\n');
    const states = parseCodexHookStates(toml);
    assert.deepEqual(Object.fromEntries(states), {
      '/home/u/.codex/hooks.json:pre_tool_use:0:0': { trustedHash: 'sha256:aaa' },
      'C:\\Users\\u\\.codex\\hooks.json:post_tool_use:1:0': { enabled: false, trustedHash: 'sha256:bbb' },
      '/h/hooks.json:stop:0:0': { trustedHash: 'sha256:ccc', enabled: true },
      '/h/x "q".json:pre_tool_use:3:1': { trustedHash: 'sha256:ddd' },
    });
  });
});

describe("agent hooks: this machine's resolver", () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  let cli: string;
  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'aip-resolver-'));
    env = { HOME: home };
    cli = path.join(home, 'ext', 'dist', 'cli.js');
    fs.mkdirSync(path.dirname(cli), { recursive: true });
    fs.writeFileSync(cli, '');
  });
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));
  const runtime = (): { node: string; cli: string; electron: boolean } => ({ node: process.execPath, cli, electron: false });

  it('is missing, then current once written, and executable', async () => {
    assert.deepEqual(await resolverState('0.2.0', env), { kind: 'missing' });
    assert.equal(await writeResolver(runtime(), '0.2.0', env), true);
    assert.equal(await writeResolver(runtime(), '0.2.0', env), false, 'unchanged: not rewritten');
    assert.equal(resolverFile(env), path.join(home, '.ai-provenance', 'hook'));
    assert.equal(fs.statSync(resolverFile(env)).mode & 0o111, 0o111);
    assert.deepEqual(await resolverState('0.2.0', env), { kind: 'current', cli, version: '0.2.0' });
  });

  it('is stale when its CLI is gone, when it is older than the CLI asking, or of an older format', async () => {
    await writeResolver(runtime(), '0.2.0', env);
    assert.equal((await resolverState('0.2.1', env)).kind, 'stale');
    assert.match(JSON.stringify(await resolverState('0.10.0', env)), /runs version 0\.2\.0 .*this is 0\.10\.0/);
    assert.equal((await resolverState('0.1.9', env)).kind, 'current', 'a newer resolver than the CLI asking is kept');
    assert.equal((await resolverState('dev', env)).kind, 'current', 'a development build compares with nothing');
    fs.rmSync(cli);
    assert.match(JSON.stringify(await resolverState('0.2.0', env)), /"stale".*which is gone/);
    fs.writeFileSync(resolverFile(env), '#!/bin/sh\nexec node /x/cli.js "$@"\n');
    assert.match(JSON.stringify(await resolverState('0.2.0', env)), /older version/);
  });

  it('quotes paths with quotes and spaces for sh, and reads them back', async () => {
    const odd = path.join(home, "it's a dir", 'cli.js');
    fs.mkdirSync(path.dirname(odd));
    fs.writeFileSync(odd, '');
    assert.match(resolverScript({ node: '/n', cli: odd, electron: false }, '1.0.0'), /^cli='.*it'\\''s a dir\/cli\.js'$/m);
    await writeResolver({ node: process.execPath, cli: odd, electron: false }, '1.0.0', env);
    assert.deepEqual(await resolverState('1.0.0', env), { kind: 'current', cli: odd, version: '1.0.0' });
  });
});
