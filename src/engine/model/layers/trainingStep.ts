/**
 * Where training is (run seed, phase, epoch, batch), so every random draw inside the model (dropout
 * masks, random preprocessing layers) is a pure function of that position and the layer's name.
 * Nothing carries over from one step to the next: a run resumed at a batch draws what the
 * uninterrupted run drew there. The phase loop sets it before each training batch (callbacks/trainingStep).
 */
import { seedFrom } from '../../data/random';

export interface TrainingStep {
  readonly seed: number;
  readonly phaseIndex: number;
  readonly epoch: number;
  readonly batch: number;
}

let current: TrainingStep | null = null;
// A layer applied twice in one step (a shared layer) gets a fresh draw for each call.
const callsThisStep = new Map<string, number>();

/** Sets the step the next training batch runs at, or null when no batch is running. */
export function setTrainingStep(step: TrainingStep | null): void {
  current = step;
  callsThisStep.clear();
}

/** The step being trained, or null outside the phase loop. */
export function currentTrainingStep(): TrainingStep | null {
  return current;
}

/**
 * A 32-bit seed for one random draw of `layer` (its name) at the current step; `fallback` is used
 * outside the phase loop, where there is no step (a model called with training on by other code).
 */
export function stepSeed(kind: string, layer: string, fallback: () => number): number {
  if (!current) return fallback();
  const key = `${kind}\u0000${layer}`;
  const call = callsThisStep.get(key) ?? 0;
  callsThisStep.set(key, call + 1);
  return seedFrom(current.seed, kind, layer, current.phaseIndex, current.epoch, current.batch, call);
}
