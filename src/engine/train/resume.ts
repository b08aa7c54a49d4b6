/**
 * Resuming a run: find the run a `resume` request continues (a given run folder, or the latest
 * unfinished one), load its checkpoint, and make its folder ready to go on. A resumed run is the same
 * run: same folder and id; metrics.jsonl keeps the rows written before the checkpoint and drops the
 * ones after it (those batches are trained again), and the manifest lists the interruption.
 */
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import type * as tf from '@tensorflow/tfjs';
import type { ProjectConfig } from '../../protocol/config';
import type { RunManifest, RunResume } from '../../protocol/run';
import { UserError } from '../../shared/userError';
import {
  effectiveStatus, isBeforePosition, keepMetrics, listRuns, readManifest, readRunEntry, resumePointOf, runFile, RUN_FILES, writeManifest,
  type CheckpointState,
} from '../../runs';
import { disposeCheckpoint, loadCheckpoint, type LoadedCheckpoint } from './checkpoint';
import { orderedWeights } from './weightsFile';

/** Resolves `resume` (a run folder, or true for the latest unfinished run) to a run folder with a checkpoint. */
export async function findRunToResume(runsDir: string, resume: string | true, projectFile: string): Promise<string> {
  if (resume !== true) {
    const runDir = path.resolve(resume);
    await checkResumable(runDir);
    return runDir;
  }
  const run = (await listRuns(runsDir)).find((entry) => entry.resumable);
  if (run) return run.runDir;
  throw new UserError(
    `there is no unfinished run with a checkpoint in ${runsDir}.`,
    projectFile,
    'Train without --resume to start a new run, or pass the run folder to resume (--resume <run dir>).',
  );
}

async function checkResumable(runDir: string): Promise<void> {
  const run = await readRunEntry(runDir);
  if (!run.status) {
    throw new UserError(`is not a run folder (it has no ${RUN_FILES.manifest}).`, runDir, 'Pass a folder under the project\'s runs folder, or --resume alone for the latest unfinished run.');
  }
  if (run.status === 'completed') throw new UserError('finished already; there is nothing to resume.', runDir, 'Train without --resume to start a new run.');
  if (run.status === 'running') throw new UserError('is still training in another process.', runDir, 'Wait for it or cancel it before resuming.');
  if (!run.resumable) {
    // A state.json that is there but does not read is a damaged checkpoint: loading it says so.
    await loadCheckpoint(runDir).then((loaded) => loaded && disposeCheckpoint(loaded));
    throw new UserError('has no checkpoint (it stopped before its first epoch finished).', runDir, 'Train without --resume to start again.');
  }
}

/** What the resumed run is checked against. */
export interface ResumeTarget {
  readonly model: tf.LayersModel;
  readonly config: ProjectConfig;
  readonly projectFile: string;
  readonly splitHash: string;
}

export interface OpenedRun {
  readonly checkpoint: LoadedCheckpoint;
  /** The manifest as the interrupted session left it (a dead 'running' one marked interrupted). */
  readonly previous: RunManifest;
  readonly warnings: string[];
}

/** Loads the checkpoint to resume, marks the old run interrupted if it was cut off, warns about changes. Writes nothing else. */
export async function openRunToResume(resumeDir: string, target: ResumeTarget): Promise<OpenedRun> {
  const warnings: string[] = [];
  let previous = await readManifest(resumeDir);
  if (!previous) throw new UserError(`is not a run folder (it has no readable ${RUN_FILES.manifest}).`, resumeDir, 'Train without --resume to start a new run.');
  if (previous.status === 'running' && effectiveStatus(previous) === 'interrupted') {
    previous = { ...previous, status: 'interrupted' };
    await writeManifest(resumeDir, previous);
  }
  if (JSON.stringify(previous.config.phases) !== JSON.stringify(target.config.phases)) {
    warnings.push(`The phases in ${target.projectFile} changed since run ${previous.runId}; resuming with the current settings.`);
  }
  if (previous.splitHash !== target.splitHash) {
    warnings.push(`The images in ${target.config.data.folder} changed since run ${previous.runId}: the train/validation split is not the same.`);
  }
  const checkpoint = await loadCheckpoint(resumeDir);
  if (!checkpoint) throw new UserError('has no checkpoint.', resumeDir, 'Train without --resume to start again.');
  const expected = orderedWeights(target.model).map((weight) => weight.read().shape.join('x'));
  const found = checkpoint.weights.map((tensor) => tensor.shape.join('x'));
  if (expected.join(',') !== found.join(',') || checkpoint.state.phaseIndex > target.config.phases.length) {
    disposeCheckpoint(checkpoint);
    throw new UserError(
      `its checkpoint does not fit the model that ${target.projectFile} describes now (the model, cut layer, head or classes changed since).`,
      resumeDir,
      'Undo those changes to resume, or train without --resume to start a new run.',
    );
  }
  return { checkpoint, previous, warnings };
}

/**
 * Makes the run folder ready to go on from `state`: drops the metrics rows after the checkpoint (and a
 * line cut short by a kill) and the interrupted session's summary (rewritten when the run ends).
 * Returns the manifest's entry for this resume.
 */
export async function continueRunFolder(runDir: string, previous: RunManifest, state: CheckpointState, now = new Date()): Promise<RunResume> {
  const point = resumePointOf(state);
  const droppedMetricRows = await keepMetrics(runDir, (row) => isBeforePosition(row, point));
  await fs.rm(runFile(runDir, 'summary'), { force: true });
  return {
    at: now.toISOString(),
    interruptedAt: previous.endedAt,
    fromPhase: point.phaseIndex,
    fromEpoch: point.epoch,
    fromBatch: point.batch,
    reason: previous.status,
    ...(previous.message ? { message: previous.message } : {}),
    droppedMetricRows,
  };
}
