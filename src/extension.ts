/** Wiring only: build the services, hand them to VS Code for disposal, return the API. */
import * as vscode from 'vscode';
import { AgentCommands } from './extension/agentCommands';
import { Capture } from './extension/capture/capture';
import { setUseDetailedReasons } from './extension/capture/reasons';
import { CommitGate, BlockedCommit } from './extension/commitGate';
import { toInfo, RegionInfo } from './extension/convert';
import { DiskRenames } from './extension/diskRenames';
import { DocumentTracker } from './extension/documentTracker';
import { ExplorerDecorations } from './extension/explorerDecorations';
import { DecorationReport, Gutter } from './extension/gutter';
import { HistoryReport, HistoryView } from './extension/historyView';
import { HookController } from './extension/hookOffer';
import { ProvenanceHover } from './extension/hover';
import { ReportPanel, ShownReport } from './extension/reportPanel';
import { createLog } from './extension/log';
import { Repositories, StoreActivity } from './extension/repositories';
import { RepositoryPresence } from './extension/repositoryPresence';
import { ReviewCommands } from './extension/reviewCommands';
import { CommittedSnapshot, ReviewTree, TreeSnapshot } from './extension/reviewTree';
import { SelectionCommands } from './extension/selectionCommands';
import { StatusBar } from './extension/statusBar';
import { WorkspaceModel } from './extension/workspaceModel';

/** What `activate()` returns to other extensions: a stable interface. */
export interface AiProvenanceApi {
  /** The regions of a file as plain data (empty when the file is not tracked). Waits until the file is loaded. */
  getRegions(uri: vscode.Uri): Promise<RegionInfo[]>;
  /** Fires with a file's URI whenever its regions change. */
  onDidChangeRegions: vscode.Event<vscode.Uri>;
}

/**
 * Internals that integration tests and benchmarks observe and switch; not a stable interface.
 * `activate()` adds them (as `testing`) only when VS Code runs the extension for tests, or the test
 * runner asks for them (AIP_TEST_INTERNALS=1); other extensions never see them.
 */
export interface TestingApi {
  capture: {
    /** The editor accept commands currently taken over. */
    interceptedCommands(): string[];
    /** Whether the proposed `detailedReason` is read (off: exercise the stable-API path). */
    useDetailedReasons(on: boolean): void;
    /** Whether an accept's capture window is open on the document (its follow-up edits still count as AI). */
    capturing(uri: vscode.Uri): boolean;
  };
  review: {
    /** The review panel's rows as shown (file rows with their region rows). */
    tree(): TreeSnapshot[];
    /** The panel's "Committed, not reviewed" group as shown, or undefined while it is hidden. */
    committedTree(): CommittedSnapshot | undefined;
    /** Scans every repository's committed lines now; resolves when the panel's model has the result. */
    refreshCommitted(): Promise<void>;
    /** The status bar's text, or undefined while it is hidden. */
    statusBarText(): string | undefined;
    /** The number on the review view's badge (undefined when it shows none). */
    badge(): number | undefined;
    /** Fires after each gutter redraw of one editor, with what was drawn and how long it took. */
    onDidDecorate: vscode.Event<DecorationReport>;
    /** Fires when a fresh commit-gate verdict blocked a commit. */
    onDidBlockCommit: vscode.Event<BlockedCommit>;
    /** How often the marker stores woke the extension so far (counts, for tests and benchmarks). */
    storeActivity(): StoreActivity;
    /** Whether no gutter redraw is waiting. */
    gutterIdle(): boolean;
    /** The Explorer decoration of a file or folder, or undefined when it has none. */
    explorerDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined;
    /** Fires after each "Show AI History" redraw of one editor, with the lines drawn and the header. */
    onDidDrawHistory: vscode.Event<HistoryReport>;
  };
  report: {
    /** What the report panel shows (its title, data and page), or undefined while none is open. */
    shown(): ShownReport | undefined;
    /** Hands the panel a message as its page posts one when a line link is clicked. */
    receive(message: unknown): Promise<void>;
  };
}

/** What tests get from `activate()` (see TestingApi). */
export type AiProvenanceTestApi = AiProvenanceApi & { testing: TestingApi };

let tracker: DocumentTracker | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<AiProvenanceApi | AiProvenanceTestApi> {
  const log = createLog();
  context.subscriptions.push(log);
  const repos = new Repositories(log);
  context.subscriptions.push(repos);
  tracker = new DocumentTracker(repos, log);
  context.subscriptions.push(tracker, new DiskRenames(repos, log));
  const capture = new Capture(tracker, log);
  context.subscriptions.push(capture, new SelectionCommands(tracker, log));
  const model = new WorkspaceModel(repos, tracker, log);
  const gutter = new Gutter(tracker, context.extensionPath);
  const tree = new ReviewTree(model);
  const statusBar = new StatusBar(model, () => repos.all.length > 0);
  const hooks = new HookController(repos, context, log);
  const gate = new CommitGate(repos, log);
  const explorer = new ExplorerDecorations(model);
  const history = new HistoryView(repos, tracker, context.workspaceState, context.extensionPath, log);
  context.subscriptions.push(history, model, gutter, new ProvenanceHover(tracker, repos, log, () => history.isShown), tree, statusBar, hooks, gate, explorer);
  const reviews = new ReviewCommands(repos, tracker, model, tree, hooks, log);
  context.subscriptions.push(reviews, reviews.onDidRecordInNotes((uri) => history.refresh(uri)));
  context.subscriptions.push(new AgentCommands(context.extensionPath, log));
  const report = new ReportPanel(repos, log);
  context.subscriptions.push(report);
  const presence = new RepositoryPresence(repos);
  context.subscriptions.push(presence, presence.onDidChange((on) => capture.inline.setHasRepository(on)));
  capture.inline.setHasRepository(await presence.update());
  await capture.start();
  void hooks.start();
  const t = tracker;
  const api: AiProvenanceApi = {
    async getRegions(uri) {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      if (doc) await t.ready(doc);
      return (t.regions(uri) ?? []).map(toInfo);
    },
    onDidChangeRegions: t.onDidChangeRegions,
  };
  // Test internals: for VS Code running the extension under test, or the packaged-extension test
  // (scripts/run-integration.mjs sets AIP_TEST_INTERNALS for the code-server it starts).
  if (context.extensionMode !== vscode.ExtensionMode.Test && process.env.AIP_TEST_INTERNALS !== '1') return api;
  const testing: TestingApi = {
    capture: {
      interceptedCommands: () => capture.inline.interceptedCommands,
      useDetailedReasons: setUseDetailedReasons,
      capturing: (uri) => vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString() && capture.inline.isCapturing(d)),
    },
    review: {
      tree: () => tree.snapshot(),
      committedTree: () => tree.committedSnapshot(),
      refreshCommitted: () => model.refreshCommitted(undefined, true),
      statusBarText: () => (statusBar.visible ? statusBar.item.text : undefined),
      badge: () => tree.view.badge?.value,
      onDidDecorate: gutter.onDidDecorate,
      onDidBlockCommit: gate.onDidBlockCommit,
      storeActivity: () => ({ ...repos.activity }),
      gutterIdle: () => gutter.idle,
      explorerDecoration: (uri) => explorer.provideFileDecoration(uri),
      onDidDrawHistory: history.onDidDraw,
    },
    report: {
      shown: () => report.current,
      receive: (message) => report.receive(message),
    },
  };
  return { ...api, testing };
}

export async function deactivate(): Promise<void> {
  await tracker?.flushAll();
  tracker = undefined;
}
