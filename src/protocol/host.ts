/**
 * The boundary between the extension and the training host process (a forked Node child speaking
 * vscode-jsonrpc over its IPC channel). Method names and payloads live here only.
 */
import type { PixelRange } from './config';
import type { RunStatus, TrainingEvent } from './run';

export type BackendPreference = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

/** One row of the layer tree and of `finetune-guide inspect`. */
export interface LayerInfo {
  readonly name: string;
  readonly className: string;
  /** Output shape with null for the batch dimension; several for multi-output layers. */
  readonly outputShape: readonly (number | null)[] | readonly (readonly (number | null)[])[];
  readonly params: number;
  readonly trainableParams: number;
  /** Block the layer belongs to, from names such as `block_3_expand` -> `block_3`; null when none. */
  readonly block: string | null;
  /** True for layers of the new head added after the cut layer. */
  readonly isNew: boolean;
  readonly isBatchNorm: boolean;
  /** The nested models holding this layer, outermost first (a Teachable Machine export: Sequential > MobileNetV2); absent for a flat model. */
  readonly containers?: readonly LayerContainer[];
}

/** A model nested inside the imported model, shown as a group in the Layers view. */
export interface LayerContainer {
  readonly name: string;
  readonly className: string;
}

export interface InspectParams {
  /** A model.json path, `builtin:mobilenet_v2`, or a finetune.json (then the prepared model: base up to the cut + head). */
  readonly target: string;
}
export interface InspectResult {
  readonly layers: readonly LayerInfo[];
  readonly totalParams: number;
  /** What the file is, e.g. "Keras 3 .keras archive" (model files only). */
  readonly format?: string;
  /** Class names that ship with the model (Teachable Machine metadata.json, labels.txt), in output order. */
  readonly labels?: readonly string[];
  /**
   * The pixel range the model expects and where that comes from: `stated` by files that ship with the model
   * (or the built-in registry), or `guessed` from the model's first layers (New Project then asks, with it as default).
   */
  readonly pixelRange?: { readonly range: PixelRange; readonly source: 'stated' | 'guessed' };
}

export interface TrainParams {
  readonly projectFile: string;
  readonly backend: BackendPreference;
  /** Resume this run folder's last checkpoint (or the latest interrupted run when true). */
  readonly resume?: string | true;
  readonly threads?: number;
}
export interface TrainResult {
  readonly runDir: string;
  readonly status: RunStatus;
}

export interface PredictParams {
  /** A run folder (its `model/` is used) or a model folder with model.json, labels.json and preprocessing.json. */
  readonly modelDir: string;
  /** Image files (absolute paths). */
  readonly files: readonly string[];
  /** How many classes per image, most probable first (default 3). */
  readonly topK?: number;
}
export interface ClassScore {
  readonly label: string;
  readonly probability: number;
}
export interface ImageTopClasses {
  readonly file: string;
  /** Most probable first. */
  readonly top: readonly ClassScore[];
}
export interface PredictResult {
  /** One per requested file, in the same order. */
  readonly predictions: readonly ImageTopClasses[];
}

export interface ExportModelParams {
  /** The run folder whose adapted model is exported. */
  readonly runDir: string;
  /** A new or empty folder; the host never writes into a non-empty one. */
  readonly destDir: string;
  /** An export format id (`tfjs`, `keras`, `h5`; src/shared/exportFormats.ts); default `tfjs`. */
  readonly format?: string;
}
/** The reload check: the exported files' predictions against the run's model. */
export interface ExportVerification {
  readonly samples: number;
  readonly maxAbsDifference: number;
  readonly tolerance: number;
  readonly inputs: 'images' | 'tensors' | 'synthetic';
}
export interface ExportModelResult {
  readonly dir: string;
  /** Files written, relative to `dir`. */
  readonly files: readonly string[];
  readonly classes: readonly string[];
  readonly verification: ExportVerification;
}

/** Request and notification names, with their payload types. */
export const HostMethods = {
  inspect: 'finetune/inspect',
  train: 'finetune/train',
  cancel: 'finetune/cancel',
  event: 'finetune/event',
  predict: 'finetune/predict',
  export: 'finetune/export',
} as const;

export interface HostRequests {
  [HostMethods.inspect]: { params: InspectParams; result: InspectResult };
  [HostMethods.train]: { params: TrainParams; result: TrainResult };
  [HostMethods.predict]: { params: PredictParams; result: PredictResult };
  [HostMethods.export]: { params: ExportModelParams; result: ExportModelResult };
}
export interface HostNotifications {
  /** extension -> host: stop at the next batch, keep the checkpoint. */
  [HostMethods.cancel]: Record<string, never>;
  /** host -> extension: one training event. */
  [HostMethods.event]: TrainingEvent;
}

/** JSON-RPC error code of a request that failed with a UserError (show the message, no stack). */
export const UserErrorCode = 2;

/** JSON-RPC error code of an export whose reloaded files predict differently; `data` is its ExportVerification. */
export const ExportMismatchCode = 3;

/** `data` of a UserErrorCode response: where the problem is and how to fix it. */
export interface UserErrorData {
  readonly file: string;
  readonly fix: string;
  readonly field?: string;
}
