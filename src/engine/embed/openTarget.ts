/**
 * What `embed` reads features from: a run folder (its adapted model, its cut layer, its project's
 * data split) or a project (its base model, cut at the cut layer). Both open the data folder with
 * the project's seeded split, so `split` matches training.
 */
import type * as tf from '@tensorflow/tfjs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ProjectConfig } from '../../protocol/config';
import { UserError } from '../../shared/userError';
import { readManifest, RUN_FILES, runFile } from '../../runs';
import { loadProjectConfig } from '../config';
import { openDataset } from '../data';
import { inputLayoutOf } from '../data/inputLayout';
import type { Dataset } from '../data/types';
import { loadLayersModelFromDir, readModelFolder } from '../export';
import { loadProjectBase } from '../model/prepare';
import { resolveModelDir } from '../predict/predictImages';

export interface EmbedTarget {
  readonly kind: 'run' | 'project';
  readonly model: tf.LayersModel;
  /** The cut layer: the default feature layer. */
  readonly cutLayer: string;
  readonly dataset: Dataset;
  readonly dataDir: string;
  readonly config: ProjectConfig;
  readonly projectDir: string;
}

const exists = (file: string): Promise<boolean> => fs.access(file).then(() => true, () => false);

/** Opens `runOrProject` (a run folder, a project folder or a finetune.json); the caller disposes `model`. */
export async function openEmbedTarget(runOrProject: string): Promise<EmbedTarget> {
  const dir = path.resolve(runOrProject);
  if (await exists(runFile(dir, 'manifest'))) return openRun(dir);
  return openProject(dir);
}

async function openRun(runDir: string): Promise<EmbedTarget> {
  const manifest = await readManifest(runDir);
  if (!manifest) throw new UserError(`has a ${RUN_FILES.manifest} that cannot be read.`, runFile(runDir, 'manifest'), 'Pick a run folder written by `finetune-guide train`.');
  const modelDir = await resolveModelDir(runDir);
  const folder = await readModelFolder(modelDir);
  const { config } = manifest;
  const projectDir = path.dirname(manifest.projectFile);
  const dataDir = path.resolve(projectDir, config.data.folder);
  const model = await loadLayersModelFromDir(modelDir);
  try {
    const layout = inputLayoutOf(model.inputs[0]?.shape ?? []);
    if (!layout) throw new UserError('takes an input that is not an image.', modelDir, 'Use a run of an image model.');
    const dataset = await openDataset({
      folder: dataDir, inputSize: layout.size, channels: layout.channels, sampleShape: layout.sampleShape, pixelRange: folder.preprocessing.scale,
      classOrder: { names: manifest.classes, otherwise: 'restore the class folders the run was trained on.' },
      validationSplit: config.data.validationSplit, seed: config.data.seed, augmentation: config.augmentation,
    });
    return { kind: 'run', model, cutLayer: config.model.cutLayer, dataset, dataDir, config, projectDir };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

async function openProject(projectFileOrDir: string): Promise<EmbedTarget> {
  const project = await loadProjectConfig(projectFileOrDir);
  const { config } = project;
  const base = await loadProjectBase(config, project.projectDir);
  try {
    const dataset = await openBaseDataset(config, project.dataDir, base);
    return { kind: 'project', model: base.base, cutLayer: config.model.cutLayer, dataset, dataDir: project.dataDir, config, projectDir: project.projectDir };
  } catch (error) {
    base.base.dispose();
    throw error;
  }
}

/** The project's data as training opens it for `base` (same split, same pixel range). */
export function openBaseDataset(config: ProjectConfig, dataDir: string, base: Awaited<ReturnType<typeof loadProjectBase>>): Promise<Dataset> {
  return openDataset({
    folder: dataDir, inputSize: base.layout.size, channels: base.layout.channels, sampleShape: base.layout.sampleShape, pixelRange: base.preprocessing.scale,
    ...(base.classOrder ? { classOrder: { names: base.classOrder, otherwise: 'set "head.keepClassifier" to false to train a new head.' } } : {}),
    validationSplit: config.data.validationSplit, seed: config.data.seed, augmentation: config.augmentation,
  });
}
