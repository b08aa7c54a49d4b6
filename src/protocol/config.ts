/**
 * The shape of `finetune.json`. The JSON Schema in `finetune.schema.json` (next to this file) is the
 * source of truth for validation; these types mirror it. Paths are relative to the project folder.
 * Optional fields with a schema default are filled in by `loadProjectConfig`.
 */
import type { BackendPreference } from './host';

/** Which layers a phase trains. The new head is always trainable unless `layers` says otherwise. */
export type TrainableSpec =
  /** Only the new head; the whole base is frozen. */
  | 'head'
  /** Everything trainable. */
  | 'all'
  /** The head plus every base layer from this one (inclusive) to the cut. */
  | { readonly fromLayer: string }
  /** The head plus the last N blocks of the base (blocks from names like `block_16_*`; `Conv_1` etc. after the last block count with it). */
  | { readonly lastBlocks: number }
  /** Exactly these layers (base or head), by name; every other layer is frozen. Written by the layer tree. */
  | { readonly layers: readonly string[] };

/** The range image pixels are scaled to before they enter the model: `0..1` is value / 255, `-1..1` is value / 127.5 - 1. */
export type PixelRange = '0..1' | '-1..1' | '0..255';

export type OptimizerName = 'adam' | 'sgd' | 'rmsprop';

/** Discriminative rates (fastai's `slice(lo, hi)`): geometric from the first trainable block (`from`) to the head (`to`). */
export interface LearningRateRange {
  readonly from: number;
  readonly to: number;
}

/** How a phase's rate moves over its steps (src/engine/train/schedules). */
export type ScheduleName = 'constant' | 'cosine' | 'onecycle';

export interface PhaseConfig {
  readonly name: string;
  readonly epochs: number;
  readonly batchSize: number;
  readonly optimizer: OptimizerName;
  /** One rate, or `{ from, to }` for discriminative rates per block. */
  readonly learningRate: number | LearningRateRange;
  readonly trainable: TrainableSpec;
  /** Default `constant`. */
  readonly schedule?: ScheduleName;
  /** Linear warmup over this many epochs (default 0). */
  readonly warmupEpochs?: number;
  /** Decoupled weight decay (AdamW) on kernels, default 0. */
  readonly weightDecay?: number;
  /** Label smoothing of the training targets, 0 (default) to < 1. */
  readonly labelSmoothing?: number;
  /** `inference` (default, as Keras): BatchNorm layers use their moving statistics and never update them. */
  readonly batchNorm?: 'inference' | 'train';
  /** Stop after this many epochs without a better validation loss, restoring the best weights; 0 = off. */
  readonly earlyStoppingPatience?: number;
}

export interface HeadConfig {
  readonly pooling: 'avg' | 'max' | 'flatten';
  /** Sizes of optional hidden Dense layers (ReLU) before the classifier; [] for none. */
  readonly hiddenUnits: readonly number[];
  readonly dropout: number;
  /**
   * Keep the base model's own classifier instead of adding a new head (default false): for adding
   * images to a model whose labels are the data's classes (a Teachable Machine export). The cut layer
   * is then the model's output and `pooling`, `hiddenUnits` and `dropout` are not used.
   */
  readonly keepClassifier?: boolean;
}

export interface AugmentationConfig {
  readonly horizontalFlip: boolean;
  /** Largest shift/crop as a fraction of the image side, 0..0.5. */
  readonly shift: number;
  /** Largest brightness change as a fraction, 0..1. */
  readonly brightness: number;
  /**
   * How many augmented versions of each training image are drawn (with the seed) and reused, one picked
   * per image each epoch; with a frozen prefix each goes through it once and is cached. 0 or absent: a
   * fresh draw every step (finetune.json's default, DEFAULT_AUGMENTED_VIEWS, is filled in by the schema).
   */
  readonly views?: number;
}

/** `data.balance`: none, class weights in the loss, or balanced batches. */
export type DataBalance = 'none' | 'weights' | 'sampling';

/** The student of `finetune-guide distill`: a base model cut (usually earlier than the teacher's) and its input size. */
export interface DistillStudentConfig {
  readonly base: string;
  readonly cutLayer: string;
  readonly inputSize: number;
}

/** `finetune.json` `distill`: knowledge distillation of a finished run (the teacher) into a smaller student. */
export interface DistillConfig {
  /** Default: the project's base cut at the latest block that has at most half the teacher's parameters. */
  readonly student?: DistillStudentConfig;
  /** Softening temperature T of both distributions (Hinton et al. 2015); default 4. */
  readonly temperature?: number;
  /** Weight of the cross-entropy on the labels; 1 - alpha weighs T^2 x KL(teacher_T || student_T). Default 0.5. */
  readonly alpha?: number;
  readonly epochs?: number;
  readonly learningRate?: number;
  readonly batchSize?: number;
}

export interface ProjectConfig {
  readonly $schema?: string;
  readonly version: 1;
  readonly model: {
    /** `builtin:<id>` or a path to a model file: tfjs `model.json`, Keras `.h5` or Keras 3 `.keras` (told apart by content). */
    readonly base: string;
    /** Name of the last base layer kept; the new head is attached to its output. */
    readonly cutLayer: string;
    /** Square input side in pixels (the topology's input shape is rewritten to it). */
    readonly inputSize: number;
    /**
     * The pixel range the model expects; training, prediction and export all scale images to it.
     * Filled by `loadProjectConfig` from the model (built-in registry, Teachable Machine metadata) or `0..1`.
     */
    readonly pixelRange?: PixelRange;
  };
  readonly head: HeadConfig;
  readonly data: {
    readonly folder: string;
    readonly validationSplit: number;
    readonly seed: number;
    /** Fraction of each class held out as a test set, evaluated once at the end (0 = none; schema default 0). */
    readonly testSplit?: number;
    /** How unbalanced classes are handled (schema default `none`). */
    readonly balance?: DataBalance;
  };
  readonly augmentation: AugmentationConfig;
  readonly phases: readonly PhaseConfig[];
  /** Where runs are written, relative to the project folder (default `runs`). */
  readonly runsFolder?: string;
  /** TensorFlow.js backend (default `auto`); the CLI's `--backend` overrides it. */
  readonly backend?: BackendPreference;
  /** The longest time between checkpoints within an epoch, in seconds (default 60; 0 = at epoch ends only). */
  readonly checkpointEverySeconds?: number;
  /** Settings of `finetune-guide distill` (all optional). */
  readonly distill?: DistillConfig;
}
