/**
 * The one place that names what is inside a run folder, `<project>/<runsFolder>/<run id>/`. Other
 * tools (and people) read these files by name: keep them. Everything else in the project asks here.
 */
import * as path from 'node:path';

/** The files at the top of a run folder. */
export const RUN_FILES = {
  /** What the run was made from (RunManifest); rewritten when its status changes. */
  manifest: 'manifest.json',
  /** One JSON line per batch and per epoch (MetricRecord), appended while training. */
  metrics: 'metrics.jsonl',
  /** The outcome (RunSummary), written when the run ends. */
  summary: 'summary.json',
  /** Evaluation on the validation split, one entry per finished phase (EvaluationFile). */
  evaluation: 'evaluation.json',
  /** The Markdown report with its charts. */
  report: 'report.md',
  /** 2-D PCA projections of the validation features, base vs adapted model (EmbeddingFile), written at the end of a completed run. */
  embedding: 'embedding.json',
} as const;

export type RunFileKind = keyof typeof RUN_FILES;

/** The sub-folders of a run folder. */
export const RUN_FOLDERS = {
  /** The adapted model (a tfjs LayersModel folder), written when the run completes. */
  model: 'model',
  /** The last complete checkpoint: its state file and the weight files it names. */
  checkpoint: 'checkpoint',
  /** The report's PNG charts. */
  charts: 'charts',
} as const;

/** In `checkpoint/`: the position in training and the names of its weight files; written last. */
export const CHECKPOINT_STATE = 'state.json';

/** In `model/`: the LayersModel file whose presence makes a run exportable. */
export const MODEL_JSON = 'model.json';

/** In `charts/`: one PNG per chart of the report. */
export const CHART_FILES = { loss: 'loss.png', accuracy: 'accuracy.png' } as const;

/**
 * In the runs folder, beside the run folders: the learning-rate finder's results, one sub-folder per
 * phase (`phase-<n>`, 1-based). Not a run: run listings skip it.
 */
export const LR_FIND_FOLDER = 'lr-find';

/** In an lr-find phase folder: the sweep (LrFindFile) and its chart. */
export const LR_FIND_FILES = { result: 'lr-find.json', chart: 'lr-find.png' } as const;

/** The folder of phase `phase` (1-based) of the learning-rate finder. */
export function lrFindDirOf(runsDir: string, phase: number): string {
  return path.join(runsDir, LR_FIND_FOLDER, `phase-${phase}`);
}

/**
 * In the runs folder: held (created exclusively) by the process training the project, so two trains
 * started in the same instant cannot both pass; it names that process. Not a run: it is a file.
 */
export const TRAINING_LOCK = '.training.lock';

/** The runs folder when finetune.json names none (relative to the project file). */
export const DEFAULT_RUNS_FOLDER = 'runs';

export function runFile(runDir: string, kind: RunFileKind): string {
  return path.join(runDir, RUN_FILES[kind]);
}

export function modelDirOf(runDir: string): string {
  return path.join(runDir, RUN_FOLDERS.model);
}

export function checkpointDirOf(runDir: string): string {
  return path.join(runDir, RUN_FOLDERS.checkpoint);
}

export function checkpointStateFile(runDir: string): string {
  return path.join(checkpointDirOf(runDir), CHECKPOINT_STATE);
}

/**
 * The weight file of a checkpoint taken after `epochsDone` epochs of phase `phaseIndex` and
 * `batchesDone` batches of the next epoch (a mid-epoch checkpoint); positions never repeat, so a new
 * file never replaces one the published state still names.
 */
export function checkpointWeightsName(phaseIndex: number, epochsDone: number, batchesDone = 0): string {
  return `weights-p${phaseIndex}-e${epochsDone}${batchesDone > 0 ? `-b${batchesDone}` : ''}.bin`;
}

/** The optimizer state file (moments, step count) of the checkpoint at the same position. */
export function checkpointOptimizerName(phaseIndex: number, epochsDone: number, batchesDone = 0): string {
  return `optimizer-p${phaseIndex}-e${epochsDone}${batchesDone > 0 ? `-b${batchesDone}` : ''}.bin`;
}

export function chartsDirOf(runDir: string): string {
  return path.join(runDir, RUN_FOLDERS.charts);
}

/** A chart's path relative to the run folder, with `/` (as Markdown links it). */
export function chartLink(chart: keyof typeof CHART_FILES): string {
  return `${RUN_FOLDERS.charts}/${CHART_FILES[chart]}`;
}

/** The runs folder of a project: finetune.json's `runsFolder`, else the default, relative to the project file. */
export function runsFolderFor(projectFile: string, config: unknown): string {
  const folder = typeof config === 'object' && config !== null ? (config as { runsFolder?: unknown }).runsFolder : undefined;
  return path.resolve(path.dirname(projectFile), typeof folder === 'string' && folder.length > 0 ? folder : DEFAULT_RUNS_FOLDER);
}
