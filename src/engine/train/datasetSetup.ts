/**
 * The default phase setup: the full model trained on decoded image batches, on a backend that can
 * run the phase (wasm without conv gradient kernels cannot train conv layers; then the phase runs on cpu).
 */
import * as tf from '@tensorflow/tfjs';
import { mapTargets } from './mapTargets';
import { backendCanTrain, type BackendName, planPhaseExecution } from '../backend';
import type { AugmentationConfig, PixelRange } from '../../protocol/config';
import type { Dataset, SplitBatchSource } from '../data';
import type { HeadTraining } from '../model/classifierHead';
import { RandomImageLayer } from '../model/layers/imageLayer';
import { weightedTargets } from './classWeighting';
import type { EventSink, PhaseSetup, PhaseSetupFactory } from './types';

const CONV_CLASSES = new Set(['Conv2D', 'DepthwiseConv2D', 'SeparableConv2D', 'Conv2DTranspose', 'Conv1D', 'Conv3D']);

/** True when the phase trains a convolution (its gradient kernels are then needed). */
export function trainsConvLayers(model: tf.LayersModel): boolean {
  return model.layers.some((layer) => layer.trainable && layer.trainableWeights.length > 0 && CONV_CLASSES.has(layer.getClassName()));
}

/** Phase setups over a dataset; `emit` receives a warning when a phase must change backend; `classWeights` (one per class) weight the training loss. */
export function datasetPhaseSetup(dataset: Dataset, backend: BackendName, emit: EventSink, prefixCache?: PrefixCacheSettings, training?: HeadTraining, classWeights?: readonly number[]): PhaseSetupFactory {
  const loss = training?.loss ?? 'categoricalCrossentropy';
  const source = (split: 'train' | 'validation', batchSize: number): SplitBatchSource => {
    if (training?.targets === 'secondClass') return secondClassTargets(dataset.source(split, batchSize));
    // data.balance "weights" (classWeighting.ts): the training loss only.
    return split === 'train' && classWeights ? weightedTargets(dataset.source(split, batchSize), classWeights) : dataset.source(split, batchSize);
  };
  return async ({ model, phase, runDir }) => {
    let name: string = backend;
    if (!backendCanTrain(backend, trainsConvLayers(model))) {
      await tf.setBackend('cpu');
      name = 'cpu';
      await emit({ type: 'warning', message: `Phase "${phase.name}" trains conv layers, which the ${backend} backend cannot train here; it runs on the cpu backend (slower).` });
    } else if (tf.getBackend() !== backend) {
      await tf.setBackend(backend);
    }
    const augmenting = augmentingLayers(model);
    if (prefixCache && augmenting.length === 0) return { ...frozenPrefixSetup(dataset, source, model, phase.batchSize, name, prefixCache, runDir, emit), loss };
    let reason = 'the frozen-prefix cache is not enabled';
    if (prefixCache) {
      // Cached (or inference-mode) prefix outputs would skip the model's own augmentation: it counts as augmentation on.
      reason = `off: augmentation inside the model (${augmenting.join(', ')}) changes the training images at every step, so the whole model runs every step`;
      await emit({ type: 'log', level: 'info', message: `frozen-prefix cache ${reason}` });
    }
    return {
      model,
      train: source('train', phase.batchSize),
      val: source('validation', phase.batchSize),
      cache: { used: false, reason },
      backend: name,
      loss,
    };
  };
}

/** One-hot targets -> the second class's column, [n, 1]: what a one-unit sigmoid head is trained on. */
function secondClassTargets(source: SplitBatchSource): SplitBatchSource {
  return mapTargets(source, (ys) => ys.slice([0, 1], [-1, 1]));
}

/** The model's own training-only augmentation layers (Keras RandomFlip, RandomRotation...), as "name (Class)". */
export function augmentingLayers(model: tf.LayersModel): string[] {
  return model.layers.filter((layer) => layer instanceof RandomImageLayer).map((layer) => `${layer.name} (${layer.getClassName()})`);
}

// --- Frozen-prefix cache (src/engine/backend/phaseExecution.ts) --------------------------------

/** Enables training only the layers after the frozen prefix, on its cached or recomputed output. */
export interface PrefixCacheSettings {
  /** The project's augmentation: when any is on, the training cache is off (the prefix is recomputed). */
  readonly augmentation: AugmentationConfig;
  /** The range the batches are scaled to (part of what the cached activations depend on). */
  readonly pixelRange?: PixelRange;
}

/** The phase as planned by the backend: a suffix model fed with the frozen prefix's activations. */
function frozenPrefixSetup(dataset: Dataset, source: (split: 'train' | 'validation', batchSize: number) => SplitBatchSource, model: tf.LayersModel, batchSize: number, backend: string, settings: PrefixCacheSettings, runDir: string | undefined, emit: EventSink): PhaseSetup {
  return planPhaseExecution({
    model,
    train: source('train', batchSize),
    val: source('validation', batchSize),
    augmentation: settings.augmentation,
    pipelineKey: `size=${dataset.inputSize};channels=${dataset.channels};range=${settings.pixelRange ?? '0..1'};split=${dataset.splitHash}`,
    spillDir: runDir,
    backend,
    log: (message) => void emit({ type: 'log', level: 'info', message }),
  });
}
