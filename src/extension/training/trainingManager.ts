/**
 * Runs trainings: one forked host per training, at most one training per project. Shows the status
 * bar item, window progress, and a cancellable progress notification while the panel is out of sight, feeds the panel every event, logs to the channel,
 * and when the host dies unexpectedly tells the user why, marks the run interrupted and offers Resume.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { TrainRequest } from '../../protocol/host';
import { isBackendPreference } from '../../shared/backends';
import type { TrainingEvent } from '../../protocol/run';
import { formatLoss, formatParams, formatPercent, formatRate } from '../../shared/format';
import type { TrainingPanel } from '../panel';
import { CommandIds } from '../commandIds';
import { HostClient } from '../host/hostClient';
import { describeExit, HostExitedError, HostUserError, meaningfulLines } from '../host/hostErrors';
import { findRunOfProcess, modelDirOf, runsFolderOf } from '../../runs';
import { markRunInterrupted } from './markInterrupted';
import { ProgressNotification } from './progressNotification';
import { ProgressTracker } from './progressTracker';
import { TrainingStatusBar } from './trainingStatusBar';

export interface TrainingDeps {
  readonly hostScript: string;
  readonly log: vscode.LogOutputChannel;
  readonly panel: TrainingPanel;
  /** Where the problems the Problems view lists for a finetune.json are (fields, else lines): the failure notification points there instead of repeating them. */
  readonly problemsIn?: (projectFile: string) => Promise<readonly string[]>;
}

interface Session {
  readonly client: HostClient;
  /** Cancelled by the notification's Cancel button or by Stop Training; cancels the train request. */
  readonly stop: vscode.CancellationTokenSource;
  runDir: string | undefined;
}

export class TrainingManager implements vscode.Disposable {
  private readonly sessions = new Map<string, Session>();
  private readonly statusBar = new TrainingStatusBar();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a training starts or ends. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly deps: TrainingDeps) {}

  isTraining(projectFile: string): boolean {
    return this.sessions.has(path.resolve(projectFile));
  }

  /** Projects with a training in progress. */
  get running(): string[] {
    return [...this.sessions.keys()];
  }

  /** Trains a project (or resumes a run: a run folder, or true for the latest unfinished one). */
  async start(projectFile: string, resume?: string | true): Promise<void> {
    const file = path.resolve(projectFile);
    const name = projectName(file);
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(
        'Training is disabled in Restricted Mode: it runs code and reads files named in finetune.json. Trust this workspace to train; browsing layers works without it.',
        'Manage Workspace Trust',
      ).then((choice) => choice && vscode.commands.executeCommand('workbench.trust.manage'));
      return;
    }
    if (this.sessions.has(file)) {
      void vscode.window.showInformationMessage(`Fine-Tune: ${name} is already training. Stop it first ("Fine-Tune: Stop Training") or wait until it ends.`);
      return;
    }
    await saveIfDirty(file);
    const backend = vscode.workspace.getConfiguration('finetuneGuide').get<string>('backend', 'auto');
    const client = new HostClient({ script: this.deps.hostScript, log: this.deps.log, cwd: path.dirname(file) });
    const session: Session = { client, stop: new vscode.CancellationTokenSource(), runDir: typeof resume === 'string' ? resume : undefined };
    this.sessions.set(file, session);
    this.changed.fire();
    let failure: unknown;
    this.deps.log.info(`training ${file} (backend ${backend}${resume ? `, resuming ${resume === true ? 'the latest run' : resume}` : ''}), host pid ${client.pid ?? '?'}`);
    // The window progress (status bar) runs for the whole training; the cancellable notification only
    // while the panel is out of sight (progressNotification.ts).
    const notification = new ProgressNotification({
      title: `Fine-Tune: training ${name}`,
      panelShowing: () => this.deps.panel.isShowing(path.dirname(file)),
      onPanelChange: this.deps.panel.onDidChangeShowing,
      cancel: () => session.stop.cancel(),
    });
    try {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Fine-Tune: training ${name}` }, async () => {
        session.stop.token.onCancellationRequested(() => this.deps.log.info(`cancel requested for ${file}: stopping at the next batch`));
        const tracker = new ProgressTracker();
        client.onTrainingEvent((event) => {
          if (event.type === 'run') session.runDir = event.runDir;
          tracker.apply(event);
          this.deps.panel.recordEvent(path.dirname(file), event);
          this.logEvent(event);
          const view = tracker.view();
          notification.update(view);
          this.statusBar.update(file, view.status);
        });
        this.statusBar.update(file, 'starting…');
        const params = { projectFile: file, backend: isBackendPreference(backend) ? backend : 'auto', resume } as const;
        const result = await client.request(TrainRequest, params, session.stop.token);
        notification.dispose();
        this.reportResult(file, result.status, result.runDir);
      });
    } catch (error) {
      failure = error;
    } finally {
      notification.dispose();
      client.dispose();
      session.stop.dispose();
      this.sessions.delete(file);
      this.statusBar.clear(file);
      this.changed.fire();
    }
    // After the session is gone, so the notification's "Resume Training" can start a new one.
    if (failure !== undefined) await this.reportFailure(file, session, failure);
  }

  /** Stops a project's training at the next batch; the checkpoint is kept. */
  stop(projectFile: string): boolean {
    const session = this.sessions.get(path.resolve(projectFile));
    session?.stop.cancel();
    return session !== undefined;
  }

  dispose(): void {
    for (const session of this.sessions.values()) {
      session.client.dispose();
      session.stop.dispose();
    }
    this.sessions.clear();
    this.statusBar.dispose();
    this.changed.dispose();
  }

  private logEvent(event: TrainingEvent): void {
    const log = this.deps.log;
    switch (event.type) {
      case 'run':
        log.info(`run ${event.runId} in ${event.runDir}: ${event.trainImages} training / ${event.valImages} validation images, ${event.classes.length} classes, backend ${event.backend}`);
        break;
      case 'phase':
        log.info(`phase ${event.phaseIndex + 1} "${event.phase}": ${formatParams(event.plan.trainableParams)}/${formatParams(event.plan.totalParams)} params trainable, ${event.plan.epochs} epochs, lr ${formatRate(event.plan.learningRate)}${event.cache.used ? ', frozen prefix cached' : ''}`);
        break;
      case 'epoch':
        log.info(`${event.phase} epoch ${event.epoch + 1}/${event.epochs}: loss ${formatLoss(event.loss)}, accuracy ${formatPercent(event.accuracy)}, val_loss ${formatLoss(event.val_loss)}, val_accuracy ${formatPercent(event.val_accuracy)}`);
        break;
      case 'warning':
        log.warn(`${event.message}${event.files ? `\n${event.files.map((f) => `  ${f.file}: ${f.reason}`).join('\n')}` : ''}`);
        break;
      case 'log':
        if (event.level === 'info') log.info(event.message);
        else log.debug(event.message);
        break;
      case 'phaseEnd':
        log.info(`phase ${event.phaseIndex + 1} ${event.summary.status}: best val_accuracy ${formatPercent(event.summary.valAccuracy)} after ${event.summary.epochsRun} epochs`);
        break;
      case 'done':
        log.info(`run ${event.status}: ${event.runDir}`);
        break;
      case 'batch':
        break;
      default: {
        const unhandled: never = event;
        log.warn(`unhandled event ${JSON.stringify(unhandled)}`);
      }
    }
  }

  private reportResult(file: string, status: string, runDir: string): void {
    const name = projectName(file);
    const uri = vscode.Uri.file(file);
    if (status === 'completed') {
      void vscode.window.showInformationMessage(`Fine-Tune: ${name} finished training. The adapted model is in ${vscode.workspace.asRelativePath(modelDirOf(runDir))}.`, 'Open Training Panel', 'Export Model')
        .then((choice) => choice && vscode.commands.executeCommand(choice === 'Export Model' ? CommandIds.exportModel : CommandIds.openPanel, uri));
    } else if (status === 'cancelled') {
      void vscode.window.showInformationMessage(`Fine-Tune: training of ${name} stopped. The last checkpoint is kept in ${vscode.workspace.asRelativePath(runDir)}.`, 'Resume Training')
        .then((choice) => choice && vscode.commands.executeCommand(CommandIds.resumeTraining, uri, runDir));
    } else {
      void vscode.window.showErrorMessage(`Fine-Tune: training of ${name} ended with status "${status}". See the "Fine-Tune Guide" output for details.`, 'Show Log')
        .then((choice) => choice && this.deps.log.show());
    }
  }

  private async reportFailure(file: string, session: Session, error: unknown): Promise<void> {
    const name = projectName(file);
    if (error instanceof HostUserError) {
      this.deps.log.warn(error.message);
      const configFile = error.data?.file && error.data.file.endsWith('.json') ? error.data.file : file;
      const listed = (await this.deps.problemsIn?.(configFile)) ?? [];
      if (listed.length > 0) {
        // The Problems view has each problem at its place, with its fix: say where, not all of it again.
        const choice = await vscode.window.showErrorMessage(
          `Fine-Tune: ${name} was not trained: its finetune.json has ${listed.length === 1 ? 'a problem' : `${listed.length} problems`} (${listed.slice(0, 3).join(', ')}${listed.length > 3 ? ', ...' : ''}), listed in the Problems view.`,
          'Show Problems',
        );
        if (choice) {
          await vscode.window.showTextDocument(vscode.Uri.file(configFile));
          await vscode.commands.executeCommand('workbench.actions.view.problems');
        }
        return;
      }
      const choice = await vscode.window.showErrorMessage(`Fine-Tune: ${error.message}`, 'Open finetune.json');
      if (choice) await vscode.window.showTextDocument(vscode.Uri.file(configFile));
      return;
    }
    if (error instanceof HostExitedError) {
      const reason = describeExit(error.exit);
      const tail = meaningfulLines(error.exit.stderrTail).slice(-3).join(' | ');
      this.deps.log.error(`${reason}${tail ? ` Last output: ${tail}` : ''}`);
      // A host killed before its 'run' event still left a manifest naming its pid.
      const pid = session.client.pid;
      session.runDir ??= pid === undefined ? undefined : await runsFolderOf(file).then((dir) => findRunOfProcess(dir, pid)).catch(() => undefined);
      const marked = session.runDir ? await markRunInterrupted(session.runDir, reason).catch(() => false) : false;
      // The panel says so at once (badge, stage, Resume), not "running" until something else happens.
      if (session.runDir) await this.deps.panel.markInterrupted(path.dirname(file), session.runDir, reason).catch((e: unknown) => this.deps.log.warn(`panel: ${String(e)}`));
      const runNote = session.runDir ? ` The run ${path.basename(session.runDir)} is marked interrupted${marked ? '' : ' (its record was already final)'}; its last checkpoint can be resumed.` : '';
      const choice = await vscode.window.showErrorMessage(
        `Fine-Tune: training of ${name} stopped: ${reason}${tail ? ` Last output: ${tail}` : ''}${runNote}`,
        ...(session.runDir ? ['Resume Training'] : []),
        'Show Log',
      );
      if (choice === 'Resume Training') await vscode.commands.executeCommand(CommandIds.resumeTraining, vscode.Uri.file(file), session.runDir);
      if (choice === 'Show Log') this.deps.log.show();
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    this.deps.log.error(`training ${file}: ${error instanceof Error ? (error.stack ?? message) : message}`);
    void vscode.window.showErrorMessage(`Fine-Tune: training of ${name} failed: ${message}`, 'Show Log').then((choice) => choice && this.deps.log.show());
  }
}

/** The project's folder name, how the user knows it. */
export function projectName(projectFile: string): string {
  return path.basename(path.dirname(projectFile));
}

async function saveIfDirty(file: string): Promise<void> {
  const document = vscode.workspace.textDocuments.find((d) => path.resolve(d.uri.fsPath) === file);
  if (document?.isDirty) await document.save();
}
