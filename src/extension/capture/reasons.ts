/**
 * What an edit event itself says about where it came from. The stable API tells undo and redo
 * apart and nothing else; the proposed `textDocumentChangeReason` API adds `detailedReason`, the
 * editor's own tag for every edit (typing, paste, inline-completion accept with the provider's
 * extension id, chat apply, format, snippet, rename, reload from disk…). We read it when an editor
 * hands it to us (Insiders with the proposal enabled) and never depend on it.
 */
import * as vscode from 'vscode';
import { Source } from '../../core/regions';

/** The verdict of one edit event: AI (with what we know of it), human, or "cannot tell". */
export type Verdict =
  | { kind: 'ai'; source: Source; tool: string | null; model?: string; session?: string }
  | { kind: 'human'; why: string }
  | undefined;

interface DetailedReason {
  source: string;
  metadata: Record<string, unknown>;
}

/** Whether detailed reasons are read at all (tests of the stable-API path turn them off). */
let useDetailedReasons = true;

export function setUseDetailedReasons(on: boolean): void {
  useDetailedReasons = on;
}

/** The proposed `detailedReason` of an event, if this editor supplies one. */
export function detailedReason(e: vscode.TextDocumentChangeEvent): DetailedReason | undefined {
  if (!useDetailedReasons) return undefined;
  const raw = (e as { detailedReason?: unknown }).detailedReason;
  if (!raw || typeof raw !== 'object') return undefined;
  const { source, metadata } = raw as { source?: unknown; metadata?: unknown };
  if (typeof source !== 'string') return undefined;
  return { source, metadata: metadata && typeof metadata === 'object' ? (metadata as Record<string, unknown>) : {} };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

// Read once: every read through the API object costs microseconds, and this runs on every keystroke.
const { Undo: UNDO, Redo: REDO } = vscode.TextDocumentChangeReason;

/** The last event asked about: every capture source asks about each edit, and edits come one at a time. */
let last: { e: vscode.TextDocumentChangeEvent; detailed: boolean; verdict: Verdict } | undefined;

/**
 * What the event says about itself: undo and redo are always human (the tracker restores regions
 * an undo took away); a detailed reason, when present, settles the question either way.
 */
export function verdictOf(e: vscode.TextDocumentChangeEvent): Verdict {
  if (last?.e !== e || last.detailed !== useDetailedReasons) last = { e, detailed: useDetailedReasons, verdict: judge(e) };
  return last.verdict;
}

function judge(e: vscode.TextDocumentChangeEvent): Verdict {
  if (e.reason === UNDO) return { kind: 'human', why: 'undo' };
  if (e.reason === REDO) return { kind: 'human', why: 'redo' };
  const d = detailedReason(e);
  if (!d) return undefined;
  const m = d.metadata;
  const nes = m.$nes === true;
  switch (d.source) {
    case 'inlineCompletionAccept':
      return { kind: 'ai', source: nes ? 'next-edit' : 'inline', tool: toolForExtension(str(m.$extensionId)) };
    case 'inlineCompletionPartialAccept':
      return { kind: 'ai', source: nes ? 'next-edit' : 'inline-partial', tool: toolForExtension(str(m.$extensionId)) };
    case 'Chat.applyEdits':
    case 'inlineChat.applyEdits':
      return {
        kind: 'ai',
        source: 'chat',
        tool: toolForExtension(str(m.$extensionId)) ?? (m.$origin === 'agentHost' ? str(m.$harness) ?? null : null),
        ...(str(m.$modelId) ? { model: str(m.$modelId)!.replaceAll('|', '/') } : {}),
        ...(str(m.$$sessionId) ? { session: str(m.$$sessionId) } : {}),
      };
    case 'unknown':
      // Edits made through the extension API (a follow-up command, an agent's workspace edit) are
      // "unknown" too: only the formatter's are certainly human.
      return m.name === 'formatEditsCommand' ? { kind: 'human', why: 'format' } : undefined;
    case 'applyEdits':
      return undefined;
    default:
      // Typing and paste ("cursor"), snippet, suggest, rename, code action, reload from disk, chat undo…
      return { kind: 'human', why: d.source === 'cursor' && typeof m.kind === 'string' ? m.kind : d.source };
  }
}



/** Extension ids of the AI tools people use, to the short tool names the CLI and views show. */
const TOOLS: Record<string, string> = {
  'github.copilot': 'copilot',
  'github.copilot-chat': 'copilot',
  'anysphere.cursor-always-local': 'cursor',
  'anysphere.cursor-tab': 'cursor',
  'codeium.codeium': 'windsurf',
  'codeium.windsurfpyright': 'windsurf',
  'tabnine.tabnine-vscode': 'tabnine',
  'continue.continue': 'continue',
  'supermaven.supermaven': 'supermaven',
  'amazonwebservices.amazon-q-vscode': 'amazon-q',
  'google.geminicodeassist': 'gemini',
  'anthropic.claude-code': 'claude-code',
  'openai.chatgpt': 'codex',
  'sourcegraph.cody-ai': 'cody',
};

/** The tool name for a provider's extension id: a known short name, else the id itself. */
export function toolForExtension(id: string | undefined): string | null {
  if (!id) return null;
  return TOOLS[id.toLowerCase()] ?? id.toLowerCase();
}

/**
 * Without the proposed API an accept does not say which extension provided the completion. When
 * exactly one known completion provider is active (the usual case), it is the one; in Cursor the
 * editor itself is. Otherwise the tool stays unknown rather than guessed.
 */
export function guessInlineTool(): string | null {
  if (/cursor/i.test(vscode.env.appName)) return 'cursor';
  const active = new Set<string>();
  for (const ext of vscode.extensions.all) {
    const tool = TOOLS[ext.id.toLowerCase()];
    if (tool && ext.isActive && tool !== 'claude-code' && tool !== 'codex') active.add(tool);
  }
  return active.size === 1 ? [...active][0] : null;
}
