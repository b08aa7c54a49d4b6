/**
 * Discriminative rates: one tfjs optimizer per rate group (a block, the head), behind one
 * `tf.Optimizer` so `compile` and `trainOnBatch` stay as they are. `applyGradients` hands each
 * variable's gradient to its group's optimizer (a variable no group names goes to the last, the
 * head's). Each group optimizer keeps its own moments; optimizerState.ts saves and restores them all.
 */
import * as tf from '@tensorflow/tfjs';
import type { OptimizerName } from '../../protocol/config';
import { makeOptimizer } from './optimizers';
import type { NamedTensor } from './weightsFile';

export interface OptimizerGroup {
  readonly name: string;
  readonly optimizer: tf.Optimizer;
  /** The group's trained variables, in the model's `trainableWeights` order (the order its optimizer sees them). */
  readonly variables: readonly tf.LayerVariable[];
}

export class GroupedOptimizer extends tf.Optimizer {
  static readonly className = 'FineTuneGuideGroupedOptimizer';
  private readonly groupOf = new Map<string, number>();

  constructor(readonly groups: readonly OptimizerGroup[]) {
    super();
    if (groups.length === 0) throw new Error('A grouped optimizer needs at least one group.');
    groups.forEach((group, i) => { for (const variable of group.variables) this.groupOf.set(variable.name, i); });
  }

  /** The head's (last group's) optimizer: its rate is the phase's reported `lr`. */
  get head(): tf.Optimizer {
    return (this.groups[this.groups.length - 1] as OptimizerGroup).optimizer;
  }

  applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const named = Array.isArray(variableGradients)
      ? variableGradients
      : Object.entries(variableGradients).map(([name, tensor]) => ({ name, tensor }));
    const perGroup = this.groups.map((): NamedTensor[] => []);
    for (const entry of named) perGroup[this.groupOf.get(entry.name) ?? this.groups.length - 1]?.push(entry);
    perGroup.forEach((gradients, i) => { if (gradients.length > 0) this.groups[i]?.optimizer.applyGradients(gradients); });
  }

  override dispose(): void {
    for (const group of this.groups) group.optimizer.dispose();
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { learningRate: Number(this.head.getConfig()['learningRate']) };
  }

  // The group optimizers' state goes through optimizerState.ts, which knows the groups.
  override async getWeights(): Promise<NamedTensor[]> {
    throw new Error('GroupedOptimizer state is read per group (optimizerState.ts).');
  }

  override async setWeights(): Promise<void> {
    throw new Error('GroupedOptimizer state is written per group (optimizerState.ts).');
  }
}

export function isGrouped(optimizer: tf.Optimizer): optimizer is GroupedOptimizer {
  return optimizer.getClassName() === GroupedOptimizer.className;
}

/** The phase's optimizer: one over every variable, or one per rate group of `model`'s trainable weights. */
export function makeGroupedOptimizer(name: OptimizerName, model: tf.LayersModel, groups: readonly { name: string; layers: readonly string[]; baseRate: number }[]): GroupedOptimizer {
  const layerGroup = new Map<string, number>();
  groups.forEach((group, i) => { for (const layer of group.layers) layerGroup.set(layer, i); });
  const variableGroup = new Map<string, number>();
  for (const layer of model.layers) {
    const index = layerGroup.get(layer.name);
    if (index !== undefined) for (const variable of layer.trainableWeights) variableGroup.set(variable.name, index);
  }
  const variables = groups.map((): tf.LayerVariable[] => []);
  for (const variable of model.trainableWeights) variables[variableGroup.get(variable.name) ?? groups.length - 1]?.push(variable);
  return new GroupedOptimizer(groups.map((group, i) => ({ name: group.name, optimizer: makeOptimizer(name, group.baseRate), variables: variables[i] ?? [] })));
}
