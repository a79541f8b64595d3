/** What the rest of the code knows about one coding agent: one object per agent, in ./index.ts. */
import { AgentEvent, Json } from './payload';

/** How an agent lists its hooks under `hooks.<event>` in its config file. */
export type HookShape =
  /** `[{ matcher, hooks: [{ type: 'command', command }] }]`: Claude Code, Codex, Gemini CLI. */
  | 'groups'
  /** `[{ command }]` in `{ version: 1, hooks }`: Cursor. */
  | 'cursor'
  /** `[{ type: 'command', command }]`: VS Code agent hooks. */
  | 'flat';

/** Where and how our hook goes into the agent's project configuration. */
export interface AgentHookSpec {
  /** Repository-relative config file, forward slashes. */
  file: string;
  shape: HookShape;
  /** The events we hook: the pre-tool one (snapshot) and the post-tool one (record). */
  events: string[];
  matcher?: string;
  /** A name for our hook entry, where the agent shows one. */
  name?: string;
  /** A timeout in seconds, where the agent's default is short. */
  timeout?: number;
  /** Shown after install: what the user still has to do, if anything. */
  note?: string;
}

export interface Agent<Name extends string = string> {
  /** The name on the command line (`record --agent <name>`) and in regions' `tool`. */
  name: Name;
  /** The name people know it by, for the editor's pick list. */
  label: string;
  /**
   * Reads one hook payload (already known to be a JSON object). Throws PayloadError naming the
   * field when one that matters has the wrong type; returns no files for tools that write none.
   */
  parse(payload: Json): AgentEvent;
  hooks: AgentHookSpec;
}
