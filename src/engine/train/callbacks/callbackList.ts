/**
 * Calls one hook on every callback in order. After a 'cancel' or 'fail' request the rest of that
 * event's hooks are skipped (nothing is reported or saved for a step that did not count); an
 * 'endPhase' request lets them run, so the epoch that triggered early stopping is still checkpointed.
 * `onPhaseEnd` and `dispose` always reach every callback.
 */
import type { BatchBegin, BatchLogs, CallbackContext, EpochLogs, PhaseEnd, TrainingCallback } from './callback';

/** True when the stop asked for abandons the step in progress. */
export function abandons(context: CallbackContext): boolean {
  return context.stop !== null && context.stop.kind !== 'endPhase';
}

export class CallbackList {
  constructor(private readonly callbacks: readonly TrainingCallback[]) {}

  phaseBegin(context: CallbackContext): Promise<void> {
    return this.each(context, (c) => c.onPhaseBegin?.(context));
  }

  epochBegin(context: CallbackContext, epoch: number): Promise<void> {
    return this.each(context, (c) => c.onEpochBegin?.(context, epoch));
  }

  batchBegin(context: CallbackContext, batch: BatchBegin): Promise<void> {
    return this.each(context, (c) => c.onBatchBegin?.(context, batch));
  }

  batchEnd(context: CallbackContext, logs: BatchLogs): Promise<void> {
    return this.each(context, (c) => c.onBatchEnd?.(context, logs));
  }

  epochEnd(context: CallbackContext, logs: EpochLogs): Promise<void> {
    return this.each(context, (c) => c.onEpochEnd?.(context, logs));
  }

  async phaseEnd(context: CallbackContext, end: PhaseEnd): Promise<void> {
    for (const callback of this.callbacks) await callback.onPhaseEnd?.(context, end);
  }

  dispose(): void {
    for (const callback of this.callbacks) callback.dispose?.();
  }

  private async each(context: CallbackContext, call: (callback: TrainingCallback) => void | Promise<void>): Promise<void> {
    for (const callback of this.callbacks) {
      if (abandons(context)) return;
      await call(callback);
    }
  }
}
