/**
 * What the non-blocking hooks of rewrites and sharing do when git runs them (`ai-provenance hook
 * run <name>`). None of them may fail the git operation: the commit, rebase, merge or push is made
 * (or, for pre-push, must go ahead) whatever happens here, so errors come back as one line for
 * stderr and the hook exits 0.
 */
import { autoCarry } from './autoCarry';
import { CommitContext } from './git';
import { parseRewrites, postCommitCarry, postMergeSquash, postRewrite } from './rewrite';
import { absorbFetchedNotes, addFetchRefspecs, PUSH_GUARD, pushNotes, remotes } from './share';

export type ShareHookName = 'post-rewrite' | 'post-merge' | 'pre-push' | 'post-commit';

/**
 * Runs one hook's share/rewrite part. Returns the lines to print on stderr (warnings and errors, one
 * line each). post-commit may pass what it knows of the commit (saves git calls).
 */
export async function runShareHook(root: string, name: ShareHookName, args: readonly string[], stdin: string, context?: CommitContext): Promise<string[]> {
  const lines: string[] = [];
  const step = async (what: string, f: () => Promise<unknown>): Promise<void> => {
    try {
      const warnings = await f();
      if (Array.isArray(warnings)) lines.push(...warnings.map((w) => `AI Provenance: ${String(w)}`));
    } catch (e) {
      lines.push(`AI Provenance could not ${what}: ${oneLine(e)}`);
    }
  };
  switch (name) {
    case 'post-rewrite':
      // After `pull --rebase` the fetched notes are in; merge them first so carrying reads them.
      await step('merge the fetched notes', () => absorbFetchedNotes(root));
      await step('carry the notes of the rewritten commits', () => postRewrite(root, args[0] ?? '', stdin));
      // `pull --rebase` over local commits runs this hook, not post-merge: the pulled commits sit
      // between ORIG_HEAD and HEAD with ours on top (ours got their notes just above).
      if (args[0] === 'rebase') await step('carry notes to the pulled squash merges', () => autoCarry(root, new Set(parseRewrites(stdin).keys())).then(() => undefined));
      break;
    case 'post-merge':
      await step('merge the fetched notes', () => absorbFetchedNotes(root));
      await step('record the squashed commits', () => postMergeSquash(root, args[0] ?? '0'));
      await step('carry notes to the pulled squash merges', () => autoCarry(root).then(() => undefined));
      break;
    case 'post-commit':
      await step('carry the notes of the picked or squashed commits', () => postCommitCarry(root, context));
      break;
    case 'pre-push': {
      if (process.env[PUSH_GUARD]) break;
      const remote = args[0];
      if (!remote) break;
      // Pushing only our notes (ourselves, or by hand) needs nothing more.
      if (stdin.trim() !== '' && stdin.split('\n').filter(Boolean).every((l) => l.split(' ')[2]?.startsWith('refs/notes/'))) break;
      await step('set up fetching notes', async () => ((await remotes(root)).includes(remote) ? addFetchRefspecs(root, [remote]) : undefined));
      try {
        const outcome = await pushNotes(root, remote);
        lines.push(...outcome.warnings.map((w) => `AI Provenance: ${w}`));
      } catch (e) {
        lines.push(`AI Provenance could not push the notes to ${remote} (the branches are pushed anyway; retry with ai-provenance notes push ${remote}): ${oneLine(e)}`);
      }
      break;
    }
  }
  return lines;
}

function oneLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n').map((l) => l.trim()).filter(Boolean).join('; ');
}
