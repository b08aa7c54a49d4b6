/** Fine-Tune: Open Layers — the layer tree of a finetune.json (also in the Explorer context menu). */
import type { Services } from '../services';
import { pickProject } from '../project/pickProject';

export function openLayers(services: Services) {
  return async (arg?: unknown): Promise<void> => {
    const file = await pickProject(arg, services.layers, 'show the layers of');
    if (!file) return;
    await services.layers.reveal();
    await services.layers.openProject(file);
  };
}
