import * as tf from '@tensorflow/tfjs';
import type { OptimizerName } from '../../protocol/config';

/** A fresh optimizer for one phase (each phase gets its own, so its learning rate is its own). */
export function makeOptimizer(name: OptimizerName, learningRate: number): tf.Optimizer {
  switch (name) {
    case 'adam':
      return tf.train.adam(learningRate);
    case 'sgd':
      return tf.train.sgd(learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(learningRate);
    default: {
      const unknown: never = name;
      throw new Error(`Unknown optimizer ${String(unknown)}`);
    }
  }
}

/** The rate the optimizer applies at its next step, read back from the optimizer itself. */
export function learningRateOf(optimizer: tf.Optimizer): number {
  return Number(optimizer.getConfig()['learningRate']);
}

/**
 * Changes the rate of the optimizer's next steps. SGD keeps it as a scalar tensor, replaced by its
 * own setter; Adam and RMSprop read their `learningRate` field at every step, which tfjs 4.22 marks
 * protected without a setter.
 */
export function setLearningRate(optimizer: tf.Optimizer, rate: number): void {
  if (!Number.isFinite(rate) || rate < 0) throw new Error(`A learning rate must be a finite number >= 0 (got ${rate}).`);
  // A grouped optimizer (discriminative rates) gets its groups' rates one by one (callbacks/learningRate.ts).
  if (optimizer.getClassName() === 'FineTuneGuideGroupedOptimizer') throw new Error('Set a grouped optimizer\'s rates per group.');
  if (learningRateOf(optimizer) === rate) return;
  // Not `instanceof`: tfjs makes every optimizer an instance of every optimizer class (Symbol.hasInstance).
  if (optimizer.getClassName() === tf.SGDOptimizer.className) (optimizer as tf.SGDOptimizer).setLearningRate(rate);
  else (optimizer as unknown as { learningRate: number }).learningRate = rate;
}
