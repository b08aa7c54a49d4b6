/**
 * The default phase setup: the full model trained on decoded image batches, on a backend that can
 * run the phase (wasm without conv gradient kernels cannot train conv layers; then the phase runs on cpu).
 */
import * as tf from '@tensorflow/tfjs';
import { backendCanTrain, type BackendName, planPhaseExecution } from '../backend';
import type { AugmentationConfig } from '../../protocol/config';
import type { Dataset } from '../data';
import type { EventSink, PhaseSetup, PhaseSetupFactory } from './types';

const CONV_CLASSES = new Set(['Conv2D', 'DepthwiseConv2D', 'SeparableConv2D', 'Conv2DTranspose', 'Conv1D', 'Conv3D']);

/** True when the phase trains a convolution (its gradient kernels are then needed). */
export function trainsConvLayers(model: tf.LayersModel): boolean {
  return model.layers.some((layer) => layer.trainable && layer.trainableWeights.length > 0 && CONV_CLASSES.has(layer.getClassName()));
}

/** Phase setups over a dataset; `emit` receives a warning when a phase must change backend. */
export function datasetPhaseSetup(dataset: Dataset, backend: BackendName, emit: EventSink, prefixCache?: PrefixCacheSettings): PhaseSetupFactory {
  return async ({ model, phase, runDir }) => {
    let name: string = backend;
    if (!backendCanTrain(backend, trainsConvLayers(model))) {
      await tf.setBackend('cpu');
      name = 'cpu';
      await emit({ type: 'warning', message: `Phase "${phase.name}" trains conv layers, which the ${backend} backend cannot train here; it runs on the cpu backend (slower).` });
    } else if (tf.getBackend() !== backend) {
      await tf.setBackend(backend);
    }
    if (prefixCache) return frozenPrefixSetup(dataset, model, phase.batchSize, name, prefixCache, runDir, emit);
    return {
      model,
      train: dataset.source('train', phase.batchSize),
      val: dataset.source('validation', phase.batchSize),
      cache: { used: false, reason: 'the frozen-prefix cache is not enabled' },
      backend: name,
    };
  };
}

// --- Frozen-prefix cache (src/engine/backend/phaseExecution.ts) --------------------------------

/** Enables training only the layers after the frozen prefix, on its cached or recomputed output. */
export interface PrefixCacheSettings {
  /** The project's augmentation: when any is on, the training cache is off (the prefix is recomputed). */
  readonly augmentation: AugmentationConfig;
}

/** The phase as planned by the backend: a suffix model fed with the frozen prefix's activations. */
function frozenPrefixSetup(dataset: Dataset, model: tf.LayersModel, batchSize: number, backend: string, settings: PrefixCacheSettings, runDir: string | undefined, emit: EventSink): PhaseSetup {
  return planPhaseExecution({
    model,
    train: dataset.source('train', batchSize),
    val: dataset.source('validation', batchSize),
    augmentation: settings.augmentation,
    pipelineKey: `size=${dataset.inputSize};split=${dataset.splitHash}`,
    spillDir: runDir,
    backend,
    log: (message) => void emit({ type: 'log', level: 'info', message }),
  });
}
