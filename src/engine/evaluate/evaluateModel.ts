/** Runs a model over a data split and turns its predictions into an Evaluation. */
import * as tf from '@tensorflow/tfjs';
import type { Evaluation } from '../../protocol/evaluation';
import { classProbabilities } from '../model/classProbabilities';
import { computeEvaluation, type EvaluationOptions } from './metrics';

/** One batch as the data module yields it; the consumer disposes `xs` and `ys`. */
export interface LabelledBatch {
  /** Model inputs, e.g. [n, size, size, 3] images. */
  readonly xs: tf.Tensor;
  /** One-hot labels. */
  readonly ys: tf.Tensor2D;
  readonly files: readonly string[];
}

export type EvaluationSplit = 'train' | 'validation' | 'test';

/** The part of `openDataset`'s Dataset (src/engine/data) that evaluation needs. */
export interface EvaluationDataset {
  readonly classes: readonly string[];
  batches(
    split: EvaluationSplit,
    batchSize: number,
    options?: { epoch?: number; augment?: boolean; shuffle?: boolean },
  ): AsyncIterable<LabelledBatch>;
}

/** Something that maps a batch of images to class probabilities (a LayersModel, or a test double). */
export interface Classifier {
  predict(xs: tf.Tensor): tf.Tensor | tf.Tensor[];
}

/** Predicts every sample of `split` (un-augmented, in order) and computes its metrics. */
export async function evaluateModel(
  model: Classifier,
  dataset: EvaluationDataset,
  split: EvaluationSplit = 'validation',
  batchSize = 32,
  options: EvaluationOptions = {},
): Promise<Evaluation> {
  const labels: number[] = [];
  const probabilities: number[][] = [];
  const files: string[] = [];
  for await (const batch of dataset.batches(split, batchSize, { epoch: 0, augment: false, shuffle: false })) {
    try {
      const [probs, truth] = tf.tidy(() => {
        const output = model.predict(batch.xs);
        const single = Array.isArray(output) ? output[0] : output;
        return [(single.arraySync() as number[][]).map(classProbabilities), batch.ys.argMax(-1).arraySync() as number[]];
      });
      probabilities.push(...probs);
      labels.push(...truth);
      files.push(...batch.files);
    } finally {
      batch.xs.dispose();
      batch.ys.dispose();
    }
  }
  return computeEvaluation({ labels, probabilities, classes: dataset.classes, files }, options);
}
