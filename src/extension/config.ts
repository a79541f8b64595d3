/**
 * Typed settings, one reader per area. A change to one area's settings notifies only that area,
 * so (for example) toggling the reviewed-line icons redraws decorations and nothing else.
 */
import * as vscode from 'vscode';

export interface CaptureConfig {
  inlineCompletions: boolean;
  nextEditSuggestions: boolean;
  chatEdits: boolean;
}

export interface GutterConfig {
  enabled: boolean;
  showReviewed: boolean;
}

export interface ReviewConfig {
  statusBar: boolean;
  offerHookInstall: boolean;
}

export function readCaptureConfig(): CaptureConfig {
  const c = vscode.workspace.getConfiguration('aiProvenance.capture');
  return {
    inlineCompletions: c.get('inlineCompletions', true),
    nextEditSuggestions: c.get('nextEditSuggestions', true),
    chatEdits: c.get('chatEdits', true),
  };
}

export function readGutterConfig(): GutterConfig {
  const c = vscode.workspace.getConfiguration('aiProvenance.gutter');
  return { enabled: c.get('enabled', true), showReviewed: c.get('showReviewed', false) };
}

export function readReviewConfig(): ReviewConfig {
  const c = vscode.workspace.getConfiguration('aiProvenance');
  return { statusBar: c.get('statusBar.enabled', true), offerHookInstall: c.get('hook.offerInstall', true) };
}

/** Calls `listener` only when a setting under `section` (e.g. "aiProvenance.gutter") changes. */
export function onDidChangeSection(section: string, listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(section)) listener();
  });
}
