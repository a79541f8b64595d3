/**
 * Ignore patterns with .gitignore's meaning, compiled by picomatch: a pattern without a slash (or
 * with only a trailing one) matches a file or folder name at any depth; one with a leading or
 * inner slash is anchored at the repository root; a trailing slash matches folders only; a match on
 * a folder covers everything under it. `*`, `**`, `?`, `[abc]`, `[!a]` and `{a,b}` work as in
 * picomatch; extglobs and `!` negation do not.
 */
import picomatch from 'picomatch/posix';

/** Longer patterns are refused: nobody writes one by hand, and length is where backtracking hides. */
export const MAX_PATTERN_LENGTH = 256;
/**
 * Runs of `*` per pattern. A regular expression compiled from a glob backtracks over every way its
 * stars can split a path, about length^stars / stars! steps on a path built to defeat it: three
 * stars cost at most tens of milliseconds on the paths below, four already seconds.
 */
export const MAX_WILDCARDS = 3;
/** Paths longer than this, or with a longer name in them, are never ignored (so they fail closed). */
export const MAX_PATH_LENGTH = 512;
/** NAME_MAX on every common file system: no file in a working tree has a longer name. */
const MAX_NAME_LENGTH = 255;

const OPTIONS: picomatch.PicomatchOptions = {
  // `*` matches dot files, as in .gitignore.
  dot: true,
  // `[!a]` negates and `[[:alpha:]]` works.
  posix: true,
  // `+(a|aa)` and friends nest quantifiers (exponential backtracking) and are not .gitignore syntax.
  noextglob: true,
  // A leading `!` is refused before compiling; with this, an escaped `\!` is a literal.
  nonegate: true,
  // Throw on a pattern that compiles to an invalid regular expression instead of matching nothing.
  debug: true,
};

export type CompiledGlob = { ok: true; matches: (path: string) => boolean } | { ok: false; error: string };

/** Compiles one ignore pattern, or says in words why it is refused. */
export function compileGlob(pattern: string): CompiledGlob {
  const refuse = (why: string): CompiledGlob => ({ ok: false, error: `pattern ${JSON.stringify(pattern)} ${why}` });
  if (pattern.trim() === '' || pattern === '/') return refuse('is empty');
  if (pattern.length > MAX_PATTERN_LENGTH) return refuse(`is longer than ${MAX_PATTERN_LENGTH} characters`);
  if (pattern.startsWith('!')) return refuse('starts with "!": negation is not supported (write \\! for a literal "!")');
  if ((pattern.match(/\*+/g)?.length ?? 0) > MAX_WILDCARDS) return refuse(`has more than ${MAX_WILDCARDS} wildcards (* or **)`);
  // picomatch turns {1..10} into a character class that means something else; [0-9] says it plainly.
  if (/\{[^{}]*\.\.[^{}]*\}/.test(pattern)) return refuse('uses a {from..to} range, which is not supported (use [0-9] or {a,b})');
  const folderOnly = pattern.endsWith('/');
  const body = folderOnly ? pattern.slice(0, -1) : pattern;
  const anchored = body.includes('/');
  let test: (s: string) => boolean;
  try {
    // Anchored: the path, or a folder above it, matches (`a/**` matches `a` itself too).
    test = picomatch(anchored ? `${body.replace(/^\//, '')}/**` : body, OPTIONS);
  } catch (e) {
    return refuse(`is not a valid glob (${(e as Error).message})`);
  }
  return {
    ok: true,
    matches: (path) => {
      if (path.length > MAX_PATH_LENGTH) return false;
      const names = path.split('/');
      if (names.some((n) => n.length > MAX_NAME_LENGTH)) return false;
      // Every path we judge is a file's, so a folder-only pattern can match only the folders above it.
      const last = folderOnly ? names.length - 2 : names.length - 1;
      if (last < 0) return false;
      if (anchored) return test(folderOnly ? names.slice(0, last + 1).join('/') : path);
      for (let i = 0; i <= last; i++) if (test(names[i])) return true;
      return false;
    },
  };
}
