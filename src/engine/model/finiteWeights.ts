/**
 * Refuses a model whose weights hold NaN or Infinity (a diverged export, a damaged file): it would
 * train on nonsense and predict `NaN%`. Checked once at load, layer by layer, so the message names them.
 */
import * as tf from '@tensorflow/tfjs';
import { UserError } from '../../shared/userError';

/** Names of the layers with a non-finite weight value (nested models' layers by their own names). */
export function layersWithNonFiniteWeights(model: tf.LayersModel): string[] {
  const bad: string[] = [];
  const visit = (layer: tf.layers.Layer): void => {
    if (layer instanceof tf.LayersModel) {
      for (const inner of layer.layers) visit(inner);
      return;
    }
    // Read on the CPU side: every backend can, whatever kernels it has.
    const nonFinite = layer.weights.some((weight) => weight.dtype === 'float32' && !allFinite(weight.read().dataSync() as Float32Array));
    if (nonFinite) bad.push(layer.name);
  };
  for (const layer of model.layers) visit(layer);
  return bad;
}

function allFinite(values: Float32Array): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}

/** Throws a UserError naming `file` and the layers when any weight is NaN or infinite. */
export function assertFiniteWeights(model: tf.LayersModel, file: string): void {
  const bad = layersWithNonFiniteWeights(model);
  if (bad.length === 0) return;
  const shown = bad.slice(0, 5).map((name) => `"${name}"`).join(', ') + (bad.length > 5 ? ` and ${bad.length - 5} more` : '');
  throw new UserError(
    `has weights that are NaN or infinite in layer(s) ${shown}; training or predicting with it gives nonsense.`,
    file,
    'Use an intact copy of the model (re-export it from the run or training that made it; a run whose loss became NaN keeps no such weights).',
  );
}
