import * as path from 'node:path';
import { LineProvenance } from '../../core/history';
import { Repository } from '../../store/repository';
import { blameWorkingFile } from '../../store/workingBlame';
import { UsageError } from '../args';
import { Command } from '../command';

export const blameCommand: Command = {
  usage: 'ai-provenance blame [-M] [-C] <path> [--json]',
  summary: "every line of a working-tree file: the commit that wrote it, whether AI did, with what, and who reviewed it; -M and -C follow lines moved within the file and moved or copied from other files, as git blame's do",
  flags: { json: 'boolean', M: 'boolean', C: 'boolean' },
  async run(args, io) {
    if (args.positionals.length !== 1 || args.positionals[0] === '') throw new UsageError('expected exactly one <path>');
    const repo = await Repository.open(io.cwd);
    const rel = repo.relative(path.resolve(io.cwd, args.positionals[0]));
    const { lines, text } = await blameWorkingFile(repo, rel, { moves: args.flags.M === true, copies: args.flags.C === true });
    if (args.flags.json) {
      // One line of output per line of the file: greppable, and small for large files.
      const rows = lines.map((l) => JSON.stringify(lineJson(l)));
      io.out(`{"path": ${JSON.stringify(rel)}, "lines": [${rows.length ? `\n  ${rows.join(',\n  ')}\n` : ''}]}\n`);
      return 0;
    }
    io.out(formatBlame(lines, text, io.color === true));
    return 0;
  },
};

/** One line as `blame --json` prints it (SPEC: line, commit, ai, source, tool, model, reviewed, reviewer). */
function lineJson(l: LineProvenance): Record<string, unknown> {
  return { line: l.line, commit: l.commit, ai: l.ai, source: l.source, tool: l.tool, model: l.model, reviewed: l.reviewed, reviewer: l.reviewer };
}

const SHORT = 8;
const UNCOMMITTED = '0'.repeat(SHORT);

/** ANSI colours by meaning: unreviewed AI stands out, reviewed AI is calm, what is unknown is faint. */
const STYLE = { unreviewed: '\x1b[33m', reviewed: '\x1b[32m', unknown: '\x1b[2m', hash: '\x1b[2m' } as const;
const RESET = '\x1b[0m';

/**
 * git blame's shape: `<hash> (<provenance> <line>) <text>`, columns aligned over the file. The
 * provenance is `AI <source> <tool>[/<model>] reviewed by <who> | unreviewed` for an AI line,
 * `-` for a human one, and `? no note` for a line whose commit carries no provenance note.
 * Uncommitted lines show git's all-zero hash.
 */
export function formatBlame(lines: readonly LineProvenance[], text: readonly string[], color: boolean): string {
  const rows = lines.map((l) => {
    const kind = l.ai ? 'AI' : l.commit !== null && !l.noted ? '?' : '-';
    const tool = l.ai ? [l.tool, l.model].filter(Boolean).join('/') : '';
    const review = l.ai ? (l.reviewed ? `reviewed by ${l.reviewer ?? 'someone'}` : 'unreviewed') : '';
    const source = l.ai ? (l.source ?? '') : kind === '?' ? 'no note' : '';
    const style = l.ai ? (l.reviewed ? STYLE.reviewed : STYLE.unreviewed) : kind === '?' ? STYLE.unknown : undefined;
    return { hash: l.commit ? l.commit.slice(0, SHORT) : UNCOMMITTED, cols: [kind, source, tool, review], style, line: String(l.line), text: text[l.line - 1] ?? '' };
  });
  const widths = [0, 1, 2, 3].map((i) => Math.max(0, ...rows.map((r) => r.cols[i].length)));
  // Columns empty on every line (no AI line at all) are left out.
  const shown = [0, 1, 2, 3].filter((i) => widths[i] > 0);
  const lineWidth = Math.max(0, ...rows.map((r) => r.line.length));
  const out = rows.map((r) => {
    // Padding stays inside the parentheses, so the line numbers and the text line up.
    const prov = shown.map((i) => r.cols[i].padEnd(widths[i])).join(' ');
    const painted = color && r.style ? `${r.style}${prov}${RESET}` : prov;
    const hash = color ? `${STYLE.hash}${r.hash}${RESET}` : r.hash;
    return `${hash} (${painted} ${r.line.padStart(lineWidth)}) ${r.text}`;
  });
  return out.length ? out.join('\n') + '\n' : '';
}
