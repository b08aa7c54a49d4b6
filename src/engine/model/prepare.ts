/**
 * The model a project trains: the base cut at `cutLayer`, input rewritten, plus a new head, or the
 * base's own classifier kept (`head.keepClassifier`). Two steps, so the data can be opened in
 * between with what the base says (its input layout, its labels' order): `loadProjectBase`, then
 * `finishProjectModel` once the class count is known. `prepareModel` does both.
 */
import { resolveProjectPath } from '../config/projectPath';
import * as tf from '@tensorflow/tfjs';
import * as path from 'node:path';
import type { LayerInfo } from '../../protocol/host';
import type { ModelPlanInfo } from '../../protocol/run';
import type { PixelRange, ProjectConfig } from '../../protocol/config';
import { DEFAULT_PIXEL_RANGE, PROJECT_FILE_NAME } from '../config/load';
import { inputLayoutOf, type InputLayout } from '../data/inputLayout';
import { isUserError, UserError } from '../../shared/userError';
import { findClassifier, headTraining, type ClassifierHead, type HeadTraining } from './classifierHead';
import { graphLayersOfModel } from './graphLayers';
import { attachHead } from './head';
import { layerInfos, type LayerContainers } from './layerInfo';
import { loadBaseModel } from './load';

/** How images must be fed to the model; written to the exported `preprocessing.json`. */
export interface Preprocessing {
  readonly inputSize: number;
  readonly channels: 1 | 3;
  /** The pixel range the model expects (`model.pixelRange`). */
  readonly scale: PixelRange;
}

/** The base model loaded for a project, before its head. */
export interface ProjectBase {
  readonly base: tf.LayersModel;
  readonly displayName: string;
  readonly modelFile: string;
  /** How images are decoded and shaped for the model's input. */
  readonly layout: InputLayout;
  readonly preprocessing: Preprocessing;
  /** The kept classifier's labels, when the model ships with them: the data's classes are ordered so. */
  readonly classOrder?: readonly string[];
  readonly containers?: LayerContainers;
}

export interface PreparedModel {
  readonly model: tf.LayersModel;
  /** Base layers kept (input up to the cut), in model order. */
  readonly baseLayerNames: readonly string[];
  /** The head's layers: the new head (names start with `head_`), or a kept classifier's Dense and what follows it. */
  readonly headLayerNames: readonly string[];
  /** One row per layer, head rows with isNew = true: the input of `resolveTrainable`. */
  readonly layers: readonly LayerInfo[];
  readonly info: ModelPlanInfo;
  readonly preprocessing: Preprocessing;
  /** The loss and targets to train the head with (binary cross-entropy for a kept Dense(1, sigmoid)). */
  readonly training: HeadTraining;
  readonly layout: InputLayout;
  readonly classOrder?: readonly string[];
}

const FIELDS_OF_PROJECT = new Set(['model.cutLayer', 'model.inputSize']);

/** Loads the base for `config`: cut, input rewritten, its input layout and pixel range checked. */
export async function loadProjectBase(config: ProjectConfig, projectDir: string): Promise<ProjectBase> {
  const { inputSize, cutLayer } = config.model;
  const loaded = await loadBaseModel(config.model.base, projectDir, { inputSize, cutLayer }).catch((error: unknown) => {
    // A wrong cut layer or input size is the project's mistake: name finetune.json, and the model it was looked up in.
    if (isUserError(error) && error.field !== undefined && FIELDS_OF_PROJECT.has(error.field)) {
      const message = error.field === 'model.cutLayer' ? `"${cutLayer}" is not a layer of ${config.model.base}.` : `model.inputSize: ${config.model.base} ${error.message}`;
      throw new UserError(message, path.join(projectDir, PROJECT_FILE_NAME), error.fix, error.field);
    }
    throw error;
  });
  const { model: base, modelFile } = loaded;
  const shape = base.inputs[0]?.shape ?? [];
  const layout = inputLayoutOf(shape);
  if (!layout) {
    base.dispose();
    throw new UserError(
      `takes input of shape ${JSON.stringify(shape)}, which is not an image (expected [null, h, w, 1 or 3], [null, h, w] or [null, h * w]).`,
      modelFile,
      'Use an image model: square images, grey or RGB.',
    );
  }
  // Batches are float32 pixels; an int32 input would train on a cast copy and then fail at evaluation and predict.
  const dtype = base.inputs[0]?.dtype;
  if (dtype !== undefined && dtype !== 'float32') {
    base.dispose();
    throw new UserError(
      `takes ${dtype} input (layer ${base.inputLayers[0]?.name ?? 'input'}), but images are given to a model as float32 pixels.`,
      modelFile,
      'Save the model with a float32 input (Keras: keras.Input(shape, dtype="float32"); tfjs: tf.input({ shape, dtype: "float32" })), then convert it again.',
    );
  }
  const scale = config.model.pixelRange ?? loaded.pixelRange ?? DEFAULT_PIXEL_RANGE;
  const keep = config.head.keepClassifier === true;
  return {
    base, displayName: loaded.displayName, modelFile, layout,
    preprocessing: { inputSize: layout.size, channels: layout.channels, scale },
    ...(keep && loaded.labels ? { classOrder: loaded.labels } : {}),
    ...(loaded.containers ? { containers: loaded.containers } : {}),
  };
}

/** The kept classifier's layers: its Dense and everything after it. */
function classifierLayers(model: tf.LayersModel, classifier: ClassifierHead): string[] {
  const names = model.layers.map((l) => l.name);
  return names.slice(names.indexOf(classifier.dense));
}

/** Adds the head for `numClasses` (or keeps the base's classifier); `dataDir` is named when the classes do not fit. */
export function finishProjectModel(project: ProjectBase, config: ProjectConfig, projectDir: string, numClasses: number, dataDir: string): PreparedModel {
  const { base } = project;
  try {
    if (!Number.isInteger(numClasses) || numClasses < 2) {
      throw new UserError(`has ${numClasses} class(es); a classifier needs at least 2.`, dataDir, 'Add one sub-folder of images per class (at least two).');
    }
    const keep = config.head.keepClassifier === true;
    const classifier = keep ? findClassifier(graphLayersOfModel(base)) : null;
    let training: HeadTraining;
    try {
      training = headTraining(classifier, numClasses, keep, { file: path.join(projectDir, PROJECT_FILE_NAME), field: 'head.keepClassifier' });
    } catch (error) {
      if (!isUserError(error)) throw error;
      throw new UserError(`head.keepClassifier: ${error.message} (data folder: ${dataDir})`, error.file, error.fix, error.field);
    }
    const baseLayerNames = base.layers.map((l) => l.name);
    const model = keep ? base : attachHead(base, config.head, numClasses, config.data.seed);
    const baseSet = new Set(baseLayerNames);
    const headLayerNames = keep && classifier ? classifierLayers(base, classifier) : model.layers.filter((l) => !baseSet.has(l.name)).map((l) => l.name);
    const headSet = new Set(headLayerNames);
    const layers = layerInfos(model, headSet, project.containers);
    const sum = (rows: readonly LayerInfo[]): number => rows.reduce((total, row) => total + row.params, 0);
    const info: ModelPlanInfo = {
      base: project.displayName,
      baseParams: sum(layers.filter((l) => !l.isNew)),
      baseLayers: baseLayerNames.filter((name) => !headSet.has(name)).length,
      cutLayer: config.model.cutLayer,
      inputShape: [project.layout.size, project.layout.size, project.layout.channels],
      headLayers: headLayerNames,
      headParams: sum(layers.filter((l) => l.isNew)),
    };
    return {
      model, baseLayerNames: baseLayerNames.filter((name) => !headSet.has(name)), headLayerNames, layers, info, preprocessing: project.preprocessing, training,
      layout: project.layout, ...(project.classOrder ? { classOrder: project.classOrder } : {}),
    };
  } catch (error) {
    base.dispose();
    throw error;
  }
}

/** Loads the base, cuts it, rewrites its input to `model.inputSize` and adds a head for `numClasses`. */
export async function prepareModel(config: ProjectConfig, projectDir: string, numClasses: number): Promise<PreparedModel> {
  const dataDir = resolveProjectPath(projectDir, config.data.folder);
  return finishProjectModel(await loadProjectBase(config, projectDir), config, projectDir, numClasses, dataDir);
}
