/** The classic two-phase fine-tuning recipe as a ready-to-write `finetune.json`. */
import type { PhaseConfig, PixelRange, ProjectConfig } from '../../protocol/config';
import { builtinRef, DEFAULT_BUILTIN } from '../model/builtins';
import { DEFAULT_RUNS_FOLDER } from '../../runs/layout';

export interface DefaultProjectOptions {
  /** Default the default built-in model (`builtin:<id>`); else a model file path relative to the project folder. */
  readonly base?: string;
  /** Default the default built-in model's cut layer. */
  readonly cutLayer?: string;
  /** Default the default built-in model's input size. */
  readonly inputSize?: number;
  /** Default `data`. */
  readonly dataFolder?: string;
  /** How many top blocks phase 2 unfreezes; default 2. */
  readonly lastBlocks?: number;
  /** Written as `model.pixelRange` when given. */
  readonly pixelRange?: PixelRange;
  /** Written as `head.keepClassifier: true` when true. */
  readonly keepClassifier?: boolean;
}

/**
 * finetune.json `checkpointEverySeconds` when it says nothing (the schema's default too): a kill loses
 * at most a minute of training, and a checkpoint of the demo's model costs well under a second.
 */
export const DEFAULT_CHECKPOINT_EVERY_SECONDS = 60;

/**
 * finetune.json `augmentation.views` when it says nothing (the schema's default too): enough variety
 * that the head does not learn the exact pixels, few enough that the cached views stay in memory.
 */
export const DEFAULT_AUGMENTED_VIEWS = 4;

// Measured on the demo (5 classes, 96 px): 1e-2 then 1e-4 reached 87.5% / 91.7% val accuracy,
// against 80.0% / 85.8% for 1e-3 then 1e-5, in less time.
export const HEAD_LEARNING_RATE = 1e-2;
/** About 100x lower than the head's: large updates would wreck the pre-trained features. */
export const FINE_TUNE_LEARNING_RATE = 1e-4;
/** The first unfrozen block's rate in phase 2 (the head gets FINE_TUNE_LEARNING_RATE): earlier blocks change least. */
export const FINE_TUNE_LOWEST_RATE = 1e-5;

/**
 * Phase 1 trains the new head with the base frozen; phase 2 also trains the top blocks, slowly.
 * Cosine decay in both and discriminative rates in phase 2: measured with scripts/recipe-compare.mjs
 * (README "The recipe, measured"), as good or better than constant rates on validation and test.
 */
export function defaultPhases(lastBlocks = 2): PhaseConfig[] {
  return [
    {
      name: 'train head',
      epochs: 5,
      batchSize: 32,
      optimizer: 'adam',
      learningRate: HEAD_LEARNING_RATE,
      schedule: 'cosine',
      trainable: 'head',
      batchNorm: 'inference',
      earlyStoppingPatience: 0,
    },
    {
      name: 'fine-tune top blocks',
      epochs: 5,
      batchSize: 32,
      optimizer: 'adam',
      learningRate: { from: FINE_TUNE_LOWEST_RATE, to: FINE_TUNE_LEARNING_RATE },
      schedule: 'cosine',
      trainable: { lastBlocks },
      batchNorm: 'inference',
      earlyStoppingPatience: 2,
    },
  ];
}

/** A complete project config (every field written out, so the user sees what can be changed). */
export function defaultProject(options: DefaultProjectOptions = {}): ProjectConfig {
  return {
    version: 1,
    model: {
      base: options.base ?? builtinRef(DEFAULT_BUILTIN),
      cutLayer: options.cutLayer ?? DEFAULT_BUILTIN.cutLayer,
      inputSize: options.inputSize ?? DEFAULT_BUILTIN.inputSize,
      ...(options.pixelRange ? { pixelRange: options.pixelRange } : {}),
    },
    head: { pooling: 'avg', hiddenUnits: [], dropout: 0.2, ...(options.keepClassifier ? { keepClassifier: true } : {}) },
    data: { folder: options.dataFolder ?? 'data', validationSplit: 0.2, seed: 42 },
    augmentation: { horizontalFlip: true, shift: 0.1, brightness: 0.1, views: DEFAULT_AUGMENTED_VIEWS },
    phases: defaultPhases(options.lastBlocks ?? 2),
    runsFolder: DEFAULT_RUNS_FOLDER,
    backend: 'auto',
    checkpointEverySeconds: DEFAULT_CHECKPOINT_EVERY_SECONDS,
  };
}
