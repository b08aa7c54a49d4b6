/**
 * Trains the student's head on cached pooled features with the distillation loss (../train/distillLoss.ts):
 * alpha on the labels, 1 - alpha on the teacher's softened outputs; alpha = 1 is the label-only baseline.
 * Shuffles per epoch from the seed and the epoch only, so the distilled student and the baseline see the
 * same batches in the same order.
 */
import * as tf from '@tensorflow/tfjs';
import { createRandom, seedFrom, shuffled } from '../data/random';
import { distillationLoss } from '../train/distillLoss';

export interface FeatureSet {
  readonly features: tf.Tensor2D;
  readonly labels: tf.Tensor2D;
}

export interface HeadTrainingInput {
  readonly head: tf.LayersModel;
  readonly train: FeatureSet;
  /** The teacher's logits (log-probabilities) per training image, rows as `train`; null for the baseline. */
  readonly teacherLogits: tf.Tensor2D | null;
  readonly val: FeatureSet;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly temperature: number;
  readonly alpha: number;
  readonly seed: number;
  readonly signal?: AbortSignal;
  readonly onEpoch?: (epoch: EpochResult) => void | Promise<void>;
}

export interface EpochResult {
  readonly epoch: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly valLoss: number;
  readonly valAccuracy: number;
  readonly seconds: number;
  readonly imagesPerSecond: number;
}

/** Log-probabilities of a softmax output, clipped so a saturated class gives no -Infinity. */
export function logProbabilities(probabilities: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => tf.log(tf.clipByValue(probabilities, 1e-7, 1)) as tf.Tensor2D);
}

/** Cross-entropy and accuracy of the head on a feature set. */
export function evaluateHead(head: tf.LayersModel, set: FeatureSet): { loss: number; accuracy: number } {
  return tf.tidy(() => {
    const p = head.predict(set.features) as tf.Tensor2D;
    const loss = tf.mean(tf.metrics.categoricalCrossentropy(set.labels, p)).dataSync()[0];
    const accuracy = tf.mean(tf.cast(tf.equal(tf.argMax(p, -1), tf.argMax(set.labels, -1)), 'float32')).dataSync()[0];
    return { loss, accuracy };
  });
}

/** Trains `head` in place; returns the last epoch's result (null when cancelled before one ended). */
export async function trainHead(input: HeadTrainingInput): Promise<EpochResult | null> {
  const { head, train } = input;
  const n = train.features.shape[0];
  const optimizer = tf.train.adam(input.learningRate);
  const started = performance.now();
  let last: EpochResult | null = null;
  try {
    for (let epoch = 0; epoch < input.epochs; epoch++) {
      if (input.signal?.aborted) return last;
      const epochStart = performance.now();
      const order = shuffled([...Array(n).keys()], createRandom(seedFrom(input.seed, 'distill', 'shuffle', epoch)));
      let lossSum = 0;
      for (let i = 0; i < n; i += input.batchSize) {
        const batch = order.slice(i, i + input.batchSize);
        const loss = tf.tidy(() => {
          const indices = tf.tensor1d(batch, 'int32');
          const features = tf.gather(train.features, indices);
          const labels = tf.gather(train.labels, indices) as tf.Tensor2D;
          const teacher = input.teacherLogits ? (tf.gather(input.teacherLogits, indices) as tf.Tensor2D) : tf.zerosLike(labels);
          return optimizer.minimize(() => distillationLoss({
            labels,
            studentLogits: logProbabilities(head.apply(features, { training: true }) as tf.Tensor),
            teacherLogits: teacher,
            temperature: input.temperature,
            // The baseline: labels alone (its "teacher" term gets weight 0).
            alpha: input.teacherLogits ? input.alpha : 1,
          }), true) as tf.Scalar;
        });
        lossSum += (await loss.data())[0] * batch.length;
        loss.dispose();
      }
      const trainEval = evaluateHead(head, train);
      const val = evaluateHead(head, input.val);
      const seconds = (performance.now() - epochStart) / 1000;
      last = {
        epoch, loss: lossSum / Math.max(1, n), accuracy: trainEval.accuracy, valLoss: val.loss, valAccuracy: val.accuracy,
        seconds: (performance.now() - started) / 1000, imagesPerSecond: seconds > 0 ? n / seconds : 0,
      };
      await input.onEpoch?.(last);
    }
    return last;
  } finally {
    optimizer.dispose();
  }
}
