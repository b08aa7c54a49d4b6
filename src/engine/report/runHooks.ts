/**
 * What a training run does for evaluation and reporting: after each finished phase, evaluate the model
 * on the validation split into evaluation.json (and warn about a class its accuracy hides); at the end,
 * evaluate the test split once with the kept weights (evaluation.json `test`) and write report.md. A failure
 * here never fails the training (the model is already trained and saved): it becomes a warning.
 */
import type * as tf from '@tensorflow/tfjs';
import type { PhaseConfig } from '../../protocol/config';
import type { FeatureExtractionSummary } from '../../protocol/run';
import { evaluateModel, hiddenClassWarnings, writeEvaluation, writeTestEvaluation, type EvaluationDataset } from '../evaluate';
import { RUN_FILES } from '../../runs';
import { writeReport } from './writeReport';

/** What the end of a run adds to summary.json. */
export interface FinalEvaluation {
  /** Test accuracy with the kept weights; null without a test split (or when it could not be evaluated). */
  readonly testAccuracy: number | null;
  /** The hidden-class warnings of the last validation evaluation. */
  readonly warnings: readonly string[];
  /** The kNN and logistic baselines on the base model's features (absent when they could not be computed). */
  readonly featureExtraction?: FeatureExtractionSummary;
}

/** The hooks trainRun calls (its RunInput.hooks). */
export interface EvaluationReportHooks {
  afterPhase(runDir: string, phaseIndex: number, phaseName: string, model: tf.LayersModel): Promise<void>;
  afterTraining(runDir: string, model: tf.LayersModel): Promise<FinalEvaluation>;
  beforeDone(runDir: string): Promise<void>;
}

export interface EvaluationOptions {
  /** Images in the test split (0: none, nothing is evaluated at the end). */
  readonly testImages?: number;
  /** `data.balance`, named in the warnings' advice. */
  readonly balance?: string;
  /**
   * The feature-extraction baselines, computed before summary.json is final so that a written summary
   * means the run is over; a failure becomes a warning.
   */
  readonly featureExtraction?: (runDir: string) => Promise<FeatureExtractionSummary>;
}

/** Hooks that evaluate on `dataset`'s validation split with each phase's batch size and write the report. */
export function evaluationReportHooks(
  dataset: EvaluationDataset,
  phases: readonly PhaseConfig[],
  warn: (message: string) => void,
  options: EvaluationOptions = {},
): EvaluationReportHooks {
  let warnings: string[] = [];
  let lastPhase: { index: number; name: string } | null = null;
  return {
    async afterPhase(runDir, phaseIndex, phaseName, model) {
      lastPhase = { index: phaseIndex, name: phaseName };
      try {
        const evaluation = await evaluateModel(model, dataset, 'validation', phases[phaseIndex]?.batchSize ?? 32);
        await writeEvaluation(runDir, phaseName, evaluation);
        warnings = hiddenClassWarnings(evaluation, 'validation', options.balance ?? 'none');
        for (const message of warnings) warn(`Phase "${phaseName}": ${message}`);
      } catch (error) {
        warn(`Could not evaluate phase "${phaseName}" (${(error as Error).message}); the run continues without its evaluation.`);
      }
    },
    async afterTraining(runDir, model) {
      const testAccuracy = await testAccuracyOf(runDir, model);
      const featureExtraction = await featureExtractionOf(runDir);
      return { testAccuracy, warnings, ...(featureExtraction ? { featureExtraction } : {}) };
    },
    async beforeDone(runDir) {
      try {
        await writeReport(runDir);
      } catch (error) {
        warn(`Could not write ${RUN_FILES.report} in ${runDir} (${(error as Error).message}).`);
      }
    },
  };

  async function testAccuracyOf(runDir: string, model: tf.LayersModel): Promise<number | null> {
    if (!options.testImages || !lastPhase) return null;
    try {
      // Once, with the kept weights: the test set picks nothing (no early stopping, no best epoch).
      const evaluation = await evaluateModel(model, dataset, 'test', phases[lastPhase.index]?.batchSize ?? 32);
      await writeTestEvaluation(runDir, lastPhase.name, evaluation);
      return evaluation.accuracy;
    } catch (error) {
      warn(`Could not evaluate the test set (${(error as Error).message}); ${RUN_FILES.summary} has no testAccuracy.`);
      return null;
    }
  }

  async function featureExtractionOf(runDir: string): Promise<FeatureExtractionSummary | undefined> {
    if (!options.featureExtraction) return undefined;
    try {
      return await options.featureExtraction(runDir);
    } catch (error) {
      warn(`Could not compute the feature-extraction baselines (${(error as Error).message}); the run is complete without them.`);
      return undefined;
    }
  }
}
