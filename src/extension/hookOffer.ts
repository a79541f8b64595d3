/**
 * The pre-commit hook as the editor sees it: whether each repository has it (for the welcome view),
 * installing and removing it, and a one-time offer to install it when a repository is first seen.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { HookState, hookStatus, installHook, uninstallHook } from '../store/hook';
import { Repository } from '../store/repository';
import { hookRuntime } from '../store/runtime';
import { readReviewConfig } from './config';
import { Disposable } from './disposable';
import { Log } from './log';
import { Repositories } from './repositories';

const OFFERED_KEY = 'aiProvenance.hookOffered';

export function isHookMissing(state: HookState): boolean {
  return state.kind === 'missing' || state.kind === 'foreign' || (state.kind === 'managed' && !state.integrated);
}

export class HookController extends Disposable {
  private readonly states = new Map<string, HookState>();
  private readonly seen = new Set<string>();

  constructor(
    private readonly repos: Repositories,
    private readonly context: vscode.ExtensionContext,
    private readonly log: Log,
  ) {
    super();
    this.register(repos.onDidOpenRepository((repo) => void this.onRepository(repo)));
    this.register(vscode.workspace.onDidGrantWorkspaceTrust(() => {
      for (const repo of this.repos.all) void this.offer(repo);
    }));
  }

  get cliPath(): string {
    return path.join(this.context.extensionPath, 'dist', 'cli.js');
  }

  /** Call once the workspace's repositories are open. */
  async start(): Promise<void> {
    await Promise.all(this.repos.all.map((r) => this.onRepository(r)));
  }

  state(repo: Repository): HookState | undefined {
    return this.states.get(repo.root);
  }

  private async onRepository(repo: Repository): Promise<void> {
    if (this.seen.has(repo.root)) return;
    this.seen.add(repo.root);
    const state = await this.refresh(repo);
    // An installed hook whose recorded CLI is gone (the extension was updated and its folder moved) is repointed silently.
    if (state?.kind === 'installed' && vscode.workspace.isTrusted && !existsSync(state.cli) && existsSync(this.cliPath)) {
      await this.install(repo).catch((e) => this.log.error(`Cannot update the pre-commit hook of ${repo.root}`, e));
    }
    await this.offer(repo);
  }

  /** Re-reads one repository's hook state (or all) and updates the `aiProvenance.hookMissing` context key. */
  async refresh(repo?: Repository): Promise<HookState | undefined> {
    let result: HookState | undefined;
    for (const r of repo ? [repo] : this.repos.all) {
      try {
        result = await hookStatus(r.root);
        this.states.set(r.root, result);
      } catch (e) {
        this.log.error(`Cannot read the pre-commit hook of ${r.root}`, e);
      }
    }
    const missing = [...this.states.values()].some(isHookMissing);
    await vscode.commands.executeCommand('setContext', 'aiProvenance.hookMissing', missing);
    return result;
  }

  async install(repo: Repository): Promise<HookState> {
    const state = await installHook(repo.root, hookRuntime(this.cliPath, 'extension'));
    this.log.info(`Pre-commit hook of ${repo.root}: ${state.kind}${state.kind === 'installed' ? ` (node: ${state.node || 'from PATH'})` : ''}`);
    await this.refresh(repo);
    return state;
  }

  async uninstall(repo: Repository): Promise<HookState> {
    const state = await uninstallHook(repo.root);
    await this.refresh(repo);
    return state;
  }

  /** Asks once per repository, never in an untrusted workspace (installing a hook writes an executable). */
  private async offer(repo: Repository): Promise<void> {
    if (!vscode.workspace.isTrusted || !readReviewConfig().offerHookInstall) return;
    const offered = this.context.globalState.get<string[]>(OFFERED_KEY, []);
    if (offered.includes(repo.root)) return;
    const state = this.states.get(repo.root);
    if (!state || !isHookMissing(state)) return;
    await this.context.globalState.update(OFFERED_KEY, [...offered, repo.root]);
    this.log.info(`Offering to install the pre-commit hook in ${repo.root} (now: ${state.kind})`);
    const name = path.basename(repo.root);
    const [install, later, never] = [vscode.l10n.t('Install Hook'), vscode.l10n.t('Not Now'), vscode.l10n.t("Don't Ask Again")];
    const pick = await vscode.window.showInformationMessage(
      vscode.l10n.t('AI Provenance can stop commits that contain unreviewed AI code. Install the pre-commit hook in {0}?', name),
      install,
      later,
      never,
    );
    try {
      if (pick === install) await this.reportInstall(repo, await this.install(repo));
      else if (pick === never) await vscode.workspace.getConfiguration('aiProvenance').update('hook.offerInstall', false, vscode.ConfigurationTarget.Global);
    } catch (e) {
      this.log.error(`Cannot install the pre-commit hook in ${repo.root}`, e);
      void vscode.window.showErrorMessage(vscode.l10n.t('AI Provenance could not install the pre-commit hook: {0}', (e as Error).message));
    }
  }

  /** Tells the user what installing did, including the line to add where a hook manager owns the hooks. */
  async reportInstall(repo: Repository, state: HookState): Promise<void> {
    const name = path.basename(repo.root);
    if (state.kind === 'installed') {
      void vscode.window.showInformationMessage(state.chained ? vscode.l10n.t('AI Provenance: the pre-commit hook is installed in {0} (your previous hook still runs after it).', name) : vscode.l10n.t('AI Provenance: the pre-commit hook is installed in {0}.', name));
    } else if (state.kind === 'managed') {
      this.log.info(state.instructions);
      const pick = await vscode.window.showWarningMessage(vscode.l10n.t('AI Provenance: {0} manages the hooks of {1}; add one line to its configuration (see the log).', state.manager, name), vscode.l10n.t('Show Log'));
      if (pick) this.log.show();
    }
  }
}
