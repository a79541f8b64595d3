/** The edge between the editor's types and core/'s plain positions. */
import * as vscode from 'vscode';
import { Region } from '../core/regions';
import { TextChange } from '../core/shift';
import { Position } from '../core/text';

export function toPosition(p: vscode.Position): Position {
  return { line: p.line, character: p.character };
}

export function toVsPosition(p: Position): vscode.Position {
  return new vscode.Position(p.line, p.character);
}

export function toVsRange(r: { start: Position; end: Position }): vscode.Range {
  return new vscode.Range(toVsPosition(r.start), toVsPosition(r.end));
}

export function toChanges(changes: readonly vscode.TextDocumentContentChangeEvent[]): TextChange[] {
  if (changes.length === 1) return [toChange(changes[0])]; // a keystroke
  // Every change of one event refers to the document before the event; applied from the bottom
  // up, each one leaves the positions of the ones still to come untouched.
  return [...changes]
    .sort((a, b) => b.range.start.compareTo(a.range.start))
    .map(toChange);
}

function toChange(c: vscode.TextDocumentContentChangeEvent): TextChange {
  return { start: toPosition(c.range.start), end: toPosition(c.range.end), text: c.text };
}

/** A region as plain data, for the API that tests and other extensions use. */
export interface RegionInfo {
  id: string;
  start: Position;
  end: Position;
  source: Region['source'];
  tool: string | null;
  model?: string;
  session?: string;
  createdAt: string;
  author: string;
  reviewed: boolean;
  review: Region['review'];
}

export function toInfo(r: Region): RegionInfo {
  return {
    id: r.id,
    start: { ...r.start },
    end: { ...r.end },
    source: r.source,
    tool: r.tool,
    ...(r.model ? { model: r.model } : {}),
    ...(r.session ? { session: r.session } : {}),
    createdAt: r.createdAt,
    author: r.author,
    reviewed: r.review !== null,
    review: r.review ? { ...r.review } : null,
  };
}
