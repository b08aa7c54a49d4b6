/** Finds the run a `resume` request continues: a given run folder, or the latest unfinished one. */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../../shared/userError';
import { readCheckpointState } from './checkpoint';
import { effectiveStatus, readManifest } from '../../runs/runFolder';

/** Resolves `resume` (a run folder, or true for the latest unfinished run) to a run folder with a checkpoint. */
export async function findRunToResume(runsDir: string, resume: string | true, projectFile: string): Promise<string> {
  if (resume !== true) {
    const runDir = path.resolve(resume);
    await checkResumable(runDir);
    return runDir;
  }
  const names = (await fs.readdir(runsDir).catch(() => [] as string[])).sort().reverse();
  for (const name of names) {
    const runDir = path.join(runsDir, name);
    const manifest = await readManifest(runDir).catch(() => undefined);
    if (!manifest || effectiveStatus(manifest) === 'completed' || effectiveStatus(manifest) === 'running') continue;
    if (await readCheckpointState(runDir).catch(() => undefined)) return runDir;
  }
  throw new UserError(
    `there is no unfinished run with a checkpoint in ${runsDir}.`,
    projectFile,
    'Train without --resume to start a new run, or pass the run folder to resume (--resume <run dir>).',
  );
}

async function checkResumable(runDir: string): Promise<void> {
  const manifest = await readManifest(runDir).catch(() => undefined);
  if (!manifest) {
    throw new UserError('is not a run folder (it has no manifest.json).', runDir, 'Pass a folder under the project\'s runs folder, or --resume alone for the latest unfinished run.');
  }
  const status = effectiveStatus(manifest);
  if (status === 'completed') throw new UserError('finished already; there is nothing to resume.', runDir, 'Train without --resume to start a new run.');
  if (status === 'running') throw new UserError('is still training in another process.', runDir, 'Wait for it or cancel it before resuming.');
  if (!(await readCheckpointState(runDir).catch(() => undefined))) {
    throw new UserError('has no checkpoint (it stopped before its first epoch finished).', runDir, 'Train without --resume to start again.');
  }
}
