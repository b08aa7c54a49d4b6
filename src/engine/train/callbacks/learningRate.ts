/** Sets the optimizer's rate before every batch to what the phase's schedule says for that step. */
import { learningRateOf, setLearningRate } from '../optimizers';
import { scheduleFactory, type LearningRateSchedule } from '../schedules';
import type { BatchBegin, CallbackContext, TrainingCallback } from './callback';

export class LearningRateCallback implements TrainingCallback {
  private schedule: LearningRateSchedule | null = null;
  private batchesPerEpoch = 0;

  onPhaseBegin(context: CallbackContext): void {
    const { phase } = context.plan;
    this.batchesPerEpoch = context.setup.train.batchesPerEpoch;
    this.schedule = scheduleFactory(context.plan.schedule)({
      phase, baseRate: phase.learningRate, batchesPerEpoch: this.batchesPerEpoch, totalSteps: phase.epochs * this.batchesPerEpoch,
    });
  }

  onBatchBegin(context: CallbackContext, { epoch, batch }: BatchBegin): void {
    if (!this.schedule) return;
    const rate = this.schedule.rateAt({ epoch, batch, step: epoch * this.batchesPerEpoch + batch });
    if (rate !== learningRateOf(context.optimizer)) setLearningRate(context.optimizer, rate);
  }
}
