/** Fine-Tune: Inspect Model — any model file (model.json, .h5, .keras) or a built-in model as a read-only layer tree. */
import * as vscode from 'vscode';
import { builtinModels, builtinRef } from '../../engine/model/builtins';
import { MODEL_FILE_FILTERS } from '../project/importChoices';
import type { Services } from '../services';

export function inspectModel(services: Services) {
  return async (arg?: unknown): Promise<void> => {
    let target = arg instanceof vscode.Uri ? arg.fsPath : typeof arg === 'string' ? arg : undefined;
    if (!target) {
      const choice = await vscode.window.showQuickPick(
        [
          ...builtinModels().map((builtin) => ({ label: `Built-in ${builtin.label}`, description: builtinRef(builtin), detail: builtin.provenance, target: builtinRef(builtin) })),
          { label: 'A model file on disk…', description: 'TensorFlow.js model.json, Keras .h5 or .keras', target: '' },
        ],
        { title: 'Fine-Tune: Inspect Model', placeHolder: 'Which model?' },
      );
      if (!choice) return;
      target = choice.target || (await pickModelFile());
    }
    if (!target) return;
    await services.layers.reveal();
    await services.layers.openModel(target);
  };
}

/** The open dialog for a model file of any format the engine reads. */
export async function pickModelFile(): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: 'Choose a model file (TensorFlow.js model.json, Keras .h5 or .keras)',
    canSelectMany: false,
    filters: { ...MODEL_FILE_FILTERS },
    openLabel: 'Use This Model',
  });
  return picked?.[0]?.fsPath;
}
