/** Fine-Tune: Resume Training — continues a stopped or interrupted run from its last checkpoint. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Services } from '../services';
import { pickProject } from '../project/pickProject';
import { runsFolderOf } from '../../runs';
import { listResumableRuns } from '../project/runList';
import { projectName } from '../training/trainingManager';

/** `runDir` is passed by the "Resume Training" button of a crash or stop notification. */
export function resumeTraining(services: Services) {
  return async (arg?: unknown, runDir?: unknown): Promise<void> => {
    const file = await pickProject(arg, services.layers, 'resume');
    if (!file) return;
    const chosen = typeof runDir === 'string' ? runDir : await pickRun(file);
    if (!chosen) return;
    // Restricted Mode refuses the start: no empty panel next to the explanation.
    if (vscode.workspace.isTrusted) services.panel.show(path.dirname(file));
    await services.trainings.start(file, chosen);
  };
}

async function pickRun(projectFile: string): Promise<string | undefined> {
  const runs = await listResumableRuns(await runsFolderOf(projectFile));
  if (runs.length === 0) {
    const choice = await vscode.window.showInformationMessage(
      `Fine-Tune: ${projectName(projectFile)} has no stopped or interrupted run with a checkpoint to resume.`,
      'Start Training',
    );
    if (choice) await vscode.commands.executeCommand('finetuneGuide.startTraining', vscode.Uri.file(projectFile));
    return undefined;
  }
  if (runs.length === 1) return runs[0].runDir;
  const picked = await vscode.window.showQuickPick(
    runs.map((run) => ({ label: run.runId, description: run.status, detail: run.message, runDir: run.runDir })),
    { title: 'Fine-Tune: resume which run?', placeHolder: 'Newest first' },
  );
  return picked?.runDir;
}
