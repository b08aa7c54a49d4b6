/**
 * Fine-Tune: Export Model — exports a run's adapted model in a chosen format (tfjs LayersModel, Keras 3
 * .keras or Keras .h5; + labels.json, preprocessing.json and README) through the host, which reloads the
 * files and checks they predict like the trained model. Never writes into a non-empty folder.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ExportModelRequest } from '../../protocol/host';
import { formatPercent } from '../../shared/format';
import { DEFAULT_EXPORT_FORMAT, EXPORT_FORMATS } from '../../shared/exportFormats';
import { HostExportMismatchError } from '../host/hostErrors';
import { withModelHost } from '../host/modelHost';
import { pickProject } from '../project/pickProject';
import { runsFolderOf } from '../../runs';
import { listExportableRuns } from '../project/runList';
import type { Services } from '../services';
import { projectName } from '../training/trainingManager';
import { describeVerification, exportChoices, exportDestination, latestCompletedRun } from './modelTargets';

export function exportModel(services: Services) {
  /** `runDir`: the run to export (the panel's shown run); otherwise the user picks one. */
  return async (arg?: unknown, runDir?: unknown): Promise<void> => {
    const file = await pickProject(arg, services.layers, 'export a model of');
    if (!file) return;
    const runs = await listExportableRuns(await runsFolderOf(file));
    if (runs.length === 0) {
      void vscode.window.showInformationMessage(`Fine-Tune: ${projectName(file)} has no run with a trained model yet. Run Fine-Tune: Start Training first.`);
      return;
    }
    const latest = latestCompletedRun(runs);
    const given = typeof runDir === 'string' ? runs.find((run) => path.resolve(run.runDir) === path.resolve(runDir)) : undefined;
    const picked = given ? { run: given } : await vscode.window.showQuickPick(
      exportChoices(runs).map((run) => ({
        label: run.runId,
        description: `${run === latest ? 'latest completed · ' : ''}${run.status}${run.valAccuracy === null ? '' : ` · val accuracy ${formatPercent(run.valAccuracy)}`}`,
        run,
      })),
      { title: 'Fine-Tune: export the model of which run?' },
    );
    if (!picked) return;
    const format = await vscode.window.showQuickPick(
      EXPORT_FORMATS.map((info) => ({ label: info.label, description: info.id === DEFAULT_EXPORT_FORMAT ? 'default' : info.id, detail: info.purpose, id: info.id })),
      { title: `Fine-Tune: export run ${picked.run.runId} in which format?` },
    );
    if (!format) return;
    const folder = await vscode.window.showOpenDialog({
      title: 'Export the model into this folder (an empty one, or a new sub-folder is made)',
      canSelectFiles: false,
      canSelectFolders: true,
      canSelectMany: false,
      defaultUri: vscode.Uri.file(path.dirname(file)),
      openLabel: 'Export Here',
    });
    if (!folder?.[0]) return;
    const suffix = format.id === DEFAULT_EXPORT_FORMAT ? '' : `-${format.id}`;
    const destDir = await exportDestination(folder[0].fsPath, `${projectName(file)}-${picked.run.runId}${suffix}`);
    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Fine-Tune: exporting run ${picked.run.runId} and checking the reloaded model…` },
        () => withModelHost({ script: services.context.asAbsolutePath('dist/host.js'), log: services.log }, (host) => host.request(ExportModelRequest, { runDir: picked.run.runDir, destDir, format: format.id })),
      );
      const verified = describeVerification(result.verification);
      services.log.info(`exported ${picked.run.runDir} (${format.id}) to ${result.dir} (${result.files.join(', ')}); ${verified}`);
      const choice = await vscode.window.showInformationMessage(`Fine-Tune: model exported to ${vscode.workspace.asRelativePath(result.dir)}; ${verified}.`, 'Open README', 'Show in Explorer');
      if (choice === 'Open README') await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(path.join(result.dir, 'README.md')));
      // revealInExplorer works in remote and browser windows too, unlike revealFileInOS.
      if (choice === 'Show in Explorer') await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(path.join(result.dir, 'README.md')));
    } catch (error) {
      if (!(error instanceof HostExportMismatchError)) throw error;
      const v = error.verification;
      services.log.error(`export of ${picked.run.runDir} failed verification: ${error.message}`);
      void vscode.window.showErrorMessage(
        `Fine-Tune: export failed its check: the reloaded model predicts differently${v ? ` (largest difference ${v.maxAbsDifference.toExponential(1)} > ${v.tolerance})` : ''}. The exported folder was removed; export again.`,
      );
    }
  };
}
