/**
 * The checkpoint's state file: where training stands and which weight files of `checkpoint/` hold
 * its weights. The weight files themselves are written and read by the engine (tfjs); the state is
 * written after them and replaced atomically, so it always names complete files.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { PhaseSummary } from '../protocol/run';
import { writeJsonAtomic } from './atomicFile';
import { isObject, readJsonValue } from './jsonFile';
import { CHECKPOINT_STATE, checkpointDirOf, checkpointStateFile } from './layout';

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
  /** File name in `checkpoint/`. */
  readonly weightsFile: string;
  /** Weights of the best epoch of the phase in progress; may be the same file as `weightsFile`. */
  readonly bestWeightsFile: string | null;
  readonly savedAt: string;
}

/** The checkpoint state of a run; undefined when it has none (or it is damaged: then there is nothing to resume). */
export async function readCheckpointState(runDir: string): Promise<CheckpointState | undefined> {
  const value = await readJsonValue(checkpointStateFile(runDir));
  return isObject(value) && typeof value.weightsFile === 'string' ? (value as unknown as CheckpointState) : undefined;
}

/** Publishes `state` (its weight files must be written already), then removes weight files it no longer names. */
export async function writeCheckpointState(runDir: string, state: CheckpointState): Promise<void> {
  await writeJsonAtomic(checkpointStateFile(runDir), state);
  const dir = checkpointDirOf(runDir);
  const keep = new Set([CHECKPOINT_STATE, state.weightsFile, state.bestWeightsFile]);
  for (const name of await fs.readdir(dir)) {
    if (!keep.has(name) && name.endsWith('.bin')) await fs.rm(path.join(dir, name), { force: true });
  }
}
