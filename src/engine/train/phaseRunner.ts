/**
 * The phase loop: compile with the phase's optimizer, then epoch by epoch train batch by batch and
 * validate, calling the callbacks' hooks around each step (./callbacks: the learning rate, the NaN
 * stop, progress events, early stopping, checkpoints). It stops when a hook asks, and at the next
 * batch when the signal aborts. A phase resumed from a checkpoint gets its optimizer state back and
 * skips exactly the batches of the epoch in progress that the checkpoint had done (the epoch's order
 * and augmentation depend only on the seed and the position, so the rest are the same batches).
 */
import * as tf from '@tensorflow/tfjs';
import type { PhaseSummary } from '../../protocol/run';
import type { EpochProgress } from './checkpoint';
import { CallbackList, type CallbackContext, type PhaseEndStatus, type PhaseRecord, type StopRequest, type TrainingCallback } from './callbacks';
import { abandons } from './callbacks/callbackList';
import { evaluate, TrainingCancelled } from './evaluate';
import { makeGroupedOptimizer } from './groupedOptimizer';
import { headRateOf } from './learningRates';
import { makeOptimizer } from './optimizers';
import { optimizerStateFits, writeOptimizerState } from './optimizerState';
import { phaseLoss } from './phaseLoss';
import type { PhasePlan } from './phasePlan';
import { phaseSummary } from './phaseSummary';
import type { PhaseSetup } from './types';
import type { NamedTensor } from './weightsFile';

export interface PhaseRunInput {
  readonly phaseIndex: number;
  readonly plan: PhasePlan;
  readonly setup: PhaseSetup;
  /** The full model, with the plan applied: its weights are what checkpoints and early stopping keep. */
  readonly fullModel: tf.LayersModel;
  /** Fresh, or the position of a checkpoint. */
  readonly start: PhaseRecord;
  readonly callbacks: readonly TrainingCallback[];
  readonly signal?: AbortSignal;
  /** Continuing the phase from a checkpoint: the epoch in progress and the optimizer state (the caller disposes it). */
  readonly resumeIn?: ResumeInPhase;
  /** Tells the user about a resume that cannot be exact (the optimizer state does not fit). */
  readonly warn?: (message: string) => void | Promise<void>;
}

export interface ResumeInPhase {
  readonly progress: EpochProgress | null;
  readonly optimizerState: readonly NamedTensor[] | null;
}

export interface PhaseOutcome {
  readonly status: PhaseEndStatus;
  readonly summary: PhaseSummary;
  /** Why the phase failed, for the user. */
  readonly message?: string;
}

const CANCEL: StopRequest = { kind: 'cancel', reason: 'the signal aborted' };
const STATUS: Record<StopRequest['kind'], PhaseEndStatus> = { endPhase: 'done', cancel: 'cancelled', fail: 'failed' };

/** Trains one phase; see the file comment. */
export async function runPhase(input: PhaseRunInput): Promise<PhaseOutcome> {
  const { plan, setup, signal } = input;
  const optimizer = plan.rateGroups
    ? makeGroupedOptimizer(plan.phase.optimizer, setup.model, plan.rateGroups)
    : makeOptimizer(plan.phase.optimizer, headRateOf(plan.phase));
  // With a one-unit output tfjs' 'accuracy' is binary accuracy (threshold 0.5), whatever the loss function.
  setup.model.compile({ optimizer, loss: phaseLoss(setup.loss ?? 'categoricalCrossentropy', plan.phase.labelSmoothing), metrics: ['accuracy'] });
  const callbacks = new CallbackList(input.callbacks);
  let record = input.start;
  let stop: StopRequest | null = null;
  const epoch: EpochState = { progress: input.resumeIn?.progress ?? null, resumed: input.resumeIn?.progress ?? null };
  const context: CallbackContext = {
    phaseIndex: input.phaseIndex, plan, setup, fullModel: input.fullModel, optimizer,
    get record() { return record; },
    get epochProgress() { return epoch.progress; },
    get stop() { return stop; },
    requestStop(request) { stop ??= request; },
  };
  try {
    const saved = input.resumeIn?.optimizerState;
    if (saved && optimizerStateFits(saved, setup.model.trainableWeights, optimizer)) await writeOptimizerState(optimizer, saved);
    else if (saved) await input.warn?.(`The optimizer state in the checkpoint does not fit the layers phase "${plan.phase.name}" trains now; it goes on with a fresh optimizer, so the result will differ from an uninterrupted run.`);
    await callbacks.phaseBegin(context);
    while (!context.stop && record.epochsDone < plan.phase.epochs) {
      const after = await runEpoch(context, callbacks, signal, epoch);
      if (after) record = after;
      if (!context.stop && signal?.aborted) context.requestStop(CANCEL);
    }
    const { stop: asked } = context;
    const status = asked ? STATUS[asked.kind] : 'done';
    const stoppedEarly = asked?.kind === 'endPhase' && record.epochsDone < plan.phase.epochs;
    const summary = phaseSummary(plan, record, status, stoppedEarly, setup.backend);
    await callbacks.phaseEnd(context, { status, summary });
    return { status, summary, ...(asked?.kind === 'fail' ? { message: asked.reason } : {}) };
  } finally {
    callbacks.dispose();
    optimizer.dispose();
  }
}

/** The epoch in progress: its batches done so far, and those a resume starts after (used once). */
interface EpochState {
  progress: EpochProgress | null;
  resumed: EpochProgress | null;
}

/** One epoch: train, validate, the epoch's hooks; the record after it, or null when it does not count. */
async function runEpoch(context: CallbackContext, callbacks: CallbackList, signal: AbortSignal | undefined, state: EpochState): Promise<PhaseRecord | null> {
  const { setup, record } = context;
  const epoch = record.epochsDone;
  const from = state.resumed;
  state.resumed = null;
  state.progress = from;
  const epochStart = Date.now() - (from?.seconds ?? 0) * 1000;
  await callbacks.epochBegin(context, epoch);
  if (context.stop) return null;
  const trained = await trainEpoch(context, callbacks, epoch, signal, state, from);
  if (!trained) return null;
  const trainSeconds = (Date.now() - epochStart) / 1000;
  let val;
  try {
    val = await evaluate(setup.model, setup.val, epoch, signal);
  } catch (error) {
    if (!(error instanceof TrainingCancelled)) throw error;
    context.requestStop(CANCEL);
    return null;
  }
  const improved = record.best === null || val.loss < record.best.valLoss;
  const after: PhaseRecord = {
    epochsDone: epoch + 1,
    best: improved ? { valLoss: val.loss, valAccuracy: val.accuracy, epoch } : record.best,
    epochsSinceBest: improved ? 0 : record.epochsSinceBest + 1,
    last: val,
    phaseSeconds: record.phaseSeconds + (Date.now() - epochStart) / 1000,
    imagesPerSecond: trainSeconds > 0 ? trained.images / trainSeconds : 0,
  };
  await callbacks.epochEnd(context, { epoch, loss: trained.loss, accuracy: trained.accuracy, val, improved, after });
  if (abandons(context)) return null;
  state.progress = null;
  return after;
}

interface EpochTraining {
  readonly loss: number;
  readonly accuracy: number;
  readonly images: number;
}

/**
 * The training batches of one epoch, after the `from.batchesDone` a checkpoint had done; null when a
 * stop was asked for before the epoch's end. `state.progress` follows every batch that ends.
 */
async function trainEpoch(context: CallbackContext, callbacks: CallbackList, epoch: number, signal: AbortSignal | undefined, state: EpochState, from: EpochProgress | null): Promise<EpochTraining | null> {
  const { setup } = context;
  const started = Date.now() - (from?.seconds ?? 0) * 1000;
  let progress: EpochProgress = from ?? { batchesDone: 0, lossSum: 0, accuracySum: 0, images: 0, seconds: 0 };
  let batch = 0;
  for await (const { xs, ys } of setup.train.batches(epoch)) {
    if (batch < progress.batchesDone) {
      // Trained before the checkpoint this phase resumed from: the same batch, skipped.
      tf.dispose([xs, ys]);
      batch += 1;
      continue;
    }
    let result: number | number[];
    try {
      if (signal?.aborted) context.requestStop(CANCEL);
      else await callbacks.batchBegin(context, { epoch, batch });
      if (context.stop) return null;
      result = await setup.model.trainOnBatch(xs, ys);
    } finally {
      tf.dispose([xs, ys]);
    }
    const [loss, accuracy] = Array.isArray(result) ? result : [result, Number.NaN];
    const size = xs.shape[0];
    progress = {
      batchesDone: batch + 1, lossSum: progress.lossSum + loss * size, accuracySum: progress.accuracySum + accuracy * size,
      images: progress.images + size, seconds: (Date.now() - started) / 1000,
    };
    state.progress = progress;
    await callbacks.batchEnd(context, { epoch, batch, loss, accuracy, size });
    if (context.stop) return null;
    batch += 1;
  }
  if (signal?.aborted) {
    context.requestStop(CANCEL);
    return null;
  }
  const { lossSum, accuracySum, images } = progress;
  return { loss: images ? lossSum / images : Number.NaN, accuracy: images ? accuracySum / images : Number.NaN, images };
}
