/**
 * Groups the flat layer list into the rows of the tree: consecutive layers sharing a block prefix
 * (`block_3_expand`, `block_3_project` -> `block_3`) become one block row; others stay top-level.
 */
import type { LayerInfo } from '../../protocol/host';
import { formatParams } from '../../shared/format';

export type LayerRow =
  | { readonly kind: 'block'; readonly block: string; readonly layers: readonly LayerInfo[] }
  | { readonly kind: 'layer'; readonly layer: LayerInfo };

export function groupLayers(layers: readonly LayerInfo[]): LayerRow[] {
  const rows: LayerRow[] = [];
  let open: { block: string; layers: LayerInfo[] } | undefined;
  for (const layer of layers) {
    if (layer.block !== null && open !== undefined && open.block === layer.block) {
      open.layers.push(layer);
    } else if (layer.block !== null) {
      open = { block: layer.block, layers: [layer] };
      rows.push({ kind: 'block', block: open.block, layers: open.layers });
    } else {
      open = undefined;
      rows.push({ kind: 'layer', layer });
    }
  }
  return rows;
}

/** Checkbox state of a block: checked only when every weighted layer in it is trainable. */
export function blockState(
  layers: readonly LayerInfo[],
  trainable: ReadonlySet<string>,
): 'all' | 'none' | 'some' | 'noWeights' {
  const weighted = layers.filter((l) => l.params > 0);
  if (weighted.length === 0) return 'noWeights';
  const on = weighted.filter((l) => trainable.has(l.name)).length;
  return on === weighted.length ? 'all' : on === 0 ? 'none' : 'some';
}

/** A shape like [null, 7, 7, 1280] shown as "7×7×1280"; several outputs joined with ", ". */
export function formatShape(shape: LayerInfo['outputShape']): string {
  const one = (s: readonly (number | null)[]): string => s.slice(1).map((d) => (d === null ? '?' : String(d))).join('×');
  if (shape.length > 0 && Array.isArray(shape[0])) return (shape as readonly (readonly (number | null)[])[]).map(one).join(', ');
  return one(shape as readonly (number | null)[]);
}

/** The description shown after a layer's name: class, output shape, params, and marks. */
export function describeLayer(layer: LayerInfo, trainable: boolean, batchNorm: 'inference' | 'train'): string {
  const parts = [layer.className, formatShape(layer.outputShape), `${formatParams(layer.params)} params`];
  if (layer.isBatchNorm) parts.push(trainable && batchNorm === 'train' ? 'BN: training' : 'BN: inference');
  if (layer.isNew) parts.push('new');
  return parts.join(' · ');
}

/** Parameters of a group of layers. */
export function sumParams(layers: readonly LayerInfo[]): number {
  return layers.reduce((sum, l) => sum + l.params, 0);
}
