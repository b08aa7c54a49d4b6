/** Emits the `batch` and `epoch` events (the CLI's progress, the panel's charts, metrics.jsonl). */
import type { EventSink } from '../types';
import { isGrouped } from '../groupedOptimizer';
import { learningRateOf } from '../optimizers';
import type { BatchLogs, CallbackContext, EpochLogs, TrainingCallback } from './callback';

export class ProgressEvents implements TrainingCallback {
  /** `runStartedAt`: Date.now() at the run's start, for the events' `seconds`. */
  constructor(private readonly emit: EventSink, private readonly runStartedAt: number) {}

  async onBatchEnd(context: CallbackContext, logs: BatchLogs): Promise<void> {
    const { phaseIndex, plan, setup } = context;
    await this.emit({
      type: 'batch', phase: plan.phase.name, phaseIndex, epoch: logs.epoch, batch: logs.batch,
      batchesPerEpoch: setup.train.batchesPerEpoch, loss: logs.loss, accuracy: logs.accuracy,
      lr: learningRateOf(context.optimizer), ...groupRates(context), seconds: this.elapsed(),
    });
  }

  async onEpochEnd(context: CallbackContext, logs: EpochLogs): Promise<void> {
    const { phaseIndex, plan } = context;
    await this.emit({
      type: 'epoch', phase: plan.phase.name, phaseIndex, epoch: logs.epoch, epochs: plan.phase.epochs,
      loss: logs.loss, accuracy: logs.accuracy, val_loss: logs.val.loss, val_accuracy: logs.val.accuracy,
      lr: learningRateOf(context.optimizer), seconds: this.elapsed(), imagesPerSecond: logs.after.imagesPerSecond,
    });
  }

  private elapsed(): number {
    return (Date.now() - this.runStartedAt) / 1000;
  }
}

/** With discriminative rates, `lrGroups`: each group's (block's) rate of the step, in model order. */
function groupRates(context: CallbackContext): { lrGroups?: Record<string, number> } {
  const { optimizer } = context;
  if (!isGrouped(optimizer)) return {};
  return { lrGroups: Object.fromEntries(optimizer.groups.map((group) => [group.name, learningRateOf(group.optimizer)])) };
}
