/** Assisted-by trailers (policy "trailers": "assisted-by"), added by the commit-message hooks in real repositories. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TempRepo } from './helpers';

describe('CLI: Assisted-by trailers (prepare-commit-msg, commit-msg)', function () {
  this.timeout(60_000);
  let repo: TempRepo;
  beforeEach(() => {
    repo = new TempRepo('aip-trailers-');
    repo.write('.ai-provenance.json', '{"trailers": "assisted-by"}\n');
    repo.write('a.txt', 'a\nb\n');
    repo.commitAll('base');
    assert.equal(repo.cli(['hook', 'install']).code, 0);
  });
  afterEach(() => repo.dispose());

  /** The commit's Assisted-by trailers, as git parses them. */
  const trailers = (rev = 'HEAD'): string[] =>
    repo
      .git('log', '-1', '--format=%(trailers:key=Assisted-by,valueonly)', rev)
      .split('\n')
      .filter(Boolean);
  const commit = (...args: string[]): void => {
    const r = repo.tryGit('commit', '-q', ...args);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '', 'the hooks print nothing when all is well');
  };
  /** Appends lines to a.txt and marks them as written by `tool` (with `model` when given), reviewed so the gate lets them pass. */
  const aiLines = (file: string, lines: string[], tool: string, model?: string): void => {
    const before = fs.existsSync(repo.path(file)) ? repo.read(file) : '';
    repo.write(file, before + lines.join('\n') + '\n');
    const from = before.split('\n').length;
    const to = from + lines.length - 1;
    const r = repo.cli(['mark', `${file}:${from}-${to}`, '--source', 'agent', '--tool', tool, ...(model ? ['--model', model] : [])]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(repo.cli(['review', `${file}:${from}-${to}`]).code, 0);
    repo.git('add', file);
  };

  it('a commit that adds AI lines gets one trailer, Assisted-by: <tool>:<model>, after the message', () => {
    aiLines('a.txt', ['ai one', 'ai two'], 'claude-code', 'claude-sonnet-4-5');
    commit('-m', 'Add two lines\n\nThe body.');
    assert.deepEqual(trailers(), ['claude-code:claude-sonnet-4-5']);
    assert.equal(repo.git('log', '-1', '--format=%B'), 'Add two lines\n\nThe body.\n\nAssisted-by: claude-code:claude-sonnet-4-5\n\n');
  });

  it('a commit without AI lines gets none; nor does one whose only AI lines were committed before', () => {
    repo.write('a.txt', 'a\nb\nhuman\n');
    repo.git('add', 'a.txt');
    commit('-m', 'human');
    assert.deepEqual(trailers(), []);
    aiLines('b.txt', ['ai'], 'copilot', 'gpt-4o');
    commit('-m', 'ai');
    repo.write('a.txt', 'a\nb\nhuman\nhuman again\n');
    repo.git('add', 'a.txt');
    commit('-m', 'human again');
    assert.deepEqual(trailers(), [], 'b.txt still holds AI lines, but this commit adds none');
  });

  it('without the policy (the default "none") no trailer is added', () => {
    repo.write('.ai-provenance.json', '{}\n');
    repo.commitAll('policy none');
    aiLines('a.txt', ['ai'], 'copilot', 'gpt-4o');
    commit('-m', 'ai');
    assert.deepEqual(trailers(), []);
  });

  it('two tools: two trailers, sorted; a tool with no model named gets its name alone, a line with no tool "unknown"', () => {
    aiLines('a.txt', ['from copilot'], 'copilot', 'gpt-4o');
    aiLines('b.txt', ['from claude'], 'claude-code', 'claude-opus-4-1');
    aiLines('c.txt', ['from cursor'], 'cursor');
    commit('-m', 'three tools');
    assert.deepEqual(trailers(), ['claude-code:claude-opus-4-1', 'copilot:gpt-4o', 'cursor']);
    repo.write('d.txt', 'pasted\n');
    assert.equal(repo.cli(['mark', 'd.txt:1', '--source', 'chat']).code, 0);
    assert.equal(repo.cli(['review', 'd.txt:1']).code, 0);
    repo.git('add', 'd.txt');
    commit('-m', 'no tool named');
    assert.deepEqual(trailers(), ['unknown']);
  });

  it('a message that already has the trailer does not get it twice', () => {
    aiLines('a.txt', ['ai'], 'copilot', 'gpt-4o');
    commit('-m', 'ai\n\nAssisted-by: copilot:gpt-4o');
    assert.deepEqual(trailers(), ['copilot:gpt-4o']);
  });

  it('amend: the trailer is not duplicated, and lines the amend adds bring theirs', () => {
    aiLines('a.txt', ['ai'], 'copilot', 'gpt-4o');
    commit('-m', 'ai');
    commit('--amend', '--no-edit');
    assert.deepEqual(trailers(), ['copilot:gpt-4o']);
    repo.write('a.txt', repo.read('a.txt') + 'human\n');
    repo.git('add', 'a.txt');
    commit('--amend', '--no-edit');
    assert.deepEqual(trailers(), ['copilot:gpt-4o'], 'the amended commit still holds the AI line of the commit it replaces');
    aiLines('b.txt', ['more ai'], 'claude-code', 'claude-sonnet-4-5');
    commit('--amend', '--no-edit');
    assert.deepEqual(trailers(), ['copilot:gpt-4o', 'claude-code:claude-sonnet-4-5'], 'the new one goes after the one there');
    assert.equal(repo.git('rev-list', '--count', 'HEAD'), '2\n');
  });

  it('amend with the message written anew: the amended commit\'s lines are counted when git names the amend (editor), not with -m', () => {
    aiLines('a.txt', ['ai'], 'copilot', 'gpt-4o');
    commit('-m', 'ai');
    const editor = path.join(repo.root, '..', `${path.basename(repo.root)}-reword.sh`);
    // The editor rewrites the message from scratch, trailer and all.
    fs.writeFileSync(editor, '#!/bin/sh\nprintf "Reworded\\n" > "$1"\n', { mode: 0o755 });
    const r = repo.tryGitEnv(['commit', '-q', '--amend'], { GIT_EDITOR: editor });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(repo.git('log', '-1', '--format=%s'), 'Reworded\n');
    assert.deepEqual(trailers(), ['copilot:gpt-4o'], 'commit-msg put it back after the editor');
    // With -m, git tells the hook only "message": it cannot tell an amend from a new commit on HEAD,
    // so only lines the amend itself adds count (here: none).
    commit('--amend', '-m', 'Reworded with -m');
    assert.deepEqual(trailers(), []);
  });

  it('--no-verify skips the gate, not the trailer; commit -a (a temporary index) gets it too', () => {
    repo.write('a.txt', 'a\nb\nunreviewed ai\n');
    assert.equal(repo.cli(['mark', 'a.txt:3', '--source', 'inline', '--tool', 'copilot']).code, 0);
    repo.git('add', 'a.txt');
    assert.notEqual(repo.tryGit('commit', '-q', '-m', 'blocked').code, 0, 'the gate blocks it');
    commit('--no-verify', '-m', 'skipped the gate');
    assert.deepEqual(trailers(), ['copilot']);
    repo.write('a.txt', repo.read('a.txt') + 'ai again\n');
    assert.equal(repo.cli(['mark', 'a.txt:4', '--source', 'inline', '--tool', 'codex', '--model', 'gpt-5-codex']).code, 0);
    assert.equal(repo.cli(['review', '--all']).code, 0);
    commit('-a', '-m', 'all at once');
    assert.deepEqual(trailers(), ['codex:gpt-5-codex']);
  });

  it('a message written in the editor gets the trailer after it is written; one left empty still aborts the commit', () => {
    aiLines('a.txt', ['ai'], 'copilot', 'gpt-4o');
    const editor = (body: string): NodeJS.ProcessEnv => {
      const script = path.join(repo.root, '..', `${path.basename(repo.root)}-editor.sh`);
      fs.writeFileSync(script, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
      return { GIT_EDITOR: script };
    };
    // The editor sees no trailer yet (a trailer in an empty message would make aborting commit it).
    const quit = repo.tryGitEnv(['commit', '-q'], editor('grep -q Assisted-by "$1" && echo seen > seen.txt; exit 0'));
    assert.notEqual(quit.code, 0, 'an untouched empty message aborts the commit');
    assert.match(quit.stderr, /empty commit message/i);
    assert.ok(!fs.existsSync(repo.path('seen.txt')));
    assert.equal(repo.git('rev-list', '--count', 'HEAD'), '1\n');
    const written = repo.tryGitEnv(['commit', '-q'], editor('printf "Written in the editor\\n" > "$1"'));
    assert.equal(written.code, 0, written.stderr);
    assert.deepEqual(trailers(), ['copilot:gpt-4o']);
    assert.equal(repo.git('log', '-1', '--format=%s'), 'Written in the editor\n');
    assert.ok(!fs.existsSync(path.join(repo.storeDir(), 'trailers-pending.json')), 'nothing is left waiting');
  });

  it('merges and fixup! commits get none; files the policy ignores do not count', () => {
    repo.git('checkout', '-q', '-b', 'side');
    aiLines('b.txt', ['side ai'], 'copilot', 'gpt-4o');
    commit('-m', 'side');
    assert.deepEqual(trailers(), ['copilot:gpt-4o']);
    repo.git('checkout', '-q', 'main');
    repo.write('c.txt', 'main\n');
    repo.commitAll('main moves');
    const merge = repo.tryGit('merge', '-q', '--no-ff', '-m', 'merge side', 'side');
    assert.equal(merge.code, 0, merge.stderr);
    assert.deepEqual(trailers(), [], 'the merged commit carries its own trailer');
    aiLines('a.txt', ['fix'], 'copilot', 'gpt-4o');
    commit('--fixup', 'HEAD~1');
    assert.deepEqual(trailers(), []);
    repo.write('.ai-provenance.json', '{"trailers": "assisted-by", "ignore": ["gen/**"]}\n');
    repo.commitAll('ignore gen');
    aiLines('gen/out.txt', ['generated'], 'copilot', 'gpt-4o');
    commit('-m', 'generated');
    assert.deepEqual(trailers(), []);
  });

  it('an invalid policy is reported on stderr and never fails the commit', () => {
    repo.write('.ai-provenance.json', '{"trailers": "assisted-by", "unreviewed": "sometimes"}\n');
    repo.commitAll('bad policy');
    aiLines('a.txt', ['ai'], 'copilot', 'gpt-4o');
    const r = repo.tryGit('commit', '-q', '-m', 'with a bad policy');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /AI Provenance \(prepare-commit-msg\): \.ai-provenance\.json: "unreviewed" must be "block" or "warn"; no Assisted-by trailers were added\./);
    assert.equal(repo.git('log', '-1', '--format=%s'), 'with a bad policy\n');
    assert.deepEqual(trailers(), []);
  });

  it('install chains existing message hooks (they run after ours), uninstall restores them; status lists both', () => {
    const hooks = path.join(repo.root, '.git', 'hooks');
    repo.cli(['hook', 'uninstall']);
    const mine = '#!/bin/sh\necho "mine: $2" >> "$1"\n';
    fs.writeFileSync(path.join(hooks, 'prepare-commit-msg'), mine, { mode: 0o755 });
    assert.equal(repo.cli(['hook', 'install']).code, 0);
    const status = repo.cli(['hook', 'status']);
    assert.equal(status.code, 0, status.stdout);
    assert.match(status.stdout, /prepare-commit-msg: installed \(the previous hook runs after it\)\n {2}commit-msg: installed\n/);
    aiLines('a.txt', ['ai'], 'copilot', 'gpt-4o');
    commit('-m', 'chained');
    const message = repo.git('log', '-1', '--format=%B');
    assert.match(message, /^chained\n\nAssisted-by: copilot:gpt-4o\n/);
    assert.match(message, /\nmine: message\n/, 'the previous hook ran after ours, with git\'s arguments');
    repo.cli(['hook', 'uninstall']);
    assert.equal(fs.readFileSync(path.join(hooks, 'prepare-commit-msg'), 'utf8'), mine);
    assert.ok(!fs.existsSync(path.join(hooks, 'commit-msg')));
  });
});
