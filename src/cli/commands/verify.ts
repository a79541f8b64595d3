import { summarizeRange, UnreviewedRun, verifySentence } from '../../core/history';
import { DEFAULT_POLICY, parsePolicy, POLICY_FILE } from '../../core/policy';
import { git, locate } from '../../store/git';
import { rangeProvenance } from '../../store/history';
import { UsageError } from '../args';
import { Command } from '../command';
import { quotePath } from '../format';

export const verifyCommand: Command = {
  usage: 'ai-provenance verify <base>..<head> [--json]',
  summary: 'exit 1 if an AI line that the range adds is unreviewed (or, with policy requireNotes, a commit has no note); the CI gate',
  flags: { json: 'boolean' },
  async run(args, io) {
    if (args.positionals.length !== 1) throw new UsageError('expected exactly one range <base>..<head>');
    const { root } = await locate(io.cwd);
    const result = await rangeProvenance(root, args.positionals[0]);
    const parsed = await policyAt(root, result.range.base);
    const policy = parsed.policy;
    if (!parsed.ok) io.err(`warning: ${parsed.error} (at the range's base); using the strict default policy\n`);
    const summary = summarizeRange(result.files, (p) => policy.isIgnored(p));
    const missing = policy.requireNotes ? result.commitsWithoutNote : [];
    const warnOnly = policy.unreviewed === 'warn';
    const failed = (summary.unreviewedLines > 0 && !warnOnly) || missing.length > 0;
    if (args.flags.json) {
      io.out(
        JSON.stringify(
          {
            ok: !failed,
            range: { base: result.range.base, head: result.range.head },
            unreviewed: summary.unreviewed.map(runJson),
            commitsWithoutNote: missing,
            ignored: summary.ignored.map(runJson),
            addedLines: summary.addedLines,
            aiLines: summary.aiLines,
            reviewedAiLines: summary.reviewedAiLines,
          },
          null,
          2,
        ) + '\n',
      );
    } else {
      const first = summary.unreviewed[0];
      const lines = [
        verifySentence(summary, missing, first && `${quotePath(first.path)}:${first.from}-${first.to}`, warnOnly && missing.length === 0),
        ...summary.unreviewed.map((r) => `${quotePath(r.path)}:${r.from}-${r.to}  ${r.source}  ${r.commit.slice(0, 12)}`),
        ...missing.map((c) => `commit ${c.slice(0, 12)} has no provenance note`),
      ];
      io.out(lines.join('\n') + '\n');
    }
    return failed ? 1 : 0;
  },
};

function runJson(r: UnreviewedRun): Record<string, unknown> {
  return { path: r.path, from: r.from, to: r.to, source: r.source, tool: r.tool, commit: r.commit };
}

/**
 * The policy as the range's base has it: the range being judged cannot loosen its own gate (a
 * pull request adding `"ignore": ["**"]` still meets the policy it is to be merged under).
 */
async function policyAt(root: string, base: string): Promise<ReturnType<typeof parsePolicy>> {
  const entry = (await git(root, ['ls-tree', '-z', base, '--', POLICY_FILE])).split('\0')[0];
  if (!entry) return parsePolicy(undefined);
  const m = /^\d+ blob ([0-9a-f]+)\t/.exec(entry);
  if (!m) return { ok: false, error: `${POLICY_FILE} at the base is not a regular file`, policy: DEFAULT_POLICY };
  return parsePolicy(await git(root, ['cat-file', 'blob', m[1]]));
}
