/**
 * The seams of the phase runner. A phase trains a `tf.LayersModel` on a `BatchSource`; by default that is
 * the whole prepared model on decoded images, but a backend may substitute a suffix model fed with cached
 * activations of the frozen prefix (its layers are the full model's layers, so weights stay shared).
 */
import type * as tf from '@tensorflow/tfjs';
import type { PhaseConfig } from '../../protocol/config';
import type { PrefixCacheUse, TrainingEvent } from '../../protocol/run';

/** One batch of inputs and one-hot labels; the phase runner disposes both. */
export interface Batch {
  readonly xs: tf.Tensor;
  readonly ys: tf.Tensor;
}

/** Batches of one split, epoch by epoch. */
export interface BatchSource {
  /** Number of images (samples) per epoch. */
  readonly size: number;
  readonly batchesPerEpoch: number;
  /** The batches of one epoch (0-based epoch within the phase, used for shuffling and augmentation). */
  batches(epoch: number): AsyncIterable<Batch>;
}

/** What a phase trains and on which data. */
export interface PhaseSetup {
  /** The model trained and validated; the full model or a suffix sharing its layers. */
  readonly model: tf.LayersModel;
  readonly train: BatchSource;
  readonly val: BatchSource;
  readonly cache: PrefixCacheUse;
  /** Backend that runs this phase. */
  readonly backend: string;
  /** The loss to compile with (default categorical cross-entropy; binary for a kept one-unit sigmoid head). */
  readonly loss?: 'categoricalCrossentropy' | 'binaryCrossentropy';
  /** Frees what the setup allocated (caches, a suffix model); never the full model. */
  dispose?(): void;
}

export interface PhaseSetupRequest {
  readonly phaseIndex: number;
  readonly phase: PhaseConfig;
  /** The full model, with this phase's freeze plan already applied. */
  readonly model: tf.LayersModel;
  /** The run folder (the frozen-prefix cache spills there beyond its memory budget). */
  readonly runDir?: string;
}

/** Builds the setup of a phase after its freeze plan is applied. */
export type PhaseSetupFactory = (request: PhaseSetupRequest) => Promise<PhaseSetup>;

/** Receives every event; awaited, so a sink may write to disk in order. */
export type EventSink = (event: TrainingEvent) => void | Promise<void>;
