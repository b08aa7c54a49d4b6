/**
 * Writes TensorFlow.js LayersModels on disk with `fs` (no fetch, no file:// URLs), and a
 * `tf.io.IOHandler` over the file system. Reading goes through the model sources (`./sources`).
 */
import * as tf from '@tensorflow/tfjs';
import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { writeFileAtomic } from '../../runs/atomicFile';
import { readModelFile } from './sources';

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
    load: async () => (await readModelFile(fileOrDir)).artifacts,
    save: (artifacts) => writeModelArtifacts(path.extname(fileOrDir) === '.json' ? path.dirname(fileOrDir) : fileOrDir, artifacts),
  };
}
