/**
 * What a training run records and streams: the rows of `metrics.jsonl`, the contents of
 * `summary.json` and `manifest.json`, and the events the engine emits while it trains.
 * Tools outside the engine (CLI --json, host process, extension, panel, report) read these names: keep them.
 */
import type { ProjectConfig } from './config';

/** One training step, written to metrics.jsonl and streamed live. */
export interface BatchMetrics {
  readonly type: 'batch';
  readonly phase: string;
  readonly phaseIndex: number;
  /** 0-based epoch within the phase. */
  readonly epoch: number;
  /** 0-based batch within the epoch. */
  readonly batch: number;
  readonly batchesPerEpoch: number;
  readonly loss: number;
  readonly accuracy: number;
  /** The rate the step used (the head's, with discriminative rates). */
  readonly lr: number;
  /** Discriminative rates only: each rate group's (block's) rate of the step, by block name in model order. */
  readonly lrGroups?: Readonly<Record<string, number>>;
  /** Seconds since the run started. */
  readonly seconds: number;
}

/** End of one epoch, with the validation pass. */
export interface EpochMetrics {
  readonly type: 'epoch';
  readonly phase: string;
  readonly phaseIndex: number;
  readonly epoch: number;
  readonly epochs: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly val_loss: number;
  readonly val_accuracy: number;
  readonly lr: number;
  readonly seconds: number;
  /** Training images per second during this epoch. */
  readonly imagesPerSecond: number;
}

export type MetricRecord = BatchMetrics | EpochMetrics;

export type PhaseStatus = 'pending' | 'running' | 'done' | 'skipped' | 'failed' | 'cancelled';
export type RunStatus = 'running' | 'completed' | 'cancelled' | 'failed' | 'interrupted';

/** Per phase, in summary.json. */
export interface PhaseSummary {
  readonly name: string;
  readonly status: PhaseStatus;
  readonly epochsRun: number;
  readonly epochsPlanned: number;
  /** Validation accuracy and loss of the weights the phase kept (see `keptWeights`). */
  readonly valAccuracy: number;
  readonly valLoss: number;
  readonly finalValAccuracy: number;
  readonly finalValLoss: number;
  /** The epoch (0-based) with the lowest validation loss, whether or not early stopping is on; -1 before one. */
  readonly bestEpoch: number;
  /** That epoch's validation loss and accuracy (runs written before these fields: use valLoss/valAccuracy). */
  readonly bestValLoss?: number;
  readonly bestValAccuracy?: number;
  /** Whose weights the phase ended with: the best epoch's (early stopping restores them) or the last epoch's. */
  readonly keptWeights?: 'best' | 'last';
  /** The epoch (0-based) of the kept weights. */
  readonly keptEpoch?: number;
  readonly stoppedEarly: boolean;
  readonly trainableParams: number;
  readonly totalParams: number;
  /** The head's rate (with discriminative rates, the top of the range). */
  readonly learningRate: number;
  /** Discriminative rates: the first trained block's rate (the bottom of the range). */
  readonly learningRateFrom?: number;
  /** The schedule when it is not constant. */
  readonly schedule?: string;
  readonly seconds: number;
  readonly imagesPerSecond: number;
  readonly backend: string;
}

/** One model of a distillation: its size, its validation accuracy and its prediction speed on this machine. */
export interface DistillModelFacts {
  readonly params: number;
  readonly valAccuracy: number;
  readonly imagesPerSecond: number;
  /** What the model is: the teacher's run, or the student's base and cut. */
  readonly description?: string;
}

/** summary.json */
export interface RunSummary {
  /** 'distill' for a run of `finetune-guide distill` (absent: a training run). */
  readonly kind?: 'train' | 'distill';
  /** A distill run: the teacher, the distilled student, and the same student trained on labels alone with the same budget. */
  readonly teacher?: DistillModelFacts;
  readonly student?: DistillModelFacts;
  readonly baseline?: DistillModelFacts;
  /** A distill run: the teacher's run folder. */
  readonly teacherRun?: string;
  readonly runId: string;
  readonly status: RunStatus;
  readonly backend: string;
  readonly threads: number;
  readonly valAccuracy: number;
  readonly classes: readonly string[];
  readonly phases: readonly PhaseSummary[];
  readonly modelDir: string | null;
  readonly message?: string;
  /** Accuracy on the test set (`data.testSplit`) with the kept weights, measured once at the end; null/absent without a test split. */
  readonly testAccuracy?: number | null;
  /** Images in the test set (0 or absent without one). */
  readonly testImages?: number;
  /** Class-balance warnings (a class under 10% of the largest; a class the validation accuracy hides), as the CLI printed them. */
  readonly warnings?: readonly string[];
  /** Classifiers on the base model's features with no network training (src/engine/embed), computed at the end of a completed run. */
  readonly featureExtraction?: FeatureExtractionSummary;
}

/** The "feature extraction" baselines: kNN (cosine) and a logistic regression on the base model's pooled cut-layer features. */
export interface FeatureExtractionSummary {
  readonly layer: string;
  readonly knn: { readonly valAccuracy: number; readonly k: number };
  readonly logistic: { readonly valAccuracy: number; readonly steps: number; readonly l2: number };
}

/** manifest.json: what the run was made from, so it can be understood and repeated later. */
export interface RunManifest {
  readonly runId: string;
  readonly status: RunStatus;
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly projectFile: string;
  /** The finetune.json the run used, defaults filled. */
  readonly config: ProjectConfig;
  readonly seed: number;
  /** Hash of the split's file lists: equal hashes mean the same train/validation(/test) split. */
  readonly splitHash: string;
  /** SHA-256 of `config` as JSON with sorted keys: equal hashes mean the same settings (runs before 0.1.0's reproducibility fields lack it). */
  readonly configHash?: string;
  /** SHA-256 over the used images' sorted relative paths, sizes and content hashes: equal hashes mean the same images. */
  readonly dataHash?: string;
  readonly classes: readonly string[];
  readonly trainImages: number;
  readonly valImages: number;
  /** Images held out as the test set (`data.testSplit`); absent in runs without one. */
  readonly testImages?: number;
  readonly backend: string;
  readonly threads: number;
  /** finetune-guide, tfjs, tfjs-core, tfjs-layers, tfjs-backend-wasm (installed), node. */
  readonly versions: Readonly<Record<string, string>>;
  readonly skipped: readonly SkippedFile[];
  /** Warnings about the data known before training (the same image in two classes, a very small class), as the CLI printed them. */
  readonly warnings?: readonly string[];
  /** The run folder whose checkpoint this run continued (its own folder: a resumed run is the same run), or null. */
  readonly resumedFrom: string | null;
  /** Each time the run was interrupted and resumed, oldest first (absent or empty: never resumed). */
  readonly resumes?: readonly RunResume[];
  /** Process that writes the run; a 'running' run whose process is gone was interrupted. */
  readonly pid: number;
  /**
   * Which process `pid` was: the kernel's boot id and the process's start time (Linux /proc), so a
   * reused pid (a container's pid 1, a restart) is not taken for the run. Absent where /proc is not.
   */
  readonly processStart?: string;
  readonly message?: string;
}

/** One interruption of a run and its resume from the checkpoint (manifest.json `resumes`). */
export interface RunResume {
  /** When training went on again. */
  readonly at: string;
  /** When the interrupted session ended, if it said so (a killed process does not). */
  readonly interruptedAt: string | null;
  /** The checkpoint's position: phase index, epochs done in it, batches done in the next epoch. */
  readonly fromPhase: number;
  readonly fromEpoch: number;
  readonly fromBatch: number;
  /** How the session ended: 'cancelled' (stopped), 'interrupted' (killed, crashed), 'failed'; with its message if any. */
  readonly reason: string;
  readonly message?: string;
  /** Rows of metrics.jsonl written after the checkpoint, dropped because they are trained again. */
  readonly droppedMetricRows: number;
}

/** Describes a phase before it runs (for pipelines, trees and panels). */
export interface PhasePlanInfo {
  readonly name: string;
  readonly epochs: number;
  readonly batchSize: number;
  readonly optimizer: string;
  /** The head's rate (with discriminative rates: the range's `to`). */
  readonly learningRate: number;
  /** Discriminative rates: the first trained block's rate (the range's `from`); absent for one rate. */
  readonly learningRateFrom?: number;
  /** The schedule's name when it is not constant. */
  readonly schedule?: string;
  readonly trainableParams: number;
  readonly totalParams: number;
  readonly trainableLayers: number;
  readonly totalLayers: number;
  readonly batchNorm: 'inference' | 'train';
}

/** The model as prepared for fine-tuning: base, cut and new head. */
export interface ModelPlanInfo {
  readonly base: string;
  readonly baseParams: number;
  readonly baseLayers: number;
  readonly cutLayer: string;
  readonly inputShape: readonly number[];
  readonly headLayers: readonly string[];
  readonly headParams: number;
}

/** A file that could not be used and was skipped (for example a corrupt image). */
export interface SkippedFile {
  readonly file: string;
  readonly reason: string;
}

/** Events emitted by the engine while a run progresses; the CLI's `--json` prints them one per line. */
export type TrainingEvent =
  | {
      readonly type: 'run';
      readonly runId: string;
      readonly runDir: string;
      readonly backend: string;
      readonly threads: number;
      readonly classes: readonly string[];
      readonly trainImages: number;
      readonly valImages: number;
      /** Images per class and split, in class order (absent in runs made before it was recorded). */
      readonly classCounts?: readonly ClassSplitCount[];
      readonly model: ModelPlanInfo;
      readonly phases: readonly PhasePlanInfo[];
      readonly resumedFrom: string | null;
      /** For a resumed run: where it goes on; metrics.jsonl already holds the rows before this point. */
      readonly resumedAt?: { readonly phaseIndex: number; readonly epoch: number; readonly batch: number };
    }
  | {
      readonly type: 'phase';
      readonly phase: string;
      readonly phaseIndex: number;
      readonly plan: PhasePlanInfo;
      readonly backend: string;
      readonly cache: PrefixCacheUse;
    }
  | BatchMetrics
  | EpochMetrics
  | { readonly type: 'phaseEnd'; readonly phaseIndex: number; readonly summary: PhaseSummary }
  | { readonly type: 'warning'; readonly message: string; readonly files?: readonly SkippedFile[] }
  | { readonly type: 'log'; readonly level: 'info' | 'debug'; readonly message: string }
  | { readonly type: 'done'; readonly runDir: string; readonly status: RunStatus; readonly summary: RunSummary };

/** One class's images on each side of the split (the `run` event's data summary). */
export interface ClassSplitCount {
  readonly name: string;
  readonly train: number;
  readonly validation: number;
  readonly test: number;
}

/** Whether a phase's frozen-prefix activations are cached, and why (not). */
export interface PrefixCacheUse {
  readonly used: boolean;
  readonly reason: string;
  /** With augmentation.views: how many augmented versions of each training image are cached. */
  readonly augmentedViews?: number;
}

export type TrainingEventType = TrainingEvent['type'];

/** embedding.json (the end of a completed run): one point per validation image in each 2-D PCA projection. */
export interface EmbeddingFile {
  readonly layer: string;
  readonly classes: readonly string[];
  /** Image paths are relative to it. */
  readonly dataDir: string;
  readonly images: readonly { readonly path: string; readonly label: number }[];
  readonly base: readonly (readonly [number, number])[];
  readonly adapted: readonly (readonly [number, number])[];
}
