/**
 * Whether the window holds a git repository: a workspace folder inside one, or an open file inside
 * one. Inline capture takes Tab over only then, so a window with nothing to record keeps the
 * editor's own accept commands.
 */
import * as vscode from 'vscode';
import { Disposable } from './disposable';
import { Repositories } from './repositories';

export class RepositoryPresence extends Disposable {
  private present = false;
  private pending: Promise<boolean> = Promise.resolve(false);
  private readonly changed = this.register(new vscode.EventEmitter<boolean>());
  /** Fires with the new answer when it changes. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly repos: Repositories) {
    super();
    this.register(repos.onDidOpenRepository(() => void this.update()));
    this.register(vscode.workspace.onDidChangeWorkspaceFolders(() => void this.update()));
    // The last open file of a repository outside the workspace folders may just have closed.
    this.register(vscode.workspace.onDidCloseTextDocument((d) => {
      if (this.present && d.uri.scheme === 'file') void this.update();
    }));
  }

  get value(): boolean {
    return this.present;
  }

  /** Looks again (one look at a time, so answers arrive in order); resolves with the answer. */
  update(): Promise<boolean> {
    this.pending = this.pending.then(() => this.look()).catch(() => this.present).then((present) => {
      if (present !== this.present && !this.isDisposed) {
        this.present = present;
        this.changed.fire(present);
      }
      return present;
    });
    return this.pending;
  }

  private async look(): Promise<boolean> {
    if ((await this.repos.discoverWorkspace()).length > 0) return true;
    for (const doc of vscode.workspace.textDocuments) {
      if (doc.uri.scheme === 'file' && !doc.isClosed && (await this.repos.forUri(doc.uri))) return true;
    }
    return false;
  }
}
