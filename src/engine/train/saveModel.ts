/**
 * Writes the adapted model of a run as a plain tfjs LayersModel folder: model.json + weights.bin
 * (through an fs save handler, not a browser/http one), labels.json and preprocessing.json.
 */
import * as tf from '@tensorflow/tfjs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { PixelRange } from '../../protocol/config';
import { writeFileAtomic, writeJsonAtomic } from '../../runs/atomicFile';

/** How an image becomes the model's input (the shape `src/engine/export/preprocessing.ts` reads). */
export interface PreprocessingInfo {
  readonly inputSize: number;
  readonly channels?: number;
  /** `model.pixelRange`: '0..1' = bytes / 255, '-1..1' = bytes / 127.5 - 1, '0..255' = bytes as they are. */
  readonly scale: PixelRange;
}

const WEIGHTS_BIN = 'weights.bin';

/** A tf.io save handler writing model.json + weights.bin into `dir` (weights first, each atomically). */
export function fsSaveHandler(dir: string): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      await fs.mkdir(dir, { recursive: true });
      const weights = artifacts.weightData ? new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData)) : new Uint8Array(0);
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology ?? {},
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version_layers}`,
        convertedBy: 'finetune-guide',
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
      };
      await writeFileAtomic(path.join(dir, WEIGHTS_BIN), weights);
      await writeFileAtomic(path.join(dir, 'model.json'), JSON.stringify(modelJson));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
  };
}

/** Saves model, labels and preprocessing into `dir`. */
export async function saveModelFolder(dir: string, model: tf.LayersModel, classes: readonly string[], preprocessing: PreprocessingInfo): Promise<void> {
  await model.save(fsSaveHandler(dir));
  await writeJsonAtomic(path.join(dir, 'labels.json'), classes);
  // Training decodes with sharp's `cover` fit (scale, then centre-crop); predictions must too.
  await writeJsonAtomic(path.join(dir, 'preprocessing.json'), { ...preprocessing, fit: 'cover' });
}
