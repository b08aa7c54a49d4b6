/** Evaluation of an adapted model: metrics, the run's evaluation file, and running a model over a data split. */
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
// The evaluation file is the run folder's (src/runs); re-exported as part of this module's API.
export { readEvaluation, writeEvaluation, writeTestEvaluation } from '../../runs';
export { hiddenClassWarnings, LOW_RECALL } from './hiddenClasses';
export { evaluateModel, type Classifier, type EvaluationDataset, type EvaluationSplit, type LabelledBatch } from './evaluateModel';
