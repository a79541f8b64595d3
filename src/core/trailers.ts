/**
 * `Assisted-by` commit trailers (policy `"trailers": "assisted-by"`), in the Linux kernel's form
 * `Assisted-by: AGENT_NAME:MODEL_VERSION`: which trailers a commit's AI lines call for, and the
 * questions about a commit message that decide whether to add them. Placing them in the message
 * is git's job (`git interpret-trailers`, in store/trailers.ts).
 */

/** Where trailers wait for commit-msg (per worktree, in the store's folder). */
export const PENDING_FILE = 'trailers-pending.json';

export const ASSISTED_BY = 'Assisted-by';

/** The agent name of lines whose tool nobody recorded (`mark` without `--tool`, say). */
export const UNKNOWN_TOOL = 'unknown';

/** What one AI region says about the tool that wrote it. */
export interface ToolUse {
  tool: string | null;
  model?: string;
}

/** A name as one trailer token: no line breaks or runs of white space, which would end or split the trailer. */
function token(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/**
 * The values of the `Assisted-by` trailers for these uses, sorted: one per tool and model
 * (`copilot:gpt-4o`), the tool alone when no line of it names a model (`copilot`), and
 * `unknown` for lines with no tool recorded. A tool used with a model and also without one
 * gets only the trailers that name a model: the bare one would say nothing more.
 */
export function assistedByValues(uses: Iterable<ToolUse>): string[] {
  const models = new Map<string, Set<string>>();
  for (const u of uses) {
    const tool = token(u.tool ?? '') || UNKNOWN_TOOL;
    let set = models.get(tool);
    if (!set) models.set(tool, (set = new Set()));
    const model = token(u.model ?? '');
    if (model) set.add(model);
  }
  const out: string[] = [];
  for (const [tool, set] of models) {
    if (set.size === 0) out.push(tool);
    for (const model of set) out.push(`${tool}:${model}`);
  }
  return out.sort();
}

/** The scissors line git writes above the diff of `commit --verbose`: nothing below it is the message. */
function isScissors(line: string, commentChar: string): boolean {
  return line.startsWith(`${commentChar} `) && line.includes('>8');
}

/** The message's own lines: what comes before git's scissors line, without comment lines. */
function messageLines(text: string, commentChar: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (isScissors(line, commentChar)) break;
    if (!line.startsWith(commentChar)) out.push(line);
  }
  return out;
}

/**
 * Whether the message holds anything but comments and white space. A message that does not is
 * one the user has yet to write (the editor is about to open) or left empty to abort the commit:
 * a trailer added to it would turn that abort into a commit whose message is the trailer.
 */
export function hasMessage(text: string, commentChar = '#'): boolean {
  return messageLines(text, commentChar).some((l) => l.trim() !== '');
}

/**
 * Whether the message is one that `git commit --fixup/--squash` writes (`fixup! `, `squash! `,
 * `amend! `): the commit is meant to fold into an earlier one when the branch is rebased with
 * `--autosquash`, whose message (and trailers) is the one that stays.
 */
export function foldsIntoAnother(text: string, commentChar = '#'): boolean {
  const first = messageLines(text, commentChar).find((l) => l.trim() !== '');
  return first !== undefined && /^(fixup|squash|amend)! /.test(first);
}
