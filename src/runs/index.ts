/**
 * The run folder: its layout and the one reader and writer of each of its files. Plain Node (no
 * tfjs, no vscode), so the engine, the CLI, the extension and the panel all read runs the same way.
 */
export {
  RUN_FILES,
  RUN_FOLDERS,
  CHECKPOINT_STATE,
  MODEL_JSON,
  CHART_FILES,
  DEFAULT_RUNS_FOLDER,
  TRAINING_LOCK,
  LR_FIND_FOLDER,
  LR_FIND_FILES,
  lrFindDirOf,
  runFile,
  modelDirOf,
  checkpointDirOf,
  checkpointWeightsName,
  checkpointOptimizerName,
  chartsDirOf,
  chartLink,
  runsFolderFor,
  type RunFileKind,
} from './layout';
export { runsFolderOf } from './runsFolder';
export { createRunDir } from './createRunDir';
export { readManifest, readManifestJson, writeManifest } from './manifest';
export { readSummary, readPartialSummary, readSummaryJson, writeSummary, isRunSummary } from './summary';
export { appendMetric, readMetrics, readMetricsFrom, keepMetrics, type MetricsRead } from './metrics';
export { readEvaluation, readEvaluationEntries, writeEvaluation, writeTestEvaluation } from './evaluation';
export { readCheckpointState, writeCheckpointState, isBeforePosition, resumePointOf, type BestEpoch, type CheckpointState, type EpochProgress, type ResumePoint, type TrainingPosition } from './checkpointState';
export { effectiveStatus, stillRunning } from './liveness';
export { listRunIds, listRuns, readRunEntry, findRunOfProcess, findTrainingRun, type RunEntry } from './listRuns';
export { isObject, type JsonRead } from './jsonFile';
export { lrFindPaths, writeLrFindFile, readLrFindFile, listLrFindFiles } from './lrFindFile';
export { acquireTrainingLock, type TrainingLock } from './trainingLock';
export { assertFolder } from './runFolderCheck';
