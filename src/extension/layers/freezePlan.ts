/**
 * The freeze plan of one phase as the layer tree edits it. The rules (what a spec trains, toggling,
 * freeze up to / unfreeze from, parameter counts) are the engine's pure helpers in
 * src/engine/model/freeze.ts, imported directly so no tfjs reaches the extension bundle. This file adds
 * the tree's single entry point and keeps what it writes back short and readable.
 */
import type { LayerInfo } from '../../protocol/host';
import type { TrainableSpec } from '../../protocol/config';
import { inGroup } from './layerGroups';
import { countParams, freezeUpTo, resolveTrainable, toggleLayers, unfreezeFrom, type SpecSource } from '../../engine/model/freeze';

/** What a click in the tree (or a context-menu command) asks for. */
export type PlanChange =
  | { readonly kind: 'layer'; readonly name: string; readonly trainable: boolean }
  | { readonly kind: 'block'; readonly block: string; readonly trainable: boolean }
  /** Every layer of a nested model; `path` is its containers' names, outermost first. */
  | { readonly kind: 'group'; readonly path: readonly string[]; readonly trainable: boolean }
  | { readonly kind: 'freezeUpTo'; readonly name: string }
  | { readonly kind: 'unfreezeFrom'; readonly name: string };

/** Trainable layer names under `spec`; throws the engine's UserError for a layer that does not exist. */
export function planOf(layers: readonly LayerInfo[], spec: TrainableSpec, source?: SpecSource): Set<string> {
  return resolveTrainable(layers, spec, source);
}

/** Current plan + one change -> new plan. The one place checkbox events and menu commands go through. */
export function applyPlanChange(layers: readonly LayerInfo[], spec: TrainableSpec, change: PlanChange): TrainableSpec {
  let next: TrainableSpec;
  switch (change.kind) {
    case 'layer':
      next = toggleLayers(layers, spec, [change.name], change.trainable);
      break;
    case 'block':
      next = toggleLayers(layers, spec, layers.filter((l) => l.block === change.block).map((l) => l.name), change.trainable);
      break;
    case 'group':
      next = toggleLayers(layers, spec, layers.filter((l) => inGroup(l, change.path)).map((l) => l.name), change.trainable);
      break;
    case 'freezeUpTo':
      next = freezeUpTo(layers, spec, change.name);
      break;
    case 'unfreezeFrom':
      next = unfreezeFrom(layers, spec, change.name);
      break;
    default: {
      const unhandled: never = change;
      throw new Error(`unhandled plan change ${JSON.stringify(unhandled)}`);
    }
  }
  return simplifySpec(layers, next);
}

/**
 * The shortest spec that trains the same weights, so finetune.json stays readable:
 * 'head', 'all', { fromLayer }, else { layers } listing only layers that have weights.
 * Weightless layers (ReLU, Add, pooling) are ignored in the comparison: freezing them changes nothing.
 */
export function simplifySpec(layers: readonly LayerInfo[], spec: TrainableSpec): TrainableSpec {
  const weighted = layers.filter((l) => l.params > 0);
  const wanted = weightedNames(weighted, resolveTrainable(layers, spec));
  const same = (candidate: TrainableSpec): boolean => {
    const names = weightedNames(weighted, resolveTrainable(layers, candidate));
    return names.length === wanted.length && names.every((n, i) => n === wanted[i]);
  };
  if (same('head')) return 'head';
  if (same('all')) return 'all';
  const firstBase = weighted.find((l) => !l.isNew && wanted.includes(l.name));
  if (firstBase && same({ fromLayer: firstBase.name })) return { fromLayer: firstBase.name };
  return { layers: wanted };
}

function weightedNames(weighted: readonly LayerInfo[], trainable: ReadonlySet<string>): string[] {
  return weighted.filter((l) => trainable.has(l.name)).map((l) => l.name);
}

/** Trainable and total parameters under a plan (BatchNorm moving statistics never train). */
export function planParams(layers: readonly LayerInfo[], trainable: ReadonlySet<string>): { trainable: number; total: number } {
  return countParams(layers, trainable);
}
