/**
 * Runs one phase: compile with the phase's optimizer, then epoch by epoch train batch by batch,
 * validate, track the best validation loss (early stopping), and checkpoint. Stops at the next batch
 * when the signal aborts, and at once when the loss stops being a finite number.
 */
import * as tf from '@tensorflow/tfjs';
import type { PhaseConfig } from '../../protocol/config';
import type { PhaseStatus, PhaseSummary } from '../../protocol/run';
import { evaluate, TrainingCancelled, type Evaluation } from './evaluate';
import { makeOptimizer } from './optimizers';
import type { BestEpoch, TrainingPosition } from './checkpoint';
import type { EventSink, PhaseSetup } from './types';
import { restoreWeights, snapshotWeights } from './weightsFile';

export interface PhaseStart {
  readonly epochsDone: number;
  readonly best: BestEpoch | null;
  readonly epochsSinceBest: number;
  readonly last: Evaluation | null;
  readonly phaseSeconds: number;
  readonly imagesPerSecond: number;
  /** Best weights so far (from a checkpoint); the runner takes ownership. */
  readonly bestWeights: tf.Tensor[] | null;
}

export interface PhaseContext {
  readonly phaseIndex: number;
  readonly phase: PhaseConfig;
  readonly setup: PhaseSetup;
  /** The full model: its weights are what checkpoints and early stopping keep. */
  readonly fullModel: tf.LayersModel;
  readonly start: PhaseStart;
  /** Run start, for the `seconds` of metrics. */
  readonly runStartedAt: number;
  readonly signal?: AbortSignal;
  readonly emit: EventSink;
  /** Persists the position after an epoch; `bestIsCurrent` when this epoch is the best so far. */
  readonly checkpoint: (position: Omit<TrainingPosition, 'phases'>, bestIsCurrent: boolean) => Promise<void>;
}

export type PhaseOutcome =
  | { readonly kind: 'done'; readonly summary: PhaseSummary }
  | { readonly kind: 'cancelled'; readonly summary: PhaseSummary }
  | { readonly kind: 'diverged'; readonly summary: PhaseSummary; readonly message: string };

/** Counts the parameters of a list of weights. */
export function countParams(weights: readonly tf.LayerVariable[]): number {
  return weights.reduce((sum, weight) => sum + weight.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 0);
}

/** Trains one phase; see the file comment. */
export async function runPhase(ctx: PhaseContext): Promise<PhaseOutcome> {
  const { phase, phaseIndex, setup, start } = ctx;
  const model = setup.model;
  const optimizer = makeOptimizer(phase.optimizer, phase.learningRate);
  model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const patience = phase.earlyStoppingPatience ?? 0;
  let best = start.best;
  let bestWeights = start.bestWeights;
  let epochsSinceBest = start.epochsSinceBest;
  let last = start.last;
  let epochsDone = start.epochsDone;
  let seconds = start.phaseSeconds;
  let imagesPerSecond = start.imagesPerSecond;
  let stoppedEarly = false;
  const trainableParams = countParams(ctx.fullModel.trainableWeights);
  const totalParams = countParams(ctx.fullModel.weights);
  const elapsed = (): number => (Date.now() - ctx.runStartedAt) / 1000;

  // The result the kept weights have: the best epoch with early stopping, else the last epoch.
  const summary = (status: PhaseStatus): PhaseSummary => {
    const kept = patience > 0 && best ? { loss: best.valLoss, accuracy: best.valAccuracy, epoch: best.epoch } : last && { ...last, epoch: epochsDone - 1 };
    return {
    name: phase.name,
    status,
    epochsRun: epochsDone,
    epochsPlanned: phase.epochs,
    valAccuracy: kept?.accuracy ?? Number.NaN,
    valLoss: kept?.loss ?? Number.NaN,
    finalValAccuracy: last?.accuracy ?? Number.NaN,
    finalValLoss: last?.loss ?? Number.NaN,
    bestEpoch: kept?.epoch ?? -1,
    stoppedEarly,
    trainableParams,
    totalParams,
    learningRate: phase.learningRate,
    seconds,
    imagesPerSecond,
    backend: setup.backend,
    };
  };

  try {
    while (epochsDone < phase.epochs) {
      const epoch = epochsDone;
      const epochStart = Date.now();
      const trained = await trainEpoch(ctx, epoch, elapsed);
      if (trained.kind === 'cancelled') return { kind: 'cancelled', summary: summary('cancelled') };
      if (trained.kind === 'diverged') return { kind: 'diverged', summary: summary('failed'), message: trained.message };
      const trainSeconds = (Date.now() - epochStart) / 1000;
      let val: Evaluation;
      try {
        val = await evaluate(model, setup.val, epoch, ctx.signal);
      } catch (error) {
        if (error instanceof TrainingCancelled) return { kind: 'cancelled', summary: summary('cancelled') };
        throw error;
      }
      if (!Number.isFinite(val.loss) && setup.val.size > 0) {
        return { kind: 'diverged', summary: summary('failed'), message: divergedMessage(ctx, `the validation loss after epoch ${epoch + 1}`) };
      }
      epochsDone = epoch + 1;
      last = val;
      seconds += (Date.now() - epochStart) / 1000;
      imagesPerSecond = trainSeconds > 0 ? trained.images / trainSeconds : 0;
      await ctx.emit({
        type: 'epoch', phase: phase.name, phaseIndex, epoch, epochs: phase.epochs,
        loss: trained.loss, accuracy: trained.accuracy, val_loss: val.loss, val_accuracy: val.accuracy,
        lr: phase.learningRate, seconds: elapsed(), imagesPerSecond,
      });
      const improved = best === null || val.loss < best.valLoss;
      if (improved) {
        best = { valLoss: val.loss, valAccuracy: val.accuracy, epoch };
        epochsSinceBest = 0;
        if (patience > 0) {
          tf.dispose(bestWeights ?? []);
          bestWeights = snapshotWeights(ctx.fullModel);
        }
      } else {
        epochsSinceBest += 1;
      }
      stoppedEarly = patience > 0 && epochsSinceBest >= patience && epochsDone < phase.epochs;
      // Saving is not interrupted by a cancel: it is short and leaves a complete checkpoint.
      await ctx.checkpoint({ phaseIndex, epochsDone, best, epochsSinceBest, last, phaseSeconds: seconds, imagesPerSecond }, improved);
      if (stoppedEarly) break;
      if (ctx.signal?.aborted) return { kind: 'cancelled', summary: summary('cancelled') };
    }
    // Early stopping keeps the weights of the best epoch (as Keras' restore_best_weights).
    if (patience > 0 && bestWeights && best && last && best.epoch !== epochsDone - 1) {
      restoreWeights(ctx.fullModel, bestWeights, 'best weights');
    }
    return { kind: 'done', summary: summary('done') };
  } finally {
    tf.dispose(bestWeights ?? []);
    optimizer.dispose();
  }
}

type EpochResult =
  | { readonly kind: 'trained'; readonly loss: number; readonly accuracy: number; readonly images: number }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'diverged'; readonly message: string };

async function trainEpoch(ctx: PhaseContext, epoch: number, elapsed: () => number): Promise<EpochResult> {
  const { setup, phase, phaseIndex } = ctx;
  let lossSum = 0;
  let accuracySum = 0;
  let images = 0;
  let batch = 0;
  for await (const { xs, ys } of setup.train.batches(epoch)) {
    let result: number | number[];
    try {
      if (ctx.signal?.aborted) return { kind: 'cancelled' };
      result = await setup.model.trainOnBatch(xs, ys);
    } finally {
      tf.dispose([xs, ys]);
    }
    const [loss, accuracy] = Array.isArray(result) ? result : [result, Number.NaN];
    if (!Number.isFinite(loss)) {
      return { kind: 'diverged', message: divergedMessage(ctx, `the training loss at epoch ${epoch + 1}, batch ${batch + 1}`) };
    }
    const size = xs.shape[0];
    lossSum += loss * size;
    accuracySum += accuracy * size;
    images += size;
    await ctx.emit({
      type: 'batch', phase: phase.name, phaseIndex, epoch, batch,
      batchesPerEpoch: setup.train.batchesPerEpoch, loss, accuracy, lr: phase.learningRate, seconds: elapsed(),
    });
    batch += 1;
  }
  if (ctx.signal?.aborted) return { kind: 'cancelled' };
  return { kind: 'trained', loss: images ? lossSum / images : Number.NaN, accuracy: images ? accuracySum / images : Number.NaN, images };
}

function divergedMessage(ctx: PhaseContext, where: string): string {
  const { phase, phaseIndex } = ctx;
  return (
    `Training stopped: ${where} of phase "${phase.name}" is not a finite number (NaN or Infinity). ` +
    `Lower the learning rate of this phase (phases[${phaseIndex}].learningRate, now ${phase.learningRate}; ` +
    `try ${phase.learningRate / 10}) and resume or train again. The last good checkpoint is kept.`
  );
}
