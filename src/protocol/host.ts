/**
 * The boundary between the extension and the training host process (a forked Node child speaking
 * vscode-jsonrpc over its IPC channel). Each request is one type object carrying its method, its payload
 * types and the checks each side runs on what it receives: the host checks params, the client checks
 * results. A new request is one `HostRequestType` here plus one handler in src/host/server/serve.ts.
 */
import type { PixelRange } from './config';
import { NotificationType, RequestType } from 'vscode-jsonrpc';
import { describe, fieldProblem, isFiniteNumber, isOneOf, isRecord, isString, isStringArray, type FieldKind } from './is';
import type { RunStatus, TrainingEvent } from './run';
import { parseTrainingEvent, runStatuses } from './trainingEvent';

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

/** A request whose params (checked by the host) and result (checked by the client) are validated. */
export class HostRequestType<P, R> extends RequestType<P, R, void> {
  constructor(
    method: string,
    /** Throws a one-line reason when `value` is not a P (the host answers InvalidParams). */
    readonly parseParams: (value: unknown) => P,
    /** Throws when the host's answer is not an R for these params (a host bug or version mismatch). */
    readonly parseResult: (value: unknown, params: P) => R,
  ) {
    super(method);
  }
}

/** A notification whose payload the receiver validates before use. */
export class HostNotificationType<P> extends NotificationType<P> {
  constructor(method: string, readonly parse: (value: unknown) => P) {
    super(method);
  }
}

/** The layers of a model (the layer tree, `finetune-guide inspect`). */
export const InspectRequest = new HostRequestType<InspectParams, InspectResult>(
  'finetune/inspect',
  (value) => {
    if (!isRecord(value) || !isString(value.target)) throw new Error('inspect needs a "target" string');
    return { target: value.target };
  },
  parseInspectResult,
);

/** Trains a project; cancelling the request's token stops at the next batch and resolves 'cancelled'. */
export const TrainRequest = new HostRequestType<TrainParams, TrainResult>(
  'finetune/train',
  (value) => {
    // Which names are backends is src/shared/backends.ts's fact: the host checks the name there.
    if (!isRecord(value) || !isString(value.projectFile) || !isString(value.backend)) throw new Error('train needs "projectFile" and "backend" strings');
    if (value.resume !== undefined && value.resume !== true && !isString(value.resume)) throw new Error('train "resume" must be a run folder or true');
    if (value.threads !== undefined && !(Number.isInteger(value.threads) && (value.threads as number) >= 1)) throw new Error('train "threads" must be a whole number of at least 1');
    return value as unknown as TrainParams;
  },
  parseTrainResult,
);

/** Top-k classes of image files with a run's (or model folder's) model. */
export const PredictRequest = new HostRequestType<PredictParams, PredictResult>(
  'finetune/predict',
  (value) => {
    if (!isRecord(value) || !isString(value.modelDir) || !isStringArray(value.files)) {
      throw new Error('predict needs a "modelDir" string and a "files" array of strings');
    }
    const topK = value.topK ?? 3;
    if (!Number.isInteger(topK) || (topK as number) < 1) throw new Error('predict "topK" must be a whole number of at least 1');
    return { modelDir: value.modelDir, files: value.files, topK: topK as number };
  },
  (value, params) => parsePredictResult(value, params.files.length),
);

/** Exports a run's model and checks the reloaded files (ExportMismatchCode when they differ). */
export const ExportModelRequest = new HostRequestType<ExportModelParams, ExportModelResult>(
  'finetune/export',
  (value) => {
    if (!isRecord(value) || !isString(value.runDir) || !isString(value.destDir)) throw new Error('export needs "runDir" and "destDir" strings');
    if (value.format !== undefined && !isString(value.format)) throw new Error('export "format" must be a string when given');
    return { runDir: value.runDir, destDir: value.destDir, ...(value.format === undefined ? {} : { format: value.format }) };
  },
  parseExportModelResult,
);

/** host -> extension: one training event. */
export const TrainingEventNotification = new HostNotificationType<TrainingEvent>('finetune/event', (value) => {
  const parsed = parseTrainingEvent(value);
  if ('problem' in parsed) throw new Error(parsed.problem);
  return parsed.event;
});

const layerFields: Record<string, FieldKind> = {
  name: 'string', className: 'string', outputShape: 'array', params: 'number', trainableParams: 'number',
  block: 'string|null', isNew: 'boolean', isBatchNorm: 'boolean',
};

export function parseInspectResult(value: unknown): InspectResult {
  if (!isRecord(value) || !Array.isArray(value.layers) || !isFiniteNumber(value.totalParams)) {
    throw new Error(`host returned a malformed inspect result (${describe(value)})`);
  }
  const bad = (problem: string): Error => new Error(`host returned a malformed inspect result: ${problem}`);
  value.layers.forEach((layer: unknown, index: number) => {
    const problem = isRecord(layer) ? fieldProblem(layer, layerFields, `layer ${index}`) : `layer ${index} is ${describe(layer)}`;
    if (problem) throw bad(problem);
    const containers = (layer as Record<string, unknown>).containers;
    if (containers !== undefined && !(Array.isArray(containers) && containers.every((c) => isRecord(c) && isString(c.name) && isString(c.className)))) {
      throw bad(`layer ${index} field "containers" should be [{name, className}], got ${describe(containers)}`);
    }
  });
  const { format, labels, pixelRange } = value;
  if (format !== undefined && !isString(format)) throw bad(`"format" should be a string, got ${describe(format)}`);
  if (labels !== undefined && !isStringArray(labels)) throw bad(`"labels" should be strings, got ${describe(labels)}`);
  if (pixelRange !== undefined && !(isRecord(pixelRange) && isOneOf(pixelRange.range, pixelRanges) && isOneOf(pixelRange.source, ['stated', 'guessed'] as const))) {
    throw bad(`"pixelRange" should be {range: ${pixelRanges.join(' | ')}, source: stated | guessed}, got ${describe(pixelRange)}`);
  }
  return {
    layers: value.layers as LayerInfo[],
    totalParams: value.totalParams,
    ...(format !== undefined ? { format } : {}),
    ...(labels !== undefined ? { labels } : {}),
    ...(pixelRange !== undefined ? { pixelRange: pixelRange as unknown as NonNullable<InspectResult['pixelRange']> } : {}),
  };
}

const pixelRanges: readonly PixelRange[] = ['0..1', '-1..1', '0..255'];

export function parseTrainResult(value: unknown): TrainResult {
  if (!isRecord(value) || !isString(value.runDir) || !isOneOf(value.status, runStatuses)) {
    throw new Error(`host returned a malformed train result (${describe(value)})`);
  }
  return { runDir: value.runDir, status: value.status };
}

/** A predict result with one entry per requested file, each with finite probabilities in [0, 1]. */
export function parsePredictResult(value: unknown, expectedFiles: number): PredictResult {
  const bad = (problem: string): Error => new Error(`host returned a malformed predict result: ${problem}`);
  if (!isRecord(value) || !Array.isArray(value.predictions)) throw bad(`expected {predictions: [...]}, got ${describe(value)}`);
  if (value.predictions.length !== expectedFiles) throw bad(`${value.predictions.length} predictions for ${expectedFiles} images`);
  value.predictions.forEach((prediction: unknown, index: number) => {
    if (!isRecord(prediction) || !isString(prediction.file) || !Array.isArray(prediction.top)) throw bad(`prediction ${index} is ${describe(prediction)}`);
    prediction.top.forEach((entry: unknown, rank: number) => {
      const ok = isRecord(entry) && isString(entry.label) && isFiniteNumber(entry.probability) && entry.probability >= 0 && entry.probability <= 1;
      if (!ok) throw bad(`prediction ${index} class ${rank} should be {label, probability in [0, 1]}`);
    });
  });
  return { predictions: value.predictions as ImageTopClasses[] };
}

const verificationInputs: readonly ExportVerification['inputs'][] = ['images', 'tensors', 'synthetic'];

/** An export result naming its folder, files, classes and a complete verification. */
export function parseExportModelResult(value: unknown): ExportModelResult {
  const bad = (problem: string): Error => new Error(`host returned a malformed export result: ${problem}`);
  if (!isRecord(value)) throw bad(`got ${describe(value)}`);
  const problem = fieldProblem(value, { dir: 'string', files: 'array', classes: 'array', verification: 'object' }, 'export result');
  if (problem) throw bad(problem);
  const verification = value.verification as Record<string, unknown>;
  const unverified = fieldProblem(verification, { samples: 'number', maxAbsDifference: 'number', tolerance: 'number' }, 'verification');
  if (unverified) throw bad(unverified);
  if (!isOneOf(verification.inputs, verificationInputs)) throw bad(`verification inputs ${describe(verification.inputs)}`);
  if (!isStringArray(value.files)) throw bad('files should be strings');
  return value as unknown as ExportModelResult;
}
