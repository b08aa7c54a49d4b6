/**
 * The rate groups of a phase with discriminative rates: the model's blocks (model/graphBlocks.ts;
 * the head's `head_*` layers form one block) that hold trained weights, in model order, each with
 * its base rate (learningRates.ts `groupRates`): the first gets `from`, the last (the head) `to`.
 */
import type * as tf from '@tensorflow/tfjs';
import type { PhaseConfig } from '../../protocol/config';
import { weightsTrainedWhenOn } from '../model/freezeApply';
import { graphBlocks } from '../model/graphBlocks';
import { graphLayersOfModel } from '../model/graphLayers';
import { groupRates, isDiscriminative } from './learningRates';

export interface RateGroup {
  /** The block's name (`block_15`, `head`...), as metrics.jsonl `lrGroups` names it. */
  readonly name: string;
  /** The trained layers of the block. */
  readonly layers: readonly string[];
  readonly baseRate: number;
}

/** Null for a phase with one rate. */
export function planRateGroups(model: tf.LayersModel, phase: PhaseConfig, trainable: ReadonlySet<string>): RateGroup[] | null {
  const rate = phase.learningRate;
  if (!isDiscriminative(rate)) return null;
  const trains = (name: string): boolean => trainable.has(name) && weightsTrainedWhenOn(model.getLayer(name)).length > 0;
  const blocks = graphBlocks(graphLayersOfModel(model))
    .map((block) => ({ name: block.name, layers: block.layers.filter(trains) }))
    .filter((block) => block.layers.length > 0);
  const rates = groupRates(rate, blocks.length);
  return blocks.map((block, i) => ({ ...block, baseRate: rates[i] as number }));
}
