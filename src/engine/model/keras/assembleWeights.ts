/**
 * Turns the weights read from a Keras file into tfjs `weightSpecs`/`weightData` named
 * `<layer>/<var>` as tfjs names them. The topology is built once (then disposed) to learn each
 * layer's variables in order: Keras 3 names some differently (DepthwiseConv2D's `kernel`) and
 * `.keras` files do not name them at all, but the order is the same.
 */
import * as tf from '@tensorflow/tfjs';
import { UserError } from '../../../shared/userError';
import type { Json } from './json';

export interface StoredWeight {
  readonly values: Float32Array;
  readonly shape: readonly number[];
  /** Where it was in the file, for messages. */
  readonly source: string;
}

/** Builds the flat topology; a config tfjs cannot build names the file and what tfjs said. */
export async function buildTopology(topology: Json, file: string): Promise<tf.LayersModel> {
  try {
    return await tf.models.modelFromJSON({ modelTopology: topology as tf.io.ModelJSON['modelTopology'] });
  } catch (error) {
    throw new UserError(
      `has a layer configuration TensorFlow.js ${tf.version_layers} cannot build: ${(error as Error).message.split('\n')[0]}`,
      file,
      'Rebuild the model from standard Keras layers (or cut it before the layer named above) and save it again.',
    );
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Matches each layer's stored weights (in file order) to the variables tfjs creates for it. */
export async function assembleWeights(
  topology: Json,
  stored: ReadonlyMap<string, readonly StoredWeight[]>,
  file: string,
): Promise<Pick<tf.io.ModelArtifacts, 'weightSpecs' | 'weightData'>> {
  const model = await buildTopology(topology, file);
  try {
    const specs: tf.io.WeightsManifestEntry[] = [];
    const parts: Float32Array[] = [];
    for (const layer of model.layers) {
      const expected = layer.weights;
      const given = stored.get(layer.name) ?? [];
      if (given.length !== expected.length) {
        throw new UserError(
          `stores ${given.length} weight(s) for layer "${layer.name}" (${layer.getClassName()}) but the layer has ${expected.length}${expected.length > 0 ? ` (${expected.map((w) => w.originalName).join(', ')})` : ''}.`,
          file,
          'Save the whole model again from Keras (model.save) so its weights and configuration belong together.',
        );
      }
      expected.forEach((variable, i) => {
        const weight = given[i];
        const needed = variable.shape as number[];
        if (!sameShape(weight.shape, needed)) {
          throw new UserError(
            `stores "${weight.source}" with shape [${weight.shape.join(', ')}] but layer "${layer.name}" needs [${needed.join(', ')}] for ${variable.originalName}.`,
            file,
            'Save the whole model again from Keras (model.save) so its weights and configuration belong together.',
          );
        }
        specs.push({ name: variable.originalName, shape: [...needed], dtype: 'float32' });
        parts.push(weight.values);
      });
    }
    const total = parts.reduce((sum, part) => sum + part.length, 0);
    const data = new Float32Array(total);
    let offset = 0;
    for (const part of parts) {
      data.set(part, offset);
      offset += part.length;
    }
    return { weightSpecs: specs, weightData: data.buffer };
  } finally {
    model.dispose();
  }
}
