/**
 * The agents we record, in one list. Adding an agent is adding its file here and one line below;
 * the CLI (`record`, `agents`), the config writer and the editor's pick list all iterate this list.
 */
import { Agent } from './agent';
import { amp } from './amp';
import { claudeCode } from './claudeCode';
import { cline } from './cline';
import { codebuddy } from './codebuddy';
import { codex } from './codex';
import { copilot } from './copilot';
import { copilotCli } from './copilotCli';
import { cursor } from './cursor';
import { droid } from './droid';
import { gemini } from './gemini';
import { kiro } from './kiro';
import { opencode } from './opencode';
import { pi } from './pi';
import { qwen } from './qwen';
import { tabnine } from './tabnine';
import { windsurf } from './windsurf';
import { AgentEvent, isObject, PayloadError } from './payload';

export const AGENTS = [
  claudeCode, cursor, codex, copilot, gemini,
  cline, windsurf, kiro, opencode, amp, droid, qwen, copilotCli, codebuddy, tabnine, pi,
] as const;
export type AgentName = (typeof AGENTS)[number]['name'];
export const AGENT_NAMES: readonly AgentName[] = AGENTS.map((a) => a.name);

export type { Agent, AgentHookSpec, HookShape } from './agent';
export { fileMark } from './agent';
export { PayloadError } from './payload';
export type { AgentEvent, FileChange, NotebookCellEdit, TextEdit } from './payload';
export { parsePatch } from './patch';
export { linesWritten, proposalOf } from './written';
export type { PreToolState, Written } from './written';

/** The agent of that name, or undefined. */
export function agentNamed(name: unknown): Agent<AgentName> | undefined {
  return AGENTS.find((a) => a.name === name);
}

export function isAgent(value: unknown): value is AgentName {
  return agentNamed(value) !== undefined;
}

/**
 * Parses one hook payload. Throws PayloadError when it is not JSON or a field that matters has the
 * wrong type; returns an event with no files for tools and events that change no file.
 */
export function parseAgentPayload(agent: AgentName, text: string): AgentEvent {
  if (text.trim() === '') throw new PayloadError('the hook payload on stdin is empty');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new PayloadError(`the hook payload on stdin is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!isObject(parsed)) throw new PayloadError('the hook payload on stdin is not a JSON object');
  const found = agentNamed(agent);
  if (!found) throw new PayloadError(`unknown agent ${agent}`);
  return found.parse(parsed);
}
