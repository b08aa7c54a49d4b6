/** Fine-Tune: Select Phase — which phase's freeze plan the layer tree shows and edits. */
import * as vscode from 'vscode';
import type { Services } from '../services';

export function selectPhase(services: Services) {
  return async (index?: unknown): Promise<void> => {
    const phases = services.layers.phases;
    if (phases.length === 0) {
      void vscode.window.showInformationMessage('Fine-Tune: open a finetune.json in the Layers view first ("Fine-Tune: Open Layers").');
      return;
    }
    if (typeof index === 'number') {
      services.layers.selectPhase(index);
      return;
    }
    const picked = await vscode.window.showQuickPick(
      phases.map((phase, i) => ({
        label: `${i + 1}. ${phase.name}`,
        description: `trainable: ${typeof phase.trainable === 'string' ? phase.trainable : JSON.stringify(phase.trainable)}`,
        detail: `BatchNorm: ${phase.batchNorm} mode`,
        picked: i === services.layers.selectedPhase,
        index: i,
      })),
      { title: 'Fine-Tune: show and edit the freeze plan of which phase?' },
    );
    if (picked) services.layers.selectPhase(picked.index);
  };
}
