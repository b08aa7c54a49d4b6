/**
 * The loss a phase compiles with: cross-entropy, with label smoothing when the phase asks
 * (`labelSmoothing` s, as Keras): categorical targets become (1 - s) x y + s / classes, a binary
 * (one-unit sigmoid) target (1 - s) x y + s / 2. Validation (evaluate.ts) keeps the plain targets.
 */
import * as tf from '@tensorflow/tfjs';

export type CrossEntropy = 'categoricalCrossentropy' | 'binaryCrossentropy';
type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

/** The smoothed targets (a new tensor). */
export function smoothLabels(yTrue: tf.Tensor, smoothing: number, binary: boolean): tf.Tensor {
  const classes = binary ? 2 : (yTrue.shape[yTrue.shape.length - 1] ?? 1);
  return tf.tidy(() => tf.add(tf.mul(yTrue, 1 - smoothing), smoothing / classes));
}

export function phaseLoss(loss: CrossEntropy, labelSmoothing = 0): CrossEntropy | LossFn {
  if (labelSmoothing <= 0) return loss;
  const binary = loss === 'binaryCrossentropy';
  const crossEntropy = binary ? tf.metrics.binaryCrossentropy : tf.metrics.categoricalCrossentropy;
  return (yTrue, yPred) => crossEntropy(smoothLabels(yTrue, labelSmoothing, binary), yPred);
}
