/**
 * `data.balance: "weights"`: each training target row is scaled by its class's weight. Categorical
 * cross-entropy is -sum(y * log p), so a one-hot row times w gives w * the sample's loss: the weighted loss,
 * with no change to the training step (tfjs' trainOnBatch takes no sample weights). The accuracy metric
 * compares arg-maxes, which the scaling leaves alone. Validation targets stay one-hot, so val_loss, early
 * stopping and the kept weights are judged on the plain loss.
 */
import * as tf from '@tensorflow/tfjs';
import type { SplitBatchSource } from '../data';
import { mapTargets } from './mapTargets';

export function weightedTargets(source: SplitBatchSource, weights: readonly number[]): SplitBatchSource {
  const row = Float32Array.from(weights);
  return mapTargets(source, (ys) => tf.mul(ys, tf.tensor2d(row, [1, row.length])) as tf.Tensor2D);
}
