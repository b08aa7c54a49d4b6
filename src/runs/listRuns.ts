/** The runs of a runs folder and what each can be used for: resumed, exported, or followed. */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { RunManifest, RunStatus } from '../protocol/run';
import { readCheckpointState } from './checkpointState';
import { LR_FIND_FOLDER, MODEL_JSON, modelDirOf } from './layout';
import { effectiveStatus, isConfirmedRunProcess } from './liveness';
import { readManifest } from './manifest';

export interface RunEntry {
  readonly runId: string;
  readonly runDir: string;
  /** Undefined when the folder has no readable manifest. */
  readonly manifest: RunManifest | undefined;
  /** The manifest's status with a dead 'running' run shown as interrupted; undefined without a manifest. */
  readonly status: RunStatus | undefined;
  /** Stopped, failed or interrupted, with a checkpoint to continue from. */
  readonly resumable: boolean;
  /** The adapted model folder when the run saved one (the run can be exported or used), else null. */
  readonly modelDir: string | null;
}

/** Run folder names under `runsDir`, oldest first (run ids start with a sortable timestamp); none when it does not exist. The lr-find folder is not a run. */
export async function listRunIds(runsDir: string): Promise<string[]> {
  try {
    const entries = await fs.readdir(runsDir, { withFileTypes: true });
    return entries.filter((entry) => entry.isDirectory() && entry.name !== LR_FIND_FOLDER).map((entry) => entry.name).sort();
  } catch {
    return [];
  }
}

/** Every run folder of `runsDir`, newest first. */
export async function listRuns(runsDir: string): Promise<RunEntry[]> {
  const ids = (await listRunIds(runsDir)).reverse();
  return Promise.all(ids.map((runId) => readRunEntry(path.join(runsDir, runId))));
}

export async function readRunEntry(runDir: string): Promise<RunEntry> {
  const manifest = await readManifest(runDir);
  const status = manifest ? effectiveStatus(manifest) : undefined;
  const unfinished = status !== undefined && status !== 'completed' && status !== 'running';
  const resumable = unfinished && (await readCheckpointState(runDir)) !== undefined;
  const modelDir = modelDirOf(runDir);
  const hasModel = await fs.stat(path.join(modelDir, MODEL_JSON)).then((s) => s.isFile(), () => false);
  return { runId: path.basename(runDir), runDir, manifest, status, resumable, modelDir: hasModel ? modelDir : null };
}

/** The folder of the run that process `pid` is writing (its manifest says running with that pid), if any. */
export async function findRunOfProcess(runsDir: string, pid: number): Promise<string | undefined> {
  for (const runId of (await listRunIds(runsDir)).reverse()) {
    const manifest = await readManifest(path.join(runsDir, runId));
    if (manifest?.status === 'running' && manifest.pid === pid) return path.join(runsDir, runId);
  }
  return undefined;
}

/**
 * A run of `runsDir` that another live process is training now, when the process is confirmed (see
 * isConfirmedRunProcess); runs that cannot be confirmed are not returned (two runs never share a folder).
 */
export async function findTrainingRun(runsDir: string): Promise<{ runDir: string; pid: number } | undefined> {
  for (const runId of (await listRunIds(runsDir)).reverse()) {
    const manifest = await readManifest(path.join(runsDir, runId));
    if (manifest?.status === 'running' && manifest.pid !== process.pid && isConfirmedRunProcess(manifest.pid, manifest.processStart)) {
      return { runDir: path.join(runsDir, runId), pid: manifest.pid };
    }
  }
  return undefined;
}
