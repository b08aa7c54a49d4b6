/**
 * A model's weight values in one file (checkpoints and best-so-far weights). One file, so a single
 * atomic rename publishes it whole. Layout: 4-byte little-endian header length, a JSON header with
 * the tensor specs, then the raw data as tf.io.encodeWeights lays it out.
 */
import * as tf from '@tensorflow/tfjs';
import { promises as fs } from 'node:fs';
import { writeFileAtomic } from '../../runs/atomicFile';

/**
 * Every weight variable of the model in a stable order: layer by layer, each layer's own order.
 * (`model.weights` puts trainable before non-trainable weights, so its order changes with a freeze plan.)
 */
export function orderedWeights(model: tf.LayersModel): tf.LayerVariable[] {
  const seen = new Set<number>();
  const out: tf.LayerVariable[] = [];
  const visit = (layer: tf.layers.Layer): void => {
    if (layer instanceof tf.LayersModel) {
      for (const inner of layer.layers) visit(inner);
      return;
    }
    for (const weight of layer.weights) {
      if (seen.has(weight.id)) continue;
      seen.add(weight.id);
      out.push(weight);
    }
  };
  for (const layer of model.layers) visit(layer);
  return out;
}

/** Copies of the current weight values (the caller disposes them). */
export function snapshotWeights(model: tf.LayersModel): tf.Tensor[] {
  return orderedWeights(model).map((weight) => tf.clone(weight.read()));
}

/** Writes weight values to the model, checking that the shapes match. */
export function restoreWeights(model: tf.LayersModel, values: readonly tf.Tensor[], source: string): void {
  const weights = orderedWeights(model);
  if (weights.length !== values.length) {
    throw new Error(`${source}: has ${values.length} weights, the model has ${weights.length}.`);
  }
  weights.forEach((weight, i) => {
    const value = values[i];
    if (!tf.util.arraysEqual(weight.read().shape, value.shape)) {
      throw new Error(`${source}: weight ${weight.originalName} has shape [${value.shape}], the model expects [${weight.shape}].`);
    }
    weight.write(value);
  });
}

/** Saves weight tensors (in `orderedWeights` order) to `file`, atomically. */
export async function saveWeightsFile(file: string, values: readonly tf.Tensor[]): Promise<void> {
  const named = values.map((tensor, i) => ({ name: `w${i}`, tensor }));
  const { data, specs } = await tf.io.encodeWeights(named);
  const header = Buffer.from(JSON.stringify({ specs }), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length, 0);
  const body = Buffer.from(tf.io.CompositeArrayBuffer.join(data));
  await writeFileAtomic(file, Buffer.concat([length, header, body]));
}

/** Reads weight tensors written by `saveWeightsFile` (the caller disposes them). */
export async function loadWeightsFile(file: string): Promise<tf.Tensor[]> {
  const bytes = await fs.readFile(file);
  if (bytes.length < 4) throw new Error(`${file}: weights file is truncated.`);
  const headerLength = bytes.readUInt32LE(0);
  if (4 + headerLength > bytes.length) throw new Error(`${file}: weights file is truncated.`);
  const { specs } = JSON.parse(bytes.subarray(4, 4 + headerLength).toString('utf8')) as { specs: tf.io.WeightsManifestEntry[] };
  const body = bytes.subarray(4 + headerLength);
  const buffer = body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength);
  const map = tf.io.decodeWeights(buffer, specs);
  return specs.map((spec) => map[spec.name]);
}
