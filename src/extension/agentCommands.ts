/**
 * "AI Provenance: Install Agent Hooks…": the command-line `agents install|uninstall` as one quick
 * pick. Checked agents get our hook in their config, unchecked ones lose it; everything else in
 * those files stays as it was (src/store/agentConfig.ts). At start-up it also repoints this
 * machine's agent-hook resolver (`~/.ai-provenance/hook`) when an update moved the CLI it names,
 * as the pre-commit hook is repointed, so that an update never silently switches the hooks off.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Agent, AGENTS } from '../core/agents';
import { VERSION } from '../core/version';
import { agentHookStatus, AgentHookState, HookContext, installAgentHooks, uninstallAgentHooks } from '../store/agentConfig';
import { resolverState, writeResolver } from '../store/hookResolver';
import { Repository } from '../store/repository';
import { hookRuntime } from '../store/runtime';
import { Disposable } from './disposable';
import { Log } from './log';

interface AgentItem extends vscode.QuickPickItem {
  agent: Agent;
  state: AgentHookState;
}

export class AgentCommands extends Disposable {
  constructor(private readonly extensionPath: string, private readonly log: Log) {
    super();
    this.register(vscode.commands.registerCommand('aiProvenance.installAgentHooks', () => this.run()));
    void this.refreshResolver();
  }

  /** The hooks run outside VS Code, so runtime.ts picks a Node for them (the one on PATH first). */
  private context(): HookContext {
    return { runtime: hookRuntime(path.join(this.extensionPath, 'dist', 'cli.js'), 'extension'), version: VERSION };
  }

  /** A resolver that names a CLI that is gone or older than this extension's is pointed at this one; a missing one is left for "Install Agent Hooks…". */
  private async refreshResolver(): Promise<void> {
    try {
      const state = await resolverState(VERSION);
      if (state.kind !== 'stale') return;
      await writeResolver(this.context().runtime, VERSION);
      this.log.info(`Agent hooks: repointed the resolver at this extension's CLI (${state.problem})`);
    } catch (e) {
      this.log.error('Cannot update the agent hooks resolver', e);
    }
  }

  private async run(): Promise<void> {
    // The hooks are commands the agents run later: never written in Restricted Mode.
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(vscode.l10n.t('AI Provenance: installing agent hooks needs a trusted workspace.'));
      return;
    }
    try {
      const repo = await this.pickRepository();
      if (!repo) return;
      const ctx = this.context();
      const items: AgentItem[] = [];
      for (const agent of AGENTS) {
        const state = await agentHookStatus(repo.root, agent, ctx);
        items.push({ agent, state, label: agent.label, description: describe(state), detail: state.file, picked: state.kind !== 'missing' && state.kind !== 'invalid' });
      }
      const picked = await vscode.window.showQuickPick(items, {
        canPickMany: true,
        title: vscode.l10n.t('AI Provenance: record what these agents write in this repository'),
        placeHolder: vscode.l10n.t('Checked agents get a hook in their project config; unchecked ones lose ours'),
      });
      if (!picked) return;
      const wanted = new Set(picked.map((i) => i.agent));
      const done: string[] = [];
      const notes: string[] = [];
      for (const item of items) {
        const current = item.state.kind === 'installed' || item.state.kind === 'needs-approval';
        const present = current || item.state.kind === 'stale';
        if (wanted.has(item.agent) && !current) {
          const { state } = await installAgentHooks(repo.root, item.agent, ctx);
          done.push(`installed for ${item.label} (${state.file})`);
          if (item.agent.hooks.note) notes.push(item.agent.hooks.note);
        } else if (wanted.has(item.agent) && item.state.kind === 'needs-approval') {
          notes.push(`${item.label}: ${item.state.problems.join('; ')}.`);
        } else if (!wanted.has(item.agent) && present) {
          await uninstallAgentHooks(repo.root, item.agent, ctx);
          done.push(`removed for ${item.label}`);
        }
      }
      const message = done.length ? `AI Provenance: agent hooks ${done.join('; ')}.` : 'AI Provenance: agent hooks unchanged.';
      this.log.info(message);
      void vscode.window.showInformationMessage([message, ...notes].join(' '));
    } catch (e) {
      this.log.error('Installing agent hooks failed', e);
      void vscode.window.showErrorMessage(vscode.l10n.t('AI Provenance: {0}', (e as Error).message));
    }
  }

  private async pickRepository(): Promise<Repository | undefined> {
    const roots = new Map<string, Repository>();
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (folder.uri.scheme !== 'file') continue;
      try {
        const repo = await Repository.open(folder.uri.fsPath);
        roots.set(repo.root, repo);
      } catch {
        // Not a git repository: nothing to record there.
      }
    }
    const repos = [...roots.values()];
    if (repos.length === 0) {
      void vscode.window.showWarningMessage(vscode.l10n.t('AI Provenance: open a folder inside a git repository to install agent hooks.'));
      return undefined;
    }
    if (repos.length === 1) return repos[0];
    const pick = await vscode.window.showQuickPick(repos.map((r) => ({ label: path.basename(r.root), description: r.root, repo: r })), { title: vscode.l10n.t('AI Provenance: which repository?') });
    return pick?.repo;
  }
}

function describe(state: AgentHookState): string {
  switch (state.kind) {
    case 'installed':
      return 'installed';
    case 'stale':
      return `stale: ${state.problems.join('; ')}; keep checked to refresh`;
    case 'needs-approval':
      return `installed; needs approval in the agent: ${state.problems.join('; ')}`;
    case 'missing':
      return '';
    case 'invalid':
      return `cannot tell: ${state.error}`;
  }
}
