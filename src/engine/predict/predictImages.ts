/** Top-k class predictions for image files with a run's adapted model (or any model folder). */
import * as tf from '@tensorflow/tfjs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../../shared/userError';
import { assertFolder, MODEL_JSON, modelDirOf, runFile } from '../../runs';
import { imageToInput, loadLayersModelFromDir, readModelFolder, type Preprocessing } from '../export';
import { assertLabelsFitModel } from '../export/modelFolder';
import { IMAGE_EXTENSIONS_TEXT } from '../data/formats';
import { classProbabilities } from '../model/classProbabilities';
import { EMPTY_FOLDER_FIX, expandImageArgs } from './imageArgs';
import { assertFiniteWeights } from '../model/finiteWeights';

export interface ClassProbability {
  readonly label: string;
  readonly probability: number;
}

export interface ImagePrediction {
  readonly file: string;
  /** Most probable first. */
  readonly top: readonly ClassProbability[];
}

const CHUNK = 16;

/** The model folder of a run folder (its `model/`) or a model folder itself. */
export async function resolveModelDir(runOrModelDir: string): Promise<string> {
  const dir = path.resolve(runOrModelDir);
  await assertFolder(dir, 'a completed run folder (runs/<run id>) or a model folder');
  for (const candidate of [dir, modelDirOf(dir)]) {
    if (await exists(path.join(candidate, MODEL_JSON))) return candidate;
  }
  const hasManifest = await exists(runFile(dir, 'manifest'));
  throw new UserError(
    hasManifest ? 'is a run without a saved model (it did not complete).' : 'has no model.json (and no model/ folder with one).',
    dir,
    hasManifest ? 'Resume it with `finetune-guide train <project> --resume` or pick a completed run.' : 'Pass a completed run folder (runs/<id>) or its model/ folder.',
  );
}

/** An image that could not be predicted, with the cause (the UserError's message, naming the file). */
export interface ImageFailure {
  readonly file: string;
  readonly message: string;
}

/** Predicts the `topK` most probable classes of each image; throws at the first image that cannot be read. */
export async function predictImages(runOrModelDir: string, imageFiles: readonly string[], topK = 3): Promise<ImagePrediction[]> {
  const { predictions, failures } = await predictEachImage(runOrModelDir, imageFiles, topK);
  if (failures[0]) throw failures[0].error;
  return predictions;
}

/**
 * Like predictImages, but one bad image among good ones is reported on its own: the others are predicted.
 * A folder among `imageArgs` stands for every file in it; `images` counts what was tried.
 */
export async function predictEachImage(
  runOrModelDir: string,
  imageArgs: readonly string[],
  topK = 3,
): Promise<{ predictions: ImagePrediction[]; failures: (ImageFailure & { error: UserError })[]; images: number }> {
  if (imageArgs.length === 0) throw new UserError('no image files were given.', 'predict', 'Pass one or more image files after the model folder.');
  const modelDir = await resolveModelDir(runOrModelDir);
  const folder = await readModelFolder(modelDir);
  const { files: imageFiles, emptyFolders } = await expandImageArgs(imageArgs);
  const failures: (ImageFailure & { error: UserError })[] = emptyFolders.map((dir) => {
    const error = new UserError('is a folder with no files in it.', dir, EMPTY_FOLDER_FIX);
    return { file: dir, message: error.message, error };
  });
  const model = await loadLayersModelFromDir(modelDir);
  try {
    assertFiniteWeights(model, path.join(modelDir, 'model.json'));
    assertLabelsFitModel(model, folder);
    const k = Math.max(1, Math.min(topK, folder.classes.length));
    const out: ImagePrediction[] = [];
    for (let i = 0; i < imageFiles.length; i += CHUNK) {
      const inputs: { file: string; input: tf.Tensor3D }[] = [];
      for (const file of imageFiles.slice(i, i + CHUNK)) {
        try {
          inputs.push({ file, input: await decode(file, folder.preprocessing) });
        } catch (error) {
          if (!(error instanceof UserError)) {
            tf.dispose(inputs.map((x) => x.input));
            throw error;
          }
          failures.push({ file, message: error.message, error });
        }
      }
      if (inputs.length === 0) continue;
      const probabilities = await predictChunk(model, inputs.map((x) => x.input));
      inputs.forEach(({ file }, j) => {
        const ranked = probabilities[j]
          .map((probability, index) => ({ label: folder.classes[index] ?? `class ${index}`, probability }))
          .sort((a, b) => b.probability - a.probability);
        out.push({ file, top: ranked.slice(0, k) });
      });
    }
    return { predictions: out, failures, images: imageFiles.length + emptyFolders.length };
  } finally {
    model.dispose();
  }
}

/** Predicts decoded images, and disposes them. */
async function predictChunk(model: tf.LayersModel, inputs: tf.Tensor3D[]): Promise<number[][]> {
  try {
    // A channel-less model ([null, 28, 28] or a flat [null, 784]) takes the same pixels reshaped.
    const sampleShape = (model.inputs[0]?.shape ?? []).slice(1) as number[];
    const output = tf.tidy(() => model.predict(tf.stack(inputs).reshape([inputs.length, ...sampleShape])) as tf.Tensor);
    const values = (await output.array()) as number[][];
    output.dispose();
    return values.map(classProbabilities);
  } finally {
    tf.dispose(inputs);
  }
}

async function decode(file: string, pre: Preprocessing): Promise<tf.Tensor3D> {
  if (!(await exists(file))) throw new UserError('does not exist.', path.resolve(file), 'Check the image path.');
  try {
    return await imageToInput(file, pre);
  } catch (error) {
    throw new UserError(`could not be read as an image (${(error as Error).message}).`, path.resolve(file), `Pass a ${IMAGE_EXTENSIONS_TEXT} image.`);
  }
}

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(() => true, () => false);
}
