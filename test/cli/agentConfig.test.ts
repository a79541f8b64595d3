/**
 * `ai-provenance agents install|uninstall|status` against realistic existing agent config files, in
 * real temporary git repositories, through the bundled CLI.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { agentNamed } from '../../src/core/agents';
import { cleanEnv, CLI, Run, TempRepo } from './helpers';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/agents');

type Json = Record<string, unknown>;

/** The matcher an agent's hooks are installed with (other parts of the code choose which tools it covers). */
const matcher = (agent: string): string | undefined => agentNamed(agent)!.hooks.matcher;

function fixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}

/** Every hook command in a config, whatever its shape. */
function commands(config: Json): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'command' && typeof x === 'string') out.push(x);
        else walk(x);
      }
    }
  };
  walk(config);
  return out;
}

/** The command every install writes, written out here as the README shows it. */
const OUR_COMMAND = (agent: string): string =>
  `git -c "alias.ai-provenance-hook=!test -x ~/.ai-provenance/hook || { cat >/dev/null; exit 0; }; exec ~/.ai-provenance/hook record --agent ${agent}" ai-provenance-hook`;
/** What earlier versions wrote: this machine's Node and CLI. */
const OLD_COMMAND = (agent: string): string => `${process.execPath} ${CLI} record --agent ${agent}`;

describe('CLI: agents install, uninstall, status', () => {
  let repo: TempRepo;
  /** This test's own home (the resolver, Codex's hooks.json), so that nothing reaches the developer's. */
  let home: string;
  const cli = (args: string[]): Run => repo.cli(args, { env: { HOME: home, CODEX_HOME: '' } });
  beforeEach(() => {
    repo = new TempRepo();
    repo.write('README.md', 'hello\n');
    repo.commitAll();
    home = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aip-home-')));
  });
  afterEach(() => {
    repo.dispose();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it("claude-code: merges into the project's personal .claude/settings.local.json without losing anything, idempotently", () => {
    const original = fixture('claude-code/settings.existing.json');
    repo.write('.claude/settings.local.json', original);
    const r = cli(['agents', 'install', 'claude-code']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Installed the claude-code hooks in \.claude\/settings\.local\.json/);

    const text = repo.read('.claude/settings.local.json');
    const after = JSON.parse(text);
    const before = JSON.parse(original);
    // Everything that was there is still there, in the same order.
    assert.deepEqual(Object.keys(after), Object.keys(before));
    assert.deepEqual(after.permissions, before.permissions);
    assert.deepEqual(after.env, before.env);
    assert.equal(after.model, before.model);
    assert.deepEqual(after.hooks.Stop, before.hooks.Stop);
    assert.deepEqual(after.hooks.PostToolUse[0], before.hooks.PostToolUse[0], "the user's formatter hook is untouched and first");
    assert.deepEqual(Object.keys(after.hooks), ['PostToolUse', 'Stop', 'PreToolUse']);
    // Ours: one matcher group per event, running the portable command.
    for (const event of ['PreToolUse', 'PostToolUse']) {
      const mine = after.hooks[event].filter((g: Json) => commands(g).some((c) => c.includes('record --agent claude-code')));
      assert.equal(mine.length, 1, event);
      assert.deepEqual(mine[0], { matcher: matcher('claude-code'), hooks: [{ type: 'command', command: OUR_COMMAND('claude-code') }] });
    }
    // Git ignores the personal file (Claude Code's own convention), in .git/info/exclude: nothing to commit.
    assert.equal(repo.git('status', '--porcelain'), '');
    // The file's own style: four-space indentation and a final newline.
    assert.match(text, /^\{\n {4}"\$schema"/);
    assert.ok(text.endsWith('}\n'));

    // Idempotent: a second install changes nothing, byte for byte.
    const again = cli(['agents', 'install', 'claude-code']);
    assert.equal(again.code, 0);
    assert.match(again.stdout, /Already installed/);
    assert.equal(repo.read('.claude/settings.local.json'), text);

    // Uninstall removes only ours: the file is back to what it was.
    assert.equal(cli(['agents', 'uninstall', 'claude-code']).code, 0);
    assert.equal(repo.read('.claude/settings.local.json'), original);
  });

  it("claude-code: moves our hook out of the shared .claude/settings.json, where earlier versions put it with this machine's paths", () => {
    const original = fixture('claude-code/settings.existing.json');
    const before = JSON.parse(original);
    const old = { ...before, hooks: { ...before.hooks, PreToolUse: [{ matcher: 'Write|Edit|MultiEdit', hooks: [{ type: 'command', command: OLD_COMMAND('claude-code') }] }] } };
    old.hooks.PostToolUse = [...before.hooks.PostToolUse, { matcher: 'Write|Edit|MultiEdit', hooks: [{ type: 'command', command: OLD_COMMAND('claude-code') }] }];
    repo.write('.claude/settings.json', JSON.stringify(old, null, 4) + '\n');
    const status = cli(['agents', 'status', 'claude-code']);
    assert.equal(status.code, 1);
    assert.match(status.stdout, /claude-code +stale in \.claude\/settings\.local\.json: our hook is still in \.claude\/settings\.json/);
    const r = cli(['agents', 'install', 'claude-code']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Moved out of \.claude\/settings\.json/);
    assert.equal(repo.read('.claude/settings.json'), original, 'the shared file is as it was before our hook went into it');
    assert.ok(repo.read('.claude/settings.local.json').includes(JSON.stringify(OUR_COMMAND('claude-code')).slice(1, -1)));
    assert.match(cli(['agents', 'status', 'claude-code']).stdout, /claude-code +installed in \.claude\/settings\.local\.json/);
  });

  it('the installed hook command really runs the recorder', () => {
    assert.equal(cli(['agents', 'install', 'claude-code']).code, 0);
    const settings = JSON.parse(repo.read('.claude/settings.local.json'));
    const command: string = settings.hooks.PostToolUse[0].hooks[0].command;
    repo.write('src/a.ts', 'one\nTWO\nthree\n');
    const payload = JSON.stringify({
      session_id: 's', cwd: repo.root, hook_event_name: 'PostToolUse', tool_name: 'Edit',
      tool_input: { file_path: repo.path('src/a.ts'), old_string: 'two', new_string: 'TWO' }, tool_response: { success: true },
    });
    const run = spawnSync('/bin/sh', ['-c', command], { cwd: repo.root, input: payload, encoding: 'utf8', env: { ...cleanEnv(), HOME: home } });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(repo.regions().map((r) => [r.path, r.from, r.to, r.tool]), [['src/a.ts', 2, 2, 'claude-code']]);
  });

  it('cursor: keeps the other hooks and the version, adds afterFileEdit and afterTabFileEdit entries', () => {
    const original = fixture('cursor/hooks.existing.json');
    repo.write('.cursor/hooks.json', original);
    assert.equal(cli(['agents', 'install', 'cursor']).code, 0);
    const after = JSON.parse(repo.read('.cursor/hooks.json'));
    const before = JSON.parse(original);
    assert.equal(after.version, 1);
    assert.deepEqual(after.hooks.beforeShellExecution, before.hooks.beforeShellExecution);
    assert.deepEqual(after.hooks.afterFileEdit, [...before.hooks.afterFileEdit, { command: OUR_COMMAND('cursor') }]);
    assert.deepEqual(after.hooks.afterTabFileEdit, [{ command: OUR_COMMAND('cursor') }]);
    assert.equal(cli(['agents', 'uninstall', 'cursor']).code, 0);
    assert.deepEqual(JSON.parse(repo.read('.cursor/hooks.json')), before);
  });

  it("codex: goes into the user's hooks.json in CODEX_HOME, keeping its tab indentation and the Bash hook", () => {
    const original = fixture('codex/hooks.existing.json');
    const file = path.join(home, '.codex', 'hooks.json');
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, original);
    const r = cli(['agents', 'install', 'codex']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Installed the codex hooks in ~\/\.codex\/hooks\.json/);
    assert.match(r.stdout, /every repository on this machine/);
    assert.match(r.stdout, /Needs approval in the agent: Codex has not trusted it yet \(PreToolUse, PostToolUse\)/);
    assert.equal(fs.existsSync(repo.path('.codex')), false, 'nothing in the repository');
    const text = fs.readFileSync(file, 'utf8');
    assert.match(text, /^\{\n\t"hooks"/);
    const after = JSON.parse(text);
    assert.deepEqual(after.hooks.PreToolUse[0], JSON.parse(original).hooks.PreToolUse[0]);
    assert.deepEqual(after.hooks.PreToolUse[1], { matcher: matcher('codex'), hooks: [{ type: 'command', command: OUR_COMMAND('codex') }] });
    assert.deepEqual(after.hooks.PostToolUse, [{ matcher: matcher('codex'), hooks: [{ type: 'command', command: OUR_COMMAND('codex') }] }]);
    assert.equal(cli(['agents', 'uninstall', 'codex']).code, 0);
    assert.equal(fs.readFileSync(file, 'utf8'), original);

    // CODEX_HOME, when set, is where Codex reads it.
    const custom = path.join(home, 'codex-home');
    const withHome = repo.cli(['agents', 'install', 'codex'], { env: { HOME: home, CODEX_HOME: custom } });
    assert.equal(withHome.code, 0, withHome.stderr);
    assert.match(withHome.stdout, /in \$CODEX_HOME\/hooks\.json/);
    assert.equal(JSON.parse(fs.readFileSync(path.join(custom, 'hooks.json'), 'utf8')).hooks.PostToolUse.length, 1);
  });

  it('gemini: keeps the other settings and hooks; adds BeforeTool and AfterTool for write_file|replace|run_shell_command', () => {
    const original = fixture('gemini/settings.existing.json');
    repo.write('.gemini/settings.json', original);
    assert.equal(cli(['agents', 'install', 'gemini']).code, 0);
    const after = JSON.parse(repo.read('.gemini/settings.json'));
    assert.deepEqual(after.general, { vimMode: true });
    assert.deepEqual(after.mcpServers, {});
    assert.deepEqual(after.hooks.SessionStart, JSON.parse(original).hooks.SessionStart);
    assert.deepEqual(after.hooks.AfterTool, [{ matcher: matcher('gemini'), hooks: [{ name: 'ai-provenance', type: 'command', command: OUR_COMMAND('gemini') }] }]);
    assert.equal(after.hooks.BeforeTool[0].matcher, matcher('gemini'));
    assert.equal(cli(['agents', 'uninstall', 'gemini']).code, 0);
    assert.equal(repo.read('.gemini/settings.json'), original);
  });

  it('copilot: writes its own .github/hooks file and uninstall removes it', () => {
    repo.write('.github/hooks/format.json', '{"hooks":{"PostToolUse":[{"type":"command","command":"npx prettier --write ."}]}}\n');
    assert.equal(cli(['agents', 'install', 'copilot']).code, 0);
    const ours = JSON.parse(repo.read('.github/hooks/ai-provenance.json'));
    assert.deepEqual(ours, {
      hooks: {
        PreToolUse: [{ type: 'command', command: OUR_COMMAND('copilot'), timeout: 30 }],
        PostToolUse: [{ type: 'command', command: OUR_COMMAND('copilot'), timeout: 30 }],
      },
    });
    assert.equal(cli(['agents', 'uninstall', 'copilot']).code, 0);
    assert.equal(fs.existsSync(repo.path('.github/hooks/ai-provenance.json')), false);
    assert.equal(repo.read('.github/hooks/format.json'), '{"hooks":{"PostToolUse":[{"type":"command","command":"npx prettier --write ."}]}}\n');
  });

  it("uninstall gives back every agent's existing file byte for byte", () => {
    const files: [string, string, string][] = [
      ['claude-code', repo.path('.claude/settings.local.json'), 'claude-code/settings.existing.json'],
      ['cursor', repo.path('.cursor/hooks.json'), 'cursor/hooks.existing.json'],
      ['codex', path.join(home, '.codex', 'hooks.json'), 'codex/hooks.existing.json'],
      ['copilot', repo.path('.github/hooks/format.json'), 'cursor/hooks.existing.json'],
      ['gemini', repo.path('.gemini/settings.json'), 'gemini/settings.existing.json'],
    ];
    for (const [, file, name] of files) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, fixture(name));
    }
    assert.equal(cli(['agents', 'install', ...files.map(([agent]) => agent)]).code, 0);
    for (const [agent, file, name] of files) {
      if (agent !== 'copilot') assert.notEqual(fs.readFileSync(file, 'utf8'), fixture(name), `${agent}: installed`);
    }
    assert.equal(cli(['agents', 'uninstall', ...files.map(([agent]) => agent)]).code, 0);
    for (const [agent, file, name] of files) assert.equal(fs.readFileSync(file, 'utf8'), fixture(name), agent);
    assert.equal(fs.existsSync(repo.path('.github/hooks/ai-provenance.json')), false);
  });

  it('creates a missing config, and uninstall leaves no trace', () => {
    const exclude = path.join(repo.root, '.git', 'info', 'exclude');
    const excluded = fs.readFileSync(exclude, 'utf8');
    assert.equal(cli(['agents', 'install', 'claude-code', 'cursor', 'codex']).code, 0);
    assert.ok(fs.existsSync(repo.path('.claude/settings.local.json')));
    assert.equal(JSON.parse(repo.read('.cursor/hooks.json')).version, 1);
    assert.equal(repo.git('status', '--porcelain'), '?? .cursor/\n', "the team's file shows, the personal one does not");
    assert.equal(cli(['agents', 'uninstall', 'claude-code', 'cursor', 'codex']).code, 0);
    assert.equal(fs.existsSync(repo.path('.claude')), false);
    assert.equal(fs.existsSync(repo.path('.cursor')), false);
    assert.equal(fs.existsSync(path.join(home, '.codex', 'hooks.json')), false);
    assert.ok(fs.existsSync(path.join(home, '.codex')), "Codex's folder is its own: never removed");
    assert.equal(fs.readFileSync(exclude, 'utf8'), excluded);
    assert.equal(repo.git('status', '--porcelain'), '');
  });

  it("keeps the user's comments and formatting across install, refresh and uninstall", () => {
    const original = [
      '{',
      '  // Gemini CLI reads comments in its settings.',
      '  "theme": "GitHub", /* the dark one */',
      '  "hooks": {',
      '    "AfterTool": [',
      '      // format what the agent wrote',
      '      { "matcher": "write_file", "hooks": [{ "type": "command", "command": "npx prettier --write" }] }',
      '    ]',
      '  },',
      '  "model": { "name": "gemini-2.5-pro" } // pinned',
      '}',
      '',
    ].join('\n');
    repo.write('.gemini/settings.json', original);
    const r = cli(['agents', 'install', 'gemini']);
    assert.equal(r.code, 0, r.stderr);
    const installed = repo.read('.gemini/settings.json');
    for (const comment of ['// Gemini CLI reads comments in its settings.', '/* the dark one */', '// format what the agent wrote', '// pinned']) {
      assert.ok(installed.includes(comment), `keeps ${comment}`);
    }
    assert.ok(installed.includes('"model": { "name": "gemini-2.5-pro" } // pinned'), 'lines we do not touch keep their formatting');
    assert.match(cli(['agents', 'status', 'gemini']).stdout, /gemini +installed/);

    // An older command (this machine's paths) is refreshed in place; the comments stay.
    repo.write('.gemini/settings.json', installed.split(JSON.stringify(OUR_COMMAND('gemini')).slice(1, -1)).join('/usr/bin/node /old/dist/cli.js record --agent gemini'));
    assert.match(cli(['agents', 'status', 'gemini']).stdout, /gemini +stale in \.gemini\/settings\.json: it runs an older command/);
    assert.equal(cli(['agents', 'install', 'gemini']).code, 0);
    assert.equal(repo.read('.gemini/settings.json'), installed);

    assert.ok(installed.includes(original.split('\n')[6] + ','), "the user's one-line hook entry stays on one line");

    assert.equal(cli(['agents', 'uninstall', 'gemini']).code, 0);
    assert.equal(repo.read('.gemini/settings.json'), original, 'uninstall gives back the file as it was, byte for byte');
  });

  it('refuses a config file that is not valid JSON and never overwrites it', () => {
    const broken = '{\n  "permissions": { "allow": [ "Bash(ls)", ] },\n}\n';
    repo.write('.claude/settings.json', broken);
    const r = cli(['agents', 'install', 'claude-code']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /settings\.json is not valid JSON .*Nothing was changed/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.equal(repo.read('.claude/settings.json'), broken);
    assert.equal(cli(['agents', 'uninstall', 'claude-code']).code, 2);
    assert.equal(repo.read('.claude/settings.json'), broken);
    const status = cli(['agents', 'status', 'claude-code']);
    assert.equal(status.code, 1);
    assert.match(status.stdout, /cannot tell: .*not valid JSON/);
  });

  it('refuses hooks of an unexpected shape', () => {
    repo.write('.gemini/settings.json', '{ "hooks": { "AfterTool": "not a list" } }\n');
    const r = cli(['agents', 'install', 'gemini']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /hooks\.AfterTool.*not a list/);
    assert.equal(repo.read('.gemini/settings.json'), '{ "hooks": { "AfterTool": "not a list" } }\n');
  });

  it('status tells installed, missing and stale apart; install refreshes a stale command in place', () => {
    let s = cli(['agents', 'status']);
    assert.equal(s.code, 1);
    assert.match(s.stdout, /claude-code +not installed/);
    assert.equal(cli(['agents', 'install', 'claude-code']).code, 0);
    s = cli(['agents', 'status', 'claude-code']);
    assert.equal(s.code, 0);
    assert.match(s.stdout, /claude-code +installed in \.claude\/settings\.local\.json/);

    // An earlier version's command: this machine's paths. The user added a timeout meanwhile.
    const settings = JSON.parse(repo.read('.claude/settings.local.json'));
    settings.hooks.PostToolUse[0].hooks[0].command = '/usr/bin/node /old/ai-provenance-0.0.9/dist/cli.js record --agent claude-code';
    settings.hooks.PostToolUse[0].hooks[0].timeout = 20;
    repo.write('.claude/settings.local.json', JSON.stringify(settings, null, 2) + '\n');
    s = cli(['agents', 'status', 'claude-code']);
    assert.equal(s.code, 1);
    assert.match(s.stdout, /claude-code +stale in .*: it runs an older command/);
    assert.equal(cli(['agents', 'install', 'claude-code']).code, 0);
    const refreshed = JSON.parse(repo.read('.claude/settings.local.json'));
    assert.deepEqual(refreshed.hooks.PostToolUse, [{ matcher: matcher('claude-code'), hooks: [{ type: 'command', command: OUR_COMMAND('claude-code'), timeout: 20 }] }]);
    assert.equal(cli(['agents', 'status', 'claude-code']).code, 0);
  });

  describe('a config folder or file that leads outside the repository', () => {
    let outside: string;
    beforeEach(() => {
      outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aip-outside-')));
    });
    afterEach(() => fs.rmSync(outside, { recursive: true, force: true }));

    it('install refuses a symlinked folder (a cloned repository can ship one) and writes nothing there', () => {
      for (const [agent, folder] of [['claude-code', '.claude'], ['cursor', '.cursor'], ['codex', '.codex'], ['copilot', '.github'], ['gemini', '.gemini']]) {
        fs.symlinkSync(outside, repo.path(folder));
        const r = cli(['agents', 'install', agent]);
        if (agent === 'codex') {
          // Codex's hook goes to the user's own config; the repository's .codex is only where an earlier version wrote, and is not followed out.
          assert.equal(r.code, 0, r.stderr);
        } else {
          assert.equal(r.code, 2, `${agent}: ${r.stdout}`);
          assert.match(r.stderr, /outside the repository/);
          assert.equal(r.stderr.trim().split('\n').length, 1);
        }
        assert.deepEqual(fs.readdirSync(outside), [], `${agent}: nothing written outside`);
        fs.rmSync(repo.path(folder));
      }
    });

    it('uninstall refuses to delete through a symlinked folder', () => {
      const theirs = JSON.stringify({ hooks: { PostToolUse: [{ matcher: 'Write', hooks: [{ type: 'command', command: `node ${CLI} record --agent claude-code` }] }] } });
      fs.writeFileSync(path.join(outside, 'settings.json'), theirs);
      fs.writeFileSync(path.join(outside, 'settings.local.json'), theirs);
      fs.symlinkSync(outside, repo.path('.claude'));
      const r = cli(['agents', 'uninstall', 'claude-code']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /\.claude\/settings\.local\.json .*outside the repository/);
      assert.equal(fs.readFileSync(path.join(outside, 'settings.json'), 'utf8'), theirs);
      assert.equal(fs.readFileSync(path.join(outside, 'settings.local.json'), 'utf8'), theirs);
      assert.match(cli(['agents', 'status', 'claude-code']).stdout, /cannot tell: .*outside the repository/);
    });

    it('never follows a symlinked config file outside; one inside is written through', () => {
      const target = path.join(outside, 'hooks.json');
      fs.writeFileSync(target, '{"version": 1}\n');
      fs.mkdirSync(repo.path('.cursor'));
      fs.symlinkSync(target, repo.path('.cursor/hooks.json'));
      assert.equal(cli(['agents', 'install', 'cursor']).code, 2);
      assert.equal(fs.readFileSync(target, 'utf8'), '{"version": 1}\n');

      repo.write('config/gemini.json', '{"theme": "dark"}\n');
      fs.mkdirSync(repo.path('.gemini'));
      fs.symlinkSync('../config/gemini.json', repo.path('.gemini/settings.json'));
      assert.equal(cli(['agents', 'install', 'gemini']).code, 0);
      assert.ok(fs.lstatSync(repo.path('.gemini/settings.json')).isSymbolicLink(), 'the link stays a link');
      assert.equal(JSON.parse(repo.read('config/gemini.json')).theme, 'dark');
      assert.equal(JSON.parse(repo.read('config/gemini.json')).hooks.AfterTool.length, 1);
    });
  });

  it('rejects unknown agents and actions with a usage error', () => {
    const r = cli(['agents', 'install', 'aider']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown agent "aider"/);
    assert.equal(cli(['agents', 'frobnicate']).code, 2);
    assert.equal(cli(['agents', 'install']).code, 2);
  });
});
