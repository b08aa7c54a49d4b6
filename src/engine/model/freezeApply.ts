/**
 * Applies a freeze plan to a live model: `layer.trainable` per layer, and BatchNormalization in
 * inference mode where Keras would use it. tfjs 4.22's BatchNormalization ignores `trainable`: with
 * `training: true` (every fit() step) it normalises with batch statistics and rewrites its moving
 * mean and variance (tfjs-layers/src/layers/normalization.ts). So a "frozen" BN layer would still
 * change. We wrap that layer instance's `call` to force `training: false` instead.
 */
import * as tf from '@tensorflow/tfjs';

type Call = tf.layers.Layer['call'];

/** The layer's own `call`, kept so a later plan can let BN train again. */
const originalCalls = new WeakMap<tf.layers.Layer, Call>();

export function isBatchNormLayer(layer: tf.layers.Layer): boolean {
  return layer.getClassName() === 'BatchNormalization';
}

/** Makes one BN layer use its moving statistics (and never update them), or restores it. */
export function setBatchNormInference(layer: tf.layers.Layer, inference: boolean): void {
  const original = originalCalls.get(layer);
  if (inference && !original) {
    const call = layer.call;
    originalCalls.set(layer, call);
    layer.call = (inputs, kwargs) => call.call(layer, inputs, { ...kwargs, training: false });
  } else if (!inference && original) {
    layer.call = original;
    originalCalls.delete(layer);
  }
}

/** True when the layer currently runs BN in inference mode because of a freeze plan. */
export function isBatchNormInference(layer: tf.layers.Layer): boolean {
  return originalCalls.has(layer);
}

/**
 * Sets `trainable` on every layer from the plan. BN layers run in inference mode when frozen, and
 * all of them when `batchNorm` is 'inference' (Keras' fine-tuning advice). Compile afterwards.
 */
export function applyFreezePlan(model: tf.LayersModel, trainable: ReadonlySet<string>, batchNorm: 'inference' | 'train' = 'inference'): void {
  for (const layer of model.layers) {
    const train = trainable.has(layer.name);
    layer.trainable = train;
    if (isBatchNormLayer(layer)) setBatchNormInference(layer, !train || batchNorm === 'inference');
  }
}

/**
 * The weights `layer` trains when its plan makes it trainable, whatever its `trainable` flag is now:
 * what `layer.trainableWeights` returns after `layer.trainable = true`. tfjs keeps that list only in
 * the private `_trainableWeights` (the public getters follow the current flag), so plans are described
 * from it without setting any flag. Nested models: their inner layers keep their own flags.
 */
export function weightsTrainedWhenOn(layer: tf.layers.Layer): tf.LayerVariable[] {
  if (layer instanceof tf.LayersModel) {
    return layer.layers.flatMap((inner) => (inner.trainable ? weightsTrainedWhenOn(inner) : []));
  }
  return (layer as unknown as { _trainableWeights: tf.LayerVariable[] })._trainableWeights;
}
