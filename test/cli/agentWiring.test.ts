/**
 * Agent hooks shared by a team: the command `agents install` writes is run, as an agent would run
 * it, by real shells (sh and bash; zsh, fish and PowerShell when the machine has them; cmd only
 * on Windows), in clones on other paths with and without AI Provenance, and with a resolver left
 * behind by an update. Codex's trust records are written as Codex writes them.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { agentNamed } from '../../src/core/agents';
import { cleanEnv, CLI, Run, TempRepo } from './helpers';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/agents');

const BASE = ['export function add(x: number, y: number): number {', '  return x + y;', '}', '', 'export function sub(x: number, y: number): number {', '  return x - y;', '}', ''].join('\n');

type Json = Record<string, unknown>;

/**
 * Each agent's post-edit payload (its documented shape, test/fixtures/agents), the change its tool
 * made to the files, and where the agent's config holds our post-tool hook.
 */
const AGENTS: { name: string; fixture: string; edit: (repo: TempRepo) => void; config: (repo: TempRepo, home: string) => string; event: string }[] = [
  { name: 'claude-code', fixture: 'claude-code/post-edit.json', edit: sumEdit, config: (r) => r.path('.claude/settings.local.json'), event: 'PostToolUse' },
  {
    name: 'cursor',
    fixture: 'cursor/afterFileEdit.json',
    edit: (r) => {
      sumEdit(r);
      r.write('src/app.ts', r.read('src/app.ts').replace('  return x - y;', '  return y - x;'));
    },
    config: (r) => r.path('.cursor/hooks.json'),
    event: 'afterFileEdit',
  },
  {
    name: 'codex',
    fixture: 'codex/post-apply_patch.json',
    edit: (r) => {
      sumEdit(r);
      r.write('src/util.ts', "export const answer = 42;\nexport const question = '?';\n");
    },
    config: (_r, home) => path.join(home, '.codex', 'hooks.json'),
    event: 'PostToolUse',
  },
  { name: 'copilot', fixture: 'copilot/post-replace_string_in_file.json', edit: sumEdit, config: (r) => r.path('.github/hooks/ai-provenance.json'), event: 'PostToolUse' },
  { name: 'gemini', fixture: 'gemini/after-replace.json', edit: sumEdit, config: (r) => r.path('.gemini/settings.json'), event: 'AfterTool' },
];

function sumEdit(repo: TempRepo): void {
  const text = repo.read('src/app.ts');
  assert.ok(text.includes('  return x + y;'));
  repo.write('src/app.ts', text.replace('  return x + y;', '  const sum = x + y;\n  return sum;'));
}

function payload(repo: TempRepo, fixture: string): string {
  return fs.readFileSync(path.join(FIXTURES, fixture), 'utf8').split('__ROOT__').join(JSON.stringify(repo.root).slice(1, -1));
}

/** Our command for an event in a config, whatever the config's shape. */
function ourCommand(file: string, event: string, agent: string): string {
  const config = JSON.parse(fs.readFileSync(file, 'utf8')) as { hooks: Record<string, Json[]> };
  const found: string[] = [];
  for (const item of config.hooks[event] ?? []) {
    const hooks = Array.isArray(item.hooks) ? (item.hooks as Json[]) : [item];
    for (const h of hooks) if (typeof h.command === 'string' && h.command.includes(`--agent ${agent}`)) found.push(h.command);
  }
  assert.equal(found.length, 1, `one hook of ours for ${event} in ${file}`);
  return found[0];
}

function regions(repo: TempRepo): [string, number, number, string, string | null][] {
  return repo.regions().map((r) => [r.path, r.from, r.to, r.source, r.tool]);
}

function tempHome(): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aip-home-')));
}

/** A shell the way the agents start one, by name; undefined when this machine has none. */
interface Shell {
  name: string;
  argv: (command: string) => [string, string[]];
}
const SHELLS: Shell[] = [
  { name: 'sh', argv: (c) => ['sh', ['-c', c]] },
  { name: 'bash', argv: (c) => ['bash', ['-c', c]] },
  { name: 'zsh', argv: (c) => ['zsh', ['-c', c]] },
  // Codex starts hooks with the user's $SHELL.
  { name: 'fish', argv: (c) => ['fish', ['-c', c]] },
  // VS Code's and Gemini CLI's hooks on Windows; also on Linux and macOS when installed.
  { name: 'pwsh', argv: (c) => ['pwsh', ['-NoProfile', '-NonInteractive', '-Command', c]] },
  ...(process.platform === 'win32' ? [{ name: 'cmd', argv: (c: string): [string, string[]] => ['cmd.exe', ['/d', '/s', '/c', `"${c}"`]] }] : []),
];

function available(shell: Shell): boolean {
  const [file, args] = shell.argv('exit 0');
  return !spawnSync(file, args, { encoding: 'utf8' }).error;
}

function runHook(shell: Shell, command: string, opts: { cwd: string; home: string; input: string }): Run {
  const [file, args] = shell.argv(command);
  const r = spawnSync(file, args, { cwd: opts.cwd, input: opts.input, encoding: 'utf8', env: { ...cleanEnv(), HOME: opts.home, CODEX_HOME: '' } });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Another clone of `from`, on another path. */
function cloneOf(from: TempRepo): TempRepo {
  const clone = new TempRepo('aip-clone-');
  clone.git('pull', '-q', from.root, 'main');
  return clone;
}

describe('CLI: agent hooks shared by a team (the portable command, run by real shells)', () => {
  let team: TempRepo;
  let installer: string;
  const commands = new Map<string, string>();
  const installs: Run[] = [];

  before(() => {
    team = new TempRepo('aip-team-');
    team.write('src/app.ts', BASE);
    team.commitAll();
    installer = tempHome();
    const r = team.cli(['agents', 'install', ...AGENTS.map((a) => a.name)], { env: { HOME: installer, CODEX_HOME: '' } });
    installs.push(r);
    assert.equal(r.code, 0, r.stderr);
    team.commitAll('the team shares its agent hooks');
    for (const a of AGENTS) commands.set(a.name, ourCommand(a.config(team, installer), a.event, a.name));
  });
  after(() => {
    team.dispose();
    fs.rmSync(installer, { recursive: true, force: true });
  });

  it('no config file holds a path of the installing machine; only the shared ones are committed', () => {
    const committed = team.git('ls-files').trim().split('\n').filter((f) => f.startsWith('.'));
    assert.deepEqual(committed.sort(), ['.cursor/hooks.json', '.gemini/settings.json', '.github/hooks/ai-provenance.json']);
    const files = [...committed.map((f) => team.path(f)), team.path('.claude/settings.local.json'), path.join(installer, '.codex', 'hooks.json')];
    const machine = [team.root, installer, path.dirname(CLI), path.dirname(process.execPath), os.homedir(), fs.realpathSync(os.tmpdir())];
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      for (const p of machine) assert.ok(!text.includes(p), `${file} names ${p}`);
      // The only absolute path in it is /dev/null, inside the command.
      assert.deepEqual([...new Set(text.match(/(?<![~\w.])\/[\w./-]+/g) ?? [])], ['/dev/null'], file);
    }
    // Every agent's command is the same but for the agent's name.
    const shapes = new Set([...commands].map(([name, c]) => c.replace(`--agent ${name}`, '--agent *')));
    assert.equal(shapes.size, 1);
  });

  for (const shell of SHELLS) {
    describe(`through ${shell.name}`, () => {
      before(function () {
        // Not every shell is on every machine: say so (pending) rather than pass.
        if (!available(shell)) this.skip();
      });

      it('a clone on another path, on a machine with AI Provenance, records each agent\'s edit exactly as `record` does', () => {
        // The teammate's machine: AI Provenance installed (their resolver comes from an install in another repository).
        const teammate = tempHome();
        const elsewhere = new TempRepo('aip-elsewhere-');
        try {
          assert.equal(elsewhere.cli(['agents', 'install', 'copilot'], { env: { HOME: teammate } }).code, 0);
          for (const a of AGENTS) {
            const clone = cloneOf(team);
            const control = new TempRepo('aip-control-');
            try {
              control.write('src/app.ts', BASE);
              control.commitAll();
              a.edit(control);
              assert.equal(control.cli(['record', '--agent', a.name], { input: payload(control, a.fixture) }).code, 0);
              const expected = regions(control);
              assert.ok(expected.length > 0 && expected.every((r) => r[4] === a.name), `${a.name}: the control records`);

              a.edit(clone);
              // Claude Code starts hooks in the session's folder, which may be below the root.
              const cwd = a.name === 'claude-code' ? clone.path('src') : clone.root;
              const run = runHook(shell, commands.get(a.name)!, { cwd, home: teammate, input: payload(clone, a.fixture) });
              assert.equal(run.code, 0, `${a.name}: ${run.stderr}`);
              assert.equal(run.stdout, '', `${a.name}: nothing on stdout (agents parse it)`);
              assert.deepEqual(regions(clone), expected, a.name);
            } finally {
              clone.dispose();
              control.dispose();
            }
          }
        } finally {
          elsewhere.dispose();
          fs.rmSync(teammate, { recursive: true, force: true });
        }
      });

      it('a clone on a machine without AI Provenance: every hook exits 0 with nothing on stdout or stderr, and records nothing', () => {
        const bare = tempHome();
        const clone = cloneOf(team);
        try {
          for (const a of AGENTS) {
            a.edit(clone);
            const run = runHook(shell, commands.get(a.name)!, { cwd: clone.root, home: bare, input: payload(clone, a.fixture) });
            assert.deepEqual(run, { code: 0, stdout: '', stderr: '' }, a.name);
            clone.git('checkout', '-q', '--', '.');
            clone.git('clean', '-qfd');
          }
          assert.equal(fs.existsSync(clone.storeDir()), false, 'no store was made');
          // (fish keeps its own state in the home; nothing of ours is there.)
          assert.deepEqual(fs.readdirSync(bare).filter((f) => !['.config', '.local'].includes(f)), [], 'nothing written to the home');
        } finally {
          clone.dispose();
          fs.rmSync(bare, { recursive: true, force: true });
        }
      });

      it('a resolver left naming a CLI an update removed: exit 1 (non-blocking for every agent) with one line on stderr, never another code', () => {
        const stale = tempHome();
        const clone = cloneOf(team);
        try {
          assert.equal(clone.cli(['agents', 'install', 'copilot'], { env: { HOME: stale } }).code, 0);
          const resolver = path.join(stale, '.ai-provenance', 'hook');
          fs.writeFileSync(resolver, fs.readFileSync(resolver, 'utf8').replace(/^cli=.*$/m, "cli='/gone/ai-provenance-0.1.0/dist/cli.js'"));
          for (const a of AGENTS) {
            const run = runHook(shell, commands.get(a.name)!, { cwd: clone.root, home: stale, input: payload(clone, a.fixture) });
            assert.equal(run.code, 1, a.name);
            assert.equal(run.stdout, '');
            assert.match(run.stderr, /^ai-provenance: the agent hook cannot run: \/gone\/.*run: ai-provenance agents install\n$/);
          }
          // A payload the CLI refuses: still 1, whatever the CLI's own failure.
          const bad = runHook(shell, commands.get('gemini')!, { cwd: clone.root, home: installer, input: 'not json' });
          assert.equal(bad.code, 1);
          assert.equal(bad.stdout, '');
          const status = clone.cli(['agents', 'status', 'copilot'], { env: { HOME: stale } });
          assert.equal(status.code, 1);
          assert.match(status.stdout, /copilot +stale in .*: ~\/\.ai-provenance\/hook names \/gone\/.*which is gone/);
        } finally {
          clone.dispose();
          fs.rmSync(stale, { recursive: true, force: true });
        }
      });
    });
  }

  it('status: stale when this machine has no resolver, installed again once install wrote it', () => {
    const teammate = tempHome();
    const clone = cloneOf(team);
    try {
      const status = clone.cli(['agents', 'status', 'cursor', 'gemini', 'copilot'], { env: { HOME: teammate } });
      assert.equal(status.code, 1);
      for (const name of ['cursor', 'gemini', 'copilot']) assert.match(status.stdout, new RegExp(`${name} +stale in .*not active on this machine: ~/\\.ai-provenance/hook is missing`));
      const before = clone.git('status', '--porcelain');
      assert.equal(clone.cli(['agents', 'install', 'cursor'], { env: { HOME: teammate } }).code, 0);
      assert.equal(clone.git('status', '--porcelain'), before, 'the committed file is already right: install does not touch it');
      assert.match(clone.cli(['agents', 'status', 'cursor', 'gemini', 'copilot'], { env: { HOME: teammate } }).stdout, /^cursor +installed.*\ngemini +installed.*\ncopilot +installed/);
    } finally {
      clone.dispose();
      fs.rmSync(teammate, { recursive: true, force: true });
    }
  });
});

/** Codex's trust hash of one hook, computed here from its definition (keys in Codex's sorted order), independently of the code under test. */
function codexHash(event: string, matcher: string | undefined, command: string): string {
  const identity = JSON.stringify({ event_name: event, hooks: [{ async: false, command, timeout: 600, type: 'command' }], ...(matcher === undefined ? {} : { matcher }) });
  return `sha256:${createHash('sha256').update(identity).digest('hex')}`;
}

describe("CLI: agents and Codex's trust", () => {
  let repo: TempRepo;
  let home: string;
  let hooksFile: string;
  let configToml: string;
  const MATCHER = agentNamed('codex')!.hooks.matcher;
  const cli = (args: string[]): Run => repo.cli(args, { env: { HOME: home, CODEX_HOME: '' } });
  /** What Codex writes when the user trusts a hook (or switches one off) in /hooks. */
  const trust = (event: string, group: number, hash: string, enabled?: boolean): void => {
    const label = event === 'PreToolUse' ? 'pre_tool_use' : 'post_tool_use';
    const lines = [`[hooks.state."${hooksFile}:${label}:${group}:0"]`, ...(enabled === undefined ? [] : [`enabled = ${enabled}`]), `trusted_hash = "${hash}"`, ''];
    fs.appendFileSync(configToml, lines.join('\n'));
  };
  const groups = (event: string): Json[] => JSON.parse(fs.readFileSync(hooksFile, 'utf8')).hooks[event];

  beforeEach(() => {
    repo = new TempRepo();
    repo.write('README.md', 'hello\n');
    repo.commitAll();
    home = tempHome();
    hooksFile = path.join(home, '.codex', 'hooks.json');
    configToml = path.join(home, '.codex', 'config.toml');
    fs.mkdirSync(path.dirname(hooksFile));
    fs.writeFileSync(configToml, 'model = "gpt-5-codex"\n\n[projects."/somewhere"]\ntrust_level = "trusted"\n\n');
  });
  afterEach(() => {
    repo.dispose();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('status: needs approval until Codex trusted both hooks; again when one is switched off or its command changed', () => {
    assert.equal(cli(['agents', 'install', 'codex']).code, 0);
    let s = cli(['agents', 'status', 'codex']);
    assert.equal(s.code, 1);
    assert.match(s.stdout, /^codex +needs approval in the agent, in ~\/\.codex\/hooks\.json: Codex has not trusted it yet \(PreToolUse, PostToolUse\)/);
    const command = ourCommand(hooksFile, 'PreToolUse', 'codex');
    trust('PreToolUse', 0, codexHash('pre_tool_use', MATCHER, command));
    assert.match(cli(['agents', 'status', 'codex']).stdout, /not trusted it yet \(PostToolUse\)/);
    trust('PostToolUse', 0, codexHash('post_tool_use', MATCHER, command));
    s = cli(['agents', 'status', 'codex']);
    assert.equal(s.code, 0, s.stdout);
    assert.match(s.stdout, /^codex +installed in ~\/\.codex\/hooks\.json\n$/);

    // Switched off in /hooks (Codex writes enabled = false beside the hash).
    const trusted = fs.readFileSync(configToml, 'utf8');
    fs.writeFileSync(configToml, trusted.replace(/(:post_tool_use:0:0"\]\n)/, '$1enabled = false\n'));
    assert.match(cli(['agents', 'status', 'codex']).stdout, /needs approval .*switched off in Codex \(PostToolUse\)/);
    fs.writeFileSync(configToml, trusted);

    // The user's own change to our hook (a timeout): Codex sees another hook, and so do we.
    const text = fs.readFileSync(hooksFile, 'utf8');
    const pre = JSON.parse(text);
    pre.hooks.PreToolUse[0].hooks[0].timeout = 30;
    fs.writeFileSync(hooksFile, JSON.stringify(pre, null, 2) + '\n');
    assert.match(cli(['agents', 'status', 'codex']).stdout, /needs approval .*changed since Codex trusted it \(PreToolUse\)/);
    fs.writeFileSync(hooksFile, text);

    // An earlier version's command (machine paths): stale; install puts today's back, which Codex trusted already.
    fs.writeFileSync(hooksFile, text.split(JSON.stringify(command).slice(1, -1)).join(`/usr/bin/node ${CLI} record --agent codex`));
    assert.match(cli(['agents', 'status', 'codex']).stdout, /^codex +stale .*older command/);
    assert.equal(cli(['agents', 'install', 'codex']).code, 0);
    assert.equal(fs.readFileSync(hooksFile, 'utf8'), text);
    assert.equal(cli(['agents', 'status', 'codex']).code, 0);
  });

  it("uninstall keeps the hooks after ours at their positions, which key Codex's trust in them; install takes its place back", () => {
    const mine = { matcher: 'Bash', hooks: [{ type: 'command', command: 'python3 check.py' }] };
    fs.writeFileSync(hooksFile, JSON.stringify({ hooks: { PreToolUse: [mine] } }, null, 2) + '\n');
    const original = fs.readFileSync(hooksFile, 'utf8');
    assert.equal(cli(['agents', 'install', 'codex']).code, 0);
    // The user adds a hook after ours and trusts it (and theirs before ours).
    const later = { matcher: 'Write', hooks: [{ type: 'command', command: 'npx prettier --write .' }] };
    const withLater = JSON.parse(fs.readFileSync(hooksFile, 'utf8'));
    withLater.hooks.PreToolUse.push(later);
    fs.writeFileSync(hooksFile, JSON.stringify(withLater, null, 2) + '\n');
    const installedText = fs.readFileSync(hooksFile, 'utf8');
    trust('PreToolUse', 0, codexHash('pre_tool_use', 'Bash', 'python3 check.py'));
    trust('PreToolUse', 2, codexHash('pre_tool_use', 'Write', 'npx prettier --write .'));

    assert.equal(cli(['agents', 'uninstall', 'codex']).code, 0);
    const after = groups('PreToolUse');
    assert.deepEqual(after, [mine, { matcher: MATCHER, hooks: [] }, later], 'an empty group keeps our place');
    assert.equal(JSON.parse(fs.readFileSync(hooksFile, 'utf8')).hooks.PostToolUse, undefined, 'where nothing followed, ours went');
    // The records Codex keeps still name the same hooks at the same keys.
    const states = fs.readFileSync(configToml, 'utf8');
    assert.ok(states.includes(`${hooksFile}:pre_tool_use:2:0"]\ntrusted_hash = "${codexHash('pre_tool_use', 'Write', 'npx prettier --write .')}"`));
    assert.match(cli(['agents', 'status', 'codex']).stdout, /codex +not installed/);

    // Install fills the kept place: the file is as it was before the uninstall.
    assert.equal(cli(['agents', 'install', 'codex']).code, 0);
    assert.deepEqual(groups('PreToolUse').map((g) => g.matcher), ['Bash', MATCHER, 'Write']);
    assert.deepEqual(JSON.parse(fs.readFileSync(hooksFile, 'utf8')), JSON.parse(installedText));

    // Once the user's later hook is gone, uninstall leaves the file as it was before any of ours, byte for byte.
    const without = JSON.parse(fs.readFileSync(hooksFile, 'utf8'));
    without.hooks.PreToolUse.pop();
    fs.writeFileSync(hooksFile, JSON.stringify(without, null, 2) + '\n');
    assert.equal(cli(['agents', 'uninstall', 'codex']).code, 0);
    assert.equal(fs.readFileSync(hooksFile, 'utf8'), original);
  });

  it("moves an earlier version's hook out of the project's .codex/hooks.json, keeping the positions of the hooks after it", () => {
    const old = { matcher: MATCHER, hooks: [{ type: 'command', command: `${process.execPath} ${CLI} record --agent codex` }] };
    const theirs = { matcher: 'Bash', hooks: [{ type: 'command', command: 'python3 .codex/check.py' }] };
    repo.write('.codex/hooks.json', JSON.stringify({ hooks: { PreToolUse: [old, theirs], PostToolUse: [old] } }, null, 2) + '\n');
    const s = cli(['agents', 'status', 'codex']);
    assert.match(s.stdout, /codex +stale in ~\/\.codex\/hooks\.json: our hook is still in \.codex\/hooks\.json/);
    const r = cli(['agents', 'install', 'codex']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Moved out of \.codex\/hooks\.json/);
    assert.deepEqual(JSON.parse(repo.read('.codex/hooks.json')), { hooks: { PreToolUse: [{ matcher: MATCHER, hooks: [] }, theirs] } });
    assert.equal(groups('PostToolUse').length, 1);
  });
});
