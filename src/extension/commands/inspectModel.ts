/** Fine-Tune: Inspect Model — any model.json (or the built-in MobileNetV2) as a read-only layer tree. */
import * as vscode from 'vscode';
import type { Services } from '../services';

const BUILTIN = 'builtin:mobilenet_v2';

export function inspectModel(services: Services) {
  return async (arg?: unknown): Promise<void> => {
    let target = arg instanceof vscode.Uri ? arg.fsPath : typeof arg === 'string' ? arg : undefined;
    if (!target) {
      const choice = await vscode.window.showQuickPick(
        [
          { label: 'Built-in MobileNetV2', description: BUILTIN, target: BUILTIN },
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
