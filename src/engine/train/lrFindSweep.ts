/**
 * The learning-rate range test (Leslie Smith; fastai's `LRFinder`): train one batch per step while
 * the rate grows exponentially from `startRate` to `endRate`, record each batch's loss and its
 * exponential moving average, and stop when that average passes 4x its best (the loss diverges).
 * The weights and BatchNorm statistics it changed are put back, bit for bit, before it returns.
 */
import * as tf from '@tensorflow/tfjs';
import { setTrainingStep } from '../model/layers/trainingStep';
import { isGrouped, type GroupedOptimizer } from './groupedOptimizer';
import { LR_FIND_DEFAULTS, SmoothedLoss, sweepRate } from './lrFindCurve';
import { learningRateOf, setLearningRate } from './optimizers';
import type { BatchSource } from './types';
import { restoreWeights, snapshotWeights } from './weightsFile';

export interface SweepInput {
  /** The compiled model that trains (the full model, or the suffix behind a frozen-prefix cache). */
  readonly model: tf.LayersModel;
  /** The model whose weights are restored afterwards (shares its layers with `model`). */
  readonly fullModel: tf.LayersModel;
  /** The optimizer `model` was compiled with; its rate is set before every step. */
  readonly optimizer: tf.Optimizer;
  readonly train: BatchSource;
  readonly startRate?: number;
  readonly endRate?: number;
  readonly steps?: number;
  /** `data.seed` and the phase, for dropout draws per step (as the phase loop). */
  readonly seed?: number;
  readonly phaseIndex?: number;
  readonly signal?: AbortSignal;
  readonly onStep?: (step: SweepStep) => void;
}

export interface SweepStep {
  readonly step: number;
  readonly rate: number;
  readonly loss: number;
  readonly smoothedLoss: number;
}

export interface SweepResult {
  readonly rates: number[];
  readonly losses: number[];
  readonly smoothedLosses: number[];
  readonly stoppedBy: 'divergence' | 'steps' | 'cancelled';
  readonly plannedSteps: number;
}

/** Runs the sweep; see the file comment. */
export async function sweepLearningRates(input: SweepInput): Promise<SweepResult> {
  const startRate = input.startRate ?? LR_FIND_DEFAULTS.startRate;
  const endRate = input.endRate ?? LR_FIND_DEFAULTS.endRate;
  const steps = input.steps ?? LR_FIND_DEFAULTS.steps;
  const result: SweepResult = { rates: [], losses: [], smoothedLosses: [], stoppedBy: 'steps', plannedSteps: steps };
  const smoother = new SmoothedLoss();
  let best = Number.POSITIVE_INFINITY;
  let stoppedBy: SweepResult['stoppedBy'] = 'steps';
  const saved = snapshotWeights(input.fullModel);
  // With discriminative rates every group keeps its ratio to the head, which sweeps.
  const ratios = isGrouped(input.optimizer) ? groupRatios(input.optimizer) : null;
  try {
    let step = 0;
    for (let epoch = 0; step < steps && stoppedBy === 'steps'; epoch++) {
      const before = step;
      for await (const { xs, ys } of input.train.batches(epoch)) {
        let loss: number;
        try {
          if (input.signal?.aborted) {
            stoppedBy = 'cancelled';
            break;
          }
          const rate = sweepRate(step, steps, startRate, endRate);
          setRate(input.optimizer, rate, ratios);
          setTrainingStep({ seed: input.seed ?? 0, phaseIndex: input.phaseIndex ?? 0, epoch, batch: step });
          const out = await input.model.trainOnBatch(xs, ys);
          loss = Array.isArray(out) ? (out[0] as number) : out;
          result.rates.push(rate);
        } finally {
          setTrainingStep(null);
          tf.dispose([xs, ys]);
        }
        if (!Number.isFinite(loss)) {
          // Nothing to average: the rate before it was already too high.
          result.rates.pop();
          stoppedBy = 'divergence';
          break;
        }
        const smoothed = smoother.add(loss);
        result.losses.push(loss);
        result.smoothedLosses.push(smoothed);
        input.onStep?.({ step, rate: result.rates[step] as number, loss, smoothedLoss: smoothed });
        best = Math.min(best, smoothed);
        step += 1;
        if (smoothed > LR_FIND_DEFAULTS.divergence * best) {
          stoppedBy = 'divergence';
          break;
        }
        if (step >= steps) break;
      }
      if (step === before) break; // an empty epoch: no more batches will come
    }
  } finally {
    restoreWeights(input.fullModel, saved, 'lr-find');
    tf.dispose(saved);
  }
  return { ...result, stoppedBy };
}

/** Each group's rate over the head's, as the phase's `{ from, to }` spread them. */
function groupRatios(optimizer: GroupedOptimizer): number[] {
  const head = learningRateOf(optimizer.head);
  return optimizer.groups.map((group) => learningRateOf(group.optimizer) / head);
}

function setRate(optimizer: tf.Optimizer, rate: number, ratios: readonly number[] | null): void {
  if (ratios && isGrouped(optimizer)) optimizer.groups.forEach((group, i) => setLearningRate(group.optimizer, rate * (ratios[i] ?? 1)));
  else setLearningRate(optimizer, rate);
}
