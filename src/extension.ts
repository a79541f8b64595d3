/** Wiring only: build the services, hand them to VS Code for disposal, return the API. */
import * as vscode from 'vscode';
import { toInfo, RegionInfo } from './extension/convert';
import { DocumentTracker } from './extension/documentTracker';
import { createLog } from './extension/log';
import { Repositories } from './extension/repositories';

/** What `activate()` returns: for integration tests and other extensions. */
export interface AiProvenanceApi {
  /** The regions of a file as plain data (empty when the file is not tracked). Waits until the file is loaded. */
  getRegions(uri: vscode.Uri): Promise<RegionInfo[]>;
  /** Fires with a file's URI whenever its regions change. */
  onDidChangeRegions: vscode.Event<vscode.Uri>;
}

let tracker: DocumentTracker | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<AiProvenanceApi> {
  const log = createLog();
  context.subscriptions.push(log);
  const repos = new Repositories(log);
  context.subscriptions.push(repos);
  tracker = new DocumentTracker(repos, log);
  context.subscriptions.push(tracker);
  await repos.discoverWorkspace();
  const t = tracker;
  return {
    async getRegions(uri) {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      if (doc) await t.ready(doc);
      return (t.regions(uri) ?? []).map(toInfo);
    },
    onDidChangeRegions: t.onDidChangeRegions,
  };
}

export async function deactivate(): Promise<void> {
  await tracker?.flushAll();
  tracker = undefined;
}
