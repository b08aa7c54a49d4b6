/**
 * The freeze plan of one phase as the layer tree sees it: which layers are trainable. Pure, no vscode,
 * so the checkbox logic is unit-tested in plain Node. Only layers with weights take part: a ReLU or Add
 * has nothing to freeze.
 */
import type { LayerInfo } from '../../protocol/host';
import type { TrainableSpec } from '../../engine/config/types';

/** What a click in the tree (or a context-menu command) asks for. */
export type PlanChange =
  | { readonly kind: 'layer'; readonly name: string; readonly trainable: boolean }
  | { readonly kind: 'block'; readonly block: string; readonly trainable: boolean }
  | { readonly kind: 'freezeUpTo'; readonly name: string }
  | { readonly kind: 'unfreezeFrom'; readonly name: string };

/** Layers that own weights, in model order. */
export function weightedLayers(layers: readonly LayerInfo[]): LayerInfo[] {
  return layers.filter((layer) => layer.params > 0);
}

/** The set of trainable weighted layer names that a phase's `trainable` spec means for this model. */
export function resolveTrainable(layers: readonly LayerInfo[], spec: TrainableSpec): Set<string> {
  const weighted = weightedLayers(layers);
  const head = weighted.filter((l) => l.isNew).map((l) => l.name);
  const base = weighted.filter((l) => !l.isNew);
  if (spec === 'all') return new Set(weighted.map((l) => l.name));
  if (spec === 'head') return new Set(head);
  if ('layers' in spec) {
    const wanted = new Set(spec.layers);
    return new Set(weighted.filter((l) => wanted.has(l.name)).map((l) => l.name));
  }
  if ('fromLayer' in spec) {
    const start = layers.findIndex((l) => l.name === spec.fromLayer);
    if (start < 0) return new Set(head);
    const order = new Map(layers.map((l, i) => [l.name, i]));
    return new Set([...base.filter((l) => (order.get(l.name) ?? -1) >= start).map((l) => l.name), ...head]);
  }
  return new Set([...lastBlocksOf(layers, spec.lastBlocks), ...head]);
}

/** Base layers of the last `count` blocks, plus the unblocked base layers after the last block. */
function lastBlocksOf(layers: readonly LayerInfo[], count: number): string[] {
  const base = layers.filter((l) => !l.isNew);
  const blocks = [...new Set(base.map((l) => l.block).filter((b): b is string => b !== null))];
  if (count <= 0 || blocks.length === 0) return [];
  const firstBlock = blocks[Math.max(0, blocks.length - count)];
  const start = base.findIndex((l) => l.block === firstBlock);
  return base.slice(start).filter((l) => l.params > 0).map((l) => l.name);
}

/** Current plan + one change -> new plan. The single place checkbox events and menu commands go through. */
export function applyPlanChange(
  layers: readonly LayerInfo[],
  current: ReadonlySet<string>,
  change: PlanChange,
): Set<string> {
  const next = new Set(current);
  const weighted = weightedLayers(layers);
  const set = (names: readonly string[], trainable: boolean): void => {
    for (const name of names) {
      if (trainable) next.add(name);
      else next.delete(name);
    }
  };
  switch (change.kind) {
    case 'layer':
      if (weighted.some((l) => l.name === change.name)) set([change.name], change.trainable);
      break;
    case 'block':
      set(weighted.filter((l) => l.block === change.block).map((l) => l.name), change.trainable);
      break;
    case 'freezeUpTo': {
      const end = layers.findIndex((l) => l.name === change.name);
      set(weighted.filter((l) => layers.indexOf(l) <= end).map((l) => l.name), false);
      break;
    }
    case 'unfreezeFrom': {
      const start = layers.findIndex((l) => l.name === change.name);
      if (start >= 0) set(weighted.filter((l) => layers.indexOf(l) >= start).map((l) => l.name), true);
      break;
    }
    default: {
      const unknownChange: never = change;
      throw new Error(`unhandled plan change ${JSON.stringify(unknownChange)}`);
    }
  }
  return next;
}

/**
 * The shortest `trainable` spec that means exactly this set, so the file stays readable:
 * 'head', 'all', { fromLayer }, else the explicit { layers } list in model order.
 */
export function specFor(layers: readonly LayerInfo[], trainable: ReadonlySet<string>): TrainableSpec {
  const weighted = weightedLayers(layers);
  const names = weighted.filter((l) => trainable.has(l.name)).map((l) => l.name);
  const same = (spec: TrainableSpec): boolean => {
    const resolved = resolveTrainable(layers, spec);
    return resolved.size === names.length && names.every((n) => resolved.has(n));
  };
  if (same('head')) return 'head';
  if (same('all')) return 'all';
  const firstTrainableBase = weighted.find((l) => !l.isNew && trainable.has(l.name));
  if (firstTrainableBase && same({ fromLayer: firstTrainableBase.name })) return { fromLayer: firstTrainableBase.name };
  return { layers: names };
}

/** Trainable and total parameters of the model under this plan (BatchNorm moving stats count as total only). */
export function countPlanParams(
  layers: readonly LayerInfo[],
  trainable: ReadonlySet<string>,
): { trainable: number; total: number } {
  let total = 0;
  let trainableCount = 0;
  for (const layer of layers) {
    total += layer.params;
    if (trainable.has(layer.name)) trainableCount += trainableWeightsOf(layer);
  }
  return { trainable: trainableCount, total };
}

/**
 * Weights a layer trains when it is unfrozen. BatchNorm's moving mean/variance never train, so only
 * gamma/beta count; when the model file had the layer frozen (trainableParams 0) we infer that split.
 */
export function trainableWeightsOf(layer: LayerInfo): number {
  if (layer.trainableParams > 0) return layer.trainableParams;
  return layer.isBatchNorm ? layer.params / 2 : layer.params;
}
