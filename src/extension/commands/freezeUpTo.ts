/** Layer context menu: Freeze Up to Here (this layer and every earlier one, in the selected phase). */
import type { Services } from '../services';
import { layerNameOf } from './layerArg';

export function freezeUpTo(services: Services) {
  return async (node?: unknown): Promise<void> => {
    const name = layerNameOf(node);
    if (name) await services.layers.change({ kind: 'freezeUpTo', name });
  };
}
