/**
 * Proof that an export is usable: reload the exported folder from disk (with the reader of its format)
 * and check that it predicts what the reference model (the in-memory model or the run's saved one) predicts.
 */
import * as tf from '@tensorflow/tfjs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../../shared/userError';
import { pixelBounds } from '../data/pixelRange';
import { imageToInput, parsePreprocessing, type Preprocessing } from './preprocessing';
import { loadLayersModelFromDir, PREPROCESSING_JSON } from './modelFolder';

/** Largest allowed absolute difference between two probabilities. */
export const DEFAULT_TOLERANCE = 1e-5;

export interface VerifyResult {
  readonly samples: number;
  readonly maxAbsDifference: number;
  readonly tolerance: number;
  /** Where the inputs came from: image files or generated tensors. */
  readonly inputs: 'images' | 'tensors' | 'synthetic';
}

/** Raised when the exported model predicts differently from the reference. */
export class ExportMismatchError extends Error {
  constructor(
    readonly exportDir: string,
    readonly result: VerifyResult,
  ) {
    super(
      `${exportDir}: the exported model predicts differently from the trained one (largest difference ` +
        `${result.maxAbsDifference.toExponential(2)} > ${result.tolerance} on ${result.samples} inputs). ` +
        'Export again; if it persists, the model files were changed or could not be written completely.',
    );
    this.name = 'ExportMismatchError';
  }
}

export interface VerifyOptions {
  /** Image files (decoded with preprocessing.json) or a ready input batch; default: 4 seeded random inputs. */
  readonly inputs?: readonly string[] | tf.Tensor4D;
  readonly tolerance?: number;
  /** Loads the exported model from its folder; default: a tfjs LayersModel folder. */
  readonly reload?: (dir: string) => Promise<tf.LayersModel>;
}

/** Reloads `exportDir` and compares its predictions with `reference`; throws ExportMismatchError beyond tolerance. */
export async function verifyExport(exportDir: string, reference: tf.LayersModel, options: VerifyOptions = {}): Promise<VerifyResult> {
  const preprocessing = await readPreprocessing(exportDir);
  const exported = await (options.reload ?? loadLayersModelFromDir)(exportDir).catch((error: unknown) => {
    // The files were just written by the export: a reader refusing them is a bug here, not the user's input.
    throw new Error(`${exportDir}: the exported files could not be read back (${error instanceof Error ? error.message : String(error)}).`);
  });
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
  const { batch, kind } = await inputBatch(options.inputs, preprocessing, (reference.inputs[0]?.shape ?? []).slice(1) as number[]).catch((error: unknown) => {
    exported.dispose();
    throw error;
  });
  try {
    const maxAbsDifference = tf.tidy(() => {
      const expected = reference.predict(batch) as tf.Tensor;
      const actual = exported.predict(batch) as tf.Tensor;
      if (!tf.util.arraysEqual(expected.shape, actual.shape)) return Number.POSITIVE_INFINITY;
      return tf.max(tf.abs(tf.sub(expected, actual))).dataSync()[0];
    });
    const result: VerifyResult = { samples: batch.shape[0], maxAbsDifference, tolerance, inputs: kind };
    if (!(maxAbsDifference <= tolerance)) throw new ExportMismatchError(exportDir, result);
    return result;
  } finally {
    if (batch !== options.inputs) batch.dispose();
    exported.dispose();
  }
}

async function readPreprocessing(dir: string): Promise<Preprocessing> {
  const file = path.join(dir, PREPROCESSING_JSON);
  const text = await fs.readFile(file, 'utf8').catch(() => {
    throw new UserError('is missing.', file, 'Export again: every export writes it beside the model.');
  });
  try {
    return parsePreprocessing(JSON.parse(text), file);
  } catch (error) {
    if (error instanceof SyntaxError) throw new UserError('is not valid JSON.', file, 'Export again: every export writes it beside the model.');
    throw error;
  }
}

/** The comparison inputs shaped as the model takes one sample (`sampleShape`: [h, w, c], [h, w] or [n]). */
async function inputBatch(
  inputs: VerifyOptions['inputs'],
  pre: Preprocessing,
  sampleShape: readonly number[],
): Promise<{ batch: tf.Tensor; kind: VerifyResult['inputs'] }> {
  if (inputs instanceof tf.Tensor) return { batch: inputs, kind: 'tensors' };
  if (inputs && inputs.length > 0) {
    const images = await Promise.all(inputs.map((file) => imageToInput(file, pre)));
    const batch = tf.tidy(() => tf.stack(images).reshape([images.length, ...sampleShape]));
    tf.dispose(images);
    return { batch, kind: 'images' };
  }
  const [low, high] = pixelBounds(pre.scale);
  return { batch: tf.randomUniform([4, ...sampleShape], low, high, 'float32', 7), kind: 'synthetic' };
}
