/**
 * Knows when the user pastes. VS Code asks every DocumentPasteEditProvider about each paste
 * before it applies it; ours answers nothing (the editor's own paste goes ahead unchanged) and
 * remembers that the next edit of that document is a paste, so no capture window or chat session
 * can claim it.
 */
import * as vscode from 'vscode';
import { Disposable } from '../disposable';

/** A paste is applied right after the providers answer; past this it was cancelled. */
const PASTE_TTL_MS = 2000;

export class PasteWatcher extends Disposable {
  private readonly pending = new Map<string, { at: number; event?: vscode.TextDocumentChangeEvent }>();

  constructor() {
    super();
    const kind = vscode.DocumentDropOrPasteEditKind.Empty.append('aiProvenance', 'observe');
    this.register(
      vscode.languages.registerDocumentPasteEditProvider(
        [{ scheme: 'file' }, { scheme: 'untitled' }],
        { provideDocumentPasteEdits: (document) => this.onPaste(document) },
        { providedPasteEditKinds: [kind], pasteMimeTypes: ['text/plain'] },
      ),
    );
    // Asked about every edit, so a paste nobody else asked about cannot be mistaken for a later edit.
    this.register(vscode.workspace.onDidChangeTextDocument((e) => void this.isPaste(e)));
  }

  private onPaste(document: vscode.TextDocument): undefined {
    this.pending.set(document.uri.toString(), { at: Date.now() });
    return undefined;
  }

  /**
   * Whether this change event is a paste: the first change of the document after a paste was
   * announced. Every listener of that one event gets the same answer; the claim ends once the
   * event's dispatch is over.
   */
  isPaste(e: vscode.TextDocumentChangeEvent): boolean {
    if (this.pending.size === 0) return false;
    const key = e.document.uri.toString();
    const p = this.pending.get(key);
    if (!p) return false;
    if (p.event === e) return true;
    if (p.event === undefined && e.contentChanges.length > 0 && Date.now() - p.at < PASTE_TTL_MS) {
      p.event = e;
      setTimeout(() => {
        if (this.pending.get(key) === p) this.pending.delete(key);
      }, 0);
      return true;
    }
    this.pending.delete(key);
    return false;
  }
}
