/**
 * Runs the phases of a project in order on one model: before each phase apply its freeze plan, build
 * its setup (data or cached activations), train it, and checkpoint at the phase boundary. Knows nothing
 * of projects or files other than the run folder's checkpoint, so tests drive it with tiny models.
 */
import type * as tf from '@tensorflow/tfjs';
import type { PhaseConfig } from '../../protocol/config';
import type { PhasePlanInfo, PhaseSummary, RunStatus } from '../../protocol/run';
import { saveCheckpoint, type LoadedCheckpoint, type TrainingPosition } from './checkpoint';
import { countParams, runPhase, type PhaseStart } from './phaseRunner';
import type { ApplyPhaseFreeze, EventSink, PhaseSetupFactory } from './types';
import { orderedWeights, restoreWeights } from './weightsFile';

export interface RunPhasesOptions {
  readonly model: tf.LayersModel;
  readonly phases: readonly PhaseConfig[];
  readonly applyFreeze: ApplyPhaseFreeze;
  readonly setupPhase: PhaseSetupFactory;
  /** The run folder; checkpoints go to its `checkpoint/`. */
  readonly runDir: string;
  /** Continue from this checkpoint (its tensors are disposed here). */
  readonly resumeFrom?: LoadedCheckpoint;
  readonly signal?: AbortSignal;
  readonly emit: EventSink;
  /** Date.now() when the run started. */
  readonly runStartedAt: number;
}

export interface PhasesResult {
  readonly status: RunStatus;
  readonly phases: readonly PhaseSummary[];
  readonly message?: string;
}

/** Describes a phase with the freeze plan currently applied to the model. */
export function describePhase(model: tf.LayersModel, phase: PhaseConfig): PhasePlanInfo {
  const withWeights = model.layers.filter((layer) => layer.weights.length > 0);
  return {
    name: phase.name,
    epochs: phase.epochs,
    batchSize: phase.batchSize,
    optimizer: phase.optimizer,
    learningRate: phase.learningRate,
    trainableParams: countParams(model.trainableWeights),
    totalParams: countParams(model.weights),
    trainableLayers: withWeights.filter((layer) => layer.trainableWeights.length > 0).length,
    totalLayers: withWeights.length,
    batchNorm: phase.batchNorm ?? 'inference',
  };
}

/** Plans of every phase (applies each freeze plan in turn; `runPhases` applies them again). */
export function planPhases(model: tf.LayersModel, phases: readonly PhaseConfig[], applyFreeze: ApplyPhaseFreeze): PhasePlanInfo[] {
  return phases.map((phase, index) => {
    applyFreeze(model, phase, index);
    return describePhase(model, phase);
  });
}

const FRESH: Omit<PhaseStart, 'bestWeights'> = {
  epochsDone: 0, best: null, epochsSinceBest: 0, last: null, phaseSeconds: 0, imagesPerSecond: 0,
};

/** Trains the phases from the start or from a checkpoint; see the file comment. */
export async function runPhases(options: RunPhasesOptions): Promise<PhasesResult> {
  const { model, phases, resumeFrom } = options;
  let first = 0;
  let resumedStart: PhaseStart | null = null;
  const finished: PhaseSummary[] = [];
  if (resumeFrom) {
    restoreWeights(model, resumeFrom.weights, 'checkpoint');
    const { state } = resumeFrom;
    first = state.phaseIndex;
    finished.push(...state.phases);
    resumedStart = { ...state, last: state.last, bestWeights: resumeFrom.bestWeights };
    disposeAll(resumeFrom.weights);
  }
  for (let phaseIndex = first; phaseIndex < phases.length; phaseIndex++) {
    const phase = phases[phaseIndex];
    options.applyFreeze(model, phase, phaseIndex);
    const setup = await options.setupPhase({ phaseIndex, phase, model, runDir: options.runDir });
    const start: PhaseStart = resumedStart && phaseIndex === first ? resumedStart : { ...FRESH, bestWeights: null };
    let outcome;
    try {
      await options.emit({
        type: 'phase', phase: phase.name, phaseIndex, plan: describePhase(model, phase), backend: setup.backend, cache: setup.cache,
      });
      outcome = await runPhase({
        phaseIndex, phase, setup, fullModel: model, start, runStartedAt: options.runStartedAt, signal: options.signal,
        emit: options.emit,
        checkpoint: (position, bestIsCurrent) => checkpoint(options, { ...position, phases: finished }, bestIsCurrent),
      });
    } finally {
      setup.dispose?.();
    }
    await options.emit({ type: 'phaseEnd', phaseIndex, summary: outcome.summary });
    if (outcome.kind === 'cancelled') return { status: 'cancelled', phases: [...finished, outcome.summary] };
    if (outcome.kind === 'diverged') return { status: 'failed', phases: [...finished, outcome.summary], message: outcome.message };
    finished.push(outcome.summary);
    // The boundary checkpoint: a resume after this point starts the next phase with these weights.
    await checkpoint(options, { ...FRESH, phaseIndex: phaseIndex + 1, phases: finished }, false);
  }
  return { status: 'completed', phases: finished };
}

async function checkpoint(options: RunPhasesOptions, position: TrainingPosition, bestIsCurrent: boolean): Promise<void> {
  // read() hands out the variables themselves (no copies), so nothing to dispose here.
  const values = orderedWeights(options.model).map((weight) => weight.read());
  await saveCheckpoint(options.runDir, values, position, bestIsCurrent);
}

function disposeAll(tensors: readonly tf.Tensor[]): void {
  for (const tensor of tensors) tensor.dispose();
}
