/**
 * `ai-provenance agents install|uninstall|status` for the agents beyond the first five, in real
 * temporary git repositories through the bundled CLI: the user's own config and hooks stay exactly as
 * they were, a second install changes nothing, and what install wrote really runs the recorder (hook
 * commands through a shell, Cline's hook script, and the OpenCode, Amp and Pi plugins imported into
 * Node and called the way the agent calls them).
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { cleanEnv, TempRepo } from './helpers';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/agents');

type Json = Record<string, unknown>;

const BASE = "import { a } from './a';\n\nexport function add(x: number, y: number): number {\n  return x + y;\n}\n";

function fixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}

/** Every hook command in a config, whatever its shape (Copilot CLI keeps it under `bash`, Kiro under `action`). */
function commands(config: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if ((k === 'command' || k === 'bash' || k === 'powershell') && typeof x === 'string') out.push(x);
        else walk(x);
      }
    }
  };
  walk(config);
  return out;
}

/** The hook commands of ours in a config: they run `record --agent <agent>`, however the tool is found. */
function ours(config: unknown, agent: string): string[] {
  return commands(config).filter((c) => new RegExp(`record --agent ${agent}(?![\\w-])`).test(c));
}

/** The JSON-config agents, with a realistic existing file of the user's, and what ours must look like. */
const JSON_AGENTS: { agent: string; file: string; existing?: string; check: (after: Json, before: Json, repo: TempRepo) => void }[] = [
  {
    agent: 'windsurf',
    file: '.windsurf/hooks.json',
    existing: 'windsurf/hooks.existing.json',
    check(after, before) {
      const hooks = after.hooks as Record<string, Json[]>;
      const was = before.hooks as Record<string, Json[]>;
      assert.deepEqual(hooks.pre_run_command, was.pre_run_command);
      assert.deepEqual(hooks.post_write_code[0], was.post_write_code[0], "the user's hook stays first");
      assert.deepEqual(Object.keys(hooks.post_write_code[1]), ['command']);
      assert.deepEqual(Object.keys(hooks.pre_write_code[0]), ['command']);
    },
  },
  {
    agent: 'kiro',
    file: '.kiro/hooks/ai-provenance.json',
    check(after) {
      assert.equal(after.version, 'v1');
      const hooks = after.hooks as Json[];
      assert.deepEqual(
        hooks.map((h) => [h.name, h.trigger, h.matcher, (h.action as Json).type, h.timeout]),
        [
          ['ai-provenance-PreToolUse', 'PreToolUse', 'fs_write|write', 'command', 30],
          ['ai-provenance-PostToolUse', 'PostToolUse', 'fs_write|write', 'command', 30],
        ],
      );
    },
  },
  {
    agent: 'kiro',
    file: '.kiro/hooks/ai-provenance.json',
    existing: 'kiro/hooks.existing.json',
    check(after, before) {
      const hooks = after.hooks as Json[];
      assert.deepEqual(hooks[0], (before.hooks as Json[])[0], 'a hook the user added to our file stays');
      assert.deepEqual(hooks.slice(1).map((h) => h.trigger), ['PreToolUse', 'PostToolUse']);
    },
  },
  {
    agent: 'droid',
    file: '.factory/settings.json',
    existing: 'droid/settings.existing.json',
    check(after, before) {
      assert.equal(after.model, before.model);
      assert.equal(after.autonomyLevel, before.autonomyLevel);
      const hooks = after.hooks as Record<string, Json[]>;
      assert.deepEqual(hooks.PostToolUse[0], (before.hooks as Record<string, Json[]>).PostToolUse[0]);
      assert.equal(hooks.PostToolUse[1].matcher, 'Create|Edit|MultiEdit|ApplyPatch');
      assert.equal(hooks.PreToolUse[0].matcher, 'Create|Edit|MultiEdit|ApplyPatch');
    },
  },
  {
    agent: 'qwen',
    file: '.qwen/settings.json',
    existing: 'qwen/settings.existing.json',
    check(after, before) {
      assert.deepEqual(after.model, before.model);
      const hooks = after.hooks as Record<string, Json[]>;
      assert.deepEqual(hooks.PreToolUse[0], (before.hooks as Record<string, Json[]>).PreToolUse[0]);
      assert.equal(hooks.PreToolUse[1].matcher, 'write_file|edit|replace|WriteFile|Edit');
      assert.equal(hooks.PostToolUse.length, 1);
    },
  },
  {
    agent: 'codebuddy',
    file: '.codebuddy/settings.local.json',
    existing: 'codebuddy/settings.existing.json',
    check(after, before, repo) {
      assert.deepEqual(after.permissions, before.permissions);
      assert.deepEqual((after.hooks as Json).Stop, (before.hooks as Json).Stop);
      // The project's personal settings: git ignores them, nothing to commit.
      assert.equal(repo.git('check-ignore', '.codebuddy/settings.local.json').trim(), '.codebuddy/settings.local.json');
      assert.equal(((after.hooks as Record<string, Json[]>).PostToolUse[0]).matcher, 'Write|Edit|MultiEdit');
    },
  },
  {
    agent: 'tabnine',
    file: '.tabnine/agent/settings.json',
    existing: 'tabnine/settings.existing.json',
    check(after, before) {
      assert.deepEqual(after.hooksConfig, before.hooksConfig);
      const hooks = after.hooks as Record<string, Json[]>;
      assert.deepEqual(hooks.BeforeTool[0], (before.hooks as Record<string, Json[]>).BeforeTool[0]);
      assert.deepEqual(hooks.AfterTool[0].matcher, 'write_file|replace');
      assert.equal(((hooks.AfterTool[0].hooks as Json[])[0]).name, 'ai-provenance');
    },
  },
  {
    agent: 'copilot-cli',
    file: '.github/hooks/ai-provenance-cli.json',
    check(after) {
      assert.equal(after.version, 1);
      const hooks = after.hooks as Record<string, Json[]>;
      assert.deepEqual(Object.keys(hooks), ['preToolUse', 'postToolUse']);
      for (const entry of [...hooks.preToolUse, ...hooks.postToolUse]) {
        assert.equal(entry.type, 'command');
        assert.equal(entry.bash, entry.powershell, 'the same command for both shells');
        assert.equal(entry.timeoutSec, 30);
      }
    },
  },
];

describe('CLI: agents install, uninstall, status for the agents beyond the first five', () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = new TempRepo();
    repo.write('src/app.ts', BASE);
    repo.commitAll();
  });
  afterEach(() => repo.dispose());

  for (const { agent, file, existing, check } of JSON_AGENTS) {
    it(`${agent}: ${existing ? `merges into ${file}` : `writes ${file}`}, idempotently; uninstall gives the file back byte for byte`, () => {
      const original = existing ? fixture(existing) : undefined;
      if (original) repo.write(file, original);
      const r = repo.cli(['agents', 'install', agent]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`Installed the ${agent} hooks in ${file.replace(/\./g, '\\.')}`));
      const text = repo.read(file);
      const after = JSON.parse(text);
      assert.equal(ours(after, agent).length, agent === 'copilot-cli' ? 4 : 2, 'one hook per event (Copilot CLI: each with a bash and a powershell command)');
      check(after, original ? JSON.parse(original) : {}, repo);

      const again = repo.cli(['agents', 'install', agent]);
      assert.equal(again.code, 0);
      assert.match(again.stdout, /Already installed/);
      assert.equal(repo.read(file), text, 'a second install changes nothing');
      const s = repo.cli(['agents', 'status', agent]);
      assert.equal(s.code, 0, s.stdout);
      assert.match(s.stdout, new RegExp(`${agent} +installed in ${file.replace(/\./g, '\\.')}`));

      assert.equal(repo.cli(['agents', 'uninstall', agent]).code, 0);
      if (original) assert.equal(repo.read(file), original);
      else assert.equal(fs.existsSync(repo.path(file)), false);
      assert.match(repo.cli(['agents', 'status', agent]).stdout, new RegExp(`${agent} +not installed`));
    });
  }

  it('a stale command is refreshed in place and status says outdated until then (Kiro keeps its action, Copilot CLI both shells)', () => {
    for (const [agent, file] of [['kiro', '.kiro/hooks/ai-provenance.json'], ['copilot-cli', '.github/hooks/ai-provenance-cli.json'], ['windsurf', '.windsurf/hooks.json']]) {
      assert.equal(repo.cli(['agents', 'install', agent]).code, 0);
      const installed = repo.read(file);
      const [command] = ours(JSON.parse(installed), agent);
      repo.write(file, installed.split(JSON.stringify(command).slice(1, -1)).join(`/old/node /old/dist/cli.js record --agent ${agent}`));
      const s = repo.cli(['agents', 'status', agent]);
      assert.equal(s.code, 1);
      assert.match(s.stdout, /stale .*older command/);
      assert.equal(repo.cli(['agents', 'install', agent]).code, 0);
      assert.equal(repo.read(file), installed, `${agent}: refreshed to exactly what a fresh install writes`);
    }
  });

  it('copilot and copilot-cli keep separate files and uninstalling one leaves the other', () => {
    repo.write('.github/hooks/format.json', '{"version":1,"hooks":{"postToolUse":[{"type":"command","bash":"npx prettier --write ."}]}}\n');
    assert.equal(repo.cli(['agents', 'install', 'copilot', 'copilot-cli']).code, 0);
    const copilot = repo.read('.github/hooks/ai-provenance.json');
    assert.equal(repo.cli(['agents', 'uninstall', 'copilot-cli']).code, 0);
    assert.equal(repo.read('.github/hooks/ai-provenance.json'), copilot);
    assert.equal(fs.existsSync(repo.path('.github/hooks/ai-provenance-cli.json')), false);
    assert.equal(repo.read('.github/hooks/format.json'), '{"version":1,"hooks":{"postToolUse":[{"type":"command","bash":"npx prettier --write ."}]}}\n');
  });

  it('every new agent at once on a clean repository: install, status all installed, uninstall leaves no trace', () => {
    const agents = ['cline', 'windsurf', 'kiro', 'opencode', 'amp', 'droid', 'qwen', 'copilot-cli', 'codebuddy', 'tabnine', 'pi'];
    const r = repo.cli(['agents', 'install', ...agents]);
    assert.equal(r.code, 0, r.stderr);
    const s = repo.cli(['agents', 'status', ...agents]);
    assert.equal(s.code, 0, s.stdout);
    assert.equal(s.stdout.trim().split('\n').length, agents.length);
    assert.equal(repo.cli(['agents', 'uninstall', ...agents]).code, 0);
    assert.equal(repo.git('status', '--porcelain', '--untracked-files=all'), '');
  });

  it('refuses a config folder that leads outside the repository, for every new agent, and writes nothing there', () => {
    const outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aip-outside-')));
    try {
      const folders: [string, string][] = [
        ['cline', '.clinerules'], ['windsurf', '.windsurf'], ['kiro', '.kiro'], ['opencode', '.opencode'], ['amp', '.amp'],
        ['droid', '.factory'], ['qwen', '.qwen'], ['copilot-cli', '.github'], ['codebuddy', '.codebuddy'], ['tabnine', '.tabnine'], ['pi', '.pi'],
      ];
      for (const [agent, folder] of folders) {
        fs.symlinkSync(outside, repo.path(folder));
        const r = repo.cli(['agents', 'install', agent]);
        assert.equal(r.code, 2, `${agent}: ${r.stdout}`);
        assert.match(r.stderr, /outside the repository/);
        assert.deepEqual(fs.readdirSync(outside), [], `${agent}: nothing written outside`);
        assert.match(repo.cli(['agents', 'status', agent]).stdout, /cannot tell: .*outside the repository/);
        fs.rmSync(repo.path(folder));
      }
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('the installed hook commands really run the recorder (a shell runs them, as the agents do)', () => {
    const cases: [string, string, string, (config: Json) => string][] = [
      ['windsurf', '.windsurf/hooks.json', 'windsurf/post_write_code.json', (c) => ((c.hooks as Json).post_write_code as Json[])[0].command as string],
      ['kiro', '.kiro/hooks/ai-provenance.json', 'kiro/postToolUse-fs_write.json', (c) => ((c.hooks as Json[])[1].action as Json).command as string],
      ['copilot-cli', '.github/hooks/ai-provenance-cli.json', 'copilot-cli/postToolUse-edit.json', (c) => ((c.hooks as Json).postToolUse as Json[])[0].bash as string],
      ['droid', '.factory/settings.json', 'droid/post-Edit.json', (c) => (((c.hooks as Json).PostToolUse as Json[])[0].hooks as Json[])[0].command as string],
      ['qwen', '.qwen/settings.json', 'qwen/post-edit.json', (c) => (((c.hooks as Json).PostToolUse as Json[])[0].hooks as Json[])[0].command as string],
      ['codebuddy', '.codebuddy/settings.local.json', 'codebuddy/post-Edit.json', (c) => (((c.hooks as Json).PostToolUse as Json[])[0].hooks as Json[])[0].command as string],
      ['tabnine', '.tabnine/agent/settings.json', 'tabnine/AfterTool-replace.json', (c) => (((c.hooks as Json).AfterTool as Json[])[0].hooks as Json[])[0].command as string],
    ];
    repo.write('src/app.ts', BASE.replace('  return x + y;', '  const sum = x + y;\n  return sum;'));
    for (const [agent, file, payload, commandOf] of cases) {
      assert.equal(repo.cli(['agents', 'install', agent]).code, 0);
      const command = commandOf(JSON.parse(repo.read(file)));
      const input = fixture(payload).split('__ROOT__').join(repo.root);
      const run = spawnSync('/bin/sh', ['-c', command], { cwd: repo.root, input, encoding: 'utf8', env: cleanEnv() });
      assert.equal(run.status, 0, `${agent}: ${run.stderr}`);
      const tools = repo.regions().filter((r) => r.tool === agent).map((r) => [r.path, r.from, r.to]);
      assert.deepEqual(tools, [['src/app.ts', 4, 5]], agent);
    }
  });

  describe('cline: hook scripts of ours in .clinerules/hooks', () => {
    it('writes an executable PreToolUse and PostToolUse, idempotently, next to the user\'s other hooks, and removes only them', () => {
      repo.write('.clinerules/hooks/TaskStart', '#!/bin/sh\necho \'{"cancel": false}\'\n');
      const r = repo.cli(['agents', 'install', 'cline']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /Enable Hooks/);
      for (const event of ['PreToolUse', 'PostToolUse']) {
        const file = repo.path(`.clinerules/hooks/${event}`);
        assert.ok(fs.statSync(file).mode & 0o100, `${event} is executable`);
        const text = fs.readFileSync(file, 'utf8');
        assert.match(text, /^#!\/bin\/sh\n/);
        assert.match(text, /record --agent cline(?![\w-])/);
      }
      const before = repo.read('.clinerules/hooks/PreToolUse');
      const again = repo.cli(['agents', 'install', 'cline']);
      assert.match(again.stdout, /Already installed/);
      assert.equal(repo.read('.clinerules/hooks/PreToolUse'), before);
      assert.match(repo.cli(['agents', 'status', 'cline']).stdout, /cline +installed in \.clinerules\/hooks\/\*/);

      fs.rmSync(repo.path('.clinerules/hooks/PostToolUse'));
      const s = repo.cli(['agents', 'status', 'cline']);
      assert.equal(s.code, 1);
      assert.match(s.stdout, /stale .*only PreToolUse of PreToolUse, PostToolUse/);
      assert.equal(repo.cli(['agents', 'install', 'cline']).code, 0);
      assert.equal(repo.read('.clinerules/hooks/PostToolUse'), before);

      assert.equal(repo.cli(['agents', 'uninstall', 'cline']).code, 0);
      assert.deepEqual(fs.readdirSync(repo.path('.clinerules/hooks')), ['TaskStart']);
    });

    it("refuses to replace the user's own PreToolUse hook, and writes nothing", () => {
      const theirs = '#!/bin/sh\ncat > /tmp/seen.json\necho \'{"cancel": false}\'\n';
      repo.write('.clinerules/hooks/PreToolUse', theirs);
      const r = repo.cli(['agents', 'install', 'cline']);
      assert.equal(r.code, 2);
      assert.equal(r.stderr.trim().split('\n').length, 1);
      assert.match(r.stderr, /\.clinerules\/hooks\/PreToolUse is a hook that is not ours; have it run .*record --agent cline.*Nothing was changed/);
      assert.equal(repo.read('.clinerules/hooks/PreToolUse'), theirs);
      assert.equal(fs.existsSync(repo.path('.clinerules/hooks/PostToolUse')), false);
      assert.equal(repo.cli(['agents', 'uninstall', 'cline']).code, 0);
      assert.equal(repo.read('.clinerules/hooks/PreToolUse'), theirs, 'uninstall never deletes a hook that is not ours');
    });

    it('the script records and answers Cline with {"cancel": false}, even when the recorder fails', () => {
      assert.equal(repo.cli(['agents', 'install', 'cline']).code, 0);
      repo.write('src/app.ts', BASE.replace('  return x + y;', '  const sum = x + y;\n  return sum;'));
      const input = fixture('cline/PostToolUse-replace_in_file.json').split('__ROOT__').join(repo.root);
      const script = repo.path('.clinerules/hooks/PostToolUse');
      const ok = spawnSync(script, [], { cwd: repo.root, input, encoding: 'utf8', env: cleanEnv() });
      assert.equal(ok.status, 0, ok.stderr);
      assert.deepEqual(JSON.parse(ok.stdout), { cancel: false });
      assert.deepEqual(repo.regions().map((r) => [r.path, r.from, r.to, r.tool]), [['src/app.ts', 4, 5, 'cline']]);
      const bad = spawnSync(script, [], { cwd: repo.root, input: '{"broken', encoding: 'utf8', env: cleanEnv() });
      assert.equal(bad.status, 0);
      assert.deepEqual(JSON.parse(bad.stdout), { cancel: false }, 'the tool still runs');
      assert.match(bad.stderr, /not valid JSON/);
    });
  });

  describe('plugins: OpenCode, Amp and Pi', () => {
    const PLUGINS = [
      { agent: 'opencode', file: '.opencode/plugins/ai-provenance.js', other: '.opencode/plugins/notify.js' },
      { agent: 'amp', file: '.amp/plugins/ai-provenance.ts', other: '.amp/plugins/permissions.ts' },
      { agent: 'pi', file: '.pi/extensions/ai-provenance.ts', other: '.pi/extensions/todo.ts' },
    ];

    for (const { agent, file, other } of PLUGINS) {
      it(`${agent}: writes ${file} idempotently, refreshes it, refuses a file of the user's, removes only its own`, () => {
        repo.write(other, 'export default function () {}\n');
        const r = repo.cli(['agents', 'install', agent]);
        assert.equal(r.code, 0, r.stderr);
        const text = repo.read(file);
        assert.match(text, new RegExp(`ai-provenance:${agent}\\b`));
        assert.match(text, new RegExp(`record --agent ${agent}(?![\\w-])`));
        assert.match(repo.cli(['agents', 'install', agent]).stdout, /Already installed/);
        assert.equal(repo.read(file), text);
        assert.equal(repo.cli(['agents', 'status', agent]).code, 0);

        repo.write(file, text.replace(/const COMMAND = .*;/, `const COMMAND = "/old/node /old/cli.js record --agent ${agent}";`));
        assert.match(repo.cli(['agents', 'status', agent]).stdout, /stale .*not the file this version writes/);
        assert.equal(repo.cli(['agents', 'install', agent]).code, 0);
        assert.equal(repo.read(file), text);

        assert.equal(repo.cli(['agents', 'uninstall', agent]).code, 0);
        assert.equal(fs.existsSync(repo.path(file)), false);
        assert.equal(repo.read(other), 'export default function () {}\n');

        repo.write(file, '// my own plugin\nexport default function () {}\n');
        const refused = repo.cli(['agents', 'install', agent]);
        assert.equal(refused.code, 2);
        assert.match(refused.stderr, /is a hook that is not ours/);
        assert.equal(repo.read(file), '// my own plugin\nexport default function () {}\n');
        assert.match(repo.cli(['agents', 'status', agent]).stdout, /not installed/);
      });
    }

    /**
     * Runs an installed plugin in Node the way its agent calls it: `steps` are calls of its event
     * handlers (with the agent's own event objects) and file writes standing for the tool.
     */
    function runPlugin(file: string, kind: string, steps: unknown[]): unknown[] {
      // The .ts plugins are plain JavaScript; Node imports them under an .mjs name.
      const copy = path.join(repo.storeDir(), '..', `plugin-${kind}.mjs`);
      fs.copyFileSync(repo.path(file), copy);
      const driver = `
        import { writeFileSync } from "node:fs";
        const [file, kind, steps] = process.argv.slice(1);
        const mod = await import(file);
        const on = {};
        let hooks;
        const results = [];
        for (const step of JSON.parse(steps)) {
          if (step.init) {
            if (kind === "opencode") hooks = await mod.AiProvenance(step.init);
            else mod.default({ on: (name, fn) => { on[name] = fn; } });
          } else if (step.write) {
            writeFileSync(step.write.path, step.write.content);
          } else {
            const fn = kind === "opencode" ? hooks[step.hook] : on[step.hook];
            const result = await fn(...step.args);
            results.push(result === undefined ? null : result);
          }
        }
        console.log(JSON.stringify(results));
      `;
      const run = spawnSync(process.execPath, ['--input-type=module', '-e', driver, pathToFileURL(copy).href, kind, JSON.stringify(steps)], {
        cwd: repo.root,
        encoding: 'utf8',
        env: cleanEnv(),
      });
      assert.equal(run.status, 0, run.stderr);
      return JSON.parse(run.stdout) as unknown[];
    }

    const EDITED = BASE.replace('  return x + y;', '  const sum = x + y;\n  return sum;');

    it("opencode: tool.execute.before and .after record the edit's lines; other tools start nothing", () => {
      assert.equal(repo.cli(['agents', 'install', 'opencode']).code, 0);
      repo.write('src/app.ts', BASE.replace("import { a }", 'import { a, human }')); // a person's edit, before the tool
      const app = repo.path('src/app.ts');
      const args = { filePath: app, oldString: '  return x + y;', newString: '  const sum = x + y;\n  return sum;' };
      const call = { tool: 'edit', sessionID: 'ses_1', callID: 'call_1' };
      const results = runPlugin('.opencode/plugins/ai-provenance.js', 'opencode', [
        { init: { directory: repo.root, worktree: repo.root } },
        { hook: 'tool.execute.before', args: [{ tool: 'read', sessionID: 'ses_1', callID: 'call_0' }, { args: { filePath: app } }] },
        { hook: 'tool.execute.before', args: [call, { args }] },
        { write: { path: app, content: EDITED.replace("import { a }", 'import { a, human }') } },
        // Older OpenCode passes no args after the tool: the plugin kept them from before.
        { hook: 'tool.execute.after', args: [call, { title: 'src/app.ts', output: '', metadata: {} }] },
      ]);
      assert.deepEqual(results, [null, null, null], 'the hooks return nothing: nothing is changed or blocked');
      assert.deepEqual(repo.regions().map((r) => [r.path, r.from, r.to, r.tool]), [['src/app.ts', 4, 5, 'opencode']]);
      assert.equal(JSON.parse(repo.cli(['status', '--json']).stdout).regions[0].session, 'ses_1');
    });

    it('amp: tool.call and tool.result record the edit; tool.call returns nothing, so Amp\'s permissions stand', () => {
      assert.equal(repo.cli(['agents', 'install', 'amp']).code, 0);
      const app = repo.path('src/app.ts');
      const event = { tool: 'edit_file', input: { path: app, old_str: '  return x + y;', new_str: '  const sum = x + y;\n  return sum;' }, toolUseID: 'toolu_1', thread: { id: 'T-1' } };
      const results = runPlugin('.amp/plugins/ai-provenance.ts', 'amp', [
        { init: true },
        { hook: 'tool.call', args: [event, {}] },
        { write: { path: app, content: EDITED } },
        { hook: 'tool.result', args: [{ ...event, status: 'done', output: 'ok' }, {}] },
      ]);
      assert.deepEqual(results, [null, null]);
      assert.deepEqual(repo.regions().map((r) => [r.path, r.from, r.to, r.tool]), [['src/app.ts', 4, 5, 'amp']]);
    });

    it('pi: tool_call and tool_result record the edit of a relative path', () => {
      assert.equal(repo.cli(['agents', 'install', 'pi']).code, 0);
      const event = { toolName: 'edit', toolCallId: 'toolu_p1', input: { path: 'src/app.ts', oldText: '  return x + y;', newText: '  const sum = x + y;\n  return sum;' } };
      const results = runPlugin('.pi/extensions/ai-provenance.ts', 'pi', [
        { init: true },
        { hook: 'tool_call', args: [event, { cwd: repo.root }] },
        { write: { path: repo.path('src/app.ts'), content: EDITED } },
        { hook: 'tool_result', args: [{ ...event, content: [], details: {}, isError: false }, { cwd: repo.root }] },
      ]);
      assert.deepEqual(results, [null, null]);
      assert.deepEqual(repo.regions().map((r) => [r.path, r.from, r.to, r.tool]), [['src/app.ts', 4, 5, 'pi']]);
    });

    it('a plugin whose recorder cannot start never throws: the tool runs as it would without it', () => {
      assert.equal(repo.cli(['agents', 'install', 'opencode']).code, 0);
      const file = '.opencode/plugins/ai-provenance.js';
      repo.write(file, repo.read(file).replace(/const COMMAND = .*;/, 'const COMMAND = "/nonexistent/ai-provenance record --agent opencode";'));
      const call = { tool: 'write', sessionID: 's', callID: 'c' };
      const results = runPlugin(file, 'opencode', [
        { init: { directory: path.join(repo.root, 'no-such-dir') } },
        { hook: 'tool.execute.before', args: [call, { args: { filePath: 'x.ts', content: 'x' } }] },
        { hook: 'tool.execute.after', args: [call, { title: '', output: '', metadata: {} }] },
      ]);
      assert.deepEqual(results, [null, null]);
      assert.deepEqual(repo.regions(), []);
    });
  });
});
