/** Layer context menu: Unfreeze From Here (this layer and every later one, in the selected phase). */
import type { Services } from '../services';
import { layerNameOf } from './layerArg';

export function unfreezeFrom(services: Services) {
  return async (node?: unknown): Promise<void> => {
    const name = layerNameOf(node, 'first');
    if (name) await services.layers.change({ kind: 'unfreezeFrom', name });
  };
}
