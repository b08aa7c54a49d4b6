/**
 * Fine-Tune: New Project — base model (a built-in model or a model file: model.json, .h5, .keras), data
 * (built-in demo or a folder), project folder; writes finetune.json with the two-phase recipe and opens it
 * and the layers. A model file also gets the questions in modelFileQuestions.ts.
 */
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { builtinModels, builtinRef, DEFAULT_BUILTIN } from '../../engine/model/builtins';
import type { Services } from '../services';
import { PROJECT_FILE } from '../project/pickProject';
import { runCliInit, type InitChoice } from '../project/runCliInit';
import { pickModelFile } from './inspectModel';
import { askKeepClassifier, askPixelRange, inspectModelFile } from './modelFileQuestions';

export function newProject(services: Services) {
  return async (): Promise<void> => {
    const model = await vscode.window.showQuickPick(
      [
        ...builtinModels().map((builtin) => ({ label: `Built-in ${builtin.label}`, description: 'ships with the extension', detail: builtin.provenance, value: builtinRef(builtin) })),
        { label: 'A model file on disk…', description: 'TensorFlow.js model.json, Keras .h5 or .keras (Teachable Machine exports too)', value: '' },
      ],
      { title: 'Fine-Tune: New Project (1/3) — base model', placeHolder: 'Which pre-trained model do you start from?', ignoreFocusOut: true },
    );
    if (!model) return;
    const base = model.value || (await pickModelFile());
    if (!base) return;
    const inspected = model.value ? undefined : await inspectModelFile(services, base);
    if (!model.value && !inspected) return;
    const pixelRange = inspected ? await askPixelRange(inspected) : undefined;
    if (pixelRange === null) return;
    const data = await vscode.window.showQuickPick(
      [
        { label: 'Built-in demo data', description: 'a small Fashion-MNIST sample, copied into the project', value: 'demo' },
        { label: 'An image folder on disk…', description: 'one sub-folder per class', value: '' },
      ],
      { title: 'Fine-Tune: New Project (2/3) — data', placeHolder: 'Which images do you train on?', ignoreFocusOut: true },
    );
    if (!data) return;
    const dataFolder = data.value === 'demo' ? 'demo' : (await pickFolder('Choose the image folder (one sub-folder per class)', 'Use These Images'))?.fsPath;
    if (!dataFolder) return;
    const keepClassifier = inspected && dataFolder !== 'demo' ? await askKeepClassifier(services, inspected, dataFolder) : false;
    if (keepClassifier === null) return;
    const projectDir = (await pickFolder('Choose the project folder (finetune.json is written here)', 'Create Project Here'))?.fsPath;
    if (!projectDir) return;
    const projectFile = path.join(projectDir, PROJECT_FILE);
    if (await stat(projectFile).catch(() => undefined)) {
      const choice = await vscode.window.showWarningMessage(`Fine-Tune: ${projectFile} already exists; a new project is never written over it.`, 'Open It');
      if (choice) await openProject(services, projectFile);
      return;
    }
    const choice: InitChoice =
      base === builtinRef(DEFAULT_BUILTIN) && dataFolder === 'demo'
        ? { demo: true }
        : {
            model: base,
            data: dataFolder === 'demo' ? services.context.asAbsolutePath(path.join('assets', 'demo-data', 'fashion')) : dataFolder,
            pixelRange,
            keepClassifier,
          };
    try {
      const outcome = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Fine-Tune: creating the project…' },
        () => runCliInit(services.cliScript, projectDir, choice),
      );
      services.log.info(outcome.output.trim());
      await openProject(services, projectFile);
      if (!vscode.workspace.getWorkspaceFolder(vscode.Uri.file(projectDir))) {
        const add = await vscode.window.showInformationMessage(`Fine-Tune: project created in ${projectDir}, outside this workspace.`, 'Add Folder to Workspace');
        if (add) vscode.workspace.updateWorkspaceFolders(vscode.workspace.workspaceFolders?.length ?? 0, 0, { uri: vscode.Uri.file(projectDir) });
      }
    } catch (error) {
      services.log.error(`new project: ${error instanceof Error ? error.message : String(error)}`);
      void vscode.window.showErrorMessage(`Fine-Tune: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
}

async function pickFolder(title: string, openLabel: string): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title,
    openLabel,
    canSelectFiles: false,
    canSelectFolders: true,
    canSelectMany: false,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  return picked?.[0];
}

async function openProject(services: Services, projectFile: string): Promise<void> {
  await vscode.window.showTextDocument(vscode.Uri.file(projectFile), { preview: false });
  await services.layers.reveal();
  await services.layers.openProject(projectFile);
}
