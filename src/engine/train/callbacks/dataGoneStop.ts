/**
 * Fails the run when a split has no image left because every one failed to load after the data folder
 * was read (the files were deleted, or the network drive holding them dropped). Without it the next
 * epoch's loss is NaN and the NaN stop blames the learning rate.
 */
import type { CallbackContext, EpochLogs, TrainingCallback } from './callback';

export class DataGoneStop implements TrainingCallback {
  onEpochEnd(context: CallbackContext, logs: EpochLogs): void {
    const side = context.setup.train.size === 0 ? 'training' : context.setup.val.size === 0 ? 'validation' : null;
    if (side === null) return;
    context.requestStop({
      kind: 'fail',
      reason:
        `Training stopped after epoch ${logs.epoch + 1} of phase "${context.plan.phase.name}": no ${side} image could be read any more ` +
        `(deleted, moved, or the drive holding the data folder is gone); the skipped files are listed in the warnings and the run's manifest. ` +
        'Check that the data folder is there and readable, then train again.',
    });
  }
}
