/**
 * Decoupled weight decay (AdamW; `weightDecay`): after every step each trained kernel shrinks by
 * rate x weightDecay x kernel, with the rate its group used for that step. Biases and BatchNorm
 * weights are not decayed.
 */
import * as tf from '@tensorflow/tfjs';
import { isGrouped } from '../groupedOptimizer';
import { learningRateOf } from '../optimizers';
import type { CallbackContext, TrainingCallback } from './callback';

/** Kernel weights by their Keras names: `kernel`, `depthwise_kernel`, `pointwise_kernel`, `recurrent_kernel`. */
export function isKernel(variable: tf.LayerVariable): boolean {
  return /kernel$/.test(variable.originalName);
}

export class WeightDecay implements TrainingCallback {
  onBatchEnd(context: CallbackContext): void {
    const decay = context.plan.phase.weightDecay ?? 0;
    if (decay <= 0) return;
    const { optimizer } = context;
    const groups = isGrouped(optimizer)
      ? optimizer.groups.map((group) => ({ rate: learningRateOf(group.optimizer), variables: group.variables }))
      : [{ rate: learningRateOf(optimizer), variables: context.setup.model.trainableWeights }];
    tf.tidy(() => {
      for (const { rate, variables } of groups) {
        const keep = 1 - rate * decay;
        for (const variable of variables) if (isKernel(variable)) variable.write(tf.mul(variable.read(), keep));
      }
    });
  }
}
