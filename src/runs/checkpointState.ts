/**
 * The checkpoint's state file: where training stands (down to the batch within the epoch) and which
 * files of `checkpoint/` hold its weights and optimizer state. Those files are written and read by the
 * engine (tfjs); the state is written after them and replaced atomically, so it always names complete
 * files. Version 1 states (no batch position, no optimizer state) still read, as an epoch's end.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { MetricRecord, PhaseSummary } from '../protocol/run';
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

/** The training batches already done in the epoch in progress, and their sums for the epoch's mean. */
export interface EpochProgress {
  /** Batches of epoch `epochsDone` already trained; a resume skips exactly these. */
  readonly batchesDone: number;
  /** Sums over those batches of loss x samples and accuracy x samples, and the samples. */
  readonly lossSum: number;
  readonly accuracySum: number;
  readonly images: number;
  /** Seconds spent training those batches. */
  readonly seconds: number;
}

/** Where a resume starts: the phase, the epoch within it and the batch within that epoch. */
export interface ResumePoint {
  readonly phaseIndex: number;
  readonly epoch: number;
  readonly batch: number;
}

/** Where training stands; enough to continue at the same phase, epoch and batch. */
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
  /** The epoch in progress when the checkpoint was taken mid-epoch; null at an epoch's end. */
  readonly inEpoch: EpochProgress | null;
  /** Seconds since the run started, so a resumed run's `seconds` go on from there. */
  readonly runSeconds: number;
}

export interface CheckpointState extends TrainingPosition {
  readonly version: 1 | 2;
  /** File name in `checkpoint/`. */
  readonly weightsFile: string;
  /** Weights of the best epoch of the phase in progress; may be the same file as `weightsFile`. */
  readonly bestWeightsFile: string | null;
  /** The phase's optimizer state (moments, step count); null at a phase boundary (the next phase starts a fresh optimizer). */
  readonly optimizerFile: string | null;
  readonly savedAt: string;
}

/** Where a checkpoint resumes. */
export function resumePointOf(position: Pick<TrainingPosition, 'phaseIndex' | 'epochsDone' | 'inEpoch'>): ResumePoint {
  return { phaseIndex: position.phaseIndex, epoch: position.epochsDone, batch: position.inEpoch?.batchesDone ?? 0 };
}

/** True when a metrics row was written before `point` (it stays when the run resumes there). */
export function isBeforePosition(row: Pick<MetricRecord, 'type' | 'phaseIndex' | 'epoch'> & { readonly batch?: number }, point: ResumePoint): boolean {
  if (row.phaseIndex !== point.phaseIndex) return row.phaseIndex < point.phaseIndex;
  if (row.epoch !== point.epoch) return row.epoch < point.epoch;
  // An epoch row of the epoch in progress comes after all of its batches.
  return row.type === 'batch' && (row.batch ?? 0) < point.batch;
}

/** The checkpoint state of a run; undefined when it has none (or it is damaged: then there is nothing to resume). */
export async function readCheckpointState(runDir: string): Promise<CheckpointState | undefined> {
  const value = await readJsonValue(checkpointStateFile(runDir));
  if (!isObject(value) || typeof value.weightsFile !== 'string') return undefined;
  return { inEpoch: null, runSeconds: 0, optimizerFile: null, ...(value as unknown as Partial<CheckpointState>) } as CheckpointState;
}

/** Publishes `state` (its weight files must be written already), then removes weight files it no longer names. */
export async function writeCheckpointState(runDir: string, state: CheckpointState): Promise<void> {
  await writeJsonAtomic(checkpointStateFile(runDir), state);
  const dir = checkpointDirOf(runDir);
  const keep = new Set([CHECKPOINT_STATE, state.weightsFile, state.bestWeightsFile, state.optimizerFile]);
  for (const name of await fs.readdir(dir)) {
    if (!keep.has(name) && name.endsWith('.bin')) await fs.rm(path.join(dir, name), { force: true });
  }
}
