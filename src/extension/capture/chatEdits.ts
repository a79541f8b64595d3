/**
 * Chat and agent edits made inside VS Code (Copilot chat apply, agent mode, inline chat). They
 * change the real documents with ordinary change events, often on documents that are not the
 * active editor, and with no reason. What gives them away is the chat editing session: for every
 * file it edits, VS Code opens a model of the file's original text under the scheme
 * `chat-editing-text-model` (same path, the session in its query) and keeps it open until the
 * user keeps or undoes the edits. Edits to a file while such a model is open are the session's,
 * unless the never-marked rules say the user made them (typing, paste, save, undo), or they put
 * the file back to its original text (the user rejected the edits).
 *
 * An edit to a document that is not the active editor, with no reason and no chat session, is
 * not claimed: renames, code actions, search-and-replace and format-on-save-all look the same.
 * Where the proposed `detailedReason` is present it decides instead.
 */
import * as vscode from 'vscode';
import { CaptureConfig } from '../config';
import { Disposable } from '../disposable';
import { Attribution } from '../documentTracker';
import { HumanEdits } from './humanEdits';
import { toolForExtension, verdictOf } from './reasons';

export const CHAT_EDITING_SCHEMES: readonly string[] = ['chat-editing-text-model', 'chat-editing-snapshot-text-model'];

interface Session {
  /** The model holding the file's text from before the session edited it. */
  original: vscode.TextDocument;
  session?: string;
}

export class ChatEditCapture extends Disposable {
  /** Open chat-editing originals by the path of the file they belong to. */
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly human: HumanEdits,
    private config: CaptureConfig,
    /** Whether another source (an inline accept window) owns the document's edits right now. */
    private readonly busyElsewhere: (document: vscode.TextDocument) => boolean,
  ) {
    super();
    this.register(vscode.workspace.onDidOpenTextDocument((d) => this.opened(d)));
    this.register(vscode.workspace.onDidCloseTextDocument((d) => this.closed(d)));
    for (const d of vscode.workspace.textDocuments) this.opened(d);
  }

  setConfig(config: CaptureConfig): void {
    this.config = config;
  }

  /** The DocumentTracker classifier. */
  classify(e: vscode.TextDocumentChangeEvent): Attribution[] {
    if (!this.config.chatEdits || e.contentChanges.length === 0) return [];
    const verdict = verdictOf(e);
    if (verdict) {
      if (verdict.kind !== 'ai' || verdict.source !== 'chat') return [];
      const init = { source: verdict.source, tool: verdict.tool ?? chatTool(), ...(verdict.model ? { model: verdict.model } : {}), ...(verdict.session ? { session: verdict.session } : {}) };
      return e.contentChanges.map((_, change) => ({ change, init }));
    }
    if (this.sessions.size === 0 || e.document.uri.scheme !== 'file') return [];
    const s = this.sessions.get(e.document.uri.path);
    if (!s || s.original.isClosed || this.busyElsewhere(e.document)) return [];
    if (this.human.whyHuman(e)) return [];
    // Undo/reject in the chat view writes the original text back: that text is the user's.
    if (e.document.getText() === s.original.getText()) return [];
    const init = { source: 'chat' as const, tool: chatTool(), ...(s.session ? { session: s.session } : {}) };
    return e.contentChanges.map((_, change) => ({ change, init }));
  }

  private opened(d: vscode.TextDocument): void {
    if (!CHAT_EDITING_SCHEMES.includes(d.uri.scheme)) return;
    // Snapshots of earlier checkpoints also use the file's path; the live original wins.
    if (d.uri.scheme !== 'chat-editing-text-model' && this.sessions.has(d.uri.path)) return;
    this.sessions.set(d.uri.path, { original: d, session: sessionOf(d.uri) });
  }

  private closed(d: vscode.TextDocument): void {
    if (this.sessions.get(d.uri.path)?.original === d) this.sessions.delete(d.uri.path);
  }
}

/** The chat session id from a chat-editing URI's query, when it can be read. */
function sessionOf(uri: vscode.Uri): string | undefined {
  try {
    const q = JSON.parse(uri.query) as { chatSessionResource?: unknown; session?: unknown };
    const raw = q.chatSessionResource ?? q.session;
    if (typeof raw === 'string') return lastSegment(raw);
    if (raw && typeof raw === 'object' && typeof (raw as { path?: unknown }).path === 'string') return lastSegment((raw as { path: string }).path);
  } catch {
    // Not JSON: an older or newer VS Code; the session stays unknown.
  }
  return undefined;
}

function lastSegment(s: string): string | undefined {
  return s.split('/').filter(Boolean).pop();
}

/** Chat inside VS Code is Copilot's unless another chat extension is the only one active. */
function chatTool(): string | null {
  const chat = vscode.extensions.all.filter((x) => x.isActive && /copilot-chat|claude-code|chatgpt|continue|cody|geminicodeassist/i.test(x.id));
  return chat.length === 1 ? toolForExtension(chat[0].id) : null;
}
