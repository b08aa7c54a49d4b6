/**
 * Groups the flat layer list into the rows of the tree. Layers of a nested model (their `containers`,
 * outermost first) become a group row per model, nested as the models are; inside a group (and at the
 * top), consecutive layers sharing a block (`block_3_expand`, `block_3_project` -> `block_3`) become
 * one block row when there are two or more; others stay layer rows. Rows hold their children, so the tree hands VS Code the
 * same objects on every call.
 */
import type { LayerContainer, LayerInfo } from '../../protocol/host';
import { formatParams } from '../../shared/format';
import { architectureOf } from './architecture';

export interface GroupRow {
  readonly kind: 'group';
  /** Unique among the rows: the containers' names joined with "/" (plus "#2"... for a model met twice). */
  readonly key: string;
  /** The containers' names, outermost first, up to and including this one. */
  readonly path: readonly string[];
  readonly container: LayerContainer;
  /** Every leaf layer inside, in model order. */
  readonly layers: readonly LayerInfo[];
  readonly children: readonly LayerRow[];
  /** "MobileNetV2-like" when the names of the layers directly inside say so. */
  readonly architecture: string | undefined;
}

export interface BlockRow {
  readonly kind: 'block';
  /** Unique among the rows: the enclosing group's key and the block name. */
  readonly key: string;
  readonly block: string;
  readonly layers: readonly LayerInfo[];
  readonly children: readonly LayerRow[];
}

export type LayerRow = GroupRow | BlockRow | { readonly kind: 'layer'; readonly layer: LayerInfo };

/** The tree's rows for `layers` (top level first; children inside their rows). */
export function groupLayers(layers: readonly LayerInfo[]): LayerRow[] {
  return rowsAt(layers, [], new Map());
}

/** True when `layer` sits inside the nested model at `path` (containers' names, outermost first). */
export function inGroup(layer: LayerInfo, path: readonly string[]): boolean {
  const containers = layer.containers ?? [];
  return path.length > 0 && containers.length >= path.length && path.every((name, i) => containers[i]?.name === name);
}

function rowsAt(layers: readonly LayerInfo[], path: readonly string[], seen: Map<string, number>): LayerRow[] {
  const depth = path.length;
  const rows: LayerRow[] = [];
  let group: { container: LayerContainer; layers: LayerInfo[] } | undefined;
  let block: { block: string; layers: LayerInfo[]; children: LayerRow[] } | undefined;
  const closeGroup = (): void => {
    if (!group) return;
    const groupPath = [...path, group.container.name];
    const base = groupPath.join('/');
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    rows.push({
      kind: 'group',
      key: count === 1 ? base : `${base}#${count}`,
      path: groupPath,
      container: group.container,
      layers: group.layers,
      children: rowsAt(group.layers, groupPath, seen),
      // Only its own layers: the Sequential around a MobileNet is not MobileNet-like itself.
      architecture: architectureOf(group.layers.filter((l) => l.containers?.length === groupPath.length)),
    });
    group = undefined;
  };
  for (const layer of layers) {
    const container = layer.containers?.[depth];
    if (container !== undefined) {
      block = undefined;
      if (group && group.container.name === container.name) group.layers.push(layer);
      else {
        closeGroup();
        group = { container, layers: [layer] };
      }
      continue;
    }
    closeGroup();
    if (layer.block !== null && block !== undefined && block.block === layer.block) {
      block.layers.push(layer);
      block.children.push({ kind: 'layer', layer });
    } else if (layer.block !== null) {
      // The row is pushed once; its arrays grow with the block.
      block = { block: layer.block, layers: [layer], children: [{ kind: 'layer', layer }] };
      const key = depth === 0 ? layer.block : `${path.join('/')}/${layer.block}`;
      rows.push({ kind: 'block', key, ...block });
    } else {
      block = undefined;
      rows.push({ kind: 'layer', layer });
    }
  }
  closeGroup();
  // A block of one layer is a row for nothing (the engine names every layer's block: stem, top, head...).
  return rows.map((row) => (row.kind === 'block' && row.layers.length === 1 ? { kind: 'layer', layer: row.layers[0] } : row));
}

/** Checkbox state of a block or group: checked only when every weighted layer in it is trainable. */
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

/**
 * The description shown after a layer's name: class, output shape, params, BatchNorm mode. Short: the
 * side bar cuts it (the new head's mark is its sparkle icon; the rest is in the tooltip).
 */
export function describeLayer(layer: LayerInfo, trainable: boolean, batchNorm: 'inference' | 'train'): string {
  const parts = [layer.className, formatShape(layer.outputShape), formatParams(layer.params)];
  if (layer.isBatchNorm) parts.push(trainable && batchNorm === 'train' ? 'BN: training' : 'BN: inference');
  return parts.join(' · ');
}

/** Parameters of a group of layers. */
export function sumParams(layers: readonly LayerInfo[]): number {
  return layers.reduce((sum, l) => sum + l.params, 0);
}

/**
 * The description after a group's name, short because the row is indented in a side bar:
 * "MobileNetV2-like · 155 layers", else the container's class, "Sequential · 3 layers" (params in the tooltip).
 */
export function describeGroup(row: GroupRow, state: ReturnType<typeof blockState>): string {
  const parts = [row.architecture ?? row.container.className, layerCount(row.layers.length)];
  // No "new" mark: the head's layer rows carry it, and the row has no room to spare.
  if (state === 'some') parts.push('partly');
  return parts.join(' · ');
}

/** "1 layer", "33 layers". */
export function layerCount(n: number): string {
  return `${n} layer${n === 1 ? '' : 's'}`;
}
