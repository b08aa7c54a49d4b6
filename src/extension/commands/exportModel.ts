/** Fine-Tune: Export Model — copies a run's adapted model folder to a folder the user picks. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Services } from '../services';
import { pickProject } from '../project/pickProject';
import { copyModel, listExportableRuns, runsFolderOf } from '../project/runList';
import { projectName } from '../training/trainingManager';

export function exportModel(services: Services) {
  return async (arg?: unknown): Promise<void> => {
    const file = await pickProject(arg, services.layers, 'export a model of');
    if (!file) return;
    const runs = await listExportableRuns(await runsFolderOf(file));
    if (runs.length === 0) {
      void vscode.window.showInformationMessage(`Fine-Tune: ${projectName(file)} has no run with a trained model yet. Train it first ("Fine-Tune: Start Training").`);
      return;
    }
    const picked = await vscode.window.showQuickPick(
      runs.map((run) => ({
        label: run.runId,
        description: `${run.status}${run.valAccuracy === null ? '' : ` · val accuracy ${(run.valAccuracy * 100).toFixed(1)}%`}`,
        run,
      })),
      { title: 'Fine-Tune: export the model of which run?' },
    );
    if (!picked) return;
    const folder = await vscode.window.showOpenDialog({ title: 'Export the model into this folder', canSelectFiles: false, canSelectFolders: true, canSelectMany: false, openLabel: 'Export Here' });
    if (!folder?.[0]) return;
    try {
      const target = await copyModel(picked.run, folder[0].fsPath, `${projectName(file)}-${picked.run.runId}`);
      services.log.info(`exported ${picked.run.modelDir} to ${target}`);
      const choice = await vscode.window.showInformationMessage(`Fine-Tune: model exported to ${target}.`, 'Reveal');
      if (choice) await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(path.join(target, 'model.json')));
    } catch (error) {
      void vscode.window.showErrorMessage(`Fine-Tune: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
}
