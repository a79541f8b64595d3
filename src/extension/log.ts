import * as vscode from 'vscode';

/** The extension's one output channel. Pass errors themselves so the channel keeps their stacks. */
export type Log = vscode.LogOutputChannel;

export function createLog(): Log {
  return vscode.window.createOutputChannel('AI Provenance', { log: true });
}
