/**
 * Early stopping, as Keras' EarlyStopping with restore_best_weights: with `earlyStoppingPatience` > 0,
 * keeps a copy of the weights of the best epoch (lowest validation loss), ends the phase after
 * `patience` epochs without a better one, and puts the best weights back when the phase ends done.
 */
import * as tf from '@tensorflow/tfjs';
import type { PhaseConfig } from '../../../protocol/config';
import { restoreWeights, snapshotWeights } from '../weightsFile';
import type { CallbackContext, EpochLogs, PhaseEnd, TrainingCallback } from './callback';

/** True when a phase ends with the weights of its best epoch rather than its last. */
export function restoresBestWeights(phase: PhaseConfig): boolean {
  return (phase.earlyStoppingPatience ?? 0) > 0;
}

export class EarlyStopping implements TrainingCallback {
  /** `bestWeights`: the best weights so far when resuming from a checkpoint; this callback owns them. */
  constructor(private bestWeights: tf.Tensor[] | null) {}

  onEpochEnd(context: CallbackContext, logs: EpochLogs): void {
    const { phase } = context.plan;
    if (!restoresBestWeights(phase)) return;
    const patience = phase.earlyStoppingPatience ?? 0;
    if (logs.improved) {
      tf.dispose(this.bestWeights ?? []);
      this.bestWeights = snapshotWeights(context.fullModel);
    }
    if (logs.after.epochsSinceBest >= patience && logs.after.epochsDone < phase.epochs) {
      context.requestStop({ kind: 'endPhase', reason: `no lower validation loss for ${patience} epochs` });
    }
  }

  onPhaseEnd(context: CallbackContext, end: PhaseEnd): void {
    const { best, last, epochsDone } = context.record;
    if (end.status !== 'done' || !restoresBestWeights(context.plan.phase)) return;
    if (this.bestWeights && best && last && best.epoch !== epochsDone - 1) restoreWeights(context.fullModel, this.bestWeights, 'best weights');
  }

  dispose(): void {
    tf.dispose(this.bestWeights ?? []);
    this.bestWeights = null;
  }
}
