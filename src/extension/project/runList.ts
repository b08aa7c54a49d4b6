/** The runs of a project that Export Model and Resume Training offer, newest first. Pure Node (no vscode). */
import { listRuns, readPartialSummary } from '../../runs';

export interface ExportableRun {
  readonly runId: string;
  readonly runDir: string;
  readonly modelDir: string;
  readonly status: string;
  readonly valAccuracy: number | null;
}

/** Runs that saved an adapted model, with the status and accuracy of their summary. */
export async function listExportableRuns(runsDir: string): Promise<ExportableRun[]> {
  const runs: ExportableRun[] = [];
  for (const run of await listRuns(runsDir)) {
    if (!run.modelDir) continue;
    const summary = await readPartialSummary(run.runDir);
    runs.push({
      runId: run.runId,
      runDir: run.runDir,
      modelDir: run.modelDir,
      status: typeof summary?.status === 'string' ? summary.status : 'unknown',
      valAccuracy: typeof summary?.valAccuracy === 'number' ? summary.valAccuracy : null,
    });
  }
  return runs;
}

export interface ResumableRun {
  readonly runId: string;
  readonly runDir: string;
  readonly status: string;
  readonly message: string | undefined;
}

/** Runs Resume can continue: stopped, failed or interrupted with a checkpoint (as the engine's --resume decides). */
export async function listResumableRuns(runsDir: string): Promise<ResumableRun[]> {
  return (await listRuns(runsDir)).flatMap((run) =>
    run.resumable && run.status ? [{ runId: run.runId, runDir: run.runDir, status: run.status, message: run.manifest?.message }] : [],
  );
}
