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
 * Nothing is printed on stdout: several agents parse it as their JSON protocol.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { applyEdits, changedLines, LineRange, undoEdits } from '../../core/agentDiff';
import { AGENT_NAMES, AgentEvent, FileChange, isAgent, parseAgentPayload } from '../../core/agents';
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
      let repo: Repository;
      try {
        repo = await Repository.open(base);
      } catch {
        say(`${base} is not inside a git repository; nothing recorded`);
        return NON_BLOCKING_ERROR;
      }
      const snapshots = new SnapshotStore(path.join(repo.store.dir, 'snapshots'));
      await snapshots.cleanup();
      let failed = false;
      for (const change of event.files) {
        let problem: string | undefined;
        try {
          problem = event.phase === 'pre' ? await snapshotFile(repo, snapshots, event, change, base) : await recordFile(repo, snapshots, event, change, base);
        } catch (e) {
          problem = `${messageOf(e)}; nothing recorded`;
        }
        if (problem) {
          say(problem);
          failed = true;
        }
      }
      return failed ? NON_BLOCKING_ERROR : 0;
    } catch (e) {
      say(`${messageOf(e)}; nothing recorded`);
      return NON_BLOCKING_ERROR;
    }
  },
};

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
  await snapshots.save({ ...keyFor(event, rel), at: new Date().toISOString(), exists: content !== undefined, content: content ?? '' });
  return undefined;
}

/** Post-tool: records the lines the tool wrote into one file. Returns a problem in words, or nothing. */
async function recordFile(repo: Repository, snapshots: SnapshotStore, event: AgentEvent, change: FileChange, base: string): Promise<string | undefined> {
  const rel = inside(repo, base, change.path);
  const fromRel = change.movedFrom !== undefined ? inside(repo, base, change.movedFrom) : rel;
  const snapshot = await snapshots.take(keyFor(event, fromRel));
  if (change.deleted) return undefined;
  const after = await repo.readWorkingFile(rel);
  if (after === undefined) return `${rel} no longer exists; nothing recorded`;
  const before = beforeOf(change, snapshot && (snapshot.exists ? snapshot.content : ''), after);
  if (typeof before === 'object' && before.problem) return `${before.problem.replace('{file}', rel).replace('<agent>', event.agent)}; nothing recorded`;
  const ranges = changedLines(typeof before === 'string' ? before : '', after);
  if (fromRel !== rel) await repo.store.rename(fromRel, rel);
  if (ranges.length === 0) return undefined;
  const author = await repo.author();
  const index = new LineIndex(after);
  const added = ranges.map((r) => regionFor(index, r, event, author));
  await repo.updateRegions(rel, (regions) => added.reduce((acc, region) => addRegion(acc, region), regions), after);
  return undefined;
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
 * What the file held before the tool ran, best source first:
 * 1. the pre-tool snapshot, unless the payload's edits do not lead from it to the file as it is now
 *    (someone changed the file while the tool waited for approval) and undoing them works instead;
 * 2. the original content the payload itself carries (Claude Code's tool result);
 * 3. empty, for a file the tool created;
 * 4. the current content with the payload's edits undone;
 * 5. for a whole-file write with none of the above: nothing is known, so every line counts as written
 *    (the `{ whole: true }` result);
 * otherwise a problem: the payload names a file but not what changed, and no snapshot was taken.
 */
function beforeOf(change: FileChange, snapshot: string | undefined, after: string): string | { whole?: true; problem?: string } {
  if (snapshot !== undefined) {
    if (change.edits.length === 0 || applyEdits(snapshot, change.edits) === after) return snapshot;
    const undone = undoEdits(after, change.edits);
    return undone.missed === 0 ? undone.before : snapshot;
  }
  if (change.original !== undefined) return change.original ?? '';
  if (change.created) return '';
  if (change.edits.length > 0) {
    const undone = undoEdits(after, change.edits);
    const locatable = change.edits.filter((e) => e.newText !== '').length;
    if (locatable > 0 && undone.missed === locatable) return { problem: "the text the tool wrote is not in {file} (it changed since?)" };
    return undone.before;
  }
  if (change.content !== undefined) return { whole: true };
  return { problem: 'no pre-tool snapshot of {file} was taken and the payload does not say what changed (install the pre-tool hook: ai-provenance agents install <agent>)' };
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
