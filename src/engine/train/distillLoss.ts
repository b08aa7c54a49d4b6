/**
 * The knowledge-distillation loss of Hinton et al. 2015 ("Distilling the Knowledge in a Neural Network"):
 *   alpha x CE(labels, softmax(z_s)) + (1 - alpha) x T^2 x KL(softmax(z_t / T) || softmax(z_s / T)),
 * averaged over the batch. T^2 keeps the soft term's gradients on the scale of the hard term's as T grows.
 * Pure tensor code (no model), so a test can check it against a value computed by hand.
 */
import * as tf from '@tensorflow/tfjs';

export interface DistillLossInput {
  /** One-hot labels [n, classes]. */
  readonly labels: tf.Tensor2D;
  /** The student's logits [n, classes] (log-probabilities work too: softmax ignores a per-row constant). */
  readonly studentLogits: tf.Tensor2D;
  /** The teacher's logits [n, classes] (or its log-probabilities). */
  readonly teacherLogits: tf.Tensor2D;
  /** T > 0. */
  readonly temperature: number;
  /** Weight of the label cross-entropy, 0..1. */
  readonly alpha: number;
}

/** The scalar loss; see the file comment. */
export function distillationLoss(input: DistillLossInput): tf.Scalar {
  const { labels, studentLogits, teacherLogits, temperature: t, alpha } = input;
  return tf.tidy(() => {
    const hard = tf.neg(tf.sum(tf.mul(labels, tf.logSoftmax(studentLogits)), -1));
    const teacherLog = tf.logSoftmax(tf.div(teacherLogits, t));
    const studentLog = tf.logSoftmax(tf.div(studentLogits, t));
    const kl = tf.sum(tf.mul(tf.exp(teacherLog), tf.sub(teacherLog, studentLog)), -1);
    const perImage = tf.add(tf.mul(hard, alpha), tf.mul(kl, (1 - alpha) * t * t));
    return tf.mean(perImage) as tf.Scalar;
  });
}
