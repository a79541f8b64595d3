/**
 * Capture benchmarks, run inside a real VS Code extension host (loaded as extensionTestsPath by
 * bench/capture.ts). Prints:
 *   1. a confusion table for a scripted editing session (fixture completions accepted whole, by
 *      word, by line and with a follow-up edit; typing, paste, snippet, format, undo/redo), once
 *      with the editor's edit reasons and once as stable VS Code sees edits;
 *   2. the cost per keystroke of the extension's change listener in a 10,000-line file with 1,000
 *      regions, beside an empty listener, both timed between the same bracketing listeners; with
 *      AIP_BENCH_BASELINE=<another checkout, compiled> also that build's tracker and capture, taken
 *      in turn with ours in this same extension host (separate hosts differ by more than the code);
 *   3. what typing wakes in a store of 2,000 marker files: full store rescans and marker files
 *      re-read (counted through the extension's test API), and the keystrokes' round trip beside
 *      the same typing in a document the extension does not track.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AiProvenanceTestApi } from '../src/extension';
import { recordFor, serializeMarkerFile } from '../src/core/markerFile';
import { createRegion, lineSpan } from '../src/core/regions';
import { LineIndex } from '../src/core/text';
import { Capture } from '../src/extension/capture/capture';
import { DocumentTracker } from '../src/extension/documentTracker';
import { Repositories, StoreActivity } from '../src/extension/repositories';
import { Repository } from '../src/store/repository';
import { FixtureCompletions } from '../test/integration/fixtures/inlineProvider';
import { percentile } from './stats';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const out = (line = '') => console.log(line);

function root(): string {
  const f = vscode.workspace.workspaceFolders?.[0];
  if (!f) throw new Error('the benchmark needs a workspace folder');
  return f.uri.fsPath;
}

async function openFresh(name: string, content: string): Promise<vscode.TextEditor> {
  const file = path.join(root(), 'bench', name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
}

// ---------------------------------------------------------------------------------------------
// 1. Confusion table

/** Which characters of the document are AI's, kept in step with every edit of the current step. */
class Truth {
  labels: boolean[];
  private label = false;
  private count = 0;
  private readonly sub: vscode.Disposable;

  constructor(doc: vscode.TextDocument) {
    this.labels = new Array(doc.getText().length).fill(false);
    this.sub = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document !== doc) return;
      for (const c of [...e.contentChanges].sort((a, b) => b.rangeOffset - a.rangeOffset)) {
        this.labels.splice(c.rangeOffset, c.rangeLength, ...new Array(c.text.length).fill(this.label));
      }
    });
  }

  async step(ai: boolean, fn: () => Promise<unknown>): Promise<void> {
    if (process.env.AIP_BENCH_VERBOSE) console.log(`  step ${++this.count} (${ai ? 'AI' : 'human'})`);
    this.label = ai;
    await fn();
    await sleep(300); // past the follow-up window: the next step is judged on its own
  }

  dispose(): void {
    this.sub.dispose();
  }
}

async function typeText(text: string): Promise<void> {
  for (const ch of text) await vscode.commands.executeCommand('type', { text: ch });
}

function moveToEnd(editor: vscode.TextEditor): void {
  const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
  editor.selection = new vscode.Selection(end, end);
}

async function session(api: AiProvenanceTestApi, fixture: FixtureCompletions, name: string): Promise<number[]> {
  const editor = await openFresh(name, '');
  await api.getRegions(editor.document.uri);
  const truth = new Truth(editor.document);
  const formatter = vscode.languages.registerDocumentFormattingEditProvider({ pattern: '**/bench/session-*.txt' }, {
    provideDocumentFormattingEdits: (doc) =>
      [...Array(doc.lineCount).keys()].map((i) => doc.lineAt(i)).filter((l) => /^ {3}\S/.test(l.text)).map((l) => vscode.TextEdit.delete(new vscode.Range(l.lineNumber, 0, l.lineNumber, 1))),
  });
  const follow = vscode.commands.registerCommand('aipBench.addImport', () => editor.edit((b) => b.insert(new vscode.Position(0, 0), "import { add } from './math';\n")));
  try {
    // Typing "{" auto-closes it; Enter opens an indented line between the braces.
    await truth.step(false, () => typeText('export function first() {\n'));
    await truth.step(true, () => fixture.accept(editor, { insertText: 'return add(1, 2);' }));
    moveToEnd(editor);
    await truth.step(false, () => typeText('\n\n'));
    fixture.set(editor, { insertText: 'const total = add(3, 4);\nconsole.log(total);' });
    await truth.step(true, () => fixture.acceptOffered(editor, 'editor.action.inlineSuggest.acceptNextWord'));
    await truth.step(true, () => fixture.acceptOffered(editor, 'editor.action.inlineSuggest.acceptNextLine'));
    fixture.clear();
    moveToEnd(editor);
    await truth.step(false, () => typeText('\n// a note by hand\n'));
    await vscode.env.clipboard.writeText('pasted(1, 2);\n');
    await truth.step(false, async () => {
      const v = editor.document.version;
      await vscode.commands.executeCommand('editor.action.clipboardPasteAction');
      for (let i = 0; i < 40 && editor.document.version === v; i++) await sleep(25);
    });
    moveToEnd(editor);
    await truth.step(true, () => fixture.accept(editor, { insertText: 'if (total > 3) {\n   go();\n}' }));
    // Undo the accept, then redo it: the truth follows the text, so keep its labels per state.
    const afterAccept = [...truth.labels];
    await truth.step(false, async () => vscode.commands.executeCommand('undo'));
    await truth.step(false, async () => {
      await vscode.commands.executeCommand('redo');
    });
    truth.labels = afterAccept; // redo brought back AI text
    await truth.step(false, async () => vscode.commands.executeCommand('editor.action.formatDocument'));
    moveToEnd(editor);
    await truth.step(false, () => typeText('\n'));
    await truth.step(false, async () => vscode.commands.executeCommand('editor.action.insertSnippet', { snippet: 'while (${1:cond}) {\n\t$0\n}\n' }));
    await vscode.commands.executeCommand('leaveSnippet');
    moveToEnd(editor);
    await truth.step(true, () => fixture.accept(editor, { insertText: 'export const answer = add(40, 2);', command: { command: 'aipBench.addImport', title: 'import' } }));
    await sleep(300);
    moveToEnd(editor);
    await truth.step(false, () => typeText('\n// done\n'));

    const text = editor.document.getText();
    if (truth.labels.length !== text.length) throw new Error(`ground truth out of step: ${truth.labels.length} labels for ${text.length} characters`);
    const recorded = new Array(text.length).fill(false);
    for (const r of await api.getRegions(editor.document.uri)) {
      const from = editor.document.offsetAt(new vscode.Position(r.start.line, r.start.character));
      const to = editor.document.offsetAt(new vscode.Position(r.end.line, r.end.character));
      for (let i = from; i < to; i++) recorded[i] = true;
    }
    const m = [0, 0, 0, 0]; // AI recorded, AI missed, human recorded, human not recorded
    for (let i = 0; i < text.length; i++) m[(truth.labels[i] ? 0 : 2) + (recorded[i] ? 0 : 1)]++;
    return m;
  } finally {
    truth.dispose();
    formatter.dispose();
    follow.dispose();
  }
}

async function confusion(api: AiProvenanceTestApi): Promise<boolean> {
  const fixture = new FixtureCompletions();
  let clean = true;
  try {
    out('Capture confusion table: a scripted session (characters of the final text)');
    out('  mode             AI recorded  AI missed  human recorded  human unrecorded');
    for (const mode of ['editor reasons', 'stable API'] as const) {
      api.testing.capture.useDetailedReasons(mode === 'editor reasons');
      const [aiRec, aiMiss, humanRec, humanOk] = await session(api, fixture, `session-${mode.replace(' ', '-')}.txt`);
      out(`  ${mode.padEnd(15)}  ${String(aiRec).padStart(11)}  ${String(aiMiss).padStart(9)}  ${String(humanRec).padStart(14)}  ${String(humanOk).padStart(16)}`);
      if (aiMiss || humanRec) clean = false;
    }
  } finally {
    api.testing.capture.useDetailedReasons(true);
    fixture.dispose();
  }
  out(`  target: nothing missed, nothing wrongly recorded: ${clean ? 'met' : 'NOT MET'}`);
  return clean;
}

// ---------------------------------------------------------------------------------------------
// 2. Change-listener cost per keystroke

/** The listener's classes: this build's, or those of another checkout's compiled out/ (AIP_BENCH_BASELINE). */
interface ListenerBuild {
  name: string;
  Repositories: typeof Repositories;
  DocumentTracker: typeof DocumentTracker;
  Capture: typeof Capture;
}

const THIS_BUILD: ListenerBuild = { name: 'this build', Repositories, DocumentTracker, Capture };

function baselineBuild(checkout: string): ListenerBuild {
  const load = (rel: string) => require(path.join(path.resolve(checkout), 'out', 'src', 'extension', rel)); // eslint-disable-line @typescript-eslint/no-require-imports
  return {
    name: `baseline ${path.basename(path.resolve(checkout))}`,
    Repositories: load('repositories.js').Repositories,
    DocumentTracker: load('documentTracker.js').DocumentTracker,
    Capture: load('capture/capture.js').Capture,
  };
}

async function listenerCost(build: ListenerBuild = THIS_BUILD): Promise<boolean> {
  const lines = Array.from({ length: 10_000 }, (_, i) => `const value${i} = compute(${i}); // line ${i}`);
  const editor = await openFresh('listener.ts', lines.join('\n') + '\n');
  const doc = editor.document;
  const log = vscode.window.createOutputChannel('AI Provenance bench', { log: true });
  const { Repositories, DocumentTracker, Capture } = build;
  const repos = new Repositories(log);
  const now = () => performance.now();
  let t0 = 0;
  let t1 = 0;
  let t2 = 0;
  let t3 = 0;
  let tA = 0;
  const marks: vscode.Disposable[] = [];
  // Listeners run in the order they were added: [t0] tracker [tA] capture [t1] ... [t2] empty [t3].
  marks.push(vscode.workspace.onDidChangeTextDocument(() => (t0 = now())));
  const tracker = new DocumentTracker(repos, log);
  marks.push(vscode.workspace.onDidChangeTextDocument(() => (tA = now())));
  const capture = new Capture(tracker, log); // the classifiers, as the extension wires them
  marks.push(vscode.workspace.onDidChangeTextDocument(() => (t1 = now())));
  marks.push(vscode.workspace.onDidChangeTextDocument(() => (t2 = now())));
  marks.push(vscode.workspace.onDidChangeTextDocument(() => undefined));
  marks.push(vscode.workspace.onDidChangeTextDocument(() => (t3 = now())));
  try {
    if (!(await tracker.ready(doc))) throw new Error('the benchmark file is not tracked');
    for (let i = 0; i < 1000; i++) {
      const line = i * 10 + 3;
      await tracker.addRegion(doc, { line, character: 6 }, { line, character: 6 + `value${line}`.length }, { source: 'inline', tool: 'bench' });
    }
    const count = tracker.regions(doc.uri)?.length;
    if (count !== 1000) throw new Error(`expected 1,000 regions, have ${count}`);
    const ours: number[] = [];
    const empty: number[] = [];
    const trackerOnly: number[] = [];
    // Typing in the middle of the file on a line with a region, with a newline now and then (which
    // moves every region below).
    const start = new vscode.Position(5003, 0);
    editor.selection = new vscode.Selection(start, start);
    const keys = 'let x = 1;\n'.repeat(100);
    for (const key of keys) {
      await vscode.commands.executeCommand('type', { text: key });
      ours.push(t1 - t0);
      trackerOnly.push(tA - t0);
      empty.push(t3 - t2);
    }
    const p = (s: number[], q: number) => percentile(s.slice(20), q); // skip the warm-up
    const [o50, o99, e50, e99] = [p(ours, 0.5), p(ours, 0.99), p(empty, 0.5), p(empty, 0.99)];
    const enters = ours.filter((_, i) => i >= 20 && keys[i] === '\n');
    const chars = ours.filter((_, i) => i >= 20 && keys[i] !== '\n');
    out();
    out(`Change listener per keystroke, 10,000 lines, 1,000 regions, ${ours.length - 20} keystrokes (ms)${build === THIS_BUILD ? '' : `: ${build.name}`}`);
    out('  listener                         median      p99');
    out(`  extension (tracker + capture)  ${o50.toFixed(4).padStart(8)}  ${o99.toFixed(4).padStart(8)}`);
    out(`  of which the tracker            ${p(trackerOnly, 0.5).toFixed(4).padStart(8)}  ${p(trackerOnly, 0.99).toFixed(4).padStart(8)}`);
    out(`  empty listener                 ${e50.toFixed(4).padStart(8)}  ${e99.toFixed(4).padStart(8)}`);
    out(`  ratio                          ${(o50 / Math.max(e50, 1e-6)).toFixed(1).padStart(8)}  ${(o99 / Math.max(e99, 1e-6)).toFixed(1).padStart(8)}`);
    out(`  extension, characters only     ${percentile(chars, 0.5).toFixed(4).padStart(8)}  ${percentile(chars, 0.99).toFixed(4).padStart(8)}`);
    out(`  extension, Enter only          ${percentile(enters, 0.5).toFixed(4).padStart(8)}  ${percentile(enters, 0.99).toFixed(4).padStart(8)}  (moves the ~500 regions below)`);
    out(`  target: under 0.1 ms at p99: ${o99 < 0.1 ? 'met' : 'NOT MET'}`);
    return o99 < 0.1;
  } finally {
    for (const d of marks) d.dispose();
    await vscode.commands.executeCommand('workbench.action.files.revert');
    capture.dispose();
    tracker.dispose();
    repos.dispose();
    log.dispose();
  }
}

// ---------------------------------------------------------------------------------------------
// 3. Store wake-ups while typing

const STORE_FILES = 2000;
const KEYSTROKES = 300;

function delta(after: StoreActivity, before: StoreActivity): StoreActivity {
  return { fullScans: after.fullScans - before.fullScans, fileScans: after.fileScans - before.fileScans, markerReads: after.markerReads - before.markerReads };
}

/**
 * Round trip of each `type` command, in ms (what a user feels, the listeners and anything they
 * wake included), and the extension host's longest stall meanwhile (a 5 ms timer's lateness).
 */
async function typeTimed(editor: vscode.TextEditor, at: vscode.Position, keys: string): Promise<{ samples: number[]; stall: number; busy: number }> {
  await vscode.window.showTextDocument(editor.document);
  editor.selection = new vscode.Selection(at, at);
  const samples: number[] = [];
  let stall = 0;
  const elu = performance.eventLoopUtilization();
  let last = performance.now();
  const lag = setInterval(() => {
    const now = performance.now();
    stall = Math.max(stall, now - last - 5);
    last = now;
  }, 5);
  try {
    for (const key of keys) {
      const t = performance.now();
      await vscode.commands.executeCommand('type', { text: key });
      samples.push(performance.now() - t);
    }
    await sleep(1500); // past the tracker's save delay, the watcher's debounce and the panel's scan delay
  } finally {
    clearInterval(lag);
  }
  // The extension host's busy time, per keystroke: every listener, and whatever they woke later.
  const busy = performance.eventLoopUtilization(elu).active / keys.length;
  return { samples, stall, busy };
}

async function storeWakeups(api: AiProvenanceTestApi): Promise<void> {
  const repo = await Repository.open(root());
  const author = await repo.author();
  // 2,000 small files, each with one region, written straight into the store as another writer would.
  for (let i = 0; i < STORE_FILES; i++) {
    const rel = `bench/store/f${i}.ts`;
    const text = `export const a${i} = ${i};\nexport const b${i} = ${i * 2};\n`;
    const abs = path.join(root(), rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
    const region = createRegion({ source: 'agent', tool: 'bench', author, ...lineSpan(new LineIndex(text), 1, 1) });
    fs.mkdirSync(path.dirname(repo.store.markerFile(rel)), { recursive: true });
    fs.writeFileSync(repo.store.markerFile(rel), serializeMarkerFile(recordFor(rel, text, [region], 1)));
  }
  const rel = 'bench/typing.ts';
  const text = Array.from({ length: 400 }, (_, i) => `const value${i} = compute(${i});`).join('\n') + '\n';
  fs.writeFileSync(path.join(root(), rel), text);
  const index = new LineIndex(text);
  await repo.updateRegions(rel, () => Array.from({ length: 20 }, (_, k) => createRegion({ source: 'inline', tool: 'bench', author, ...lineSpan(index, k * 20 + 5, k * 20 + 8) })));
  await vscode.commands.executeCommand('aiProvenance.refresh');
  const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(path.join(root(), rel)));
  await api.getRegions(editor.document.uri);
  const untracked = await vscode.workspace.openTextDocument({ content: text, language: 'typescript' });
  const plain = await vscode.window.showTextDocument(untracked);
  await sleep(1500); // let the store settle: whatever the setup woke has run

  const keys = 'let x = 1;\n'.repeat(Math.ceil(KEYSTROKES / 11)).slice(0, KEYSTROKES);
  const { samples: base, stall: baseStall, busy: baseBusy } = await typeTimed(plain, new vscode.Position(2, 0), keys);
  const before = api.testing.review.storeActivity();
  // Above every region: each Enter moves all 20.
  const { samples: ours, stall, busy } = await typeTimed(editor, new vscode.Position(2, 0), keys);
  const typing = delta(api.testing.review.storeActivity(), before);
  const beforeSave = api.testing.review.storeActivity();
  await editor.document.save();
  await sleep(1500);
  const saving = delta(api.testing.review.storeActivity(), beforeSave);
  // Another writer (the CLI, an agent hook) changes one closed file.
  const beforeForeign = api.testing.review.storeActivity();
  const other = 'bench/store/f7.ts';
  await repo.updateRegions(other, (regions) => regions.map((r) => ({ ...r, tool: 'other' })));
  await sleep(1500);
  const foreign = delta(api.testing.review.storeActivity(), beforeForeign);

  const p = (s: number[], q: number) => percentile(s.slice(20), q);
  out();
  out(`Store wake-ups: a store of ${STORE_FILES} marker files, ${keys.length} keystrokes in a 400-line file with 20 regions`);
  out('  what                            full rescans  per-file updates  marker files read');
  const row = (name: string, a: StoreActivity) => out(`  ${name.padEnd(30)}  ${String(a.fullScans).padStart(12)}  ${String(a.fileScans).padStart(16)}  ${String(a.markerReads).padStart(17)}`);
  row(`typing (${keys.length} keys, then 1.5 s)`, typing);
  row('one save', saving);
  row('another writer changes 1 file', foreign);
  out(`  target: no full rescans while typing: ${typing.fullScans === 0 ? 'met' : 'NOT MET'}`);
  out('  keystroke round trip (ms)        median      p99');
  out(`  tracked file, 2,000-file store  ${p(ours, 0.5).toFixed(3).padStart(8)}  ${p(ours, 0.99).toFixed(3).padStart(8)}`);
  out(`  untracked document (baseline)   ${p(base, 0.5).toFixed(3).padStart(8)}  ${p(base, 0.99).toFixed(3).padStart(8)}`);
  out(`  ratio                           ${(p(ours, 0.5) / p(base, 0.5)).toFixed(2).padStart(8)}  ${(p(ours, 0.99) / p(base, 0.99)).toFixed(2).padStart(8)}`);
  out(`  extension-host busy time per keystroke (the 1.5 s after typing included): ${busy.toFixed(3)} ms; untracked document ${baseBusy.toFixed(3)} ms; ratio ${(busy / baseBusy).toFixed(2)}`);
  out(`  longest extension-host stall while typing: ${stall.toFixed(1)} ms (untracked document: ${baseStall.toFixed(1)} ms)`);
  await vscode.commands.executeCommand('workbench.action.files.revert');
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** The extensionTests entry point: resolves when both benchmarks ran (targets are reported, not enforced). */
export async function run(): Promise<void> {
  const ext = vscode.extensions.getExtension<AiProvenanceTestApi>('aiprovenance.ai-provenance');
  if (!ext) throw new Error('the extension is not loaded');
  const api = await ext.activate();
  if (!api.testing) throw new Error('activate() returned no test internals: VS Code must run the extension for tests');
  const only = process.env.AIP_BENCH_ONLY;
  if (!only || only === 'confusion') await confusion(api);
  if (!only || only === 'listener') await listenerCost();
  const baseline = process.env.AIP_BENCH_BASELINE;
  if (baseline && (!only || only === 'listener')) {
    out();
    out(`In turn with ${baseline}'s tracker and capture, in this extension host:`);
    for (const build of [baselineBuild(baseline), THIS_BUILD, baselineBuild(baseline), THIS_BUILD, baselineBuild(baseline), THIS_BUILD]) await listenerCost(build);
  }
  if (!only || only === 'store') await storeWakeups(api);
}
