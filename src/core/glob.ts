/** A small glob matcher for repository-relative paths: `**`, `*`, `?`, `{a,b}` and `[abc]`. */

export function globToRegExp(glob: string): RegExp {
  let re = '';
  let i = 0;
  // A pattern without a slash matches the file name at any depth, as in .gitignore.
  const anchored = glob.includes('/');
  const g = glob.startsWith('/') ? glob.slice(1) : glob;
  while (i < g.length) {
    const c = g[i];
    if (c === '*') {
      if (g[i + 1] === '*') {
        const slashAfter = g[i + 2] === '/';
        re += slashAfter ? '(?:.*/)?' : '.*';
        i += slashAfter ? 3 : 2;
        continue;
      }
      re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      const close = g.indexOf('}', i);
      if (close < 0) re += '\\{';
      else {
        re += '(?:' + g.slice(i + 1, close).split(',').map(escape).join('|') + ')';
        i = close;
      }
    } else if (c === '[') {
      const close = g.indexOf(']', i);
      if (close < 0) re += '\\[';
      else {
        re += '[' + g.slice(i + 1, close).replace(/\\/g, '\\\\') + ']';
        i = close;
      }
    } else re += escape(c);
    i++;
  }
  return new RegExp((anchored ? '^' : '^(?:.*/)?') + re + '$');
}

function escape(s: string): string {
  return s.replace(/[.+^$()|\\/]/g, '\\$&');
}

export function matchesAny(path: string, globs: readonly RegExp[]): boolean {
  return globs.some((g) => g.test(path));
}
