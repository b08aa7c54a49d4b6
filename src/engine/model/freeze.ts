/**
 * Freeze plans as pure functions over layer rows (no tfjs): which layers a `TrainableSpec` trains,
 * the edits the layer tree makes (toggle, freeze up to, unfreeze from), and parameter counts.
 */
import type { LayerInfo } from '../../protocol/host';
import type { TrainableSpec } from '../../protocol/config';
import { UserError } from '../../shared/userError';
import { STEM_BLOCK, TOP_BLOCK } from './blocks';

/** The rows a plan needs; `LayerInfo` has them all. */
export type FreezeLayer = Pick<LayerInfo, 'name' | 'isNew' | 'params' | 'isBatchNorm' | 'block'>;

/** Where a spec came from, so an error names the real file and field (e.g. `phases[1].trainable`). */
export interface SpecSource {
  readonly file: string;
  readonly field: string;
}

const DEFAULT_SOURCE: SpecSource = { file: 'finetune.json', field: 'trainable' };

function unknownLayer(name: string, layers: readonly FreezeLayer[], source: SpecSource): UserError {
  const base = layers.filter((l) => !l.isNew && l.params > 0).slice(-4).map((l) => `"${l.name}"`);
  return new UserError(
    `"${shortName(name)}" is not a layer of the prepared model.`,
    source.file,
    `Use a layer name from \`finetune-guide inspect finetune.json\` (for example ${base.join(', ')}).`,
    source.field,
  );
}

/** A name cut to a readable length for a message (a pasted blob must not flood the terminal). */
function shortName(name: string): string {
  return name.length <= 80 ? name : `${name.slice(0, 60)}... (${name.length} characters)`;
}

/**
 * Groups for `lastBlocks`, in model order: named blocks; layers after the last block (`top`, or
 * unnamed) count with it, as Keras tutorials do. A model without block names gets one group per
 * layer with weights.
 */
function blockGroups(base: readonly FreezeLayer[]): string[][] {
  const named = base.some((l) => l.block !== null && l.block !== STEM_BLOCK && l.block !== TOP_BLOCK);
  const groups: string[][] = [];
  let current: string[] | undefined;
  let currentKey: string | null = null;
  for (const layer of base) {
    const key = named ? layer.block : layer.params > 0 ? layer.name : null;
    const startsGroup = key !== null && key !== TOP_BLOCK && key !== currentKey;
    if (startsGroup || !current) {
      current = [];
      groups.push(current);
      if (key !== null && key !== TOP_BLOCK) currentKey = key;
    }
    current.push(layer.name);
  }
  return groups;
}

/** Names of the layers `spec` trains. A name that does not exist throws a UserError. */
export function resolveTrainable(layers: readonly FreezeLayer[], spec: TrainableSpec, source: SpecSource = DEFAULT_SOURCE): Set<string> {
  const head = layers.filter((l) => l.isNew).map((l) => l.name);
  const base = layers.filter((l) => !l.isNew);
  if (spec === 'head') return new Set(head);
  if (spec === 'all') return new Set(layers.map((l) => l.name));
  if ('fromLayer' in spec) {
    const index = base.findIndex((l) => l.name === spec.fromLayer);
    if (index < 0) throw unknownLayer(spec.fromLayer, layers, { ...source, field: `${source.field}.fromLayer` });
    return new Set([...base.slice(index).map((l) => l.name), ...head]);
  }
  if ('lastBlocks' in spec) {
    const groups = blockGroups(base);
    return new Set([...groups.slice(Math.max(0, groups.length - spec.lastBlocks)).flat(), ...head]);
  }
  const known = new Set(layers.map((l) => l.name));
  for (const name of spec.layers) if (!known.has(name)) throw unknownLayer(name, layers, { ...source, field: `${source.field}.layers` });
  return new Set(spec.layers);
}

function asSpec(layers: readonly FreezeLayer[], trainable: ReadonlySet<string>): TrainableSpec {
  return { layers: layers.filter((l) => trainable.has(l.name)).map((l) => l.name) };
}

/** The plan with `names` switched to `trainable` (the tree's checkboxes). */
export function toggleLayers(layers: readonly FreezeLayer[], spec: TrainableSpec, names: readonly string[], trainable: boolean): TrainableSpec {
  const set = resolveTrainable(layers, spec);
  const known = new Set(layers.map((l) => l.name));
  for (const name of names) {
    if (!known.has(name)) throw unknownLayer(name, layers, DEFAULT_SOURCE);
    if (trainable) set.add(name);
    else set.delete(name);
  }
  return asSpec(layers, set);
}

function indexOfLayer(layers: readonly FreezeLayer[], name: string): number {
  const index = layers.findIndex((l) => l.name === name);
  if (index < 0) throw unknownLayer(name, layers, DEFAULT_SOURCE);
  return index;
}

/** Freezes every layer up to and including `name`; later layers keep their state. */
export function freezeUpTo(layers: readonly FreezeLayer[], spec: TrainableSpec, name: string): TrainableSpec {
  const index = indexOfLayer(layers, name);
  return toggleLayers(layers, spec, layers.slice(0, index + 1).map((l) => l.name), false);
}

/** Unfreezes `name` and every later layer (head included); earlier layers keep their state. */
export function unfreezeFrom(layers: readonly FreezeLayer[], spec: TrainableSpec, name: string): TrainableSpec {
  const index = indexOfLayer(layers, name);
  return toggleLayers(layers, spec, layers.slice(index).map((l) => l.name), true);
}

/**
 * Parameters trained under a plan. A trainable BatchNormalization layer trains gamma and beta but
 * never its moving mean and variance, so it counts half its parameters.
 */
export function countParams(layers: readonly FreezeLayer[], trainable: ReadonlySet<string>): { trainable: number; total: number } {
  let total = 0;
  let trained = 0;
  for (const layer of layers) {
    total += layer.params;
    if (trainable.has(layer.name)) trained += layer.isBatchNorm ? layer.params / 2 : layer.params;
  }
  return { trainable: trained, total };
}
