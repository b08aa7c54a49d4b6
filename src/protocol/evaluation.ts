/**
 * The contents of `<runDir>/evaluation.json`: how the adapted model does on the validation set after
 * each phase. Written by the engine (`src/engine/evaluate`), read by the report, the panel and the CLI.
 */

/** Precision, recall and F1 of one class, with its number of true samples. */
export interface ClassMetrics {
  readonly className: string;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** How many samples truly belong to this class. */
  readonly support: number;
}

export interface AveragedMetrics {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

/** A validation sample the model got wrong; the most confident mistakes come first. */
export interface Misclassified {
  readonly file: string;
  readonly trueClass: string;
  readonly predictedClass: string;
  /** Probability the model gave its (wrong) predicted class. */
  readonly confidence: number;
  /** Probability the model gave the true class. */
  readonly trueClassProbability: number;
}

/** One evaluated image: its confusion-matrix cell (true row, predicted column) and how sure the model was. */
export interface EvaluatedImage {
  readonly file: string;
  readonly trueIndex: number;
  readonly predictedIndex: number;
  /** Probability of the predicted class. */
  readonly confidence: number;
}

export interface TopKAccuracy {
  readonly k: number;
  readonly accuracy: number;
}

export interface Evaluation {
  readonly classes: readonly string[];
  readonly samples: number;
  readonly accuracy: number;
  /** k = 1 .. min(5, classes). */
  readonly topK: readonly TopKAccuracy[];
  /** confusion[true][predicted] = count. */
  readonly confusion: readonly (readonly number[])[];
  readonly perClass: readonly ClassMetrics[];
  /** Unweighted mean over classes. */
  readonly macro: AveragedMetrics;
  /** Mean over classes weighted by support. */
  readonly weighted: AveragedMetrics;
  readonly worst: readonly Misclassified[];
  /** Every evaluated image with its cell, so a confusion-matrix cell can list its images (absent in runs made before). */
  readonly images?: readonly EvaluatedImage[];
}

export interface PhaseEvaluation extends Evaluation {
  readonly phase: string;
}

/** evaluation.json */
export interface EvaluationFile {
  readonly phases: readonly PhaseEvaluation[];
  /**
   * The test set (`data.testSplit`), evaluated once at the end with the weights the run kept; `phase` is the
   * last phase. Absent when the run has no test split. Never used to pick weights or stop early.
   */
  readonly test?: PhaseEvaluation;
}
