/** Fine-Tune: Stop Training — stops at the next batch and keeps the checkpoint. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Services } from '../services';

export function stopTraining(services: Services) {
  return async (arg?: unknown): Promise<void> => {
    const running = services.trainings.running;
    if (running.length === 0) {
      void vscode.window.showInformationMessage('Fine-Tune: no training is running.');
      return;
    }
    let file = arg instanceof vscode.Uri ? arg.fsPath : running.length === 1 ? running[0] : undefined;
    if (!file) {
      const picked = await vscode.window.showQuickPick(running.map((f) => ({ label: path.basename(path.dirname(f)), description: f, file: f })), {
        title: 'Fine-Tune: stop which training?',
      });
      file = picked?.file;
    }
    // The outcome ("stopped, checkpoint kept") is the one notification; until then the status bar says it.
    if (file && services.trainings.stop(file)) {
      const stopping = file;
      const note = vscode.window.setStatusBarMessage(`$(debug-stop) Fine-Tune: stopping ${path.basename(path.dirname(stopping))} at the next batch…`, 30_000);
      const ended = services.trainings.onDidChange(() => {
        if (services.trainings.isTraining(stopping)) return;
        note.dispose();
        ended.dispose();
      });
    }
  };
}
