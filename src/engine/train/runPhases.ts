/**
 * Runs the phases of a project in order on one model: before each phase apply its plan, build its
 * setup (data or cached activations), train it with its callbacks, and checkpoint at the phase
 * boundary. From a checkpoint it restores the weights, the best weights, the early-stopping record,
 * the optimizer state and the batch position of the phase in progress. Knows nothing of projects or
 * files other than the run folder's checkpoint, so tests drive it with tiny models.
 */
import * as tf from '@tensorflow/tfjs';
import type { PhaseSummary, RunStatus } from '../../protocol/run';
import { defaultCallbacks, type PhaseRecord, type TrainingCallback } from './callbacks';
import { disposeCheckpoint, saveCheckpoint, type LoadedCheckpoint, type TrainingPosition } from './checkpoint';
import { readOptimizerState } from './optimizerState';
import { runPhase, type ResumeInPhase } from './phaseRunner';
import { applyPhasePlan, type PhasePlan } from './phasePlan';
import type { EventSink, PhaseSetupFactory } from './types';
import { orderedWeights, restoreWeights } from './weightsFile';

export interface RunPhasesOptions {
  readonly model: tf.LayersModel;
  /** One plan per phase (`planPhases`), in order. */
  readonly plans: readonly PhasePlan[];
  readonly setupPhase: PhaseSetupFactory;
  /** The run folder; checkpoints go to its `checkpoint/`. */
  readonly runDir: string;
  /** Continue from this checkpoint (its tensors are disposed here). */
  readonly resumeFrom?: LoadedCheckpoint;
  readonly signal?: AbortSignal;
  readonly emit: EventSink;
  /** Date.now() when the run started (for a resumed run: now minus the seconds it had trained). */
  readonly runStartedAt: number;
  /** finetune.json `checkpointEverySeconds` (default 0 here: epoch ends only). */
  readonly checkpointEverySeconds?: number;
  /** Callbacks run after the default ones in every phase (the same instances each phase). */
  readonly callbacks?: readonly TrainingCallback[];
  /** `data.seed`, for the dropout and random layers' draws per step; default 0. */
  readonly seed?: number;
}

export interface PhasesResult {
  readonly status: RunStatus;
  readonly phases: readonly PhaseSummary[];
  readonly message?: string;
}

const FRESH: PhaseRecord = {
  epochsDone: 0, best: null, epochsSinceBest: 0, last: null, phaseSeconds: 0, imagesPerSecond: 0,
};

/** Trains the phases from the start or from a checkpoint; see the file comment. */
export async function runPhases(options: RunPhasesOptions): Promise<PhasesResult> {
  const { model, plans, resumeFrom } = options;
  let first = 0;
  let resumed: { record: PhaseRecord; bestWeights: tf.Tensor[] | null; inPhase: ResumeInPhase } | null = null;
  const finished: PhaseSummary[] = [];
  if (resumeFrom) {
    try {
      restoreWeights(model, resumeFrom.weights, 'checkpoint');
    } catch (error) {
      disposeCheckpoint(resumeFrom);
      throw error;
    }
    const { state } = resumeFrom;
    first = state.phaseIndex;
    finished.push(...state.phases);
    const { epochsDone, best, epochsSinceBest, last, phaseSeconds, imagesPerSecond } = state;
    resumed = {
      record: { epochsDone, best, epochsSinceBest, last, phaseSeconds, imagesPerSecond },
      bestWeights: resumeFrom.bestWeights,
      inPhase: { progress: state.inEpoch, optimizerState: resumeFrom.optimizer },
    };
    for (const tensor of resumeFrom.weights) tensor.dispose();
    // A checkpoint taken after the last phase has no phase left to hand its best weights to.
    if (first >= plans.length) for (const tensor of resumeFrom.bestWeights ?? []) tensor.dispose();
  }
  // The optimizer state is the resumed phase's only; it is freed once that phase has taken it.
  const releaseOptimizerState = (): void => tf.dispose((resumed?.inPhase.optimizerState ?? []).map(({ tensor }) => tensor));
  if (first >= plans.length) releaseOptimizerState();
  for (let phaseIndex = first; phaseIndex < plans.length; phaseIndex++) {
    const plan = plans[phaseIndex];
    const phase = plan.phase;
    const fromCheckpoint = resumed && phaseIndex === first ? resumed : null;
    let outcome;
    let setup;
    try {
      applyPhasePlan(model, plan);
      setup = await options.setupPhase({ phaseIndex, phase, model, runDir: options.runDir });
    } catch (error) {
      if (fromCheckpoint) releaseOptimizerState();
      throw error;
    }
    try {
      await options.emit({ type: 'phase', phase: phase.name, phaseIndex, plan: plan.info, backend: setup.backend, cache: setup.cache });
      const callbacks = [
        ...defaultCallbacks({
          emit: options.emit,
          runStartedAt: options.runStartedAt,
          saveCheckpoint: (position, bestIsCurrent, optimizer) => checkpoint(options, { ...position, phases: finished }, bestIsCurrent, optimizer),
          bestWeights: fromCheckpoint?.bestWeights ?? null,
          seed: options.seed ?? 0,
          checkpointEverySeconds: options.checkpointEverySeconds ?? 0,
        }),
        ...(options.callbacks ?? []),
      ];
      outcome = await runPhase({
        phaseIndex, plan, setup, fullModel: model, start: fromCheckpoint?.record ?? FRESH, callbacks, signal: options.signal,
        ...(fromCheckpoint ? { resumeIn: fromCheckpoint.inPhase } : {}),
        warn: (message) => options.emit({ type: 'warning', message }),
      });
    } finally {
      if (fromCheckpoint) releaseOptimizerState();
      setup.dispose?.();
    }
    await options.emit({ type: 'phaseEnd', phaseIndex, summary: outcome.summary });
    if (outcome.status === 'cancelled') return { status: 'cancelled', phases: [...finished, outcome.summary] };
    if (outcome.status === 'failed') return { status: 'failed', phases: [...finished, outcome.summary], message: outcome.message };
    finished.push(outcome.summary);
    // The boundary checkpoint: a resume after this point starts the next phase with these weights.
    await checkpoint(options, { ...FRESH, phaseIndex: phaseIndex + 1, phases: finished, inEpoch: null }, false, null);
  }
  return { status: 'completed', phases: finished };
}

async function checkpoint(options: RunPhasesOptions, position: Omit<TrainingPosition, 'runSeconds'>, bestIsCurrent: boolean, optimizer: tf.Optimizer | null): Promise<void> {
  // read() hands out the variables themselves (no copies), so nothing to dispose here.
  const values = orderedWeights(options.model).map((weight) => weight.read());
  const state = optimizer ? await readOptimizerState(optimizer) : null;
  try {
    await saveCheckpoint(options.runDir, values, { ...position, runSeconds: (Date.now() - options.runStartedAt) / 1000 }, bestIsCurrent, state);
  } finally {
    tf.dispose((state ?? []).map(({ tensor }) => tensor));
  }
}
