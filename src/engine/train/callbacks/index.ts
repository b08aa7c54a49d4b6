/**
 * The callbacks every phase runs, in the order their hooks are called. A new callback is one file
 * implementing `TrainingCallback` plus one line here (or, for one run, `RunPhasesOptions.callbacks`).
 */
import type * as tf from '@tensorflow/tfjs';
import type { EventSink } from '../types';
import type { TrainingCallback } from './callback';
import { DataGoneStop } from './dataGoneStop';
import { EarlyStopping } from './earlyStopping';
import { EpochCheckpoint, type SaveCheckpoint } from './epochCheckpoint';
import { LearningRateCallback } from './learningRate';
import { MidEpochCheckpoint } from './midEpochCheckpoint';
import { NonFiniteLossStop } from './nonFiniteStop';
import { ProgressEvents } from './progressEvents';
import { TrainingStepSeed } from './trainingStep';
import { WeightDecay } from './weightDecay';

export type { BatchBegin, BatchLogs, CallbackContext, EpochLogs, PhaseEnd, PhaseEndStatus, PhaseRecord, StopRequest, TrainingCallback } from './callback';
export { CallbackList } from './callbackList';
export { restoresBestWeights } from './earlyStopping';
export type { SaveCheckpoint } from './epochCheckpoint';

export interface DefaultCallbackDeps {
  readonly emit: EventSink;
  /** Date.now() when the run started. */
  readonly runStartedAt: number;
  readonly saveCheckpoint: SaveCheckpoint;
  /** Best weights so far from a checkpoint (resume); early stopping takes ownership. */
  readonly bestWeights: tf.Tensor[] | null;
  /** `data.seed`: the random layers' draws derive from it and the step. */
  readonly seed: number;
  /** finetune.json `checkpointEverySeconds`: the longest time between checkpoints within an epoch (0: epoch ends only). */
  readonly checkpointEverySeconds: number;
}

/**
 * The order matters: the rate is set before a batch runs; a split left without images stops before the NaN stop
 * blames the learning rate; the NaN stop comes before anything reports
 * or saves a step (its request skips the hooks after it); the weight decay follows each step before anything saves it; the step seed is set before the batch runs; early stopping copies the best weights
 * before the checkpoint of the same epoch is written, as before callbacks existed; the mid-epoch
 * checkpoint comes after everything that reports a batch, so a checkpoint never runs ahead of metrics.jsonl.
 */
export function defaultCallbacks(deps: DefaultCallbackDeps): TrainingCallback[] {
  return [
    new LearningRateCallback(),
    new TrainingStepSeed(deps.seed),
    new DataGoneStop(),
    new NonFiniteLossStop(),
    new WeightDecay(),
    new ProgressEvents(deps.emit, deps.runStartedAt),
    new EarlyStopping(deps.bestWeights),
    new EpochCheckpoint(deps.saveCheckpoint),
    new MidEpochCheckpoint(deps.saveCheckpoint, deps.checkpointEverySeconds),
  ];
}
