/**
 * Tells the model's random layers (dropout, random preprocessing) which step is training, so their
 * draws are a pure function of (data.seed, phase, epoch, batch): see model/layers/trainingStep.ts.
 */
import { setTrainingStep } from '../../model/layers/trainingStep';
import type { BatchBegin, CallbackContext, TrainingCallback } from './callback';

export class TrainingStepSeed implements TrainingCallback {
  constructor(private readonly seed: number) {}

  onBatchBegin(context: CallbackContext, batch: BatchBegin): void {
    setTrainingStep({ seed: this.seed, phaseIndex: context.phaseIndex, epoch: batch.epoch, batch: batch.batch });
  }

  onBatchEnd(): void {
    setTrainingStep(null);
  }

  dispose(): void {
    setTrainingStep(null);
  }
}
