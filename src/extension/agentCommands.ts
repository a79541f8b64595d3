/**
 * "AI Provenance: Install Agent Hooks…": the command-line `agents install|uninstall` as one quick
 * pick. Checked agents get our hook in their project config, unchecked ones lose it; everything
 * else in those files stays as it was (src/store/agentConfig.ts).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { AgentName, AGENTS } from '../core/agentPayload';
import { AGENT_HOOKS, agentHookStatus, AgentHookState, HookRunner, installAgentHooks, uninstallAgentHooks } from '../store/agentConfig';
import { findNodeOnPath } from '../store/hook';
import { Repository } from '../store/repository';
import { Disposable } from './disposable';
import { Log } from './log';

const LABELS: Record<AgentName, string> = {
  'claude-code': 'Claude Code',
  cursor: 'Cursor',
  codex: 'Codex CLI',
  copilot: 'VS Code agent hooks (Copilot)',
  gemini: 'Gemini CLI',
};

interface AgentItem extends vscode.QuickPickItem {
  agent: AgentName;
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
      const runner = this.runner();
      const items: AgentItem[] = [];
      for (const agent of AGENTS) {
        const state = await agentHookStatus(repo.root, agent, runner);
        items.push({ agent, state, label: LABELS[agent], description: describe(state), detail: AGENT_HOOKS[agent].file, picked: state.kind === 'installed' || state.kind === 'outdated' });
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
          await installAgentHooks(repo.root, item.agent, runner);
          done.push(`installed for ${item.label} (${AGENT_HOOKS[item.agent].file})`);
          if (AGENT_HOOKS[item.agent].note) notes.push(AGENT_HOOKS[item.agent].note!);
        } else if (!wanted.has(item.agent) && present) {
          await uninstallAgentHooks(repo.root, item.agent, runner);
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

  /**
   * The hooks run outside VS Code, so they need a Node: the one on PATH when there is one, else
   * VS Code's own runtime (Electron, which behaves as Node with ELECTRON_RUN_AS_NODE=1).
   */
  private runner(): HookRunner {
    const cli = path.join(this.extensionPath, 'dist', 'cli.js');
    const node = findNodeOnPath();
    if (node) return { node, cli };
    return { node: process.execPath, cli, electron: Boolean(process.versions.electron) };
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
      return `config is not valid JSON: fix it first`;
  }
}
