/**
 * Loads a base model from disk in any format a model source reads (or a built-in one), optionally with its input rewritten to the
 * project's size and cut after a layer, and checks its weights against its topology by name and
 * shape so a mismatch names the layer instead of failing deep inside tfjs.
 */
import * as tf from '@tensorflow/tfjs';
import { assertFiniteWeights } from './finiteWeights';
import { UserError } from '../../shared/userError';
import { findBuiltin } from './builtins';
import { resolveModelPath } from './paths';
import { readModelFile, type PixelRange } from './sources';
import { cutTopology, layerName, rewriteInputSize, viewTopology } from './topology';
import type { LayerContainers } from './layerInfo';
// Keras preprocessing layers tfjs lacks must be registered before any model is built.
import './layers/register';

export interface LoadModelOptions {
  /** Square input side; the topology's input shape is rewritten to it. */
  readonly inputSize?: number;
  /** Keep only this layer and what it depends on. */
  readonly cutLayer?: string;
}

export interface LoadedBaseModel {
  readonly model: tf.LayersModel;
  /** Absolute path of the file read (for a folder its model.json; for `builtin:` the shipped asset). */
  readonly modelFile: string;
  /** The name to show: `builtin:<id>` or the model's absolute path as given. */
  readonly displayName: string;
  /** The pixel range the model expects, when its registry entry or the files shipped with it say. */
  readonly pixelRange?: PixelRange;
  /** What the file is, e.g. "TensorFlow.js LayersModel (model.json)". */
  readonly formatLabel: string;
  /** Class names that ship with the model, in output order. */
  readonly labels?: readonly string[];
  /** Nested models holding each leaf layer (absent for a flat model). */
  readonly containers?: LayerContainers;
  /** Square input side stated by files shipped with the model. */
  readonly imageSize?: number;
}

/** `layer "x" ` for the layers of `className` in the topology, so the message names them. */
function layersOfClassText(topology: unknown, className: string, file: string): string {
  try {
    const names = viewTopology(topology, file).layers.filter((l) => l.class_name === className).map((l) => `"${layerName(l)}"`);
    return names.length > 0 ? `has layer ${names.slice(0, 3).join(', ')}${names.length > 3 ? ' (and more)' : ''}, which ` : '';
  } catch {
    return '';
  }
}

/** Builds the layers; an unknown layer class or a broken config names the file. */
async function buildFromTopology(topology: tf.io.ModelArtifacts['modelTopology'], file: string): Promise<tf.LayersModel> {
  try {
    return await tf.models.modelFromJSON({ modelTopology: topology as tf.io.ModelJSON['modelTopology'] });
  } catch (error) {
    const message = (error as Error).message;
    const unknown = /Unknown layer: (\S+?)\.? /.exec(message);
    if (unknown) {
      throw new UserError(
        `${layersOfClassText(topology, unknown[1] as string, file)}uses the layer class "${unknown[1]}", which TensorFlow.js ${tf.version_layers} does not know (a Lambda or custom layer?).`,
        file,
        'Rebuild the model from standard Keras layers (replace that layer, e.g. a Lambda by a built-in layer) and save it again, or pick another base model.',
      );
    }
    throw new UserError(`has a topology TensorFlow.js cannot build: ${message.split('\n')[0]}`, file, 'Re-export the model with tensorflowjs_converter (format tfjs_layers_model).');
  }
}

/** Sets every weight from the file; missing or mis-shaped weights name the layer. */
function setWeights(model: tf.LayersModel, artifacts: tf.io.ModelArtifacts, file: string): void {
  const decoded = tf.io.decodeWeights(artifacts.weightData ?? new ArrayBuffer(0), artifacts.weightSpecs ?? []);
  try {
    const chosen: tf.NamedTensorMap = {};
    for (const weight of model.weights) {
      const tensor = decoded[weight.originalName];
      if (!tensor) {
        throw new UserError(`has no weights for "${weight.originalName}" in its weight files.`, file, 'The weights do not belong to this topology: export model.json and its .bin files together.');
      }
      if (tensor.shape.length !== weight.shape.length || tensor.shape.some((d, i) => d !== weight.shape[i])) {
        throw new UserError(
          `stores "${weight.originalName}" with shape [${tensor.shape.join(', ')}] but the layer needs [${weight.shape.join(', ')}].`,
          file,
          'The weights do not match the topology: export model.json and its .bin files together (or cut the model before a Flatten/Dense whose size depends on the input size).',
        );
      }
      chosen[weight.originalName] = tensor;
    }
    model.loadWeights(chosen, true);
  } finally {
    tf.dispose(decoded);
  }
}

/** Loads a model file (or `builtin:...`) as a LayersModel with its pre-trained weights. */
export async function loadBaseModel(base: string, baseDir: string, options: LoadModelOptions = {}): Promise<LoadedBaseModel> {
  const builtin = findBuiltin(base);
  const resolved = resolveModelPath(base, baseDir);
  const read = await readModelFile(resolved);
  const { artifacts, file: modelFile } = read;
  const displayName = builtin ? base : resolved;
  const topology: unknown = structuredClone(artifacts.modelTopology);
  if (options.inputSize !== undefined) rewriteInputSize(topology, options.inputSize, modelFile);
  if (options.cutLayer !== undefined) cutTopology(topology, options.cutLayer, modelFile);
  const model = await buildFromTopology(topology as tf.io.ModelArtifacts['modelTopology'], modelFile);
  try {
    if (model.weights.length === 0) {
      throw new UserError('has no layers with weights: there is nothing to fine-tune.', modelFile, 'Use a pre-trained model with convolution or dense layers.');
    }
    setWeights(model, artifacts, modelFile);
    assertFiniteWeights(model, modelFile);
  } catch (error) {
    model.dispose();
    throw error;
  }
  return {
    model, modelFile, displayName, pixelRange: builtin?.pixelRange ?? read.pixelRange, formatLabel: read.formatLabel,
    labels: read.labels, containers: read.containers, imageSize: read.imageSize,
  };
}
