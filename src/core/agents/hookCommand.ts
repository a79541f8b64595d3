/**
 * The command our agent hooks run, the same on every machine, so that it can sit in a file a team
 * commits. It names no path of the machine that installed it: it asks git, which every developer of
 * a git repository has and every shell can start, to run a two-step shell script (git runs the `!`
 * alias through its own sh, Git Bash's on Windows):
 *
 *   git -c "alias.ai-provenance-hook=!test -x ~/.ai-provenance/hook || { cat >/dev/null; exit 0; }; exec ~/.ai-provenance/hook record --agent <name>" ai-provenance-hook
 *
 * `~/.ai-provenance/hook` is this machine's resolver (src/store/hookResolver.ts), written by
 * `agents install`: it names this machine's Node and CLI. Where it is missing (a teammate without
 * AI Provenance, a cloud sandbox) the script reads the payload and exits 0 with nothing on stdout
 * or stderr: no agent blocks or warns on that. The resolver itself exits 0 or 1 only, the codes
 * every supported agent treats as non-blocking (Gemini CLI blocks on any other).
 *
 * The string is valid in sh, bash, zsh, fish, cmd and PowerShell alike: one double-quoted argument
 * holding no `$`, backtick, `%`, `"` or backslash, the characters those shells would expand or
 * escape inside double quotes; `~` is left to git's sh, which expands it. (cmd with delayed
 * expansion turned on, which is off unless a user enables it, would drop the `!`: git then answers
 * "not a git command" with exit 1, non-blocking.)
 */

/** Where the resolver is, relative to the user's home (the `~` of git's sh: HOME, or the profile folder on Windows). */
export const RESOLVER_PATH = '.ai-provenance/hook';

/** The name of the one-off git alias the command defines and runs. */
export const HOOK_ALIAS = 'ai-provenance-hook';

/** The hook command for an agent. */
export function agentHookCommand(agent: string): string {
  const script = `test -x ~/${RESOLVER_PATH} || { cat >/dev/null; exit 0; }; exec ~/${RESOLVER_PATH} record --agent ${agent}`;
  return `git -c "alias.${HOOK_ALIAS}=!${script}" ${HOOK_ALIAS}`;
}

/**
 * Is this hook command ours, for this agent? Today's command, and every earlier form (the CLI
 * through absolute paths, `node … record --agent x`): paths differ between machines and versions,
 * the verb does not.
 */
export function isOurCommand(command: unknown, agent: string): boolean {
  if (typeof command !== 'string') return false;
  const name = agent.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
  return new RegExp(`(^|[\\s"'])record\\s+--agent[=\\s]+${name}(?=$|[\\s"';])`).test(command);
}
