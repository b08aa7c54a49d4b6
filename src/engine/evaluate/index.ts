/** Evaluation of an adapted model: metrics, evaluation.json, and running a model over a data split. */
export type {
  AveragedMetrics,
  ClassMetrics,
  Evaluation,
  EvaluationFile,
  Misclassified,
  PhaseEvaluation,
  TopKAccuracy,
} from '../../protocol/evaluation';
export { computeEvaluation, type EvaluationOptions, type PredictionSet } from './metrics';
export { EVALUATION_FILE, readEvaluation, writeEvaluation } from './evaluationFile';
export { evaluateModel, type Classifier, type EvaluationDataset, type EvaluationSplit, type LabelledBatch } from './evaluateModel';
