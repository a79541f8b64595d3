/**
 * Inline completions and next-edit suggestions. The stable API does not say that an edit is an
 * accepted suggestion, so we register our own command over each accept command (the newest
 * registration of an id wins for keybindings, menus and the palette). Ours opens a capture window
 * on the active document, runs the editor's original command, and keeps the window open a moment
 * longer for the completion's follow-up command. Every change of that document inside the window
 * (the completion, its additionalTextEdits elsewhere in the file, the follow-up's edits) is AI,
 * unless the never-marked rules say otherwise.
 *
 * Running the original means stepping aside: our registration is disposed while the editor's own
 * command runs (a command of the same id, called from the extension host, would call us again)
 * and restored afterwards. If anything fails the editor's command is what is left registered, so
 * Tab keeps working; at worst one accept goes unrecorded.
 */
import * as vscode from 'vscode';
import { Source } from '../../core/regions';
import { CaptureConfig } from '../config';
import { Disposable } from '../disposable';
import { Attribution } from '../documentTracker';
import { Log } from '../log';
import { HumanEdits } from './humanEdits';
import { guessInlineTool, verdictOf } from './reasons';

/** How an accept command's edits are recorded; 'auto' tells a completion from a next-edit suggestion by where it lands. */
interface AcceptCommand {
  id: string;
  source: Source | 'auto';
  tool?: string;
}

/** Every accept command of VS Code (current and recent builds) and of Cursor; only those that exist are taken over. */
export const ACCEPT_COMMANDS: readonly AcceptCommand[] = [
  { id: 'editor.action.inlineSuggest.commit', source: 'auto' },
  { id: 'editor.action.inlineSuggest.acceptNextWord', source: 'inline-partial' },
  { id: 'editor.action.inlineSuggest.acceptNextLine', source: 'inline-partial' },
  { id: 'editor.action.inlineSuggest.commitAlternativeAction', source: 'next-edit' },
  { id: 'editor.action.inlineSuggest.acceptAlternativeAction', source: 'next-edit' },
  { id: 'editor.action.inlineEdit.accept', source: 'next-edit' },
  { id: 'editor.action.inlineEdits.accept', source: 'next-edit' },
  { id: 'editor.action.accessibleViewAcceptInlineCompletion', source: 'auto' },
  { id: 'editor.action.acceptCursorTabSuggestion', source: 'auto', tool: 'cursor' },
];

/**
 * After the editor's command returns, its follow-up command may still edit. The window stays open
 * this long, and closes earlier when the user types, pastes, saves or moves the cursor. The
 * follow-up runs at once, but its edit reaches us through the extension host's queue: on a busy
 * machine 0.2 s was seen to miss it, so the window allows for that.
 */
const FOLLOW_UP_MS = 500;

interface CaptureWindow {
  readonly key: string;
  readonly command: AcceptCommand;
  /** The cursor when the accept started: a completion lands there, a next-edit suggestion elsewhere. */
  readonly cursor: vscode.Position | undefined;
  readonly tool: string | null;
  source?: Source;
  phase: 'running' | 'followUp';
  timer?: NodeJS.Timeout;
  /** The document's text before the window's latest edit, to tell what an edit restates. */
  text: string;
}

export class InlineAcceptCapture extends Disposable {
  private readonly windows = new Map<string, CaptureWindow>();
  private readonly overrides = new Map<string, vscode.Disposable>();
  private available: AcceptCommand[] = [];
  private started = false;
  /** Tab is taken over only while a git repository is open in the window: elsewhere nothing is recorded. */
  private hasRepository = false;

  constructor(private readonly human: HumanEdits, private readonly log: Log, private config: CaptureConfig) {
    super();
    this.register(human.onDidUserMoveCursor((e) => this.closeFor(e.textEditor.document)));
    // Cursor's accept command comes from a built-in extension that may register after us.
    this.register(vscode.extensions.onDidChange(() => void this.refresh()));
    this.register(new vscode.Disposable(() => this.removeOverrides()));
  }

  /** Takes over the accept commands that exist in this editor (when inline capture is on). */
  async start(): Promise<void> {
    this.started = true;
    await this.refresh();
  }

  /** Applies new settings: with both inline sources off, Tab goes straight to the editor again. */
  setConfig(config: CaptureConfig): void {
    this.config = config;
    void this.refresh();
  }

  setHasRepository(on: boolean): void {
    this.hasRepository = on;
    void this.refresh();
  }

  /** The ids currently taken over (for tests and the log). */
  get interceptedCommands(): string[] {
    return [...this.overrides.keys()];
  }

  /** Whether an accept window is open on the document (another source must not claim its edits). */
  isCapturing(document: vscode.TextDocument): boolean {
    return this.windows.has(document.uri.toString());
  }

  /** The DocumentTracker classifier: the changes of an event that an accept put there. */
  classify(e: vscode.TextDocumentChangeEvent): Attribution[] {
    const verdict = verdictOf(e);
    if (verdict?.kind === 'ai') {
      // The editor tagged the edit itself (proposed API): believe it, window or not.
      if (verdict.source === 'chat' || !this.enabled(verdict.source)) return [];
      const open = this.windows.get(e.document.uri.toString());
      if (open) open.source ??= verdict.source;
      const restated = open && restatedBy(open, e);
      return e.contentChanges.map((_, change) => ({ change, init: { source: verdict.source, tool: verdict.tool }, restated }));
    }
    if (this.windows.size === 0) return [];
    const w = this.windows.get(e.document.uri.toString());
    if (!w) return [];
    const restated = restatedBy(w, e);
    // While the editor's command runs, only the certain signals count (a one-character completion
    // looks like typing). Afterwards a follow-up command edits away from the cursor (an import, a
    // bracket elsewhere): anything at a cursor is the user typing or pasting, and ends the window.
    const why = this.human.whyHuman(e, { typing: w.phase === 'followUp' }) ?? (w.phase === 'followUp' && atCursor(e) ? 'at the cursor' : undefined);
    // A completion that is a snippet is inserted by the snippet engine, and tagged so.
    if (why && !(why === 'snippet' && w.phase === 'running')) {
      if (w.phase === 'followUp') this.close(w);
      return [];
    }
    w.source ??= this.sourceOf(w, e);
    if (!this.enabled(w.source)) return [];
    const init = { source: w.source, tool: w.tool };
    return e.contentChanges.map((_, change) => ({ change, init, restated }));
  }

  private sourceOf(w: CaptureWindow, e: vscode.TextDocumentChangeEvent): Source {
    if (w.command.source !== 'auto') return w.command.source;
    const at = w.cursor;
    const atCursor = at !== undefined && e.contentChanges.some((c) => c.range.contains(at));
    return atCursor ? 'inline' : 'next-edit';
  }

  private enabled(source: Source): boolean {
    if (source === 'next-edit') return this.config.nextEditSuggestions;
    if (source === 'inline' || source === 'inline-partial') return this.config.inlineCompletions;
    return true;
  }

  private async refresh(): Promise<void> {
    if (!this.started || this.isDisposed) return;
    if (!this.wanted()) {
      this.removeOverrides();
      return;
    }
    try {
      const existing = new Set(await vscode.commands.getCommands(true));
      this.available = ACCEPT_COMMANDS.filter((c) => existing.has(c.id));
    } catch (e) {
      this.log.error('Cannot list the editor commands; inline completions are not recorded', e);
      return;
    }
    for (const c of this.available) this.addOverride(c);
  }

  private addOverride(command: AcceptCommand): void {
    if (this.isDisposed || this.overrides.has(command.id) || !this.wanted()) return;
    try {
      this.overrides.set(command.id, vscode.commands.registerCommand(command.id, (...args: unknown[]) => this.accept(command, args)));
    } catch (e) {
      // Someone else holds the id in this extension host; the editor's command still works.
      this.log.warn(`Cannot take over ${command.id}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private wanted(): boolean {
    return this.hasRepository && (this.config.inlineCompletions || this.config.nextEditSuggestions);
  }

  private removeOverrides(): void {
    for (const d of this.overrides.values()) d.dispose();
    this.overrides.clear();
  }

  private async accept(command: AcceptCommand, args: unknown[]): Promise<unknown> {
    let w: CaptureWindow | undefined;
    try {
      w = this.open(command);
    } catch (e) {
      this.log.error(`Cannot record ${command.id}`, e);
    }
    try {
      return await this.runOriginal(command, args);
    } finally {
      if (w) this.followUp(w);
    }
  }

  private open(command: AcceptCommand): CaptureWindow | undefined {
    const editor = vscode.window.activeTextEditor;
    if (!editor) return undefined;
    const key = editor.document.uri.toString();
    const previous = this.windows.get(key);
    if (previous) this.close(previous);
    // One copy of the text per accept (not per keystroke): what the completion's edit replaces.
    const w: CaptureWindow = { key, command, cursor: editor.selection.active, tool: command.tool ?? guessInlineTool(), phase: 'running', text: editor.document.getText() };
    this.windows.set(key, w);
    return w;
  }

  /** Runs the editor's own command: step aside, call it, step back in. */
  private async runOriginal(command: AcceptCommand, args: unknown[]): Promise<unknown> {
    const own = this.overrides.get(command.id);
    if (own) {
      this.overrides.delete(command.id);
      own.dispose();
    }
    try {
      return await vscode.commands.executeCommand(command.id, ...args);
    } finally {
      if (this.available.includes(command)) this.addOverride(command);
    }
  }

  private followUp(w: CaptureWindow): void {
    if (this.windows.get(w.key) !== w) return;
    w.phase = 'followUp';
    w.timer = setTimeout(() => this.close(w), FOLLOW_UP_MS);
  }

  private closeFor(document: vscode.TextDocument): void {
    const w = this.windows.get(document.uri.toString());
    if (w && w.phase === 'followUp') this.close(w);
  }

  private close(w: CaptureWindow): void {
    if (w.timer) clearTimeout(w.timer);
    if (this.windows.get(w.key) === w) this.windows.delete(w.key);
  }

  override dispose(): void {
    for (const w of this.windows.values()) if (w.timer) clearTimeout(w.timer);
    this.windows.clear();
    super.dispose();
  }
}

/** Whether some change of the event touches a cursor or selection of an editor showing the document. */
function atCursor(e: vscode.TextDocumentChangeEvent): boolean {
  const editors = vscode.window.visibleTextEditors.filter((ed) => ed.document === e.document);
  return e.contentChanges.some((c) => editors.some((ed) => ed.selections.some((s) => !(s.end.isBefore(c.range.start) || s.start.isAfter(c.range.end)))));
}

/**
 * What an edit in the window restates of the text it replaced. A completion accepted before the
 * editor caught up with the user's typing replaces the typed prefix with the whole word ("ret" by
 * "return 1;"), where it would otherwise insert only the rest: the restated characters are the
 * user's. Judged for an event of one change, whose offsets certainly refer to the text before it.
 */
function restatedBy(w: CaptureWindow, e: vscode.TextDocumentChangeEvent): { prefix: number; suffix: number } | undefined {
  const before = w.text;
  w.text = e.document.getText();
  if (e.contentChanges.length !== 1) return undefined;
  const c = e.contentChanges[0];
  const old = before.slice(c.rangeOffset, c.rangeOffset + c.rangeLength);
  if (old.length !== c.rangeLength || old.length === 0) return undefined;
  let prefix = 0;
  while (prefix < old.length && prefix < c.text.length && old[prefix] === c.text[prefix]) prefix++;
  let suffix = 0;
  while (suffix < old.length - prefix && suffix < c.text.length - prefix && old[old.length - 1 - suffix] === c.text[c.text.length - 1 - suffix]) suffix++;
  return prefix || suffix ? { prefix, suffix } : undefined;
}
