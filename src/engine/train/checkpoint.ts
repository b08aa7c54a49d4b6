/**
 * The checkpoint of a run: written after every epoch into `<run>/checkpoint/`. The weights of the
 * epoch (and of the best epoch so far, for early stopping) go to their own files first; `state.json`
 * names them and is renamed into place last, so it always points at complete files. No optimizer state
 * is kept: a resumed phase starts a fresh optimizer with the same settings.
 */
import * as tf from '@tensorflow/tfjs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { PhaseSummary } from '../../protocol/run';
import { readJsonIfExists, writeJsonAtomic } from '../../runs/atomicFile';
import { loadWeightsFile, saveWeightsFile } from './weightsFile';

export const CHECKPOINT_FOLDER = 'checkpoint';
const STATE_FILE = 'state.json';

/** The best validation result of the phase in progress. */
export interface BestEpoch {
  readonly valLoss: number;
  readonly valAccuracy: number;
  /** 0-based epoch within the phase. */
  readonly epoch: number;
}

/** Where training stands; enough to continue with the same phase and epoch count. */
export interface TrainingPosition {
  /** The phase in progress, or the next one to start (equal to the number of phases when all are done). */
  readonly phaseIndex: number;
  /** Epochs finished in that phase. */
  readonly epochsDone: number;
  readonly best: BestEpoch | null;
  readonly epochsSinceBest: number;
  /** Validation result of the last finished epoch of the phase in progress. */
  readonly last: { readonly loss: number; readonly accuracy: number } | null;
  /** Seconds spent in the phase in progress so far, and its training images per second. */
  readonly phaseSeconds: number;
  readonly imagesPerSecond: number;
  /** Summaries of the phases already finished. */
  readonly phases: readonly PhaseSummary[];
}

export interface CheckpointState extends TrainingPosition {
  readonly version: 1;
  readonly weightsFile: string;
  /** Weights of the best epoch of the phase in progress; may be the same file as `weightsFile`. */
  readonly bestWeightsFile: string | null;
  readonly savedAt: string;
}

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
  const dir = path.join(runDir, CHECKPOINT_FOLDER);
  await fs.mkdir(dir, { recursive: true });
  const previous = await readCheckpointState(runDir);
  const weightsFile = `weights-p${position.phaseIndex}-e${position.epochsDone}.bin`;
  await saveWeightsFile(path.join(dir, weightsFile), weights);
  const keepBest = position.best !== null && previous?.phaseIndex === position.phaseIndex ? previous.bestWeightsFile : null;
  const bestWeightsFile = position.best === null ? null : bestIsCurrent ? weightsFile : keepBest;
  const state: CheckpointState = { version: 1, ...position, weightsFile, bestWeightsFile, savedAt: new Date().toISOString() };
  await writeJsonAtomic(path.join(dir, STATE_FILE), state);
  await removeUnreferenced(dir, state);
  return state;
}

/** The checkpoint state of a run, or undefined when it has none. */
export async function readCheckpointState(runDir: string): Promise<CheckpointState | undefined> {
  return readJsonIfExists<CheckpointState>(path.join(runDir, CHECKPOINT_FOLDER, STATE_FILE));
}

/** Reads a run's checkpoint with its weights; undefined when the run has none. */
export async function loadCheckpoint(runDir: string): Promise<LoadedCheckpoint | undefined> {
  const state = await readCheckpointState(runDir);
  if (!state) return undefined;
  const dir = path.join(runDir, CHECKPOINT_FOLDER);
  const weights = await loadWeightsFile(path.join(dir, state.weightsFile));
  const bestWeights = state.bestWeightsFile ? await loadWeightsFile(path.join(dir, state.bestWeightsFile)) : null;
  return { state, weights, bestWeights };
}

async function removeUnreferenced(dir: string, state: CheckpointState): Promise<void> {
  const keep = new Set([STATE_FILE, state.weightsFile, state.bestWeightsFile]);
  for (const name of await fs.readdir(dir)) {
    if (!keep.has(name) && name.endsWith('.bin')) await fs.rm(path.join(dir, name), { force: true });
  }
}
