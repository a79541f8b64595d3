/** What the rest of the code knows about one coding agent: one object per agent, in ./index.ts. */
import { AgentEvent, Json } from './payload';

/** How an agent lists its hooks under `hooks.<event>` in its config file. */
export type HookShape =
  /** `[{ matcher, hooks: [{ type: 'command', command }] }]`: Claude Code, Codex, Gemini CLI. */
  | 'groups'
  /** `[{ command }]` in `{ version: 1, hooks }`: Cursor. */
  | 'cursor'
  /** `[{ type: 'command', command }]`: VS Code agent hooks. */
  | 'flat'
  /** `[{ command }]` in `{ hooks }`: Windsurf's Cascade hooks. */
  | 'commands'
  /** `[{ type: 'command', bash, powershell }]` in `{ version: 1, hooks }`, camelCase events: Copilot CLI. */
  | 'copilot-cli'
  /** One list `{ version: 'v1', hooks: [{ name, trigger, matcher, action: { type: 'command', command } }] }`: Kiro. */
  | 'kiro'
  /**
   * A whole file of ours, a hook script or a plugin module, whose text `render` makes from the hook
   * command. A `{event}` in `file` makes one file per event (Cline's hook scripts are named after it).
   */
  | 'file';

/** Where and how our hook goes into the agent's configuration (src/store/agentConfig.ts says why each agent's goes where it does). */
export interface AgentHookSpec {
  /** The config file, forward slashes: relative to the repository root, or to the user's home with `location: 'home'`. */
  file: string;
  /**
   * `repository` (the default): a file in the repository, which the team may commit. `home`: the
   * user's own config, for every repository; `homeEnv` names the variable the agent reads instead
   * of the first folder of `file` (Codex's CODEX_HOME for `~/.codex`).
   */
  location?: 'repository' | 'home';
  homeEnv?: string;
  /** A repository file that is this clone's alone (Claude Code's settings.local.json): install makes sure git ignores it. */
  personal?: boolean;
  /** Repository files where earlier versions put our hook: install moves it out of them, status calls it stale while it is there. */
  formerFiles?: string[];
  /**
   * The agent runs a hook only once the user trusted its exact definition: `codex` keeps a hash of
   * it in its config.toml, keyed by the file and the hook's position in its event's list.
   */
  trust?: 'codex';
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
  /** Shape 'file': the file's text, which runs `command` with the event's JSON on its stdin and carries `fileMark(agent)`. */
  render?: (command: string) => string;
  /** Shape 'file': the agent runs the file itself, so it must be executable. */
  executable?: boolean;
}

/** The mark that tells our hook files from the user's: `ai-provenance:<agent>` in the file's text. */
export function fileMark(agent: string): string {
  return `ai-provenance:${agent}`;
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
