/**
 * A path as git prints it in a patch header or in porcelain output: as it is, or (holding a control
 * character, a double quote, a backslash or, with core.quotePath, a non-ASCII byte) in double quotes
 * with C escapes and octal bytes of its UTF-8. A patch header ends a name holding a space with a tab
 * (for patch(1)), which is not part of the name: a name that really ends in a tab is quoted.
 */
export function unquoteGitPath(name: string): string {
  if (name.endsWith('\t')) name = name.slice(0, -1);
  if (name.length < 2 || !name.startsWith('"') || !name.endsWith('"')) return name;
  const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', a: '\x07', b: '\b', f: '\f', v: '\v' };
  // Every character becomes its %-encoding and an octal escape the byte's %XX, so that
  // decodeURIComponent assembles the UTF-8 sequences (core/ has no Buffer).
  const encoded = name.slice(1, -1).replace(/\\([0-7]{3}|.)|[^\\]/gsu, (all: string, e: string | undefined) => {
    if (e === undefined) return encodeURIComponent(all);
    return e.length === 3 ? `%${parseInt(e, 8).toString(16).padStart(2, '0')}` : encodeURIComponent(simple[e] ?? e);
  });
  try {
    return decodeURIComponent(encoded);
  } catch {
    return name; // Not valid UTF-8: no file of ours has such a name; leave it unmatched.
  }
}
