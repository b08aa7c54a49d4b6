/**
 * The plan of every phase, built once before training: the phase's settings, the layers it trains,
 * its BatchNorm mode, its learning-rate schedule and the description the CLI and panel show.
 * Describing reads the model's variables and never sets `layer.trainable`; a plan touches the model
 * only when `applyPhasePlan` runs at the start of its phase.
 */
import type * as tf from '@tensorflow/tfjs';
import type { PhaseConfig } from '../../protocol/config';
import type { PhasePlanInfo } from '../../protocol/run';
import { UserError } from '../../shared/userError';
import { applyFreezePlan, weightsTrainedWhenOn } from '../model/freezeApply';
import { headRateOf } from './learningRates';
import { planRateGroups, type RateGroup } from './rateGroups';
import { scheduleFactory, scheduleNameOf } from './schedules';

export interface PhasePlan {
  readonly phase: PhaseConfig;
  /** Names of the layers this phase trains; every other layer is frozen. */
  readonly trainable: ReadonlySet<string>;
  readonly batchNorm: 'inference' | 'train';
  /** Name of the learning-rate schedule in the schedule registry (src/engine/train/schedules). */
  readonly schedule: string;
  /** Discriminative rates: one group per trained block, in model order (null: one rate for all). */
  readonly rateGroups: readonly RateGroup[] | null;
  readonly info: PhasePlanInfo;
}

/** The layers a phase trains (for a project: `resolveTrainable` over the prepared model's rows). */
export type TrainableResolver = (phase: PhaseConfig, phaseIndex: number) => ReadonlySet<string>;

/** Counts the parameters of a list of weights. */
export function countParams(weights: readonly tf.LayerVariable[]): number {
  return weights.reduce((sum, weight) => sum + weight.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 0);
}

/**
 * Plans every phase; throws what `trainableOf` throws (a bad layer name), and for a phase that would
 * train no weight at all, before anything trains: a later phase must not refuse after phase 1 ran.
 */
export function planPhases(model: tf.LayersModel, phases: readonly PhaseConfig[], trainableOf: TrainableResolver, projectFile = 'finetune.json'): PhasePlan[] {
  return phases.map((phase, index) => {
    const trainable = trainableOf(phase, index);
    const batchNorm = phase.batchNorm ?? 'inference';
    const schedule = scheduleNameOf(phase);
    scheduleFactory(schedule); // an unknown name fails here, before anything trains
    const info = describePlan(model, phase, trainable, batchNorm);
    if (info.trainableParams === 0) {
      throw new UserError(
        `phase "${phase.name}" trains no weights (${trainable.size === 0 ? 'no layer is listed' : 'the layers listed have no trainable weights'}), so it has nothing to learn.`,
        projectFile,
        'List at least one layer with weights (tick one in the Layers view), use "head" or { "lastBlocks": 1 }, or remove the phase.',
        `phases[${index}].trainable`,
      );
    }
    return { phase, trainable, batchNorm, schedule, rateGroups: planRateGroups(model, phase, trainable), info };
  });
}

/** Sets the model's trainable flags and BatchNorm modes for the plan's phase (compile afterwards). */
export function applyPhasePlan(model: tf.LayersModel, plan: PhasePlan): void {
  applyFreezePlan(model, plan.trainable, plan.batchNorm);
}

/** The numbers `model.trainableWeights` would give with the plan applied, read without applying it. */
function describePlan(model: tf.LayersModel, phase: PhaseConfig, trainable: ReadonlySet<string>, batchNorm: 'inference' | 'train'): PhasePlanInfo {
  const withWeights = model.layers.filter((layer) => layer.weights.length > 0);
  const trained = withWeights.filter((layer) => trainable.has(layer.name)).map(weightsTrainedWhenOn);
  return {
    name: phase.name,
    epochs: phase.epochs,
    batchSize: phase.batchSize,
    optimizer: phase.optimizer,
    learningRate: headRateOf(phase),
    ...(typeof phase.learningRate === 'object' ? { learningRateFrom: phase.learningRate.from } : {}),
    ...(phase.schedule && phase.schedule !== 'constant' ? { schedule: phase.schedule } : {}),
    trainableParams: trained.reduce((sum, weights) => sum + countParams(weights), 0),
    totalParams: countParams(model.weights),
    trainableLayers: trained.filter((weights) => weights.length > 0).length,
    totalLayers: withWeights.length,
    batchNorm,
  };
}
