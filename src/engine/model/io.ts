/**
 * Reads and writes TensorFlow.js LayersModels on disk with `fs` (no fetch, no file:// URLs), and
 * recognises what is not a LayersModel (GraphModel, Keras file, truncated JSON, short shards) so
 * the user hears why and how to convert it.
 */
import * as tf from '@tensorflow/tfjs';
import { readFile, stat, mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { UserError } from '../../shared/userError';
import { writeFileAtomic } from '../../runs/atomicFile';

const CONVERT_FIX =
  'Convert the Keras model with `tensorflowjs_converter --input_format keras --output_format tfjs_layers_model model.h5 out/` and point at out/model.json.';

const BYTES_PER: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2, string: 0 };

/** Byte size of one weight as stored (quantized weights count their stored dtype). */
export function storedBytes(spec: tf.io.WeightsManifestEntry): number {
  const dtype = spec.quantization?.dtype ?? spec.dtype;
  return spec.shape.reduce((a, b) => a * b, 1) * (BYTES_PER[dtype] ?? 4);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function resolveModelFile(file: string): Promise<string> {
  const info = await stat(file).catch(() => undefined);
  if (!info) throw new UserError('was not found.', file, 'Point at a TensorFlow.js LayersModel model.json (with its weight files next to it), or use builtin:mobilenet_v2.');
  return info.isDirectory() ? path.join(file, 'model.json') : file;
}

/** Rejects Keras and other binary model files by extension or magic bytes. */
function checkNotBinaryModel(file: string, bytes: Buffer): void {
  const ext = path.extname(file).toLowerCase();
  const hdf5 = bytes.subarray(0, 4).equals(Buffer.from([0x89, 0x48, 0x44, 0x46]));
  const zip = bytes.subarray(0, 2).toString('latin1') === 'PK';
  if (ext === '.h5' || ext === '.hdf5' || hdf5) throw new UserError('is a Keras HDF5 file, not a TensorFlow.js model.', file, CONVERT_FIX);
  if (ext === '.keras' || zip) throw new UserError('is a Keras v3 `.keras` archive, not a TensorFlow.js model.', file, CONVERT_FIX);
  if (ext === '.pb' || ext === '.tflite' || ext === '.onnx' || ext === '.pt' || ext === '.pth') {
    throw new UserError(`is a ${ext} file, which TensorFlow.js cannot fine-tune.`, file, 'Export a Keras model from the original framework and ' + CONVERT_FIX.charAt(0).toLowerCase() + CONVERT_FIX.slice(1));
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
      'Fine-tuning needs a LayersModel: convert the original Keras model with `tensorflowjs_converter --output_format tfjs_layers_model`.',
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

/** Reads model.json (or a folder holding one) and its weight shards into ModelArtifacts. */
export async function readModelArtifacts(fileOrDir: string): Promise<tf.io.ModelArtifacts> {
  const file = await resolveModelFile(fileOrDir);
  const bytes = await readFile(file);
  checkNotBinaryModel(file, bytes);
  const json = parseModelJson(bytes.toString('utf8'), file);
  const dir = path.dirname(file);
  const buffers: Buffer[] = [];
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  for (const group of json.weightsManifest) {
    buffers.push(await readGroup(group, dir, file));
    weightSpecs.push(...group.weights);
  }
  const data = Buffer.concat(buffers);
  return {
    modelTopology: json.modelTopology,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    trainingConfig: json.trainingConfig,
    userDefinedMetadata: json.userDefinedMetadata,
    weightSpecs,
    weightData: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength),
  };
}

/** Saves model.json + weights.bin into `dir` (created if needed); each file is replaced atomically. */
export async function writeModelArtifacts(dir: string, artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
  await mkdir(dir, { recursive: true });
  const weightData = artifacts.weightData ? new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData)) : new Uint8Array(0);
  const json: tf.io.ModelJSON = {
    modelTopology: artifacts.modelTopology ?? {},
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version_layers}`,
    convertedBy: artifacts.convertedBy ?? null,
    weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
    ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
    ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
  };
  // Weights first: a model.json never points at weights that are not there yet.
  await writeFileAtomic(path.join(dir, 'weights.bin'), weightData);
  await writeFileAtomic(path.join(dir, 'model.json'), JSON.stringify(json));
  return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
}

/** A tf.io.IOHandler on the file system: `model.save(fileSystemHandler(dir))`, `tf.loadLayersModel(fileSystemHandler(file))`. */
export function fileSystemHandler(fileOrDir: string): tf.io.IOHandler {
  return {
    load: () => readModelArtifacts(fileOrDir),
    save: (artifacts) => writeModelArtifacts(path.extname(fileOrDir) === '.json' ? path.dirname(fileOrDir) : fileOrDir, artifacts),
  };
}
