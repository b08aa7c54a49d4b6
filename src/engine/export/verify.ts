/**
 * Proof that an export is usable: reload the exported folder from disk and check that it predicts
 * what the reference model (the in-memory model or the run's saved one) predicts.
 */
import * as tf from '@tensorflow/tfjs';
import { imageToInput, type Preprocessing } from './preprocessing';
import { loadLayersModelFromDir, readModelFolder } from './modelFolder';

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
}

/** Reloads `exportDir` and compares its predictions with `reference`; throws ExportMismatchError beyond tolerance. */
export async function verifyExport(exportDir: string, reference: tf.LayersModel, options: VerifyOptions = {}): Promise<VerifyResult> {
  const folder = await readModelFolder(exportDir);
  const exported = await loadLayersModelFromDir(exportDir);
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
  const { batch, kind } = await inputBatch(options.inputs, folder.preprocessing);
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

async function inputBatch(
  inputs: VerifyOptions['inputs'],
  pre: Preprocessing,
): Promise<{ batch: tf.Tensor4D; kind: VerifyResult['inputs'] }> {
  if (inputs instanceof tf.Tensor) return { batch: inputs, kind: 'tensors' };
  if (inputs && inputs.length > 0) {
    const images = await Promise.all(inputs.map((file) => imageToInput(file, pre)));
    const batch = tf.stack(images) as tf.Tensor4D;
    tf.dispose(images);
    return { batch, kind: 'images' };
  }
  const low = pre.scale === '0..1' ? 0 : -1;
  return { batch: tf.randomUniform([4, pre.inputSize, pre.inputSize, 3], low, 1, 'float32', 7), kind: 'synthetic' };
}
