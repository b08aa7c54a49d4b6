/**
 * Sets the optimizer's rate before every batch to what the phase's schedule says for that step,
 * times the linear warmup (`warmupEpochs`). With discriminative rates every group's optimizer gets
 * the schedule over its own base rate.
 */
import { isGrouped } from '../groupedOptimizer';
import { headRateOf } from '../learningRates';
import { setLearningRate } from '../optimizers';
import { scheduleFactory, withWarmup, type LearningRateSchedule } from '../schedules';
import type { BatchBegin, CallbackContext, TrainingCallback } from './callback';

export class LearningRateCallback implements TrainingCallback {
  /** One schedule per rate group (one for a phase with one rate). */
  private schedules: LearningRateSchedule[] = [];
  private batchesPerEpoch = 0;

  onPhaseBegin(context: CallbackContext): void {
    const { phase, rateGroups } = context.plan;
    this.batchesPerEpoch = context.setup.train.batchesPerEpoch;
    const totalSteps = phase.epochs * this.batchesPerEpoch;
    const warmupSteps = Math.round((phase.warmupEpochs ?? 0) * this.batchesPerEpoch);
    const factory = scheduleFactory(context.plan.schedule);
    const baseRates = rateGroups ? rateGroups.map((group) => group.baseRate) : [headRateOf(phase)];
    this.schedules = baseRates.map((baseRate) => withWarmup(factory({ phase, baseRate, batchesPerEpoch: this.batchesPerEpoch, totalSteps }), warmupSteps));
  }

  onBatchBegin(context: CallbackContext, { epoch, batch }: BatchBegin): void {
    const at = { epoch, batch, step: epoch * this.batchesPerEpoch + batch };
    const { optimizer } = context;
    if (isGrouped(optimizer)) {
      optimizer.groups.forEach((group, i) => { const schedule = this.schedules[i]; if (schedule) setLearningRate(group.optimizer, schedule.rateAt(at)); });
    } else if (this.schedules[0]) {
      setLearningRate(optimizer, this.schedules[0].rateAt(at));
    }
  }
}
