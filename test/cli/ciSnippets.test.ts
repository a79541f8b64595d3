/**
 * The README's "Verify in CI" jobs, their shell steps run as written (bash, as both CI systems
 * run them) in a fresh clone of a local bare remote, with only the CI's variables set and
 * `ai-provenance` on PATH (a shim running dist/cli.js, standing in for the install step).
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NOTES_REF } from '../../src/core/note';
import { CLI, cleanEnv, Run, TempRepo } from './helpers';
import { addNote, commitFile, numbered } from './noteHelpers';

const README = path.resolve(__dirname, '../../../README.md');

/** The yaml blocks of the README's "Verify in CI" section, in order. */
function ciBlocks(): string[] {
  const text = fs.readFileSync(README, 'utf8');
  const start = text.indexOf('### Verify in CI');
  assert.ok(start >= 0, 'README has a "Verify in CI" section');
  const section = text.slice(start, text.indexOf('\n## ', start));
  return [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
}

/** GitHub Actions: every `run:` step (block or one line) except the install, in order. */
function githubSteps(yaml: string): string[] {
  const lines = yaml.split('\n');
  const steps: string[] = [];
  let name = '';
  for (let i = 0; i < lines.length; i++) {
    const named = /^\s*- name: (.*)$/.exec(lines[i]);
    if (named) name = named[1];
    const run = /^(\s*)(?:- )?run: (.*)$/.exec(lines[i]);
    if (!run) continue;
    if (/^install/i.test(name)) continue; // The shim on PATH stands in for it.
    if (run[2] !== '|') {
      steps.push(run[2]);
      continue;
    }
    const body: string[] = [];
    const indent = run[1].length;
    for (i++; i < lines.length && (lines[i].trim() === '' || lines[i].search(/\S/) > indent); i++) body.push(lines[i]);
    i--;
    const margin = Math.min(...body.filter((l) => l.trim()).map((l) => l.search(/\S/)));
    steps.push(body.map((l) => l.slice(margin)).join('\n'));
  }
  return steps;
}

/** GitLab CI: the `script:` list (before_script is the install). */
function gitlabSteps(yaml: string): string[] {
  const lines = yaml.split('\n');
  const at = lines.findIndex((l) => /^\s*script:\s*$/.test(l));
  assert.ok(at >= 0, 'the GitLab job has a script');
  const steps: string[] = [];
  for (let i = at + 1; i < lines.length && /^\s+- /.test(lines[i]); i++) steps.push(lines[i].replace(/^\s+- /, ''));
  return steps;
}

describe('CLI: the README\'s CI jobs, run as written', function () {
  this.timeout(120_000);
  let work: string;
  let bare: string;
  let dev: TempRepo;
  let shimDir: string;

  beforeEach(() => {
    work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aip-ci-')));
    bare = path.join(work, 'remote.git');
    spawnSync('git', ['init', '-q', '--bare', '-b', 'main', bare], { env: cleanEnv() });
    shimDir = path.join(work, 'bin');
    fs.mkdirSync(shimDir);
    fs.writeFileSync(path.join(shimDir, 'ai-provenance'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`, { mode: 0o755 });
    dev = new TempRepo('aip-ci-dev-');
    dev.git('remote', 'add', 'origin', bare);
  });
  afterEach(() => {
    dev.dispose();
    fs.rmSync(work, { recursive: true, force: true });
  });

  /** The developer's main (with `policy` at its tip when given) and notes pushed; a feature branch started. */
  const setUp = (policy?: string): void => {
    const base = commitFile(dev, 'app.ts', numbered('line', 10), 'base');
    addNote(dev, base, []);
    if (policy) addNote(dev, commitFile(dev, '.ai-provenance.json', policy, 'policy'), []);
    dev.git('push', '-q', 'origin', 'main', NOTES_REF);
    dev.git('checkout', '-q', '-b', 'feature');
  };

  const pushFeature = (): void => {
    dev.git('push', '-q', '-f', 'origin', 'feature', NOTES_REF);
  };

  /** A fresh CI clone of the feature branch that runs `steps` in bash with only the CI's variables. */
  const runCi = (steps: string[], vars: Record<string, string>): Run => {
    const clone = fs.mkdtempSync(path.join(work, 'ci-'));
    const env = { ...cleanEnv(), ...vars, PATH: `${shimDir}${path.delimiter}${process.env.PATH ?? ''}` };
    const cloned = spawnSync('git', ['clone', '-q', '--branch', 'feature', bare, clone], { env, encoding: 'utf8' });
    assert.equal(cloned.status, 0, cloned.stderr);
    // As both CI systems run a script: bash, stopping at the first failing command.
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', steps.join('\n')], { cwd: clone, env, encoding: 'utf8' });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  };

  const jobs = (): { name: string; steps: string[]; vars: Record<string, string> }[] => {
    const [github, gitlab] = ciBlocks();
    return [
      { name: 'GitHub Actions', steps: githubSteps(github), vars: { GITHUB_ACTIONS: 'true', CI: 'true', GITHUB_BASE_REF: 'main', GITHUB_HEAD_REF: 'feature' } },
      { name: 'GitLab CI', steps: gitlabSteps(gitlab), vars: { GITLAB_CI: 'true', CI: 'true', CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'main', CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: 'feature', CI_PIPELINE_SOURCE: 'merge_request_event' } },
    ];
  };

  it('the README holds both jobs, each with a fetch of the notes and a verify step', () => {
    const all = jobs();
    assert.equal(all.length, 2);
    for (const job of all) {
      assert.ok(job.steps.some((s) => s.includes(NOTES_REF)), `${job.name} fetches the notes`);
      assert.ok(job.steps.some((s) => /ai-provenance verify /.test(s)), `${job.name} runs verify`);
    }
  });

  for (const which of ['GitHub Actions', 'GitLab CI']) {
    it(`${which}: exit 1 with an unreviewed AI line, 0 once its review is pushed`, () => {
      const job = jobs().find((j) => j.name === which)!;
      setUp();
      const ai = commitFile(dev, 'app.ts', numbered('line', 10) + 'AI 1\nAI 2\n', 'ai');
      addNote(dev, ai, [{ path: 'app.ts', from: 11, to: 12, tool: 'copilot' }]);
      pushFeature();

      const failed = runCi(job.steps, job.vars);
      assert.equal(failed.code, 1, failed.stdout + failed.stderr);
      assert.match(failed.stdout, /^AI Provenance: this range fails verification: 2 unreviewed AI lines in 1 file, first at app\.ts:11-12\./);
      assert.match(failed.stdout, new RegExp(`^app\\.ts:11-12  inline  ${ai.slice(0, 12)}$`, 'm'));

      const reviewed = dev.cli(['review', 'app.ts']);
      assert.equal(reviewed.code, 0, reviewed.stderr);
      dev.git('push', '-q', 'origin', NOTES_REF);
      const passed = runCi(job.steps, job.vars);
      assert.equal(passed.code, 0, passed.stdout + passed.stderr);
      assert.match(passed.stdout, /every AI line this range adds is reviewed/);
    });

    it(`${which}: requireNotes fails a commit made without the tool`, () => {
      const job = jobs().find((j) => j.name === which)!;
      setUp('{"requireNotes": true}\n');
      const noted = commitFile(dev, 'app.ts', numbered('line', 11), 'with the tool');
      addNote(dev, noted, []);
      const bare = commitFile(dev, 'other.ts', 'typed elsewhere\n', 'without the tool');
      pushFeature();
      const r = runCi(job.steps, job.vars);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stdout, /1 commit without a provenance note/);
      assert.match(r.stdout, new RegExp(`^commit ${bare.slice(0, 12)} has no provenance note$`, 'm'));
    });
  }
});
