/** The layer a tree context-menu command was invoked on (a layer row, or a block's last/first layer). */
import type { LayerNode } from '../layers/layerTreeItems';

export function layerNameOf(node: unknown, end: 'first' | 'last' = 'last'): string | undefined {
  if (typeof node === 'string') return node;
  if (typeof node !== 'object' || node === null || !('kind' in node)) return undefined;
  const row = node as LayerNode;
  if (row.kind === 'layer') return row.layer.name;
  const layers = row.layers;
  return (end === 'last' ? layers[layers.length - 1] : layers[0])?.name;
}
