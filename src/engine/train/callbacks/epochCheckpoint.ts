/**
 * Saves a checkpoint after every epoch that counts (the run folder's `checkpoint/`), including the
 * epoch that triggers early stopping. A cancel does not interrupt it: saving is short and leaves a
 * complete checkpoint.
 */
import type { TrainingPosition } from '../checkpoint';
import type { CallbackContext, EpochLogs, TrainingCallback } from './callback';

/** Persists the model's weights with the position; `bestIsCurrent` when this epoch is the best so far. */
export type SaveCheckpoint = (position: Omit<TrainingPosition, 'phases'>, bestIsCurrent: boolean) => Promise<void>;

export class EpochCheckpoint implements TrainingCallback {
  constructor(private readonly save: SaveCheckpoint) {}

  async onEpochEnd(context: CallbackContext, logs: EpochLogs): Promise<void> {
    await this.save({ phaseIndex: context.phaseIndex, ...logs.after }, logs.improved);
  }
}
