/**
 * The boundary between the extension and the training panel webview. The extension owns the
 * history: on `ready` it sends a full `snapshot`, afterwards only new points (`events`). Both sides
 * validate what arrives with the parsers at the end of this file.
 */
import type { EvaluatedImage, Evaluation, Misclassified } from './evaluation';
import type { LrFindFile } from './lrFind';
import type { ClassSplitCount, FeatureExtractionSummary, PhaseStatus, PrefixCacheUse, RunStatus, SkippedFile } from './run';

/** The recipe's stages, in pipeline order. */
export const STAGE_IDS = ['base', 'adjust', 'freeze', 'train', 'finetune', 'export', 'distill'] as const;
export type StageId = (typeof STAGE_IDS)[number];
/**
 * `cancelled` (the person stopped it) and `interrupted` (the process ended without saying so) are not
 * failures: Resume continues from the last checkpoint, so the panel draws them in a neutral colour.
 */
export type StageStatus = 'pending' | 'running' | 'done' | 'skipped' | 'failed' | 'cancelled' | 'interrupted';
/** A phase's status as the panel shows it: the engine's, plus `interrupted` for a run that ended unannounced. */
export type PhaseColumnStatus = PhaseStatus | 'interrupted';

/** One labelled number or name shown in a stage box. */
export interface StageFact {
  readonly label: string;
  readonly value: string;
  /** The exact value for the tooltip when `value` is compacted ("2,257,984" for "2.26M"). */
  readonly exact?: string;
  /** A file path: the only kind of value allowed to break mid-word. */
  readonly path?: boolean;
}

export interface StageView {
  readonly id: StageId;
  /** The card's title: the config's phase names for a training stage, else the stage's name. */
  readonly title: string;
  /** The recipe step's name under a title that is a phase name ("Train final layers"), else absent. */
  readonly subtitle?: string;
  readonly status: StageStatus;
  /** 0..1 while running, else null. */
  readonly progress: number | null;
  readonly facts: readonly StageFact[];
  /** Training phases this stage covers (the charts zoom to them when the stage is focused). */
  readonly phaseIndexes: readonly number[];
  /** A file or folder the stage can open (the adapted model), absolute. */
  readonly path: string | null;
}

/** One column of the phase comparison table; null where the phase has not produced the number yet. */
export interface PhaseColumn {
  readonly phaseIndex: number;
  readonly name: string;
  readonly status: PhaseColumnStatus;
  readonly trainableParams: number | null;
  readonly totalParams: number | null;
  readonly epochsRun: number;
  readonly epochsPlanned: number | null;
  readonly bestValAccuracy: number | null;
  readonly bestValLoss: number | null;
  /** "best (epoch 3)" / "last (epoch 5)" once the phase has ended (src/shared/keptWeights.ts). */
  readonly keptWeights?: string | null;
  readonly finalValAccuracy: number | null;
  readonly finalValLoss: number | null;
  readonly seconds: number | null;
  readonly imagesPerSecond: number | null;
  /** Best validation accuracy minus the previous phase's, in percentage points. */
  readonly deltaPoints: number | null;
}

/** A per-batch point on the global epoch axis (x = epochs since the run started, fractional). */
export interface BatchPoint {
  readonly phaseIndex: number;
  readonly x: number;
  readonly loss: number;
  /** Exponential moving average of the loss within the phase. */
  readonly smoothLoss: number;
  readonly lr: number;
}

/** An end-of-epoch point on the global epoch axis (x = 1 for the first epoch of the run). */
export interface EpochPoint {
  readonly phaseIndex: number;
  readonly x: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly valLoss: number;
  readonly valAccuracy: number;
  readonly lr: number;
}

/** Where a phase starts on the global epoch axis. */
export interface PhaseBoundary {
  readonly phaseIndex: number;
  readonly name: string;
  readonly x: number;
}

export interface PhaseCache extends PrefixCacheUse {
  readonly phaseIndex: number;
}

/** Facts about the run as a whole (from the `run` and `phase` events, or summary.json). */
export interface RunInfo {
  readonly runId: string;
  readonly runDir: string;
  readonly status: RunStatus;
  /** True while the engine is streaming events for this run. */
  readonly live: boolean;
  readonly backend: string | null;
  readonly threads: number | null;
  readonly cache: readonly PhaseCache[];
  readonly classes: readonly string[];
  readonly trainImages: number | null;
  /** Images per class and split (empty for runs that did not record them). */
  readonly classCounts?: readonly ClassSplitCount[];
  readonly valImages: number | null;
  /** The held-out test set (`data.testSplit`): its size and accuracy with the kept weights; absent/null without one. */
  readonly testImages?: number | null;
  readonly testAccuracy?: number | null;
  readonly message: string | null;
  readonly warnings: readonly string[];
  /** Files the engine could not use (from `warning` events or manifest.json's `skipped`), absolute paths. */
  readonly skipped: readonly SkippedFile[];
  /** summary.json's kNN / logistic baselines on the base model's features (a "feature extraction" column), when computed. */
  readonly featureExtraction?: FeatureExtractionSummary | null;
  /** The run did not complete and has a checkpoint: Resume continues it. */
  readonly resumable?: boolean;
}

/** One validation image in the embedding view. */
export interface EmbeddingPoint {
  /** Absolute path (the webview may ask to open it). */
  readonly file: string;
  /** Index into `EmbeddingView.classes`. */
  readonly label: number;
  /** A webview URI of the image, for the hover preview. */
  readonly thumbnail: string;
}

/** embedding.json as the panel shows it: 2-D PCA projections of the validation features, base vs adapted model. */
export interface EmbeddingView {
  readonly layer: string;
  readonly classes: readonly string[];
  readonly points: readonly EmbeddingPoint[];
  readonly base: readonly (readonly [number, number])[];
  readonly adapted: readonly (readonly [number, number])[];
}

/** Everything the panel shows about one run. */
export interface RunView {
  readonly info: RunInfo;
  readonly stages: readonly StageView[];
  readonly phases: readonly PhaseColumn[];
  readonly boundaries: readonly PhaseBoundary[];
  readonly epochs: readonly EpochPoint[];
  readonly batches: readonly BatchPoint[];
  /** How many batch points the run really has (batches may be downsampled). */
  readonly batchCount: number;
}

/** An earlier run the person can pick for comparison. */
export interface RunListItem {
  readonly runId: string;
  readonly status: RunStatus;
  readonly valAccuracy: number | null;
  readonly epochs: number;
}

/** Validation curves of a run picked for comparison. */
export interface ComparedRun {
  readonly runId: string;
  readonly points: readonly EpochPoint[];
}

/** A wrong validation prediction with a small preview (a data: URI) when the image could be read. */
export interface MistakeView extends Misclassified {
  /** Absolute path of the image (the webview may ask to open it). */
  readonly file: string;
  readonly thumbnail: string | null;
}

/** An evaluated image as a confusion-matrix cell lists it: `src` is a webview URI of the image itself. */
export interface CellImageView extends EvaluatedImage {
  /** Absolute path of the image (the webview may ask to open it). */
  readonly file: string;
  readonly src: string;
}

/** evaluation.json's entry for one phase, as the panel shows it. */
export interface PhaseEvaluationView extends Omit<Evaluation, 'worst' | 'images'> {
  readonly phase: string;
  readonly worst: readonly MistakeView[];
  /** Empty for runs whose evaluation.json predates per-image cells. */
  readonly images: readonly CellImageView[];
}

/** One phase's learning-rate sweep (lr-find.json), as the panel draws it. */
export type LrFindView = Pick<LrFindFile, 'phase' | 'phaseName' | 'rates' | 'smoothedLosses' | 'suggestion'>;

/** extension -> webview */
export type ExtensionMessage =
  | {
      readonly type: 'snapshot';
      readonly projectDir: string;
      readonly run: RunView | null;
      readonly runs: readonly RunListItem[];
      readonly compared: readonly ComparedRun[];
      readonly focus: StageId | null;
      /** True when the person picked an earlier run to show instead of the live/newest one. */
      readonly pinned: boolean;
    }
  | {
      /** New points of the shown run (batched), with its small derived state replaced. */
      readonly type: 'events';
      readonly runId: string;
      readonly epochs: readonly EpochPoint[];
      readonly batches: readonly BatchPoint[];
      readonly batchCount: number;
      readonly info: RunInfo;
      readonly stages: readonly StageView[];
      readonly phases: readonly PhaseColumn[];
      readonly boundaries: readonly PhaseBoundary[];
    }
  | { readonly type: 'runs'; readonly runs: readonly RunListItem[] }
  | { readonly type: 'comparison'; readonly compared: readonly ComparedRun[] }
  /** The shown run's evaluation.json (after each phase) and report.md, when they exist. */
  | {
      readonly type: 'evaluation';
      readonly runId: string;
      readonly phases: readonly PhaseEvaluationView[];
      /** evaluation.json's `test` (the held-out test set, evaluated once at the end); absent/null without one. */
      readonly test?: PhaseEvaluationView | null;
      readonly reportPath: string | null;
      /** The run's embedding.json, when it has one. */
      readonly embedding?: EmbeddingView | null;
    }
  /** The project's latest learning-rate sweep of each phase (`lr-find`), in phase order. */
  | { readonly type: 'lrFind'; readonly sweeps: readonly LrFindView[] }
  /** The colour theme changed; the webview re-reads the --vscode-* variables. */
  | { readonly type: 'theme' };

/** The run controls in the panel's header; each runs the extension command of the same name. */
export const RUN_ACTIONS = ['start', 'stop', 'resume', 'export', 'openConfig'] as const;
export type RunAction = (typeof RUN_ACTIONS)[number];

/** webview -> extension */
export type WebviewMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'focusStage'; readonly stage: StageId | null }
  | { readonly type: 'selectRuns'; readonly runIds: readonly string[] }
  /** Show this earlier run in full; null goes back to the live (or newest) run. */
  | { readonly type: 'showRun'; readonly runId: string | null }
  | { readonly type: 'openFile'; readonly path: string }
  /** Write phase `phase`'s (1-based) lr-find suggestion into finetune.json; the extension reads the rate from lr-find.json. */
  | { readonly type: 'useLearningRate'; readonly phase: number }
  /** A run control was clicked; `runId` is the run shown (Resume continues that one), null when there is none. */
  | { readonly type: 'runAction'; readonly action: RunAction; readonly runId: string | null };

export type ExtensionMessageType = ExtensionMessage['type'];
export type WebviewMessageType = WebviewMessage['type'];

type Fields = Record<string, unknown>;

function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStageId(value: unknown): value is StageId {
  return typeof value === 'string' && (STAGE_IDS as readonly string[]).includes(value);
}

const MAX_SELECTED_RUNS = 20;

/** Run ids name folders: no separators or dot-dot, so they cannot point outside the runs folder. */
function isRunId(value: unknown): value is string {
  return typeof value === 'string' && /^[\w.-]{1,200}$/.test(value) && !value.includes('..');
}
const MAX_PATH_LENGTH = 4096;

/** Parses a message that arrived from the webview; undefined when it is malformed (caller logs it). */
export function parseWebviewMessage(value: unknown): WebviewMessage | undefined {
  if (!isRecord(value)) return undefined;
  switch (value.type) {
    case 'ready':
      return { type: 'ready' };
    case 'focusStage':
      if (value.stage === null || isStageId(value.stage)) return { type: 'focusStage', stage: value.stage };
      return undefined;
    case 'selectRuns': {
      const ids = value.runIds;
      if (!Array.isArray(ids) || ids.length > MAX_SELECTED_RUNS || !ids.every(isRunId)) return undefined;
      return { type: 'selectRuns', runIds: ids };
    }
    case 'showRun':
      return value.runId === null || isRunId(value.runId) ? { type: 'showRun', runId: value.runId } : undefined;
    case 'openFile':
      if (typeof value.path !== 'string' || value.path.length === 0 || value.path.length > MAX_PATH_LENGTH) return undefined;
      return { type: 'openFile', path: value.path };
    case 'useLearningRate':
      return typeof value.phase === 'number' && Number.isInteger(value.phase) && value.phase >= 1 && value.phase <= 1000 ? { type: 'useLearningRate', phase: value.phase } : undefined;
    case 'runAction':
      if (!isRunAction(value.action) || !(value.runId === null || isRunId(value.runId))) return undefined;
      return { type: 'runAction', action: value.action, runId: value.runId };
    default:
      return undefined;
  }
}

function isRunAction(value: unknown): value is RunAction {
  return typeof value === 'string' && (RUN_ACTIONS as readonly string[]).includes(value);
}

function isArrayOf(value: unknown, check: (item: unknown) => boolean): boolean {
  return Array.isArray(value) && value.every(check);
}

function isPoint(value: unknown): boolean {
  return isRecord(value) && typeof value.x === 'number' && typeof value.phaseIndex === 'number';
}

function isRunInfo(value: unknown): value is RunInfo {
  return isRecord(value) && typeof value.runId === 'string' && typeof value.status === 'string' && Array.isArray(value.cache) && isArrayOf(value.skipped, isSkippedFile);
}

function isSkippedFile(value: unknown): boolean {
  return isRecord(value) && typeof value.file === 'string' && typeof value.reason === 'string';
}

function isStageView(value: unknown): boolean {
  return isRecord(value) && isStageId(value.id) && typeof value.status === 'string' && Array.isArray(value.facts);
}

function isPhaseColumn(value: unknown): boolean {
  return isRecord(value) && typeof value.phaseIndex === 'number' && typeof value.name === 'string';
}

function isDerivedState(value: Fields): boolean {
  return (
    isRunInfo(value.info) &&
    isArrayOf(value.stages, isStageView) &&
    isArrayOf(value.phases, isPhaseColumn) &&
    isArrayOf(value.boundaries, isPoint) &&
    isArrayOf(value.epochs, isPoint) &&
    // Batch arrays can hold 50,000 points: checking the first one keeps parsing cheap.
    Array.isArray(value.batches) &&
    (value.batches.length === 0 || isPoint(value.batches[0])) &&
    typeof value.batchCount === 'number'
  );
}

function isRunListItem(value: unknown): boolean {
  return isRecord(value) && typeof value.runId === 'string' && typeof value.status === 'string';
}

function isComparedRun(value: unknown): boolean {
  return isRecord(value) && typeof value.runId === 'string' && isArrayOf(value.points, isPoint);
}

/** Parses a message that arrived from the extension; undefined when it is malformed (caller logs it). */
export function parseExtensionMessage(value: unknown): ExtensionMessage | undefined {
  if (!isRecord(value)) return undefined;
  switch (value.type) {
    case 'snapshot': {
      const runOk = value.run === null || (isRecord(value.run) && isDerivedState(value.run));
      const ok =
        typeof value.projectDir === 'string' &&
        runOk &&
        isArrayOf(value.runs, isRunListItem) &&
        isArrayOf(value.compared, isComparedRun) &&
        (value.focus === null || isStageId(value.focus)) &&
        typeof value.pinned === 'boolean';
      return ok ? (value as unknown as ExtensionMessage) : undefined;
    }
    case 'events':
      return typeof value.runId === 'string' && isDerivedState(value) ? (value as unknown as ExtensionMessage) : undefined;
    case 'runs':
      return isArrayOf(value.runs, isRunListItem) ? (value as unknown as ExtensionMessage) : undefined;
    case 'comparison':
      return isArrayOf(value.compared, isComparedRun) ? (value as unknown as ExtensionMessage) : undefined;
    case 'evaluation':
      return typeof value.runId === 'string' && isArrayOf(value.phases, isPhaseEvaluation) && (value.reportPath === null || typeof value.reportPath === 'string') &&
        (value.test === undefined || value.test === null || isPhaseEvaluation(value.test)) &&
        (value.embedding == null || isEmbeddingView(value.embedding))
        ? (value as unknown as ExtensionMessage)
        : undefined;
    case 'lrFind':
      return isArrayOf(value.sweeps, isLrFindView) ? (value as unknown as ExtensionMessage) : undefined;
    case 'theme':
      return { type: 'theme' };
    default:
      return undefined;
  }
}

/** The curve is drawn point by point: one rate per smoothed loss, all numbers. */
function isLrFindView(value: unknown): boolean {
  if (!isRecord(value) || typeof value.phase !== 'number' || typeof value.phaseName !== 'string') return false;
  if (!(value.suggestion === null || typeof value.suggestion === 'number')) return false;
  const numbers = (list: unknown): boolean => isArrayOf(list, (n) => typeof n === 'number');
  return numbers(value.rates) && numbers(value.smoothedLosses) && (value.rates as unknown[]).length === (value.smoothedLosses as unknown[]).length;
}

function isPair(value: unknown): boolean {
  return Array.isArray(value) && value.length === 2 && value.every((n) => typeof n === 'number');
}

/** The two projections must have one point per image: the view draws them by index. */
function isEmbeddingView(value: unknown): boolean {
  if (!isRecord(value) || typeof value.layer !== 'string' || !isArrayOf(value.classes, (c) => typeof c === 'string')) return false;
  const points = value.points;
  const ok = isArrayOf(points, (p) => isRecord(p) && typeof p.file === 'string' && typeof p.label === 'number' && typeof p.thumbnail === 'string');
  return ok && isArrayOf(value.base, isPair) && isArrayOf(value.adapted, isPair) &&
    (value.base as unknown[]).length === (points as unknown[]).length && (value.adapted as unknown[]).length === (points as unknown[]).length;
}

function isPhaseEvaluation(value: unknown): boolean {
  if (!isRecord(value) || typeof value.phase !== 'string' || typeof value.accuracy !== 'number') return false;
  const size = Array.isArray(value.classes) ? value.classes.length : -1;
  // The confusion matrix is drawn as a classes x classes grid: check it really is one.
  const square = isArrayOf(value.confusion, (row) => isArrayOf(row, (n) => typeof n === 'number') && (row as unknown[]).length === size);
  return square && (value.confusion as unknown[]).length === size && isArrayOf(value.perClass, isRecord) && isArrayOf(value.worst, (m) => isRecord(m) && typeof m.file === 'string') && isArrayOf(value.topK, isRecord);
}
