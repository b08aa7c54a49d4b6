/**
 * The engine's public API: everything the CLI, the training host and the extension call. The engine
 * never imports `vscode`; it runs in plain Node.
 */
export { UserError, isUserError } from '../shared/userError';
export { loadProjectConfig, defaultProject, PROJECT_FILE_NAME, type LoadedProject, type ProjectConfig, type PhaseConfig, type TrainableSpec } from './config';
export { inspectModel } from './model/inspect';
export { initProject, type InitOptions, type InitResult } from './project';
export { prepareModel, resolveTrainable, applyFreezePlan, type PreparedModel } from './model';
export { openDataset, type Dataset, type DatasetOptions } from './data';
export { initBackend, shutdownBackend, currentBackend, type BackendInfo } from './backend';
export { trainProject, lrFindProject, type TrainOptions, type TrainResult, type LrFindOptions, type LrFindOutcome } from './train';
export { predictEachImage, predictImages, resolveModelDir, type ImageFailure, type ImagePrediction, type ClassProbability } from './predict';
export { evaluateModel, computeEvaluation, readEvaluation, writeEvaluation, type Evaluation, type EvaluationFile, type PhaseEvaluation } from './evaluate';
export {
  exportModel,
  verifyExport,
  ExportMismatchError,
  loadLayersModelFromDir,
  exportFormatIds,
  exportWriter,
  registerExportWriter,
  type ExportOptions,
  type ExportResult,
  type ExportWriter,
  type VerifyResult,
} from './export';
export { writeReport, type ReportResult } from './report';
export { distillProject, type DistillOptions, type DistillResult } from './distill';
