/**
 * The never-marked rules. Nothing is AI unless a capture source claims it, so these rules matter
 * where a source might wrongly claim an edit: inside an inline-accept window, while a chat editing
 * session holds a file. An edit is human when:
 *  - the editor says so (undo, redo, or a proposed detailed reason other than an AI accept/apply);
 *  - it is a paste (PasteWatcher);
 *  - it happens between onWillSaveTextDocument and the save (format on save, save participants);
 *  - it looks typed: every change sits at a cursor of an editor showing the document and is a
 *    keystroke's worth (a character, an auto-closed pair, an IME replacement, Enter with its
 *    indentation, a backspace), which also covers multi-cursor typing.
 */
import * as vscode from 'vscode';
import { Disposable } from '../disposable';
import { PasteWatcher } from './paste';
import { verdictOf } from './reasons';

/** Save participants (format on save, code actions on save) run within this after onWillSave. */
const SAVE_WINDOW_MS = 5000;
// Read once: a read through the API object costs microseconds, and the cursor moves on every keystroke.
const { Keyboard: KEYBOARD, Mouse: MOUSE } = vscode.TextEditorSelectionChangeKind;

export class HumanEdits extends Disposable {
  private readonly saving = new Map<string, number>();
  private readonly handled = this.register(new vscode.EventEmitter<vscode.TextEditorSelectionChangeEvent>());
  /** The user moved a cursor by keyboard or mouse: whatever an accept started is over. */
  readonly onDidUserMoveCursor = this.handled.event;

  constructor(readonly paste: PasteWatcher) {
    super();
    this.register(vscode.workspace.onWillSaveTextDocument((e) => this.saving.set(e.document.uri.toString(), Date.now())));
    this.register(vscode.workspace.onDidSaveTextDocument((d) => this.saving.delete(d.uri.toString())));
    this.register(
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (e.kind === KEYBOARD || e.kind === MOUSE) this.handled.fire(e);
      }),
    );
  }

  /** Why an edit event is certainly human, or undefined when these rules cannot tell. */
  whyHuman(e: vscode.TextDocumentChangeEvent, { typing = true } = {}): string | undefined {
    const verdict = verdictOf(e);
    if (verdict?.kind === 'human') return verdict.why;
    if (verdict?.kind === 'ai') return undefined;
    if (this.paste.isPaste(e)) return 'paste';
    if (this.isSaving(e.document)) return 'save';
    if (typing && looksTyped(e)) return 'typing';
    return undefined;
  }

  private isSaving(document: vscode.TextDocument): boolean {
    if (this.saving.size === 0) return false;
    const at = this.saving.get(document.uri.toString());
    return at !== undefined && Date.now() - at < SAVE_WINDOW_MS;
  }
}

/**
 * A keystroke's worth of text: a character or two (auto-closed pairs, IME), Enter with its
 * indentation, or a deletion (backspace, delete, typing over a selection).
 */
function isKeystroke(c: vscode.TextDocumentContentChangeEvent): boolean {
  return c.text.length <= 2 || /^\r?\n[ \t]*$/.test(c.text);
}

/**
 * Whether every change of the event is a keystroke at a cursor of an editor showing the document.
 * The selections the extension host holds may be those from just before or just after the edit
 * (they travel in a separate message), so either end of the change counts as "at the cursor".
 */
export function looksTyped(e: vscode.TextDocumentChangeEvent): boolean {
  if (e.contentChanges.length === 0) return false;
  const editors = vscode.window.visibleTextEditors.filter((ed) => ed.document === e.document);
  if (editors.length === 0) return false;
  return e.contentChanges.every(
    (c) => isKeystroke(c) && editors.some((ed) => ed.selections.some((s) => touches(s, c.range) || s.active.isEqual(endOf(c)))),
  );
}

function touches(s: vscode.Selection, r: vscode.Range): boolean {
  return !(s.end.isBefore(r.start) || s.start.isAfter(r.end));
}

function endOf(c: vscode.TextDocumentContentChangeEvent): vscode.Position {
  const lines = c.text.split('\n');
  return lines.length === 1
    ? c.range.start.translate(0, c.text.length)
    : new vscode.Position(c.range.start.line + lines.length - 1, lines[lines.length - 1].length);
}
