/**
 * The training panel controller: one webview panel showing one project's runs. The extension feeds
 * it every TrainingEvent (recordEvent) whether or not the panel is open; the history lives here, so
 * the webview (not retained when hidden) gets a full snapshot each time it says `ready`, then only
 * new points, batched every 250 ms.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TrainingEvent } from '../../protocol/run';
import { parseWebviewMessage, type ExtensionMessage, type WebviewMessage } from '../../protocol/webview';
import { listLrFindFiles, LR_FIND_FILES, readCheckpointState, readLrFindFile, runsFolderOf } from '../../runs';
import { PROJECT_FILE } from '../project/pickProject';
import { writeLearningRate } from '../project/writeLearningRate';
import { readPanelEvaluation } from './evaluationReader';
import { readEmbeddingView } from './embeddingReader';
import { buildPanelHtml } from './html';
import { LiveBuffer } from './liveBuffer';
import { ProjectHistory, type AppliedEvent } from './projectHistory';
import { runPanelAction } from './runActions';
import type { RunRecord } from './runRecord';
import { RunTail } from './runTail';

const VIEW_TYPE = 'finetuneGuide.trainingPanel';
/** How often a run written by another process (the CLI) is checked for new lines. */
const TAIL_MS = 1000;

function panelTitle(projectDir: string): string {
  return projectDir ? `Fine-Tune Training: ${path.basename(projectDir)}` : 'Fine-Tune Training';
}

export class TrainingPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private panelDisposables: vscode.Disposable[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private readonly histories = new Map<string, ProjectHistory>();
  private projectDir: string | undefined;
  /** True between the webview's `ready` and its disposal or hiding (it is not retained when hidden). */
  private ready = false;
  private readonly live = new LiveBuffer((message) => this.post(message));
  private readonly log: vscode.LogOutputChannel;
  /** Files outside the project the webview may open: images the evaluation listed (the data folder can be anywhere). */
  private readonly openable = new Set<string>();
  /** Stops following the shown run's files, when it is being written by another process. */
  private stopTail: (() => void) | undefined;

  private readonly showingChanged = new vscode.EventEmitter<void>();
  /** Fires when the panel is shown, hidden, closed or switched to another project (see isShowing). */
  readonly onDidChangeShowing = this.showingChanged.event;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.log = vscode.window.createOutputChannel('Fine-Tune Guide: Training Panel', { log: true });
    this.disposables.push(
      this.log,
      this.showingChanged,
      vscode.window.onDidChangeActiveColorTheme(() => this.post({ type: 'theme' })),
    );
  }

  /** Opens (or reveals) the panel on a project's runs. */
  show(projectDir: string): void {
    const key = path.resolve(projectDir);
    const switching = this.projectDir !== key;
    this.projectDir = key;
    if (this.panel) {
      this.panel.title = panelTitle(key);
      this.panel.reveal(undefined, true);
      if (switching) this.background(this.sendSnapshot());
      this.showingChanged.fire();
      return;
    }
    this.createPanel();
    this.showingChanged.fire();
  }

  /** Opens the panel on a project and (re)sends its learning-rate sweeps, after `lr-find` wrote one. */
  showLrFind(projectDir: string): void {
    const wasShowing = this.panel !== undefined && this.projectDir === path.resolve(projectDir);
    this.show(projectDir);
    // A new or switched panel sends them with its snapshot.
    if (wasShowing) this.background(this.sendLrFind());
  }

  /** Records one engine event of a project; the panel, if it shows that project, gets it within 250 ms. */
  recordEvent(projectDir: string, event: TrainingEvent): void {
    const key = path.resolve(projectDir);
    let applied: AppliedEvent;
    try {
      applied = this.history(key).apply(event);
    } catch (error) {
      // The host's messages are checked on arrival; a malformed one that slipped through must not break the panel.
      this.log.warn(`Ignored a training event the panel could not use (${String(error)}): ${JSON.stringify(event)?.slice(0, 200)}`);
      return;
    }
    if (!applied.record || key !== this.projectDir || !this.ready) return;
    if (applied.newRun) {
      this.background(this.sendSnapshot());
      return;
    }
    // While an earlier run is shown, the live run's points wait in the history for the next snapshot.
    if (applied.record !== this.history(key).shownRun()) return;
    this.live.add(applied.record, applied.points, event.type === 'done');
    // A finished run changes the run list (status, best accuracy), and whether Resume applies.
    if (event.type === 'done') {
      this.post({ type: 'runs', runs: this.history(key).runList() });
      this.background(this.refreshCheckpoint(applied.record));
    }
    // evaluation.json grows after each phase: by the next phase's start (or the end) it has been written.
    if (event.type === 'done' || (event.type === 'phase' && event.phaseIndex > 0)) this.background(this.sendEvaluation());
  }

  /** True while the panel is on screen showing this project (then training progress stays out of the way, in the status bar). */
  isShowing(projectDir: string): boolean {
    return this.panel?.visible === true && this.projectDir === path.resolve(projectDir);
  }

  /**
   * The host of a run died without a `done` (killed, out of memory, vanished): the panel shows the run
   * interrupted at once, with Resume when it has a checkpoint, instead of "live, running".
   */
  async markInterrupted(projectDir: string, runDir: string, reason: string): Promise<void> {
    const key = path.resolve(projectDir);
    const record = this.history(key).markInterrupted(runDir, reason);
    if (!record) return;
    this.log.info(`run ${record.runId} marked interrupted: ${reason}`);
    if (key !== this.projectDir || !this.ready) return;
    this.post({ type: 'runs', runs: this.history(key).runList() });
    await this.refreshCheckpoint(record, true);
  }

  /** Re-reads whether a run that ended has a checkpoint, and redraws it when it is shown (`always`: even if unchanged). */
  private async refreshCheckpoint(record: RunRecord, always = false): Promise<void> {
    const hasCheckpoint = (await readCheckpointState(record.runDir)) !== undefined;
    const changed = hasCheckpoint !== record.hasCheckpoint;
    record.hasCheckpoint = hasCheckpoint;
    if (!(changed || always) || !this.projectDir || record !== this.history(this.projectDir).shownRun()) return;
    this.live.add(record, { epochs: [], batches: [] }, true);
  }

  dispose(): void {
    this.stopFollowing();
    this.live.clear();
    this.panel?.dispose();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }

  private history(key: string): ProjectHistory {
    let history = this.histories.get(key);
    if (!history) {
      history = new ProjectHistory(key);
      this.histories.set(key, history);
    }
    return history;
  }

  private createPanel(): void {
    const extensionUri = this.context.extensionUri;
    const bundleRoot = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
    const mediaRoot = vscode.Uri.joinPath(extensionUri, 'media');
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, panelTitle(this.projectDir ?? ''), vscode.ViewColumn.Beside, {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: this.resourceRoots([bundleRoot, mediaRoot]),
    });
    const webview = panel.webview;
    webview.html = buildPanelHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(bundleRoot, 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(mediaRoot, 'panel', 'panel.css')).toString(),
      codiconUri: webview.asWebviewUri(vscode.Uri.joinPath(bundleRoot, 'codicon.css')).toString(),
    });
    this.panel = panel;
    this.panelDisposables = [
      webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
      // A hidden webview is destroyed; it says `ready` again when shown.
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
        this.showingChanged.fire();
      }),
      panel.onDidDispose(() => {
        this.panel = undefined;
        this.showingChanged.fire();
        this.ready = false;
        this.stopFollowing();
        this.live.clear();
        for (const disposable of this.panelDisposables.splice(0)) disposable.dispose();
      }),
    ];
  }

  private receive(raw: unknown): void {
    const message = parseWebviewMessage(raw);
    if (!message) {
      this.log.warn(`Ignored a malformed message from the training panel: ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    this.background(this.handle(message));
  }

  /** Runs work nobody awaits; a failure is logged instead of becoming an unhandled rejection. */
  private background(work: Promise<void>): void {
    work.catch((error: unknown) => this.log.error(`Training panel: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));
  }

  private async handle(message: WebviewMessage): Promise<void> {
    const history = this.projectDir ? this.history(this.projectDir) : undefined;
    switch (message.type) {
      case 'ready':
        this.ready = true;
        await this.sendSnapshot();
        return;
      case 'focusStage':
        if (history) history.focus = message.stage;
        return;
      case 'selectRuns':
        if (history) this.post({ type: 'comparison', compared: history.selectRuns(message.runIds) });
        return;
      case 'openFile':
        await this.openFile(message.path);
        return;
      case 'showRun':
        if (history?.pin(message.runId)) await this.sendSnapshot();
        return;
      case 'useLearningRate':
        await this.useLearningRate(message.phase);
        return;
      case 'runAction': {
        if (!this.projectDir) return;
        // Resume continues the run shown, found by id among the project's runs (the webview never names a folder).
        const runDir = message.runId ? history?.run(message.runId)?.runDir : undefined;
        await runPanelAction(message.action, this.projectDir, runDir, this.log);
        return;
      }
      default: {
        const unhandled: never = message;
        this.log.warn(`Unhandled training panel message ${JSON.stringify(unhandled)}`);
      }
    }
  }

  /** Opens a file or reveals a folder, but only inside the project shown (the webview is not trusted). */
  private async openFile(target: string): Promise<void> {
    if (!this.projectDir) return;
    const resolved = path.resolve(this.projectDir, target);
    const relative = path.relative(this.projectDir, resolved);
    if ((relative.startsWith('..') || path.isAbsolute(relative)) && !this.openable.has(resolved)) {
      this.log.warn(`Training panel asked to open ${target}, which is outside the project; ignored.`);
      return;
    }
    const uri = vscode.Uri.file(resolved);
    const stat = await fs.stat(resolved).catch(() => undefined);
    if (!stat) {
      void vscode.window.showWarningMessage(`${resolved} no longer exists. Train again or pick another run.`);
    } else if (stat.isDirectory()) {
      await vscode.commands.executeCommand('revealInExplorer', uri);
    } else {
      await vscode.commands.executeCommand('vscode.open', uri);
    }
  }

  private async sendSnapshot(): Promise<void> {
    if (!this.projectDir) return;
    const history = this.history(this.projectDir);
    await history.load();
    this.live.clear();
    this.post(history.snapshot());
    this.followShownRun();
    await this.sendEvaluation();
    await this.sendLrFind();
  }

  /** The panel's "Use X for phase N": the rate comes from lr-find.json, not from the (untrusted) webview. */
  private async useLearningRate(phase: number): Promise<void> {
    if (!this.projectDir) return;
    const projectFile = path.join(this.projectDir, PROJECT_FILE);
    const sweep = await readLrFindFile(await runsFolderOf(projectFile), phase);
    if (sweep?.suggestion == null) {
      this.log.warn(`Training panel asked to use phase ${phase}'s suggested rate, but its ${LR_FIND_FILES.result} has none; ignored.`);
      return;
    }
    try {
      await writeLearningRate(projectFile, phase - 1, sweep.suggestion);
    } catch (error) {
      void vscode.window.showErrorMessage(`Fine-Tune: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Sends the project's lr-find.json curves (one per phase that has one). */
  private async sendLrFind(): Promise<void> {
    if (!this.projectDir) return;
    const sweeps = await listLrFindFiles(await runsFolderOf(path.join(this.projectDir, PROJECT_FILE)));
    this.post({ type: 'lrFind', sweeps: sweeps.map(({ phase, phaseName, rates, smoothedLosses, suggestion }) => ({ phase, phaseName, rates, smoothedLosses, suggestion })) });
  }

  /** A shown run that is running but sends no events here (a CLI run) is followed through its files. */
  private followShownRun(): void {
    this.stopFollowing();
    const record = this.projectDir ? this.history(this.projectDir).shownRun() : null;
    if (!record || record.live || record.status !== 'running') return;
    const tail = new RunTail(record);
    let busy = false;
    const timer = setInterval(() => {
      if (busy || !this.ready) return;
      busy = true;
      tail
        .poll()
        .then(({ points, finished }) => {
          if (points.epochs.length + points.batches.length > 0 || finished) this.live.add(record, points, finished);
          if (!finished || !this.projectDir) return;
          this.stopFollowing();
          this.post({ type: 'runs', runs: this.history(this.projectDir).runList() });
          this.background(this.sendEvaluation());
        })
        .catch((error: unknown) => this.log.warn(`Following ${record.runDir}: ${String(error)}`))
        .finally(() => {
          busy = false;
        });
    }, TAIL_MS);
    this.stopTail = () => clearInterval(timer);
  }

  private stopFollowing(): void {
    this.stopTail?.();
    this.stopTail = undefined;
  }

  /** Sends the shown run's evaluation (read after the snapshot: it includes image previews). */
  private async sendEvaluation(): Promise<void> {
    if (!this.projectDir) return;
    const record = this.history(this.projectDir).shownRun();
    if (!record) return;
    const webview = this.panel?.webview;
    const sourceOf = (file: string): string => (webview ? webview.asWebviewUri(vscode.Uri.file(file)).toString() : '');
    const evaluation = await readPanelEvaluation(record.runDir, this.projectDir, sourceOf);
    for (const phase of [...evaluation.phases, ...(evaluation.test ? [evaluation.test] : [])]) {
      for (const mistake of phase.worst) this.openable.add(mistake.file);
      for (const image of phase.images) this.openable.add(image.file);
      // The confusion cells show the images themselves: their class folders become resource roots.
      if (webview) for (const folder of new Set(phase.images.map((image) => path.dirname(image.file)))) this.allowResources(webview, folder);
    }
    if (evaluation.reportPath) this.openable.add(evaluation.reportPath);
    if (record.modelDir) this.openable.add(path.resolve(record.runDir, record.modelDir));
    const embedding = webview ? await readEmbeddingView(record.runDir, sourceOf) : null;
    if (embedding && webview) {
      for (const point of embedding.view.points) this.openable.add(point.file);
      this.allowResources(webview, embedding.dataDir);
    }
    this.post({ type: 'evaluation', runId: record.runId, ...evaluation, embedding: embedding?.view ?? null });
  }

  /** Webview resource roots: the bundle and media, plus the data folders whose images the embedding view previews. */
  private readonly dataRoots = new Set<string>();
  private resourceRoots(fixed: readonly vscode.Uri[]): vscode.Uri[] {
    this.fixedRoots = fixed;
    return [...fixed, ...[...this.dataRoots].map((dir) => vscode.Uri.file(dir))];
  }
  private fixedRoots: readonly vscode.Uri[] = [];

  /** Lets the webview load images from `dataDir` (hover previews); only data folders of the shown runs are added. */
  private allowResources(webview: vscode.Webview, dataDir: string): void {
    if (this.dataRoots.has(dataDir)) return;
    this.dataRoots.add(dataDir);
    webview.options = { ...webview.options, localResourceRoots: this.resourceRoots(this.fixedRoots) };
  }

  private post(message: ExtensionMessage): void {
    if (this.panel && this.ready) void this.panel.webview.postMessage(message);
  }
}
