/**
 * Marking by hand: code pasted from a chat in a browser is AI text the editor cannot see coming;
 * a wrong guess is human text. Both act on the active editor's selections (an empty selection
 * means its whole line).
 */
import * as vscode from 'vscode';
import { toPosition } from './convert';
import { Disposable } from './disposable';
import { DocumentTracker } from './documentTracker';
import { Log } from './log';

export class SelectionCommands extends Disposable {
  constructor(private readonly tracker: DocumentTracker, private readonly log: Log) {
    super();
    this.register(vscode.commands.registerCommand('aiProvenance.markSelectionAsAI', () => this.run('AI')));
    this.register(vscode.commands.registerCommand('aiProvenance.markSelectionAsHuman', () => this.run('human')));
  }

  private async run(as: 'AI' | 'human'): Promise<void> {
    try {
      const editor = vscode.window.activeTextEditor;
      if (!editor) {
        void vscode.window.showInformationMessage(vscode.l10n.t('AI Provenance: open a file and select the text to mark as {0}.', as));
        return;
      }
      const doc = editor.document;
      if (!(await this.tracker.ready(doc))) {
        void vscode.window.showWarningMessage(vscode.l10n.t('AI Provenance: {0} is not tracked (it is not a text file inside a git repository).', vscode.workspace.asRelativePath(doc.uri)));
        return;
      }
      // Later spans first, so marking one never moves the next.
      const spans = editor.selections.map((s) => (s.isEmpty ? doc.lineAt(s.active.line).rangeIncludingLineBreak : new vscode.Range(s.start, s.end)));
      for (const r of spans.sort((a, b) => b.start.compareTo(a.start))) {
        if (r.isEmpty) continue;
        if (as === 'AI') await this.tracker.addRegion(doc, toPosition(r.start), toPosition(r.end), { source: 'manual', tool: null });
        else await this.tracker.removeSpan(doc, toPosition(r.start), toPosition(r.end));
      }
    } catch (e) {
      this.log.error(`Cannot mark the selection as ${as}`, e);
      void vscode.window.showErrorMessage(vscode.l10n.t('AI Provenance: cannot mark the selection as {0}: {1}', as, e instanceof Error ? e.message : String(e)), vscode.l10n.t('Show Log')).then((pick) => {
        if (pick) this.log.show();
      });
    }
  }
}
