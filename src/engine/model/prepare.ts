/** The model a project trains: the base cut at `cutLayer`, input rewritten, plus a new head. */
import * as tf from '@tensorflow/tfjs';
import * as path from 'node:path';
import type { LayerInfo } from '../../protocol/host';
import type { ModelPlanInfo } from '../../protocol/run';
import type { ProjectConfig } from '../../protocol/config';
import { PROJECT_FILE_NAME } from '../config/load';
import { isUserError, UserError } from '../../shared/userError';
import { attachHead } from './head';
import { layerInfos } from './layerInfo';
import { loadBaseModel } from './load';

/** How images must be fed to the model; written to the exported `preprocessing.json`. */
export interface Preprocessing {
  readonly inputSize: number;
  readonly channels: number;
  /** Pixel range the model expects: '0..1' means value / 255. */
  readonly scale: typeof FED_PIXEL_RANGE;
}

/** The range src/engine/data scales images to (bytes / 255); a model that expects another is refused. */
const FED_PIXEL_RANGE = '0..1';

export interface PreparedModel {
  readonly model: tf.LayersModel;
  /** Base layers kept (input up to the cut), in model order. */
  readonly baseLayerNames: readonly string[];
  /** The new head's layers (names start with `head_`). */
  readonly headLayerNames: readonly string[];
  /** One row per layer, head rows with isNew = true: the input of `resolveTrainable`. */
  readonly layers: readonly LayerInfo[];
  readonly info: ModelPlanInfo;
  readonly preprocessing: Preprocessing;
}

/** Loads the base, cuts it, rewrites its input to `model.inputSize` and adds a head for `numClasses`. */
export async function prepareModel(config: ProjectConfig, projectDir: string, numClasses: number): Promise<PreparedModel> {
  if (!Number.isInteger(numClasses) || numClasses < 2) {
    throw new UserError(`has ${numClasses} class(es); a classifier needs at least 2.`, path.resolve(projectDir, config.data.folder), 'Add one sub-folder of images per class (at least two).');
  }
  const { inputSize, cutLayer } = config.model;
  const { model: base, displayName, modelFile, pixelRange = FED_PIXEL_RANGE } = await loadBaseModel(config.model.base, projectDir, { inputSize, cutLayer }).catch((error: unknown) => {
    // A wrong cut layer is the project's mistake: name finetune.json, and the model it was looked up in.
    if (isUserError(error) && error.field === 'model.cutLayer') {
      throw new UserError(`"${cutLayer}" is not a layer of ${config.model.base}.`, path.join(projectDir, PROJECT_FILE_NAME), error.fix, error.field);
    }
    throw error;
  });
  const baseLayerNames = base.layers.map((l) => l.name);
  const channels = Number(base.inputs[0]?.shape[3] ?? 3);
  if (channels !== 3) {
    base.dispose();
    throw new UserError(`takes ${channels}-channel images; Fine-Tune Guide feeds RGB (3 channels).`, modelFile, 'Use a base model whose input has 3 channels.');
  }
  if (pixelRange !== FED_PIXEL_RANGE) {
    base.dispose();
    throw new UserError(`expects pixels in ${pixelRange}; training feeds them in ${FED_PIXEL_RANGE} (value / 255).`, modelFile, `Use a base model trained on pixels in ${FED_PIXEL_RANGE}.`);
  }
  const model = attachHead(base, config.head, numClasses);
  const baseSet = new Set(baseLayerNames);
  const headLayerNames = model.layers.filter((l) => !baseSet.has(l.name)).map((l) => l.name);
  const layers = layerInfos(model, new Set(headLayerNames));
  const sum = (rows: readonly LayerInfo[]): number => rows.reduce((total, row) => total + row.params, 0);
  const info: ModelPlanInfo = {
    base: displayName,
    baseParams: sum(layers.filter((l) => !l.isNew)),
    baseLayers: baseLayerNames.length,
    cutLayer,
    inputShape: [inputSize, inputSize, channels],
    headLayers: headLayerNames,
    headParams: sum(layers.filter((l) => l.isNew)),
  };
  return { model, baseLayerNames, headLayerNames, layers, info, preprocessing: { inputSize, channels, scale: pixelRange } };
}
