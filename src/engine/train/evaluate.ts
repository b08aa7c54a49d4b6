import * as tf from '@tensorflow/tfjs';
import type { BatchSource } from './types';

export interface Evaluation {
  readonly loss: number;
  readonly accuracy: number;
}

/** Thrown inside a pass when the signal aborts; the runner turns it into a 'cancelled' run. */
export class TrainingCancelled extends Error {
  constructor() {
    super('Training was cancelled.');
    this.name = 'TrainingCancelled';
  }
}

/**
 * Mean cross-entropy (categorical, or binary for one sigmoid unit) and accuracy over a split, in inference mode (dropout off).
 * Checks the signal before every batch, so a cancel during validation stops promptly.
 */
export async function evaluate(model: tf.LayersModel, source: BatchSource, epoch: number, signal?: AbortSignal): Promise<Evaluation> {
  let lossSum = 0;
  let correct = 0;
  let count = 0;
  for await (const batch of source.batches(epoch)) {
    try {
      if (signal?.aborted) throw new TrainingCancelled();
      const [loss, hits] = tf.tidy(() => {
        const predicted = model.predict(batch.xs) as tf.Tensor;
        // One sigmoid unit (a kept binary head): binary cross-entropy, a hit when p > 0.5 matches the target.
        const binary = predicted.shape[1] === 1;
        const losses = binary ? tf.metrics.binaryCrossentropy(batch.ys, predicted) : tf.metrics.categoricalCrossentropy(batch.ys, predicted);
        const matches = binary ? tf.equal(tf.greater(predicted, 0.5), tf.greater(batch.ys, 0.5)) : tf.equal(tf.argMax(predicted, -1), tf.argMax(batch.ys, -1));
        return [tf.sum(losses), tf.sum(tf.cast(matches, 'float32'))];
      });
      const [lossValue, hitValue] = await Promise.all([loss.data(), hits.data()]);
      tf.dispose([loss, hits]);
      lossSum += lossValue[0];
      correct += hitValue[0];
      count += batch.xs.shape[0];
    } finally {
      tf.dispose([batch.xs, batch.ys]);
    }
  }
  if (count === 0) return { loss: Number.NaN, accuracy: Number.NaN };
  return { loss: lossSum / count, accuracy: correct / count };
}
