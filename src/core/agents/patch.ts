/** Patches as Codex's apply_patch and VS Code's apply_patch tool carry them. */
import { FileChange, isObject, PayloadError } from './payload';

/** The patch text in a tool input: a string, or under `command`/`patch`/`input`. */
export function patchText(input: unknown): string {
  if (typeof input === 'string') return input;
  if (isObject(input)) {
    for (const key of ['command', 'patch', 'input']) {
      const v = input[key];
      if (typeof v === 'string') return v;
      // Older Codex builds sent the shell form: ["apply_patch", "<patch>"].
      if (Array.isArray(v)) {
        const found = v.find((x): x is string => typeof x === 'string' && x.includes('*** Begin Patch'));
        if (found) return found;
      }
    }
  }
  throw new PayloadError('tool_input carries no patch (expected tool_input.command)');
}

/**
 * The files a patch touches, in Codex's envelope (`*** Begin Patch`, `*** Add/Update/Delete File:`,
 * `*** Move to:`, `@@` hunks of ` `/`-`/`+` lines) or as a unified diff (`--- a/…`, `+++ b/…`,
 * `@@ -l,n +l,n @@`). Each hunk becomes one whole-line edit from its old lines to its new lines.
 */
export function parsePatch(text: string): FileChange[] {
  const files: FileChange[] = [];
  let file: FileChange | undefined;
  let added: string[] | undefined; // lines of an Add File
  let oldLines: string[] = [];
  let newLines: string[] = [];
  let hint: number | undefined;
  let unifiedOld: string | undefined;
  // In a unified diff the hunk header counts its lines, so a removed "-- comment" is not taken for a "--- file" header.
  const envelope = /^\*\*\* Begin Patch/m.test(text);
  let remaining = 0;

  const flushHunk = (): void => {
    if (file && !added && (oldLines.length || newLines.length)) {
      file.edits.push({ oldText: oldLines.join('\n'), newText: newLines.join('\n'), wholeLines: true, ...(hint ? { line: hint } : {}) });
    }
    oldLines = [];
    newLines = [];
    hint = undefined;
  };
  const flushFile = (): void => {
    flushHunk();
    if (file && added) file.content = added.length ? added.join('\n') + '\n' : '';
    added = undefined;
    file = undefined;
  };
  const start = (change: FileChange): void => {
    flushFile();
    file = change;
    files.push(change);
  };

  for (const line of text.split(/\r?\n/)) {
    let m: RegExpExecArray | null;
    if ((m = /^\*\*\* Add File: (.+)$/.exec(line))) {
      start({ path: m[1].trim(), edits: [], created: true });
      added = [];
    } else if ((m = /^\*\*\* Update File: (.+)$/.exec(line))) {
      start({ path: m[1].trim(), edits: [] });
    } else if ((m = /^\*\*\* Delete File: (.+)$/.exec(line))) {
      start({ path: m[1].trim(), edits: [], deleted: true });
    } else if ((m = /^\*\*\* Move to: (.+)$/.exec(line))) {
      if (file) {
        file.movedFrom = file.path;
        file.path = m[1].trim();
      }
    } else if (/^\*\*\* (Begin Patch|End Patch|End of File)/.test(line) || /^(diff --git|index |new file mode|deleted file mode|similarity index|rename (from|to) )/.test(line)) {
      continue;
    } else if (!envelope && remaining <= 0 && (m = /^--- (?:a\/)?(.+?)\s*$/.exec(line))) {
      flushFile();
      unifiedOld = m[1];
    } else if ((m = /^\+\+\+ (?:b\/)?(.+?)\s*$/.exec(line)) && unifiedOld !== undefined) {
      if (m[1] === '/dev/null') start({ path: unifiedOld, edits: [], deleted: true });
      else start({ path: m[1], edits: [], ...(unifiedOld === '/dev/null' ? { created: true } : {}) });
      unifiedOld = undefined;
    } else if (line.startsWith('@@')) {
      flushHunk();
      const u = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))?/.exec(line);
      if (u) {
        hint = Number(u[2]);
        remaining = Number(u[1] ?? 1) + Number(u[3] ?? 1);
      }
    } else if (file && added) {
      if (line.startsWith('+')) added.push(line.slice(1));
    } else if (file && !file.deleted) {
      if (line.startsWith('+')) {
        newLines.push(line.slice(1));
        remaining -= 1;
      } else if (line.startsWith('-')) {
        oldLines.push(line.slice(1));
        remaining -= 1;
      } else if (line.startsWith(' ')) {
        oldLines.push(line.slice(1));
        newLines.push(line.slice(1));
        remaining -= 2;
      }
    }
  }
  flushFile();
  if (files.length === 0) throw new PayloadError('the patch names no file (expected "*** Update File: <path>" or a unified diff)');
  return files;
}
