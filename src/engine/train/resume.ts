/** Finds the run a `resume` request continues: a given run folder, or the latest unfinished one. */
import * as path from 'node:path';
import { UserError } from '../../shared/userError';
import { listRuns, readRunEntry, RUN_FILES } from '../../runs';

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
    throw new UserError('has no checkpoint (it stopped before its first epoch finished).', runDir, 'Train without --resume to start again.');
  }
}
