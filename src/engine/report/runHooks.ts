/**
 * What a training run does for evaluation and reporting: after each finished phase, evaluate the model
 * on the validation split into evaluation.json; at the end, write report.md. A failure here never fails
 * the training (the model is already trained and saved): it becomes a warning.
 */
import type * as tf from '@tensorflow/tfjs';
import type { PhaseConfig } from '../../protocol/config';
import { evaluateModel, writeEvaluation, type EvaluationDataset } from '../evaluate';
import { RUN_FILES } from '../../runs';
import { writeReport } from './writeReport';

/** The hooks trainRun calls (its RunInput.hooks). */
export interface EvaluationReportHooks {
  afterPhase(runDir: string, phaseIndex: number, phaseName: string, model: tf.LayersModel): Promise<void>;
  beforeDone(runDir: string): Promise<void>;
}

/** Hooks that evaluate on `dataset`'s validation split with each phase's batch size and write the report. */
export function evaluationReportHooks(
  dataset: EvaluationDataset,
  phases: readonly PhaseConfig[],
  warn: (message: string) => void,
  /** Runs before the report is written (the feature-extraction baselines); a failure becomes a warning. */
  beforeReport?: (runDir: string) => Promise<void>,
): EvaluationReportHooks {
  return {
    async afterPhase(runDir, phaseIndex, phaseName, model) {
      try {
        const evaluation = await evaluateModel(model, dataset, 'validation', phases[phaseIndex]?.batchSize ?? 32);
        await writeEvaluation(runDir, phaseName, evaluation);
      } catch (error) {
        warn(`Could not evaluate phase "${phaseName}" (${(error as Error).message}); the run continues without its evaluation.`);
      }
    },
    async beforeDone(runDir) {
      if (beforeReport) {
        try {
          await beforeReport(runDir);
        } catch (error) {
          warn(`Could not compute the feature-extraction baselines (${(error as Error).message}); the run is complete without them.`);
        }
      }
      try {
        await writeReport(runDir);
      } catch (error) {
        warn(`Could not write ${RUN_FILES.report} in ${runDir} (${(error as Error).message}).`);
      }
    },
  };
}
