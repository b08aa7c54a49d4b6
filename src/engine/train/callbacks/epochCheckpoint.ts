/**
 * Saves a checkpoint after every epoch that counts (the run folder's `checkpoint/`), including the
 * epoch that triggers early stopping. A cancel does not interrupt it: saving is short and leaves a
 * complete checkpoint.
 */
import type * as tf from '@tensorflow/tfjs';
import type { TrainingPosition } from '../checkpoint';
import type { CallbackContext, EpochLogs, TrainingCallback } from './callback';

/**
 * Persists the model's weights and the optimizer's state with the position; `bestIsCurrent` when the
 * epoch just finished is the best so far.
 */
export type SaveCheckpoint = (position: Omit<TrainingPosition, 'phases' | 'runSeconds'>, bestIsCurrent: boolean, optimizer: tf.Optimizer) => Promise<void>;

export class EpochCheckpoint implements TrainingCallback {
  constructor(private readonly save: SaveCheckpoint) {}

  async onEpochEnd(context: CallbackContext, logs: EpochLogs): Promise<void> {
    await this.save({ phaseIndex: context.phaseIndex, ...logs.after, inEpoch: null }, logs.improved, context.optimizer);
  }
}
