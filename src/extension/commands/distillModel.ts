/**
 * Fine-Tune: Distill into a Smaller Model — runs `finetune-guide distill <project> --json` (dist/cli.js)
 * in a child process (tfjs never loads in the extension host), streams its events into the training
 * panel, shows its progress with a Cancel button, and reports teacher vs student when it ends.
 */
import { fork } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunSummary, TrainingEvent } from '../../protocol/run';
import { distillComparison } from '../../shared/distillFacts';
import type { Services } from '../services';
import { pickProject } from '../project/pickProject';

export function distillModel(services: Services) {
  return async (arg?: unknown): Promise<void> => {
    const file = await pickProject(arg, services.layers, 'distill');
    if (!file) return;
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('Fine-Tune: distillation runs the project\'s model; trust this workspace first.');
      return;
    }
    const projectDir = path.dirname(file);
    services.panel.show(projectDir);
    const summary = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Fine-Tune: distilling', cancellable: true },
      (progress, token) => runDistill(services, file, token, (event) => {
        services.panel.recordEvent(projectDir, event);
        if (event.type === 'epoch') progress.report({ message: `epoch ${event.epoch + 1} / ${event.epochs}, val accuracy ${(event.val_accuracy * 100).toFixed(1)}%`, increment: 100 / event.epochs });
        else if (event.type === 'log') services.log.info(event.message);
        else if (event.type === 'warning') services.log.warn(event.message);
      }),
    );
    if (summary?.teacher && summary.student) {
      void vscode.window.showInformationMessage(`Fine-Tune: distilled into a student with ${distillComparison(summary.teacher, summary.student)}.`);
    }
  };
}

/** The CLI's `--json` events, one per line; resolves with the `done` event's summary (undefined when cancelled). */
function runDistill(services: Services, projectFile: string, token: vscode.CancellationToken, onEvent: (event: TrainingEvent) => void): Promise<RunSummary | undefined> {
  return new Promise((resolve, reject) => {
    const child = fork(services.cliScript, ['distill', projectFile, '--json'], { silent: true, cwd: path.dirname(projectFile) });
    let summary: RunSummary | undefined;
    let buffered = '';
    let err = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (line.trim() === '') continue;
        try {
          const event = JSON.parse(line) as TrainingEvent;
          if (event.type === 'done') summary = event.summary;
          onEvent(event);
        } catch {
          services.log.info(line);
        }
      }
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    // Ctrl-C for the CLI: it stops at the next epoch and exits 130.
    const cancel = token.onCancellationRequested(() => child.kill('SIGINT'));
    child.on('error', reject);
    child.on('exit', (code) => {
      cancel.dispose();
      if (code === 0 || code === 130) resolve(summary);
      else reject(new Error(err.trim().split(/\r?\n/).slice(-3).join(' ') || `finetune-guide distill ended with exit code ${code}`));
    });
  });
}
