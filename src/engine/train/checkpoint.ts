/**
 * The checkpoint of a run, in the run's checkpoint folder: written after every epoch, at most every
 * `checkpointEverySeconds` within one, and when training is stopped. The model's weights, the weights
 * of the best epoch so far and the phase's optimizer state (moments, step count) go to their own files
 * first; the state (src/runs) names them and the position (phase, epoch, batch) and is renamed into
 * place last, so it always points at complete files and the previous checkpoint stays until then.
 */
import type * as tf from '@tensorflow/tfjs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import {
  CHECKPOINT_STATE,
  checkpointDirOf,
  checkpointOptimizerName,
  checkpointWeightsName,
  readCheckpointState,
  writeCheckpointState,
  type CheckpointState,
  type TrainingPosition,
} from '../../runs';
import { UserError } from '../../shared/userError';
import { loadNamedTensorsFile, saveNamedTensorsFile, saveWeightsFile, type NamedTensor } from './weightsFile';

export type { BestEpoch, CheckpointState, EpochProgress, TrainingPosition } from '../../runs';

/** A checkpoint read back from disk; the caller disposes the tensors. */
export interface LoadedCheckpoint {
  readonly state: CheckpointState;
  readonly weights: tf.Tensor[];
  readonly bestWeights: tf.Tensor[] | null;
  /** The optimizer state of the phase in progress; null at a phase boundary or in a version 1 checkpoint. */
  readonly optimizer: NamedTensor[] | null;
}

/**
 * Saves the model's current weights, the optimizer state and the position. `bestIsCurrent` says the
 * epoch just finished is the best so far; otherwise the previous best file is kept.
 */
export async function saveCheckpoint(
  runDir: string,
  weights: readonly tf.Tensor[],
  position: TrainingPosition,
  bestIsCurrent: boolean,
  optimizer: readonly NamedTensor[] | null,
): Promise<CheckpointState> {
  const dir = checkpointDirOf(runDir);
  // Not recursive: a run folder deleted while training must fail the run (ENOENT), not be quietly made again.
  await fs.mkdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  const previous = await readCheckpointState(runDir);
  const batchesDone = position.inEpoch?.batchesDone ?? 0;
  const weightsFile = checkpointWeightsName(position.phaseIndex, position.epochsDone, batchesDone);
  await saveWeightsFile(path.join(dir, weightsFile), weights);
  const optimizerFile = optimizer ? checkpointOptimizerName(position.phaseIndex, position.epochsDone, batchesDone) : null;
  if (optimizer && optimizerFile) await saveNamedTensorsFile(path.join(dir, optimizerFile), optimizer);
  const keepBest = position.best !== null && previous?.phaseIndex === position.phaseIndex ? previous.bestWeightsFile : null;
  const bestWeightsFile = position.best === null ? null : bestIsCurrent ? weightsFile : keepBest;
  const state: CheckpointState = { version: 2, ...position, weightsFile, bestWeightsFile, optimizerFile, savedAt: new Date().toISOString() };
  await writeCheckpointState(runDir, state);
  return state;
}

/** Reads a run's checkpoint with its weights and optimizer state; undefined when the run has none. */
export async function loadCheckpoint(runDir: string): Promise<LoadedCheckpoint | undefined> {
  const dir = checkpointDirOf(runDir);
  const state = await readCheckpointState(runDir);
  if (!state) {
    // A state.json that exists but does not read is a damaged checkpoint, not a missing one.
    if (await fs.stat(path.join(dir, CHECKPOINT_STATE)).catch(() => undefined)) throw damagedCheckpoint(runDir, `${CHECKPOINT_STATE} cannot be read`);
    return undefined;
  }
  const loaded: tf.Tensor[][] = [];
  const read = async (name: string): Promise<NamedTensor[]> => {
    try {
      const named = await loadNamedTensorsFile(path.join(dir, name));
      loaded.push(named.map(({ tensor }) => tensor));
      return named;
    } catch (error) {
      for (const tensors of loaded) for (const tensor of tensors) tensor.dispose();
      const code = (error as NodeJS.ErrnoException).code;
      throw damagedCheckpoint(runDir, code === 'ENOENT' ? `${name} is missing` : `${name} is truncated or damaged`);
    }
  };
  const weights = (await read(state.weightsFile)).map(({ tensor }) => tensor);
  const bestWeights = state.bestWeightsFile ? (await read(state.bestWeightsFile)).map(({ tensor }) => tensor) : null;
  const optimizer = state.optimizerFile ? await read(state.optimizerFile) : null;
  return { state, weights, bestWeights, optimizer };
}

/** Only the last complete checkpoint is kept (the previous one is removed once the next is whole), so the choice is to start again. */
function damagedCheckpoint(runDir: string, what: string): UserError {
  return new UserError(
    `its checkpoint is damaged (${what} in ${checkpointDirOf(runDir)}), so it cannot be resumed.`,
    runDir,
    'Train without --resume to start a new run (this folder stays as it is); if you have a copy of the checkpoint folder, restore it and resume.',
  );
}

/** Frees every tensor of a loaded checkpoint. */
export function disposeCheckpoint(checkpoint: LoadedCheckpoint): void {
  for (const tensor of [...checkpoint.weights, ...(checkpoint.bestWeights ?? []), ...(checkpoint.optimizer ?? []).map(({ tensor }) => tensor)]) tensor.dispose();
}
