/**
 * `finetune-guide init`: writes a new project's finetune.json (never over an existing one), for the
 * demo (built-in model + demo images copied in) or for the user's own model and data, choosing a
 * cut layer and the top blocks for phase 2 and reporting what it chose.
 */
import type * as tf from '@tensorflow/tfjs';
import { cp, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { defaultProject } from '../config/defaults';
import { PROJECT_FILE_NAME } from '../config/load';
import type { PixelRange, ProjectConfig } from '../../protocol/config';
import type { LayerInfo } from '../../protocol/host';
import { UserError } from '../../shared/userError';
import { resolveTrainable } from '../model/freeze';
import { layerInfos } from '../model/layerInfo';
import { loadBaseModel } from '../model/load';
import { builtinRef, DEFAULT_BUILTIN, findBuiltin, type BuiltinModel } from '../model/builtins';
import { packageRoot } from '../model/paths';
import { suggestCutLayer } from '../model/suggest';
import { findClassifier } from '../model/classifierHead';
import { graphLayersOfModel } from '../model/graphLayers';
import { guessPixelRange } from '../model/pixelRangeGuess';
import { inputLayoutOf } from '../data/inputLayout';
import { isPixelRange, PIXEL_RANGES } from '../data/pixelRange';

export type InitOptions =
  | { readonly demo: true }
  /** `model`: a model.json path or `builtin:...`; `data`: an image folder. Relative paths resolve against `cwd`. */
  | {
      readonly model: string;
      readonly data: string;
      readonly cwd?: string;
      /** Written as `model.pixelRange`; default: what the model states, else a guess from its first layers. */
      readonly pixelRange?: PixelRange;
      /** Keep the model's own classifier (`head.keepClassifier`): the cut is its output. */
      readonly keepClassifier?: boolean;
    };

export interface InitResult {
  readonly projectFile: string;
  readonly config: ProjectConfig;
  /** Absolute data folder the project points at. */
  readonly dataDir: string;
  /** Files copied into `<dir>/data` (demo only; 0 otherwise). */
  readonly copiedFiles: number;
  readonly cutLayer: string;
  /** Layers after the cut that the new head replaces. */
  readonly droppedLayers: readonly string[];
  readonly inputSize: number;
  /** Phase 2's `{ lastBlocks }` and the base layers it unfreezes. */
  readonly lastBlocks: number;
  readonly phase2Layers: readonly string[];
  /** The pixel range written, and whether it was given, stated by the model or guessed from its first layers. */
  readonly pixelRange: PixelRange;
  readonly pixelRangeSource: 'given' | 'stated' | 'guessed';
}

export const DEMO_DATA_RELATIVE_PATH = 'assets/demo-data/fashion';
const PHASE2_BLOCKS = 2;

async function exists(file: string): Promise<boolean> {
  return (await stat(file).catch(() => undefined)) !== undefined;
}

async function countFiles(dir: string): Promise<number> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).length;
}

/** A path as written into finetune.json: relative to the project when that is possible. */
function relativeToProject(dir: string, target: string): string {
  const relative = path.relative(dir, target);
  return path.isAbsolute(relative) ? target : relative.split(path.sep).join('/') || '.';
}

interface ModelChoice {
  cutLayer: string;
  droppedLayers: string[];
  inputSize: number;
  phase2Layers: string[];
  pixelRange: PixelRange;
  pixelRangeSource: 'given' | 'stated' | 'guessed';
}

/** A built-in model's registered cut; for the user's own model the suggested one. */
function chooseCut(model: tf.LayersModel, layers: readonly LayerInfo[], builtin: BuiltinModel | undefined, modelFile: string): { cutLayer: string; dropped: string[] } {
  if (!builtin) return suggestCutLayer(layers, modelFile, graphLayersOfModel(model));
  const index = layers.findIndex((l) => l.name === builtin.cutLayer);
  if (index < 0) throw new Error(`built-in model ${builtinRef(builtin)} has no layer "${builtin.cutLayer}" (its registered cut layer)`);
  return { cutLayer: builtin.cutLayer, dropped: layers.slice(index + 1).map((l) => l.name) };
}

interface ChoiceOptions {
  readonly pixelRange?: PixelRange;
  readonly keepClassifier?: boolean;
}

/** Loads the model once (original input size) to choose the cut, the input size, the pixel range and phase 2's layers. */
async function chooseForModel(base: string, cwd: string, options: ChoiceOptions = {}): Promise<ModelChoice> {
  const builtin = findBuiltin(base);
  const loaded = await loadBaseModel(base, cwd);
  const { model, modelFile } = loaded;
  try {
    const graph = graphLayersOfModel(model);
    const classifier = options.keepClassifier ? findClassifier(graph) : null;
    if (options.keepClassifier && !classifier) {
      throw new UserError('does not end in a Dense classifier, so there is none to keep (--keep-classifier).', modelFile, 'Leave out --keep-classifier: a new head is trained for your classes.');
    }
    const names = model.layers.map((l) => l.name);
    const headNames = new Set(classifier ? names.slice(names.indexOf(classifier.dense)) : []);
    const layers = layerInfos(model, headNames, loaded.containers);
    const { cutLayer, dropped } = classifier ? { cutLayer: names.at(-1) as string, dropped: [] } : chooseCut(model, layers, builtin, modelFile);
    const kept = layers.slice(0, layers.findIndex((l) => l.name === cutLayer) + 1);
    const layout = inputLayoutOf(model.inputs[0]?.shape ?? []);
    // A model without a usable square input of its own gets the default built-in's size.
    const ownSize = layout && layout.size >= 8 && layout.size <= 1024 ? layout.size : DEFAULT_BUILTIN.inputSize;
    const withWeights = new Set(model.layers.filter((l) => l.weights.length > 0).map((l) => l.name));
    const stated = builtin?.pixelRange ?? loaded.pixelRange;
    const pixelRange = options.pixelRange ?? stated ?? guessPixelRange(graph, (layer) => withWeights.has(layer.name));
    return {
      cutLayer,
      droppedLayers: dropped,
      inputSize: builtin ? builtin.inputSize : (loaded.imageSize ?? ownSize),
      phase2Layers: [...resolveTrainable(kept, { lastBlocks: PHASE2_BLOCKS })].filter((name) => !headNames.has(name)),
      pixelRange,
      pixelRangeSource: options.pixelRange ? 'given' : stated ? 'stated' : 'guessed',
    };
  } finally {
    model.dispose();
  }
}

/** Creates `<dir>/finetune.json` (and for the demo `<dir>/data`); refuses to overwrite either. */
export async function initProject(dir: string, options: InitOptions): Promise<InitResult> {
  const projectDir = path.resolve(dir);
  const projectFile = path.join(projectDir, PROJECT_FILE_NAME);
  if (await exists(projectFile)) {
    throw new UserError('already exists; init never overwrites a project file.', projectFile, 'Choose a new folder, or delete or rename the existing finetune.json first.');
  }
  const cwd = 'demo' in options ? process.cwd() : path.resolve(options.cwd ?? process.cwd());
  const base = 'demo' in options ? builtinRef(DEFAULT_BUILTIN) : options.model;
  const own = 'demo' in options ? {} : { pixelRange: options.pixelRange, keepClassifier: options.keepClassifier };
  if (own.pixelRange !== undefined && !isPixelRange(own.pixelRange)) {
    throw new UserError(`--pixel-range "${String(own.pixelRange)}" is not a pixel range.`, 'command line', `Use one of ${PIXEL_RANGES.join(', ')}.`);
  }
  const choice = await chooseForModel(base, cwd, own);

  let dataDir: string;
  let copiedFiles = 0;
  if ('demo' in options) {
    const source = path.join(packageRoot(), DEMO_DATA_RELATIVE_PATH);
    if (!(await exists(source))) throw new UserError('is missing from this installation.', source, 'Run `npm run make:data` to create the demo images.');
    dataDir = path.join(projectDir, 'data');
    if (await exists(dataDir)) throw new UserError('already exists; init never overwrites it.', dataDir, 'Choose a new folder for the demo project.');
    await makeProjectDir(projectDir);
    await cp(source, dataDir, { recursive: true, errorOnExist: true, force: false });
    copiedFiles = await countFiles(dataDir);
  } else {
    dataDir = path.resolve(cwd, options.data);
    const info = await stat(dataDir).catch(() => undefined);
    if (!info?.isDirectory()) {
      throw new UserError(info ? 'is a file, not a folder.' : 'does not exist.', dataDir, 'Pass --data a folder with one sub-folder of images per class.');
    }
    // Every sub-folder of the data folder is a class: the project's runs/ must not land inside it.
    const fromData = path.relative(dataDir, projectDir);
    if (!fromData.startsWith('..') && !path.isAbsolute(fromData)) {
      throw new UserError(
        `is the project folder or contains it (${projectDir}), so the project's runs/ folder would become a class.`,
        dataDir,
        'Pass --data a folder of its own (one sub-folder of images per class), or create the project outside the data folder.',
      );
    }
    await makeProjectDir(projectDir);
  }

  const config = defaultProject({
    base: findBuiltin(base) ? base : relativeToProject(projectDir, path.resolve(cwd, base)),
    cutLayer: choice.cutLayer,
    inputSize: choice.inputSize,
    dataFolder: relativeToProject(projectDir, dataDir),
    lastBlocks: PHASE2_BLOCKS,
    pixelRange: choice.pixelRange,
    keepClassifier: own.keepClassifier === true,
  });
  // 'wx': fail instead of overwriting a finetune.json created meanwhile.
  try {
    await writeFile(projectFile, `${JSON.stringify(config, null, 2)}\n`, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new UserError('already exists; init never overwrites a project file.', projectFile, 'Choose a new folder, or delete or rename the existing finetune.json first.');
    }
    throw error;
  }
  return {
    projectFile,
    config,
    dataDir,
    copiedFiles,
    cutLayer: choice.cutLayer,
    droppedLayers: choice.droppedLayers,
    inputSize: choice.inputSize,
    lastBlocks: PHASE2_BLOCKS,
    phase2Layers: choice.phase2Layers,
    pixelRange: choice.pixelRange,
    pixelRangeSource: choice.pixelRangeSource,
  };
}

/** The project folder, or a named refusal: a file on the way (ENOTDIR/EEXIST), no permission, a read-only disk. */
async function makeProjectDir(projectDir: string): Promise<void> {
  try {
    await mkdir(projectDir, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (!['ENOTDIR', 'EEXIST', 'EACCES', 'EPERM', 'EROFS'].includes(code)) throw error;
    const why = code === 'ENOTDIR' || code === 'EEXIST' ? 'cannot be created: a file is in its place or on its path' : `cannot be created (${code}: not writable)`;
    throw new UserError(`${why}.`, projectDir, 'Choose a folder you can write to, whose parents are folders (not files).');
  }
}
