/** The teacher of a distillation: a finished training run's folder, its model and what the model expects. */
import type * as tf from '@tensorflow/tfjs';
import * as path from 'node:path';
import type { RunManifest } from '../../protocol/run';
import { UserError } from '../../shared/userError';
import { listRuns, modelDirOf, readManifest, readPartialSummary, readRunEntry } from '../../runs';
import { loadLayersModelFromDir, readModelFolder, type ModelFolder } from '../export';

export interface Teacher {
  readonly runDir: string;
  readonly manifest: RunManifest | undefined;
  readonly folder: ModelFolder;
  readonly model: tf.LayersModel;
  readonly params: number;
}

/** `given` (a run folder), or the latest completed training run of `runsDir` that saved a model. */
export async function findTeacherRun(runsDir: string, given: string | undefined, projectFile: string): Promise<string> {
  if (given !== undefined) {
    const dir = path.resolve(given);
    const entry = await readRunEntry(dir);
    if (!entry.modelDir) {
      throw new UserError('is not a finished run with a saved model (no model/model.json).', dir, 'Pass a completed run folder (runs/<run id>) to --teacher, or leave --teacher out to use the latest one.');
    }
    return dir;
  }
  for (const entry of await listRuns(runsDir)) {
    if (entry.status !== 'completed' || !entry.modelDir) continue;
    // A distilled student is not the default teacher: distilling it again would shrink the shrunk model.
    if ((await readPartialSummary(entry.runDir))?.kind === 'distill') continue;
    return entry.runDir;
  }
  throw new UserError(`has no finished training run in ${runsDir} to distil from.`, projectFile, 'Train the project first (Start Training, or `finetune-guide train`), or pass --teacher <run dir>.');
}

/** Loads the teacher run's model folder. */
export async function loadTeacher(runDir: string): Promise<Teacher> {
  const modelDir = modelDirOf(runDir);
  const folder = await readModelFolder(modelDir);
  const model = await loadLayersModelFromDir(modelDir);
  return { runDir, manifest: await readManifest(runDir), folder, model, params: model.countParams() };
}
