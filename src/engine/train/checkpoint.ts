/**
 * The checkpoint of a run: written after every epoch into the run's checkpoint folder. The weights of
 * the epoch (and of the best epoch so far, for early stopping) go to their own files first; the state
 * (src/runs) names them and is renamed into place last, so it always points at complete files. No
 * optimizer state is kept: a resumed phase starts a fresh optimizer with the same settings.
 */
import type * as tf from '@tensorflow/tfjs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import {
  checkpointDirOf,
  checkpointWeightsName,
  readCheckpointState,
  writeCheckpointState,
  type CheckpointState,
  type TrainingPosition,
} from '../../runs';
import { loadWeightsFile, saveWeightsFile } from './weightsFile';

export type { BestEpoch, CheckpointState, TrainingPosition } from '../../runs';

/** A checkpoint read back from disk; the caller disposes the tensors. */
export interface LoadedCheckpoint {
  readonly state: CheckpointState;
  readonly weights: tf.Tensor[];
  readonly bestWeights: tf.Tensor[] | null;
}

/**
 * Saves the model's current weights and the position. `bestIsCurrent` says the epoch just finished
 * is the best so far; otherwise the previous best file is kept.
 */
export async function saveCheckpoint(
  runDir: string,
  weights: readonly tf.Tensor[],
  position: TrainingPosition,
  bestIsCurrent: boolean,
): Promise<CheckpointState> {
  const dir = checkpointDirOf(runDir);
  await fs.mkdir(dir, { recursive: true });
  const previous = await readCheckpointState(runDir);
  const weightsFile = checkpointWeightsName(position.phaseIndex, position.epochsDone);
  await saveWeightsFile(path.join(dir, weightsFile), weights);
  const keepBest = position.best !== null && previous?.phaseIndex === position.phaseIndex ? previous.bestWeightsFile : null;
  const bestWeightsFile = position.best === null ? null : bestIsCurrent ? weightsFile : keepBest;
  const state: CheckpointState = { version: 1, ...position, weightsFile, bestWeightsFile, savedAt: new Date().toISOString() };
  await writeCheckpointState(runDir, state);
  return state;
}

/** Reads a run's checkpoint with its weights; undefined when the run has none. */
export async function loadCheckpoint(runDir: string): Promise<LoadedCheckpoint | undefined> {
  const state = await readCheckpointState(runDir);
  if (!state) return undefined;
  const dir = checkpointDirOf(runDir);
  const weights = await loadWeightsFile(path.join(dir, state.weightsFile));
  const bestWeights = state.bestWeightsFile ? await loadWeightsFile(path.join(dir, state.bestWeightsFile)) : null;
  return { state, weights, bestWeights };
}
