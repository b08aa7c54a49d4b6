/**
 * The phase loop: compile with the phase's optimizer, then epoch by epoch train batch by batch and
 * validate, calling the callbacks' hooks around each step (./callbacks: the learning rate, the NaN
 * stop, progress events, early stopping, checkpoints). It stops when a hook asks, and at the next
 * batch when the signal aborts.
 */
import * as tf from '@tensorflow/tfjs';
import type { PhaseSummary } from '../../protocol/run';
import { CallbackList, type CallbackContext, type PhaseEndStatus, type PhaseRecord, type StopRequest, type TrainingCallback } from './callbacks';
import { abandons } from './callbacks/callbackList';
import { evaluate, TrainingCancelled } from './evaluate';
import { makeOptimizer } from './optimizers';
import type { PhasePlan } from './phasePlan';
import { phaseSummary } from './phaseSummary';
import type { PhaseSetup } from './types';

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
  const optimizer = makeOptimizer(plan.phase.optimizer, plan.phase.learningRate);
  // With binary cross-entropy tfjs' 'accuracy' is binary accuracy (threshold 0.5).
  setup.model.compile({ optimizer, loss: setup.loss ?? 'categoricalCrossentropy', metrics: ['accuracy'] });
  const callbacks = new CallbackList(input.callbacks);
  let record = input.start;
  let stop: StopRequest | null = null;
  const context: CallbackContext = {
    phaseIndex: input.phaseIndex, plan, setup, fullModel: input.fullModel, optimizer,
    get record() { return record; },
    get stop() { return stop; },
    requestStop(request) { stop ??= request; },
  };
  try {
    await callbacks.phaseBegin(context);
    while (!context.stop && record.epochsDone < plan.phase.epochs) {
      const after = await runEpoch(context, callbacks, signal);
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

/** One epoch: train, validate, the epoch's hooks; the record after it, or null when it does not count. */
async function runEpoch(context: CallbackContext, callbacks: CallbackList, signal: AbortSignal | undefined): Promise<PhaseRecord | null> {
  const { setup, record } = context;
  const epoch = record.epochsDone;
  const epochStart = Date.now();
  await callbacks.epochBegin(context, epoch);
  if (context.stop) return null;
  const trained = await trainEpoch(context, callbacks, epoch, signal);
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
  return abandons(context) ? null : after;
}

interface EpochTraining {
  readonly loss: number;
  readonly accuracy: number;
  readonly images: number;
}

/** The training batches of one epoch; null when a stop was asked for before the epoch's end. */
async function trainEpoch(context: CallbackContext, callbacks: CallbackList, epoch: number, signal: AbortSignal | undefined): Promise<EpochTraining | null> {
  const { setup } = context;
  let lossSum = 0;
  let accuracySum = 0;
  let images = 0;
  let batch = 0;
  for await (const { xs, ys } of setup.train.batches(epoch)) {
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
    await callbacks.batchEnd(context, { epoch, batch, loss, accuracy, size });
    if (context.stop) return null;
    lossSum += loss * size;
    accuracySum += accuracy * size;
    images += size;
    batch += 1;
  }
  if (signal?.aborted) {
    context.requestStop(CANCEL);
    return null;
  }
  return { loss: images ? lossSum / images : Number.NaN, accuracy: images ? accuracySum / images : Number.NaN, images };
}
