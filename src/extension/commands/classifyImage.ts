/**
 * Fine-Tune: Classify Image — top-3 classes of one or several images with the project's latest
 * completed run, in a quick pick that flags images whose folder names another class. The model runs
 * in a short-lived host process (tfjs never loads in VS Code).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { PredictRequest, type ImageTopClasses } from '../../protocol/host';
import { withModelHost } from '../host/modelHost';
import { pickProject, PROJECT_FILE } from '../project/pickProject';
import { runsFolderOf } from '../../runs';
import { listExportableRuns, type ExportableRun } from '../project/runList';
import type { Services } from '../services';
import { projectName } from '../training/trainingManager';
import { hasImageExtension, IMAGE_EXTENSIONS_TEXT, IMAGE_EXTENSIONS } from '../../shared/imageExtensions';
import { findNearestProject, latestCompletedRun } from './modelTargets';
import { modelLabels, predictionRow } from './predictionRows';

const TOP_K = 3;

export function classifyImage(services: Services) {
  return async (clicked?: unknown, selected?: unknown): Promise<void> => {
    const images = await imagesToClassify(clicked, selected);
    if (!images) return;
    const project = await projectOf(images[0], services);
    if (!project) return;
    const run = latestCompletedRun(await listExportableRuns(await runsFolderOf(project)));
    if (!run) {
      const choice = await vscode.window.showWarningMessage(
        `Fine-Tune: ${projectName(project)} (${project}) has no completed training run to classify with. Run Fine-Tune: Start Training first.`,
        'Start Training',
      );
      if (choice) await vscode.commands.executeCommand('finetuneGuide.startTraining', vscode.Uri.file(project));
      return;
    }
    const predictions = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Fine-Tune: classifying ${images.length === 1 ? path.basename(images[0]) : `${images.length} images`} with run ${run.runId}…` },
      () => withModelHost({ script: services.context.asAbsolutePath('dist/host.js'), log: services.log }, (host) => host.request(PredictRequest, { modelDir: run.runDir, files: images, topK: TOP_K })),
    );
    await showPredictions(predictions.predictions, run, await modelLabels(run.modelDir), services);
  };
}

/** The image(s) the command was invoked on (Explorer: clicked + multi-selection), else a file picker. */
async function imagesToClassify(clicked: unknown, selected: unknown): Promise<string[] | undefined> {
  const uris = Array.isArray(selected) && selected.length > 0 ? selected : clicked instanceof vscode.Uri ? [clicked] : [];
  const files = uris.filter((u): u is vscode.Uri => u instanceof vscode.Uri).map((u) => u.fsPath);
  if (files.length === 0) {
    const picked = await vscode.window.showOpenDialog({
      title: 'Fine-Tune: classify which images?',
      canSelectMany: true,
      openLabel: 'Classify',
      filters: { Images: IMAGE_EXTENSIONS.map((e) => e.slice(1)) },
    });
    return picked?.map((u) => u.fsPath);
  }
  const images = files.filter(hasImageExtension);
  if (images.length === 0) {
    void vscode.window.showErrorMessage(`Fine-Tune: ${path.basename(files[0])} is not an image. Classify Image reads ${IMAGE_EXTENSIONS_TEXT} files.`);
    return undefined;
  }
  return images;
}

/** The finetune.json nearest above the image (within its workspace folder), else the workspace's project. */
async function projectOf(image: string, services: Services): Promise<string | undefined> {
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(image));
  const nearest = await findNearestProject(path.dirname(image), folder?.uri.fsPath);
  if (nearest) return nearest;
  return pickProject(undefined, services.layers, `classify ${path.basename(image)} with (${PROJECT_FILE} not found above the image)`);
}

/** Every result in a quick pick (one image too), the disagreeing ones flagged; choosing a row opens the image. */
async function showPredictions(predictions: readonly ImageTopClasses[], run: ExportableRun, labels: readonly string[], services: Services): Promise<void> {
  const rows = predictions.map((prediction) => predictionRow(prediction, labels, vscode.workspace.asRelativePath(prediction.file)));
  for (const row of rows) services.log.info(`classify (run ${run.runId}): ${row.file}: ${row.description}${row.folderClass ? ` (its folder says ${row.folderClass})` : ''}`);
  const disagreeing = rows.filter((row) => row.folderClass !== undefined).length;
  const flagged = disagreeing > 0 ? `; ${disagreeing} disagree${disagreeing === 1 ? 's' : ''} with ${disagreeing === 1 ? 'its' : 'their'} folder` : '';
  const picked = await vscode.window.showQuickPick(rows, {
    title: `Fine-Tune: top ${TOP_K} classes (run ${run.runId})${flagged}; choose an image to open it`,
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (picked) await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(picked.file));
}
