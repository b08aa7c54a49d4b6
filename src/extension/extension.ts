/**
 * Fine-Tune Guide's entry point (dist/extension.js). Creates the log, the layer tree, the training
 * manager and the panel, and registers the commands. No tfjs here: inspect and training run in the
 * forked host (dist/host.js), project creation in the CLI (dist/cli.js).
 */
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { registerDiagnostics } from './diagnostics';
import { Inspector } from './host/inspector';
import { LayerTree } from './layers/layerTree';
import { TrainingPanel } from './panel';
import type { Services } from './services';
import { TrainingManager } from './training/trainingManager';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Fine-Tune Guide', { log: true });
  const hostScript = context.asAbsolutePath('dist/host.js');
  const inspector = new Inspector({ script: hostScript, log });
  const layers = new LayerTree(inspector, log);
  const panel = new TrainingPanel(context);
  const config = registerDiagnostics(layers);
  const trainings = new TrainingManager({ hostScript, log, panel, problemsIn: (file) => config.diagnostics.problemPlaces(file) });
  const services: Services = { context, log, layers, trainings, panel, inspector, cliScript: context.asAbsolutePath('dist/cli.js') };
  const setTrainingContext = (): Thenable<unknown> => vscode.commands.executeCommand('setContext', 'finetuneGuide.training', trainings.running.length > 0);
  context.subscriptions.push(
    log,
    { dispose: () => inspector.dispose() },
    layers,
    ...config.disposables,
    panel,
    trainings,
    trainings.onDidChange(() => void setTrainingContext()),
    ...registerCommands(services),
  );
  void setTrainingContext();
  void openProjectOfActiveEditor(layers);
  log.info(`Fine-Tune Guide activated (workspace ${vscode.workspace.isTrusted ? 'trusted' : 'restricted: training disabled'})`);
}

/** Shows the layers of the finetune.json being edited, so the tree is never empty when it could be full. */
async function openProjectOfActiveEditor(layers: LayerTree): Promise<void> {
  const found = vscode.window.activeTextEditor?.document.uri.fsPath.endsWith('finetune.json')
    ? [vscode.window.activeTextEditor.document.uri]
    : await vscode.workspace.findFiles('**/finetune.json', '**/node_modules/**', 2);
  if (found.length === 1 && !layers.projectFile) await layers.openProject(found[0].fsPath);
}

export function deactivate(): void {
  // Everything is in context.subscriptions; disposing them kills the host processes.
}
