/**
 * Explains a commit the pre-commit hook just blocked. The hook runs `ai-provenance check --staged`,
 * which leaves its verdict in `<store dir>/gate.json`; VS Code's Source Control view shows only the
 * hook's first line, so we add a message with the count, the first location and the way to the panel.
 */
import { promises as fs, watch, FSWatcher } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { GATE_FILE_NAME, GateFile, parseGateFile } from '../core/gateFile';
import { Repository } from '../store/repository';
import { Disposable } from './disposable';
import { countOf } from './format';
import { Log } from './log';
import { Repositories } from './repositories';
import { VIEW_ID } from './reviewTree';

export interface BlockedCommit {
  repo: string;
  count: number;
  first?: { path: string; from: number; to: number; id: string };
  /** The message shown. */
  message: string;
}

/** A verdict older than this is not "just now": it is left over from an earlier run. */
const FRESH_MS = 60_000;
const READ_DELAY_MS = 150;

export class CommitGate extends Disposable {
  private readonly watched = new Set<string>();
  private readonly blocked = this.register(new vscode.EventEmitter<BlockedCommit>());
  /** Fires when a fresh gate verdict blocked (or, under a "warn" policy, flagged) a commit. */
  readonly onDidBlockCommit = this.blocked.event;

  constructor(repos: Repositories, private readonly log: Log) {
    super();
    this.register(repos.onDidOpenRepository((r) => void this.watch(r)));
    for (const r of repos.all) void this.watch(r);
  }

  private async watch(repo: Repository): Promise<void> {
    if (this.watched.has(repo.root)) return;
    this.watched.add(repo.root);
    const file = path.join(repo.store.dir, GATE_FILE_NAME);
    // Remember the verdict already there, so only runs from now on are reported.
    let lastSeen = (await this.read(file))?.at;
    let timer: NodeJS.Timeout | undefined;
    let watcher: FSWatcher | undefined;
    try {
      await repo.store.ensureDir();
      // The store is inside .git, which VS Code's file watcher ignores; watch it directly.
      watcher = watch(repo.store.dir, (_event, name) => {
        if (name && name.toString() !== GATE_FILE_NAME) return;
        clearTimeout(timer);
        timer = setTimeout(() => {
          void this.read(file).then((gate) => {
            if (!gate || gate.at === lastSeen) return;
            lastSeen = gate.at;
            return this.report(repo, gate);
          });
        }, READ_DELAY_MS);
      });
      watcher.on('error', (e) => this.log.warn(`Stopped watching ${file}: ${e.message}`));
    } catch (e) {
      this.log.warn(`Cannot watch ${file}; blocked commits will not be explained: ${(e as Error).message}`);
    }
    this.register({ dispose: () => {
      clearTimeout(timer);
      watcher?.close();
    } });
  }

  private async read(file: string): Promise<GateFile | undefined> {
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch {
      return undefined; // Absent (writes are atomic, so it is never caught half-written).
    }
    const parsed = parseGateFile(text);
    if (!parsed.ok) this.log.warn(`Ignoring ${file}: ${parsed.error}`);
    return parsed.ok ? parsed.gate : undefined;
  }

  private async report(repo: Repository, gate: GateFile): Promise<void> {
    if (gate.count === 0 || Date.now() - Date.parse(gate.at) > FRESH_MS) return;
    const warnOnly = (await repo.policy().catch(() => undefined))?.policy.unreviewed === 'warn';
    const first = gate.regions[0];
    const where = first ? vscode.l10n.t(', the first at {0}', `${first.path}:${first.from}-${first.to}`) : '';
    const regions = countOf(gate.count, 'unreviewedRegions');
    const message = warnOnly
      ? vscode.l10n.t('AI Provenance: this commit contains {0}{1}.', regions, where)
      : vscode.l10n.t('AI Provenance blocked the commit: {0}{1}. Review them, then commit again.', regions, where);
    this.blocked.fire({ repo: repo.root, count: gate.count, first, message });
    const [openPanel, goToFirst] = [vscode.l10n.t('Open Panel'), vscode.l10n.t('Go to First')];
    const actions = first ? [openPanel, goToFirst] : [openPanel];
    const pick = await (warnOnly ? vscode.window.showWarningMessage(message, ...actions) : vscode.window.showErrorMessage(message, ...actions));
    if (pick === openPanel) await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
    else if (pick === goToFirst && first) {
      await vscode.commands.executeCommand('aiProvenance.revealRegion', { uri: vscode.Uri.file(path.join(repo.root, first.path)).toString(), id: first.id });
    }
  }
}
