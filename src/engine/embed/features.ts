/**
 * Feature vectors of images at one layer of a model: the layer's output, globally average-pooled
 * when it is a feature map (rank 4 -> mean over height and width), so every image gives one vector.
 */
import * as tf from '@tensorflow/tfjs';
import { UserError } from '../../shared/userError';
import type { Dataset, ImageSample, Split } from '../data/types';

export interface SampleFeatures {
  readonly sample: ImageSample;
  readonly split: Split;
  readonly vector: number[];
}

/** Edit distance, for suggesting the layer a mistyped name meant. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/** The layer named `name` of `model`; a UserError naming it and the three nearest names otherwise. */
export function featureLayer(model: tf.LayersModel, name: string, where: string): tf.layers.Layer {
  const layer = model.layers.find((l) => l.name === name);
  if (layer) return layer;
  const nearest = model.layers
    .map((l) => l.name)
    .sort((a, b) => distance(name, a) - distance(name, b))
    .slice(0, 3);
  throw new UserError(`"${name}" is not a layer of the model.`, where, `Use --layer with one of its layers, e.g. ${nearest.map((n) => `"${n}"`).join(', ')} (finetune-guide inspect lists them all).`, 'layer');
}

/** A model from `model`'s input to `layer`'s output, pooled to one vector per image. */
function pooledOutputOf(model: tf.LayersModel, layer: tf.layers.Layer): tf.LayersModel {
  const output = layer.output;
  if (Array.isArray(output)) throw new UserError(`layer "${layer.name}" has several outputs.`, 'command line', 'Pick a layer with one output for --layer.', 'layer');
  return tf.model({ inputs: model.inputs, outputs: output });
}

/** Global average pooling of a batch of layer outputs: [n, h, w, c] -> [n, c]; [n, t, c] -> [n, c]; [n, d] stays. */
export function poolFeatures(output: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => {
    if (output.rank === 4) return tf.mean(output, [1, 2]) as tf.Tensor2D;
    if (output.rank === 3) return tf.mean(output, 1) as tf.Tensor2D;
    return output.reshape([output.shape[0], -1]) as tf.Tensor2D;
  });
}

/** The pooled features at `layerName` of every image of `splits` (un-augmented, in split order). */
export async function extractFeatures(model: tf.LayersModel, layerName: string, dataset: Dataset, splits: readonly Split[], where: string, batchSize = 16): Promise<SampleFeatures[]> {
  const featureModel = pooledOutputOf(model, featureLayer(model, layerName, where));
  const out: SampleFeatures[] = [];
  for (const split of splits) {
    const byId = new Map((split === 'train' ? dataset.train : dataset.validation).map((s) => [s.id, s]));
    for await (const batch of dataset.batches(split, batchSize, { augment: false, shuffle: false })) {
      try {
        const pooled = tf.tidy(() => poolFeatures(featureModel.predict(batch.xs) as tf.Tensor));
        const rows = (await pooled.array()) as number[][];
        pooled.dispose();
        batch.ids.forEach((id, i) => {
          const sample = byId.get(id);
          if (sample) out.push({ sample, split, vector: rows[i] });
        });
      } finally {
        tf.dispose([batch.xs, batch.ys]);
      }
    }
  }
  // featureModel shares the model's layers: disposing it would free their weights, so it is left to GC.
  return out;
}
