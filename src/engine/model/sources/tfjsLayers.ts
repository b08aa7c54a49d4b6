/**
 * The TensorFlow.js LayersModel source: `model.json` (topology + weights manifest) and the weight
 * shards it lists, read with `fs` (no fetch, no file:// URLs). It takes every text file, so a bad
 * model.json (not JSON, truncated, a GraphModel, short shards) is told why and how to fix it.
 */
import type * as tf from '@tensorflow/tfjs';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { UserError } from '../../../shared/userError';
import { flattenLayersModel } from '../keras/flattenLayersModel';
import { readCompanionFiles } from './companionFiles';
import type { ImportedModel, ModelSource } from './modelSource';

export const CONVERT_FIX =
  'Point at a model.json written by tfjs `model.save()` or tensorflowjs_converter, or directly at the Keras `.keras` or `.h5` file (both are read as they are).';

const BYTES_PER: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2, string: 0 };

/** Byte size of one weight as stored (quantized weights count their stored dtype). */
function storedBytes(spec: tf.io.WeightsManifestEntry): number {
  const dtype = spec.quantization?.dtype ?? spec.dtype;
  return spec.shape.reduce((a, b) => a * b, 1) * (BYTES_PER[dtype] ?? 4);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Tab, line feed, form feed, carriage return: the control bytes a text file may hold. */
const TEXT_CONTROLS = new Set([0x09, 0x0a, 0x0c, 0x0d]);

/** UTF-8 text without control bytes other than whitespace (binary formats all have some). */
function isText(head: Uint8Array): boolean {
  if (head.some((byte) => (byte < 0x20 && !TEXT_CONTROLS.has(byte)) || byte === 0x7f)) return false;
  try {
    // `stream`: a character cut at the end of the head is not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** Parses model.json and checks it describes a LayersModel with a weights manifest. */
export function parseModelJson(text: string, file: string): tf.io.ModelJSON {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const truncated = /end of JSON|Unterminated/i.test(String(error));
    throw new UserError(
      truncated ? `is truncated: the JSON ends after ${text.length} characters.` : `is not valid JSON (${(error as Error).message}).`,
      file,
      'Download or export the model again; model.json must be the file written by tfjs `model.save()` or tensorflowjs_converter.',
    );
  }
  if (!isRecord(json)) throw new UserError('is JSON but not a model description (expected an object).', file, CONVERT_FIX);
  const topology = json.modelTopology;
  if (json.format === 'graph-model' || (isRecord(topology) && Array.isArray(topology.node))) {
    throw new UserError(
      'is a TensorFlow.js GraphModel (a frozen inference graph): it has no layers that can be frozen or trained.',
      file,
      'Fine-tuning needs a LayersModel: point at the original Keras `.keras` or `.h5` file (read as it is), or convert it with `tensorflowjs_converter --output_format tfjs_layers_model`.',
    );
  }
  if (!isRecord(topology) || !(isRecord(topology.model_config) || typeof topology.class_name === 'string')) {
    throw new UserError('has no model topology ("modelTopology" with the layers is missing).', file, 'Use the model.json written by tfjs `model.save()` or tensorflowjs_converter (format layers-model).');
  }
  if (!Array.isArray(json.weightsManifest)) {
    throw new UserError('has no "weightsManifest", so its pre-trained weights cannot be found.', file, 'Use the model.json written together with its .bin weight files.');
  }
  return json as unknown as tf.io.ModelJSON;
}

/** Reads one weight group's shards; a missing or short shard names the file. */
async function readGroup(group: tf.io.WeightsManifestConfig[number], dir: string, modelFile: string): Promise<Buffer> {
  const shards: Buffer[] = [];
  for (const shard of group.paths) {
    const shardFile = path.resolve(dir, decodeURIComponent(shard));
    try {
      shards.push(await readFile(shardFile));
    } catch {
      throw new UserError(`needs the weight file "${shard}", which is missing (looked for ${shardFile}).`, modelFile, 'Copy every .bin file listed in model.json next to it.');
    }
  }
  const data = Buffer.concat(shards);
  const expected = group.weights.reduce((sum, spec) => sum + storedBytes(spec), 0);
  if (data.length !== expected) {
    const which = group.paths.join(', ');
    throw new UserError(
      `weight file(s) ${which} hold ${data.length} bytes but model.json describes ${expected} bytes${data.length < expected ? ' (a truncated download?)' : ''}.`,
      modelFile,
      'Download or export the model again so model.json and its .bin files belong together.',
    );
  }
  return data;
}

/** Reads model.json and its weight shards into ModelArtifacts. */
async function readLayersModel(file: string): Promise<ImportedModel> {
  const json = parseModelJson(await readFile(file, 'utf8'), file);
  const dir = path.dirname(file);
  const buffers: Buffer[] = [];
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  for (const group of json.weightsManifest) {
    buffers.push(await readGroup(group, dir, file));
    weightSpecs.push(...group.weights);
  }
  const data = Buffer.concat(buffers);
  const artifacts: tf.io.ModelArtifacts = {
    modelTopology: json.modelTopology,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    trainingConfig: json.trainingConfig,
    userDefinedMetadata: json.userDefinedMetadata,
    weightSpecs,
    weightData: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength),
  };
  // Nested models (Teachable Machine) come out as one flat graph; metadata.json/labels.txt say the rest.
  const flat = flattenLayersModel(artifacts, file);
  return {
    artifacts: flat.artifacts,
    formatLabel: tfjsLayersSource.label,
    ...(Object.keys(flat.containers).length > 0 ? { containers: flat.containers } : {}),
    ...(await readCompanionFiles(dir)),
  };
}

export const tfjsLayersSource: ModelSource = {
  id: 'tfjs-layers',
  label: 'TensorFlow.js LayersModel (model.json)',
  extensions: ['json'],
  accepts: isText,
  read: readLayersModel,
};
