/**
 * "AI Provenance: Install Agent Hooks…": the command-line `agents install|uninstall` as one quick
 * pick. Checked agents get our hook in their project config, unchecked ones lose it; everything
 * else in those files stays as it was (src/store/agentConfig.ts).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Agent, AGENTS } from '../core/agents';
import { agentHookStatus, AgentHookState, installAgentHooks, uninstallAgentHooks } from '../store/agentConfig';
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
      // The hooks run outside VS Code, so runtime.ts picks a Node for them (the one on PATH first).
      const runtime = hookRuntime(path.join(this.extensionPath, 'dist', 'cli.js'), 'extension');
      const items: AgentItem[] = [];
      for (const agent of AGENTS) {
        const state = await agentHookStatus(repo.root, agent, runtime);
        items.push({ agent, state, label: agent.label, description: describe(state), detail: agent.hooks.file, picked: state.kind === 'installed' || state.kind === 'outdated' });
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
        const installed = item.state.kind === 'installed';
        const present = installed || item.state.kind === 'outdated';
        if (wanted.has(item.agent) && !installed) {
          await installAgentHooks(repo.root, item.agent, runtime);
          done.push(`installed for ${item.label} (${item.agent.hooks.file})`);
          if (item.agent.hooks.note) notes.push(item.agent.hooks.note);
        } else if (!wanted.has(item.agent) && present) {
          await uninstallAgentHooks(repo.root, item.agent, runtime);
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
    case 'outdated':
      return 'installed, runs another copy of the CLI: keep checked to refresh';
    case 'missing':
      return '';
    case 'invalid':
      return `cannot tell: ${state.error}`;
  }
}
