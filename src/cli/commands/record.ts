/**
 * `ai-provenance record --agent <name>`: run by an agent's file-edit hook with the hook's JSON
 * payload on stdin. Before the tool runs it snapshots the files the tool names; after, it records
 * the lines the tool inserted or rewrote as regions (source `agent`, tool = the agent) through
 * Repository.updateRegions, so the file's other regions are re-anchored and merged under the store's
 * lock like every other writer's.
 *
 * Exit codes. Every agent below treats exit 2 as "block the tool" (or feeds it back to the model as
 * a refusal), and a provenance recorder must never stand in an agent's way, so this command never
 * exits 2. It exits 0 when it recorded (or had nothing to record) and 1 on bad input, after one line
 * on stderr and without writing anything for the file concerned. Exit 1 is, per agent:
 * - claude-code: "any other exit code is a non-blocking error"; stderr is shown to the user, Claude goes on.
 * - cursor: "other exit codes: hook failed, action proceeds" (fail-open); 2 would mean permission deny.
 * - codex: Claude Code's protocol; a non-zero code other than 2 is reported as a failed hook and the turn goes on.
 * - copilot (VS Code agent hooks): "other exit codes: non-blocking warning"; 2 is a blocking error.
 * - gemini: "Other: warning. A non-fatal failure occurred; the CLI continues"; 2 is a system block.
 * - cline: any exit code is a failed hook, logged, and the tool runs; only `{"cancel": true}` on stdout
 *   blocks, and our hook script answers `{"cancel": false}` itself after the recorder.
 * - windsurf: "2: blocking error"; any other: "action proceeds normally".
 * - kiro: "Other exit codes: hook failed. STDERR is shown as warning to user", the tool runs; 2 blocks PreToolUse.
 * - opencode, amp, pi: our plugin waits for the recorder, ignores its exit code and never throws.
 * - droid: "other non-zero: non-blocking error (stderr shown to user)"; 2 is a blocking error.
 * - qwen: "1: non-blocking error; continue"; 2 is a blocking error.
 * - copilot-cli: "Hook failures (non-zero exit codes or timeouts) are logged and skipped - they never block".
 * - codebuddy: Claude Code's codes ("fully compatible"): 2 blocks, any other is non-blocking.
 * - tabnine: "Other: Warning. Non-fatal failure"; 2 is a system block.
 * Nothing is printed on stdout: several agents parse it as their JSON protocol.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { LineRange } from '../../core/agentDiff';
import { AGENT_NAMES, AgentEvent, FileChange, isAgent, linesWritten, parseAgentPayload, proposalOf } from '../../core/agents';
import { addRegion, createRegion, lineSpan, Region } from '../../core/regions';
import { LineIndex } from '../../core/text';
import { SnapshotStore, SnapshotKey } from '../../store/agentSnapshots';
import { recordShell, snapshotShell } from '../../store/shellSnapshot';
import { Repository } from '../../store/repository';
import { stringFlag } from '../args';
import { Command } from '../command';

/** The exit code of a hook error that every supported agent treats as non-blocking (see above). */
export const NON_BLOCKING_ERROR = 1;

export const recordCommand: Command = {
  usage: `ai-provenance record --agent <${AGENT_NAMES.join('|')}>`,
  summary: "record the lines an agent's tool wrote (run by the agent's hook; the hook payload on stdin)",
  flags: { agent: 'string' },
  usageErrorExit: NON_BLOCKING_ERROR,
  async run(args, io) {
    const agent = stringFlag(args, 'agent');
    const say = (message: string): void => io.err(`ai-provenance record${agent ? ` (${agent})` : ''}: ${oneLine(message)}\n`);
    if (!isAgent(agent)) {
      say(`--agent must be one of ${AGENT_NAMES.join(', ')}; nothing recorded`);
      return NON_BLOCKING_ERROR;
    }
    if (args.positionals.length) {
      say(`unexpected argument ${args.positionals[0]}; the payload comes on stdin; nothing recorded`);
      return NON_BLOCKING_ERROR;
    }
    try {
      const event = parseAgentPayload(agent, await io.stdin());
      if (event.shell) return await shellCall(event, io.cwd, say);
      if (event.files.length === 0) return 0; // A tool that writes no file, or an event we do not follow.
      const base = await baseDir(event.cwd, io.cwd);
      const repos = new RepositoryFinder(base);
      let failed = false;
      for (const change of event.files) {
        let problem: string | undefined;
        let note: string | undefined;
        try {
          // Each file in the repository that holds it (a second root of a multi-root workspace, a payload without cwd).
          const target = await repos.forFile(path.resolve(base, change.path));
          if (!target) problem = `${path.resolve(base, change.path)} is not inside a git repository; nothing recorded`;
          else if (event.phase === 'pre') problem = await snapshotFile(target.repo, target.snapshots, event, change, base);
          else ({ problem, note } = await recordFile(target.repo, target.snapshots, event, change, base));
        } catch (e) {
          problem = `${messageOf(e)}; nothing recorded`;
        }
        if (problem) {
          say(problem);
          failed = true;
        } else if (note) say(note);
      }
      return failed ? NON_BLOCKING_ERROR : 0;
    } catch (e) {
      say(`${messageOf(e)}; nothing recorded`);
      return NON_BLOCKING_ERROR;
    }
  },
};

/**
 * The repository of each file a payload names, found from the file's own directory; a path in no
 * repository (or behind a link) is judged by the repository of the hook's base directory, which
 * refuses it as outside. Each repository's snapshot store is tidied once.
 */
class RepositoryFinder {
  private readonly byDir = new Map<string, Promise<Target | undefined>>();
  private readonly byRoot = new Map<string, Target>();

  constructor(private readonly base: string) {}

  async forFile(abs: string): Promise<Target | undefined> {
    return (await this.at(await existingDir(path.dirname(abs)))) ?? (await this.at(this.base));
  }

  private at(dir: string): Promise<Target | undefined> {
    let found = this.byDir.get(dir);
    if (!found) this.byDir.set(dir, (found = this.open(dir)));
    return found;
  }

  private async open(dir: string): Promise<Target | undefined> {
    let repo: Repository;
    try {
      repo = await Repository.open(dir);
    } catch {
      return undefined;
    }
    let target = this.byRoot.get(repo.root);
    if (!target) {
      target = { repo, snapshots: new SnapshotStore(path.join(repo.store.dir, 'snapshots')) };
      this.byRoot.set(repo.root, target);
      await target.snapshots.cleanup();
    }
    return target;
  }
}

interface Target {
  repo: Repository;
  snapshots: SnapshotStore;
}

/** The nearest directory that exists at or above `dir` (a tool may create the folders of a new file). */
async function existingDir(dir: string): Promise<string> {
  for (let d = dir; ; d = path.dirname(d)) {
    const st = await fs.stat(d).catch(() => undefined);
    if (st?.isDirectory() || path.dirname(d) === d) return d;
  }
}

/** The payload's cwd when it is a directory here, else the hook's own working directory. */
async function baseDir(cwd: string | undefined, fallback: string): Promise<string> {
  if (cwd && path.isAbsolute(cwd)) {
    const st = await fs.stat(cwd).catch(() => undefined);
    if (st?.isDirectory()) return cwd;
  }
  return fallback;
}

/** A shell tool: the repository before it runs, the lines it changed after (store/shellSnapshot.ts). Outside a repository there is nothing to watch. */
async function shellCall(event: AgentEvent, cwd: string, say: (message: string) => void): Promise<number> {
  const repo = await Repository.open(await baseDir(event.cwd, cwd)).catch(() => undefined);
  if (!repo) return 0;
  const snapshots = new SnapshotStore(path.join(repo.store.dir, 'snapshots'));
  const call = { agent: event.agent, session: event.session, toolUseId: event.toolUseId };
  if (event.phase === 'pre') {
    await snapshots.cleanup();
    await snapshotShell(repo, snapshots, call);
    return 0;
  }
  const problems = await recordShell(repo, snapshots, call, { model: event.model });
  problems.forEach(say);
  return problems.length > 0 ? NON_BLOCKING_ERROR : 0;
}

function keyFor(event: AgentEvent, rel: string): SnapshotKey {
  return { agent: event.agent, session: event.session, toolUseId: event.toolUseId, path: rel };
}

/** Pre-tool: remembers the file as it is now (or that it does not exist yet). */
async function snapshotFile(repo: Repository, snapshots: SnapshotStore, event: AgentEvent, change: FileChange, base: string): Promise<string | undefined> {
  if (change.deleted) return undefined;
  // A move reads the source: that is the content the tool starts from.
  const rel = inside(repo, base, change.movedFrom ?? change.path);
  const content = await repo.readWorkingFile(rel);
  const proposal = proposalOf(change);
  await snapshots.save({ ...keyFor(event, rel), at: new Date().toISOString(), exists: content !== undefined, content: content ?? '', ...(proposal !== undefined ? { proposal } : {}) });
  return undefined;
}

/** Post-tool: records the lines the tool wrote into one file. Returns a problem in words (nothing recorded), or a note on what was left out. */
async function recordFile(repo: Repository, snapshots: SnapshotStore, event: AgentEvent, change: FileChange, base: string): Promise<{ problem?: string; note?: string }> {
  const rel = inside(repo, base, change.path);
  const fromRel = change.movedFrom !== undefined ? inside(repo, base, change.movedFrom) : rel;
  const snapshot = await snapshots.take(keyFor(event, fromRel));
  if (change.deleted) return {};
  const after = await repo.readWorkingFile(rel);
  if (after === undefined) return { problem: `${rel} no longer exists; nothing recorded` };
  const pre = snapshot && { content: snapshot.exists ? snapshot.content : '', proposal: snapshot.proposal };
  const written = linesWritten(change, pre, after);
  const words = (s: string): string => s.split('{file}').join(rel).replace('<agent>', event.agent);
  if (written.problem) return { problem: `${words(written.problem)}; nothing recorded` };
  if (fromRel !== rel) await repo.store.rename(fromRel, rel);
  if (written.ranges.length > 0) {
    const author = await repo.author();
    const index = new LineIndex(after);
    const added = written.ranges.map((r) => regionFor(index, r, event, author));
    await repo.updateRegions(rel, (regions) => added.reduce((acc, region) => addRegion(acc, region), regions), after);
  }
  return written.note ? { note: words(written.note) } : {};
}

function regionFor(index: LineIndex, range: LineRange, event: AgentEvent, author: string): Region {
  return createRegion({
    ...lineSpan(index, range.from, range.to),
    source: event.inline ? 'inline' : 'agent',
    tool: event.agent,
    model: event.model,
    session: event.session,
    author,
  });
}

/**
 * The repository-relative path of a file the payload names; refused when it is outside, by its
 * name or through a symbolic link, so nothing outside is ever read into a snapshot or a marker.
 */
function inside(repo: Repository, base: string, named: string): string {
  // relative() judges the real location, symbolic links resolved.
  return repo.relative(path.resolve(base, named));
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ').trim();
}
