/** Fine-Tune: Refresh Layers — re-reads finetune.json and re-inspects the model. */
import type { Services } from '../services';

export function refreshLayers(services: Services) {
  return async (): Promise<void> => {
    const file = services.layers.projectFile;
    if (file) await services.layers.openProject(file);
  };
}
