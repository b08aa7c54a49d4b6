/**
 * Checkpoints inside an epoch: after a batch once `everySeconds` have passed since the last checkpoint
 * (0: never; the epoch's end checkpoints anyway), and when the phase is cancelled (Stop, Ctrl-C,
 * SIGTERM) with batches of the epoch done, so a resume goes on at the very next batch. A failed phase
 * (a NaN loss) saves nothing: the last good checkpoint stays the one a resume starts from.
 */
import type { CallbackContext, PhaseEnd, TrainingCallback } from './callback';
import type { SaveCheckpoint } from './epochCheckpoint';

export class MidEpochCheckpoint implements TrainingCallback {
  private lastSaved = Date.now();
  /** The position of the last checkpoint this phase saved or resumed from ("epoch:batch"). */
  private lastPosition = '';

  constructor(private readonly save: SaveCheckpoint, private readonly everySeconds: number) {}

  onPhaseBegin(context: CallbackContext): void {
    this.lastSaved = Date.now();
    this.lastPosition = positionKey(context);
  }

  async onBatchEnd(context: CallbackContext): Promise<void> {
    const progress = context.epochProgress;
    if (this.everySeconds <= 0 || !progress || progress.batchesDone >= context.setup.train.batchesPerEpoch) return;
    if (Date.now() - this.lastSaved < this.everySeconds * 1000) return;
    await this.saveNow(context);
  }

  onEpochEnd(): void {
    // The epoch's own checkpoint (EpochCheckpoint) is written in this same event.
    this.lastSaved = Date.now();
  }

  async onPhaseEnd(context: CallbackContext, end: PhaseEnd): Promise<void> {
    if (end.status === 'cancelled' && (context.epochProgress?.batchesDone ?? 0) > 0 && positionKey(context) !== this.lastPosition) await this.saveNow(context);
  }

  private async saveNow(context: CallbackContext): Promise<void> {
    await this.save({ phaseIndex: context.phaseIndex, ...context.record, inEpoch: context.epochProgress }, false, context.optimizer);
    this.lastSaved = Date.now();
    this.lastPosition = positionKey(context);
  }
}

function positionKey(context: CallbackContext): string {
  return `${context.record.epochsDone}:${context.epochProgress?.batchesDone ?? 0}`;
}
