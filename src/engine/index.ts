/**
 * The engine's public API: everything the CLI, the training host and the extension call. The engine
 * never imports `vscode`; it runs in plain Node.
 */
export { UserError, isUserError } from './errors';
export { loadProjectConfig, defaultProject, PROJECT_FILE_NAME, type LoadedProject, type ProjectConfig, type PhaseConfig, type TrainableSpec } from './config';
export { inspectModel } from './model/inspect';
export { prepareModel, resolveTrainable, applyFreezePlan, type PreparedModel } from './model';
export { openDataset, type Dataset, type DatasetOptions } from './data';
export { initBackend, shutdownBackend, currentBackend, type BackendInfo } from './backend';
export {
  trainProject,
  readManifest,
  readMetrics,
  effectiveStatus,
  findRunToResume,
  type TrainOptions,
  type TrainResult,
  type RunManifest,
  MANIFEST_JSON,
  METRICS_JSONL,
  SUMMARY_JSON,
  MODEL_FOLDER,
} from './train';
export { predictImages, resolveModelDir, type ImagePrediction, type ClassProbability } from './predict';
