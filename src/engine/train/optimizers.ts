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
