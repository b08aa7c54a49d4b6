/**
 * Training callbacks, on the model of Keras callbacks: the phase loop (../phaseRunner.ts) calls each
 * hook in turn, and every hook may ask for a stop through `context.requestStop`. Early stopping, the
 * NaN stop, checkpoints, progress events and the learning rate are callbacks (one file each here).
 */
import type * as tf from '@tensorflow/tfjs';
import type { EpochProgress, TrainingPosition } from '../checkpoint';
import type { Evaluation } from '../evaluate';
import type { PhasePlan } from '../phasePlan';
import type { PhaseSetup } from '../types';
import type { PhaseSummary } from '../../../protocol/run';

/**
 * 'endPhase': the phase ends as done (early stopping); the next phase runs.
 * 'cancel': the run ends cancelled. 'fail': the run ends failed, `reason` is the user's message.
 */
export interface StopRequest {
  readonly kind: 'endPhase' | 'cancel' | 'fail';
  readonly reason: string;
}

/** Where a phase stands after its finished epochs (what a checkpoint keeps of the phase in progress). */
export type PhaseRecord = Omit<TrainingPosition, 'phases' | 'phaseIndex' | 'inEpoch' | 'runSeconds'>;

/** What every hook sees of the phase in progress. */
export interface CallbackContext {
  readonly phaseIndex: number;
  readonly plan: PhasePlan;
  readonly setup: PhaseSetup;
  /** The full model: its weights are what checkpoints and early stopping keep. */
  readonly fullModel: tf.LayersModel;
  /** The phase's optimizer (compiled into `setup.model`). */
  readonly optimizer: tf.Optimizer;
  /** The finished epochs; updated after each epoch's `onEpochEnd` unless a hook abandoned it. */
  readonly record: PhaseRecord;
  /** The training batches done so far in the epoch in progress (the batch that just ended included); null between epochs. */
  readonly epochProgress: EpochProgress | null;
  /** The first stop asked for, if any. */
  readonly stop: StopRequest | null;
  /**
   * Asks the loop to stop; the first request wins. Asked at a phase's or epoch's begin or around a
   * batch, the loop stops before the next batch and the epoch in progress is not validated and does
   * not count. Asked at an epoch's end, 'endPhase' lets that epoch count (early stopping), while
   * 'cancel' and 'fail' do not. 'cancel' and 'fail' also skip the remaining hooks of the same event.
   */
  requestStop(request: StopRequest): void;
}

export interface BatchBegin {
  readonly epoch: number;
  readonly batch: number;
}

export interface BatchLogs extends BatchBegin {
  readonly loss: number;
  readonly accuracy: number;
  /** Samples in this batch. */
  readonly size: number;
}

export interface EpochLogs {
  readonly epoch: number;
  /** Mean training loss and accuracy over the epoch's samples. */
  readonly loss: number;
  readonly accuracy: number;
  readonly val: Evaluation;
  /** The validation loss is the best of the phase so far. */
  readonly improved: boolean;
  /** The record once this epoch counts; `context.record` still holds the previous one. */
  readonly after: PhaseRecord;
}

/** How a phase ended: 'done' also after early stopping. */
export type PhaseEndStatus = Extract<PhaseSummary['status'], 'done' | 'cancelled' | 'failed'>;

export interface PhaseEnd {
  readonly status: PhaseEndStatus;
  readonly summary: PhaseSummary;
}

/** Every hook is optional and may be async (the loop awaits it). */
export interface TrainingCallback {
  onPhaseBegin?(context: CallbackContext): void | Promise<void>;
  onEpochBegin?(context: CallbackContext, epoch: number): void | Promise<void>;
  onBatchBegin?(context: CallbackContext, batch: BatchBegin): void | Promise<void>;
  onBatchEnd?(context: CallbackContext, logs: BatchLogs): void | Promise<void>;
  onEpochEnd?(context: CallbackContext, logs: EpochLogs): void | Promise<void>;
  onPhaseEnd?(context: CallbackContext, end: PhaseEnd): void | Promise<void>;
  /** Frees what the callback holds (tensors); called once per phase, also when the phase throws. */
  dispose?(): void;
}
