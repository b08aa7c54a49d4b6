/**
 * Fine-Tune: Find Learning Rate — asks which phase (when finetune.json has more than one), runs
 * `finetune-guide lr-find` in a child process with a cancellable progress notification, then offers
 * "Use X for phase N" (writes the rate into that phase's `learningRate`, comments kept, Undo works)
 * and "Open Chart" (the PNG the CLI wrote); the training panel shows the curve.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatRate } from '../../shared/format';
import { pickProject } from '../project/pickProject';
import { readProjectView, type PhaseView } from '../project/projectText';
import { runCliLrFind, type LrFindLine } from '../project/runCliLrFind';
import { writeLearningRate } from '../project/writeLearningRate';
import type { Services } from '../services';

export function findLearningRate(services: Services) {
  return async (arg?: unknown): Promise<void> => {
    const file = await pickProject(arg, services.layers, 'find a learning rate for');
    if (!file) return;
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('Fine-Tune: the learning-rate finder runs the project\'s model; trust this workspace first.');
      return;
    }
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    const { phases } = readProjectView(document.getText(), file);
    const phaseIndex = await pickPhase(phases, services.layers.projectFile === file ? services.layers.selectedPhase : 0);
    if (phaseIndex === undefined) return;
    const phase = phaseIndex + 1;
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Fine-Tune: finding a learning rate for phase ${phase} "${phases[phaseIndex]?.name ?? ''}"`, cancellable: true },
      (_progress, token) => {
        const run = runCliLrFind(services.cliScript, file, phase, (line) => services.log.info(line));
        const cancel = token.onCancellationRequested(run.cancel);
        return run.done.finally(() => cancel.dispose());
      },
    );
    if (!result) return;
    // The panel draws the curve too (every phase's last sweep).
    services.panel.showLrFind(path.dirname(file));
    await offerResult(file, phaseIndex, result);
  };
}

/** The phase to sweep: the only one, or the one picked (the layer tree's phase first). */
async function pickPhase(phases: readonly PhaseView[], preferred: number): Promise<number | undefined> {
  if (phases.length === 1) return 0;
  const items = phases.map((phase, index) => ({ label: `${index + 1}. ${phase.name}`, description: `trainable: ${typeof phase.trainable === 'string' ? phase.trainable : JSON.stringify(phase.trainable)}`, index }));
  const first = items[preferred];
  const ordered = first ? [first, ...items.filter((item) => item !== first)] : items;
  const picked = await vscode.window.showQuickPick(ordered, { title: 'Fine-Tune: find a learning rate for which phase?' });
  return picked?.index;
}

async function offerResult(file: string, phaseIndex: number, result: LrFindLine): Promise<void> {
  const openChart = 'Open Chart';
  const openIt = (): Thenable<unknown> => vscode.commands.executeCommand('vscode.open', vscode.Uri.file(result.chart));
  if (result.suggestion === null) {
    const choice = await vscode.window.showWarningMessage(`Fine-Tune: phase ${result.phase} "${result.phaseName}": the sweep stopped after ${result.steps} steps, too few to suggest a rate; see the chart.`, openChart);
    if (choice === openChart) await openIt();
    return;
  }
  const rate = formatRate(result.suggestion);
  const use = `Use ${rate} for phase ${result.phase}`;
  const message = `Fine-Tune: suggested learning rate for phase ${result.phase} "${result.phaseName}": ${rate} (valley of the loss over ${result.steps} steps).`;
  let choice = await vscode.window.showInformationMessage(message, use, openChart);
  if (choice === openChart) {
    await openIt();
    // The chart is open beside the question: ask once more.
    choice = await vscode.window.showInformationMessage(message, use);
  }
  if (choice === use) await writeLearningRate(file, phaseIndex, result.suggestion);
}
