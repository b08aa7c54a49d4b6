/**
 * A tfjs LayersModel folder on disk as the runs folder keeps it: `model.json` (topology + weights
 * manifest), the weight files it lists, `labels.json` and `preprocessing.json`. Read with plain
 * `@tensorflow/tfjs` (no tfjs-node): we hand tfjs the artifacts ourselves.
 */
import * as tf from '@tensorflow/tfjs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { decodeText } from '../../shared/textFile';
import { UserError } from '../../shared/userError';
import { parsePreprocessing, type Preprocessing } from './preprocessing';
// An exported model may hold Keras preprocessing layers tfjs lacks: register them before loading.
import '../model/layers/register';

export const MODEL_JSON = 'model.json';
export const LABELS_JSON = 'labels.json';
export const PREPROCESSING_JSON = 'preprocessing.json';

/** What a model folder holds, checked. */
export interface ModelFolder {
  readonly dir: string;
  readonly modelJson: tf.io.ModelJSON;
  /** Weight file paths relative to `dir`, in manifest order. */
  readonly weightFiles: readonly string[];
  readonly classes: readonly string[];
  readonly preprocessing: Preprocessing;
}

/** Reads and checks a model folder; every problem is a UserError naming the file. */
export async function readModelFolder(dir: string): Promise<ModelFolder> {
  const modelFile = path.join(dir, MODEL_JSON);
  const modelJson = await readJson(modelFile, 'Point to a folder written by a finished run (it has model.json next to its weight files).');
  if (!isModelJson(modelJson)) {
    throw new UserError('is not a tfjs LayersModel (no modelTopology or weightsManifest).', modelFile, 'Export a model saved by Fine-Tune Guide or tf.LayersModel.save().');
  }
  const weightFiles = modelJson.weightsManifest.flatMap((group) => group.paths);
  for (const weightFile of weightFiles) {
    const resolved = path.resolve(dir, weightFile);
    if (path.relative(dir, resolved).startsWith('..') || path.isAbsolute(weightFile)) {
      throw new UserError(`lists the weight file "${weightFile}" outside its folder.`, modelFile, 'Weight paths must be file names next to model.json.', 'weightsManifest');
    }
    await fs.access(resolved).catch(() => {
      throw new UserError(`lists the weight file "${weightFile}", which is missing.`, modelFile, 'Copy the complete model folder, or train the run again.', 'weightsManifest');
    });
  }
  const labelsFile = path.join(dir, LABELS_JSON);
  const classes = parseLabels(await readJson(labelsFile, 'It is written with the model at the end of each phase; train the run again.'), labelsFile);
  const preprocessingFile = path.join(dir, PREPROCESSING_JSON);
  const preprocessing = parsePreprocessing(await readJson(preprocessingFile, 'It is written with the model; train the run again.'), preprocessingFile);
  return { dir, modelJson, weightFiles, classes, preprocessing };
}

/** Loads a LayersModel folder with plain @tensorflow/tfjs. */
export async function loadLayersModelFromDir(dir: string): Promise<tf.LayersModel> {
  const modelFile = path.join(dir, MODEL_JSON);
  const modelJson = await readJson(modelFile, 'Point to a folder that has model.json next to its weight files.');
  if (!isModelJson(modelJson)) {
    throw new UserError('is not a tfjs LayersModel (no modelTopology or weightsManifest).', modelFile, 'Use a model saved with tf.LayersModel.save().');
  }
  const buffers = await Promise.all(modelJson.weightsManifest.flatMap((group) => group.paths).map((p) => fs.readFile(path.join(dir, p))));
  const weightData = tf.io.CompositeArrayBuffer.join(buffers.map((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)));
  const artifacts: tf.io.ModelArtifacts = {
    modelTopology: modelJson.modelTopology,
    weightSpecs: modelJson.weightsManifest.flatMap((group) => group.weights),
    weightData,
    format: modelJson.format,
    generatedBy: modelJson.generatedBy,
    convertedBy: modelJson.convertedBy,
  };
  return tf.loadLayersModel({ load: async () => artifacts });
}

/**
 * Throws a UserError naming labels.json when it does not give one distinct name per output of the model
 * (an imported model with the labels of another, a hand-edited file): predictions would carry wrong names.
 */
export function assertLabelsFitModel(model: tf.LayersModel, folder: ModelFolder): void {
  const file = path.join(folder.dir, LABELS_JSON);
  const outputs = model.outputs[0]?.shape.at(-1);
  // A one-unit sigmoid output is two classes (the probability of the second).
  const expected = outputs === 1 ? 2 : outputs;
  if (typeof expected === 'number' && expected !== folder.classes.length) {
    throw new UserError(
      `has ${folder.classes.length} class name${folder.classes.length === 1 ? '' : 's'}, but the model has ${outputs} output${outputs === 1 ? ' (two classes)' : 's'}.`,
      file,
      `Write one name per class of the model, in output order (${expected} names).`,
    );
  }
  const repeated = folder.classes.find((name, i) => folder.classes.indexOf(name) !== i);
  if (repeated !== undefined) throw new UserError(`names the class ${JSON.stringify(repeated)} twice.`, file, 'Give every output its own name.');
}

/** labels.json is either `["cat", "dog"]` or `{ "classes": ["cat", "dog"] }`. */
function parseLabels(value: unknown, file: string): string[] {
  const list = Array.isArray(value) ? value : (value as { classes?: unknown } | null)?.classes;
  if (!Array.isArray(list) || list.length === 0 || !list.every((c) => typeof c === 'string')) {
    throw new UserError('must be a list of class names, e.g. ["cat", "dog"].', file, 'Write one name per output of the model, in output order.');
  }
  return list;
}

function isModelJson(value: unknown): value is tf.io.ModelJSON {
  if (typeof value !== 'object' || value === null) return false;
  const json = value as Partial<tf.io.ModelJSON>;
  return (
    typeof json.modelTopology === 'object' &&
    json.modelTopology !== null &&
    Array.isArray(json.weightsManifest) &&
    json.weightsManifest.every((g) => Array.isArray(g.paths) && Array.isArray(g.weights))
  );
}

async function readJson(file: string, fix: string): Promise<unknown> {
  let text: string;
  try {
    text = decodeText(await fs.readFile(file));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UserError('is missing.', file, fix);
    throw error;
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new UserError('is not valid JSON.', file, fix);
  }
}
