// Fails when package.json and the code disagree: a contributed command that is never registered, a
// registered command that is never contributed, a menu, keybinding or welcome link naming an unknown
// command, a SPEC command missing, a setting without a markdownDescription, a `%key%` with no
// English text in package.nls.json (or text no key uses), or a file the manifest names that is missing.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const rawPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const nls = JSON.parse(readFileSync(join(root, 'package.nls.json'), 'utf8'));
const problems = [];

// Titles and descriptions are `%key%` references into package.nls.json (VS Code's localization).
const usedKeys = new Set();
const resolve = (value) => {
  if (Array.isArray(value)) return value.map(resolve);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
  const m = typeof value === 'string' && /^%([\w.-]+)%$/.exec(value);
  if (!m) return value;
  usedKeys.add(m[1]);
  if (typeof nls[m[1]] !== 'string') problems.push(`package.nls.json has no text for %${m[1]}%`);
  return nls[m[1]] ?? value;
};
const pkg = resolve(rawPkg);
for (const key of Object.keys(nls)) if (!usedKeys.has(key)) problems.push(`package.nls.json key ${key} is used nowhere in package.json`);
const untranslated = [
  ...(rawPkg.contributes.commands ?? []).filter((c) => !/^%.+%$/.test(c.title)).map((c) => `title of ${c.command}`),
  ...Object.entries(rawPkg.contributes.configuration?.properties ?? {}).filter(([, s]) => !/^%.+%$/.test(s.markdownDescription ?? '')).map(([k]) => `description of ${k}`),
];
for (const what of untranslated) problems.push(`${what} is not localizable (use a %key% from package.nls.json)`);
const named = [rawPkg.icon, ...(rawPkg.contributes.jsonValidation ?? []).map((j) => j.url)].filter(Boolean);
for (const file of named) if (!existsSync(join(root, file))) problems.push(`package.json names ${file}, which does not exist`);

const contributed = new Set((pkg.contributes.commands ?? []).map((c) => c.command));
const SPEC_COMMANDS = [
  'markReviewed', 'markFileReviewed', 'markAllReviewed', 'markSelectionAsAI', 'markSelectionAsHuman',
  'nextUnreviewed', 'previousUnreviewed', 'installHook', 'uninstallHook', 'showLog',
].map((c) => `aiProvenance.${c}`);
for (const c of SPEC_COMMANDS) if (!contributed.has(c)) problems.push(`SPEC command ${c} is not contributed`);

function sources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}
const code = sources(join(root, 'src')).map((f) => readFileSync(f, 'utf8')).join('\n');
// Registered: an id passed to registerCommand directly, or a key of a table whose entries are registered in a loop.
const registered = new Set();
for (const m of code.matchAll(/register(?:TextEditor)?Command\(\s*['"`](aiProvenance\.[\w.]+)['"`]/g)) registered.add(m[1]);
for (const m of code.matchAll(/['"`](aiProvenance\.[\w]+)['"`]\s*:\s*(?:\(|async|this\.)/g)) registered.add(m[1]);
for (const c of contributed) if (!registered.has(c)) problems.push(`command ${c} is contributed but never registered`);
for (const c of registered) if (!contributed.has(c)) problems.push(`command ${c} is registered but not contributed`);

const menus = pkg.contributes.menus ?? {};
for (const [menu, items] of Object.entries(menus)) {
  for (const item of items) if (item.command && !contributed.has(item.command)) problems.push(`menu ${menu} names unknown command ${item.command}`);
}
for (const k of pkg.contributes.keybindings ?? []) if (!contributed.has(k.command)) problems.push(`keybinding names unknown command ${k.command}`);
for (const w of pkg.contributes.viewsWelcome ?? []) {
  for (const m of w.contents.matchAll(/command:(aiProvenance\.[\w]+)/g)) if (!contributed.has(m[1])) problems.push(`welcome view links unknown command ${m[1]}`);
}
const properties = pkg.contributes.configuration?.properties ?? {};
for (const [key, spec] of Object.entries(properties)) {
  if (!key.startsWith('aiProvenance.')) problems.push(`setting ${key} lacks the aiProvenance. prefix`);
  if (!spec.markdownDescription) problems.push(`setting ${key} has no markdownDescription`);
}
for (const c of contributed) if (!c.startsWith('aiProvenance.')) problems.push(`command ${c} lacks the aiProvenance. prefix`);
for (const m of pkg.contributes.menus?.['view/title'] ?? []) {
  // Only the "navigation" group shows as title-bar buttons; a near miss lands in the overflow menu.
  if (/^nav(?!igation(@|$))/.test(m.group ?? '')) problems.push(`view/title group ${m.group} of ${m.command}: the title bar shows only "navigation"`);
}
if (pkg.activationEvents?.includes('*')) problems.push('activationEvents must not contain "*"');

if (problems.length) {
  console.error(`package.json and the code disagree:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`manifest ok: ${contributed.size} commands contributed and registered, ${Object.keys(properties).length} settings documented`);
