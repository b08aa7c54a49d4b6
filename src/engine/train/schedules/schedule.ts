/**
 * A learning-rate schedule: asked for the rate of every training step of one phase. The
 * learning-rate callback sets the optimizer's rate to the answer before the step runs.
 */
import type { PhaseConfig } from '../../../protocol/config';

/** What a schedule knows about its phase, given when the phase begins. */
export interface ScheduleSettings {
  readonly phase: PhaseConfig;
  /** The rate this schedule scales: the phase's rate, or one group's of discriminative rates. */
  readonly baseRate: number;
  readonly batchesPerEpoch: number;
  /** Steps of the whole phase: epochs x batchesPerEpoch. */
  readonly totalSteps: number;
}

/** One training step of a phase (all 0-based; `step` = epoch x batchesPerEpoch + batch). */
export interface ScheduleStep {
  readonly epoch: number;
  readonly batch: number;
  readonly step: number;
}

export interface LearningRateSchedule {
  /** The rate of this step; a finite number >= 0. Depends only on the step, so a resumed phase gets the same rates. */
  rateAt(step: ScheduleStep): number;
}

/** Builds a phase's schedule; registered by name in ./index.ts. */
export type ScheduleFactory = (settings: ScheduleSettings) => LearningRateSchedule;
