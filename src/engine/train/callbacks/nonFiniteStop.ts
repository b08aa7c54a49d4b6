/**
 * Fails the run as soon as a loss is NaN or Infinity (the training loss of a batch, or the
 * validation loss of an epoch), before that step is reported or checkpointed, so the last good
 * checkpoint stays the one a resume starts from.
 */
import type { PhaseConfig } from '../../../protocol/config';
import { formatLearningRate } from '../learningRates';
import type { BatchLogs, CallbackContext, EpochLogs, TrainingCallback } from './callback';

export class NonFiniteLossStop implements TrainingCallback {
  onBatchEnd(context: CallbackContext, logs: BatchLogs): void {
    if (!Number.isFinite(logs.loss)) fail(context, `the training loss at epoch ${logs.epoch + 1}, batch ${logs.batch + 1}`);
  }

  onEpochEnd(context: CallbackContext, logs: EpochLogs): void {
    // An empty validation split has a NaN loss by definition: that is not divergence.
    if (!Number.isFinite(logs.val.loss) && context.setup.val.size > 0) fail(context, `the validation loss after epoch ${logs.epoch + 1}`);
  }
}

function fail(context: CallbackContext, where: string): void {
  const { phaseIndex } = context;
  const { phase } = context.plan;
  context.requestStop({
    kind: 'fail',
    reason:
      `Training stopped: ${where} of phase "${phase.name}" is not a finite number (NaN or Infinity). ` +
      `Lower the learning rate of this phase (phases[${phaseIndex}].learningRate, now ${formatLearningRate(phase.learningRate)}; ` +
      `try ${tenthOf(phase.learningRate)}) and resume or train again. The last good checkpoint is kept.`,
  });
}

/** The rate a tenth as large, in the form the phase uses. */
function tenthOf(rate: PhaseConfig['learningRate']): string {
  return formatLearningRate(typeof rate === 'number' ? rate / 10 : { from: rate.from / 10, to: rate.to / 10 });
}
