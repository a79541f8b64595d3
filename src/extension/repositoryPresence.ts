/**
 * Whether the window holds a git repository: a workspace folder inside one, or an editor tab on a
 * file inside one (tabs, not documents: VS Code keeps a closed editor's document open for minutes).
 * Inline capture takes Tab over only then, so a window with nothing to record keeps the editor's
 * own accept commands.
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
    // A tab on a file of a repository outside the workspace folders may just have opened or closed.
    this.register(vscode.window.tabGroups.onDidChangeTabs((e) => {
      if (e.opened.length || e.closed.length) void this.update();
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
    for (const tab of vscode.window.tabGroups.all.flatMap((g) => g.tabs)) {
      const input = tab.input;
      const uri = input instanceof vscode.TabInputText ? input.uri : input instanceof vscode.TabInputTextDiff ? input.modified : undefined;
      if (uri && (await this.repos.forUri(uri))) return true;
    }
    return false;
  }
}
