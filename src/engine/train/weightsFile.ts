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

/** A tensor with its name (an optimizer's slot, such as `dense/kernel/m`); tfjs has the type but does not export it. */
export interface NamedTensor {
  readonly name: string;
  readonly tensor: tf.Tensor;
}

/** Saves weight tensors (in `orderedWeights` order) to `file`, atomically. */
export function saveWeightsFile(file: string, values: readonly tf.Tensor[]): Promise<void> {
  return saveNamedTensorsFile(file, values.map((tensor, i) => ({ name: `w${i}`, tensor })));
}

/** Reads weight tensors written by `saveWeightsFile` (the caller disposes them). */
export async function loadWeightsFile(file: string): Promise<tf.Tensor[]> {
  return (await loadNamedTensorsFile(file)).map(({ tensor }) => tensor);
}

/** Saves named tensors (an optimizer's state) to `file`, atomically, in the same layout. */
export async function saveNamedTensorsFile(file: string, named: readonly NamedTensor[]): Promise<void> {
  const { data, specs } = await tf.io.encodeWeights(named.map(({ name, tensor }) => ({ name, tensor })));
  const header = Buffer.from(JSON.stringify({ specs }), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length, 0);
  const body = Buffer.from(tf.io.CompositeArrayBuffer.join(data));
  await writeFileAtomic(file, Buffer.concat([length, header, body]));
}

/** Reads the named tensors of a file written by `saveNamedTensorsFile`, in order (the caller disposes them). */
export async function loadNamedTensorsFile(file: string): Promise<NamedTensor[]> {
  const bytes = await fs.readFile(file);
  if (bytes.length < 4) throw new Error(`${file}: weights file is truncated.`);
  const headerLength = bytes.readUInt32LE(0);
  if (4 + headerLength > bytes.length) throw new Error(`${file}: weights file is truncated.`);
  const { specs } = JSON.parse(bytes.subarray(4, 4 + headerLength).toString('utf8')) as { specs: tf.io.WeightsManifestEntry[] };
  const body = bytes.subarray(4 + headerLength);
  const buffer = body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength);
  const map = tf.io.decodeWeights(buffer, specs);
  return specs.map((spec) => ({ name: spec.name, tensor: map[spec.name] }));
}
