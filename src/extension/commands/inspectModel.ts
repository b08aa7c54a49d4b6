/** Fine-Tune: Inspect Model — any model.json (or a built-in model) as a read-only layer tree. */
import * as vscode from 'vscode';
import { builtinModels, builtinRef } from '../../engine/model/builtins';
import type { Services } from '../services';

export function inspectModel(services: Services) {
  return async (arg?: unknown): Promise<void> => {
    let target = arg instanceof vscode.Uri ? arg.fsPath : typeof arg === 'string' ? arg : undefined;
    if (!target) {
      const choice = await vscode.window.showQuickPick(
        [
          ...builtinModels().map((builtin) => ({ label: `Built-in ${builtin.label}`, description: builtinRef(builtin), detail: builtin.provenance, target: builtinRef(builtin) })),
          { label: 'A model.json on disk…', description: 'TensorFlow.js LayersModel', target: '' },
        ],
        { title: 'Fine-Tune: Inspect Model', placeHolder: 'Which model?' },
      );
      if (!choice) return;
      target = choice.target || (await pickModelJson());
    }
    if (!target) return;
    await services.layers.reveal();
    await services.layers.openModel(target);
  };
}

export async function pickModelJson(): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: 'Choose a TensorFlow.js model.json',
    canSelectMany: false,
    filters: { 'TensorFlow.js model': ['json'] },
    openLabel: 'Use This Model',
  });
  return picked?.[0]?.fsPath;
}
