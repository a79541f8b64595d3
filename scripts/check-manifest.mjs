// Fails when package.json and the code disagree: a contributed command that is never registered, a
// registered command that is never contributed, a menu, keybinding or welcome link naming an unknown
// command, a SPEC command missing, or a setting without a markdownDescription.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const problems = [];

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
if (pkg.activationEvents?.includes('*')) problems.push('activationEvents must not contain "*"');

if (problems.length) {
  console.error(`package.json and the code disagree:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`manifest ok: ${contributed.size} commands contributed and registered, ${Object.keys(properties).length} settings documented`);
