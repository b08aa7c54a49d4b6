/**
 * The runs of a project that hold an adapted model (for Export Model), newest first, and the safe
 * copy of one run's model folder. Pure Node (no vscode).
 */
import { cp, readdir, readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { parse } from 'jsonc-parser';
import type { RunSummary } from '../../protocol/run';
import { UserError } from '../../shared/userError';
import { effectiveStatus, readManifest } from '../../runs/runFolder';

export interface ExportableRun {
  readonly runId: string;
  readonly runDir: string;
  readonly modelDir: string;
  readonly status: string;
  readonly valAccuracy: number | null;
}

/** The project's runs folder (`runsFolder`, default `runs`, relative to the project). */
export async function runsFolderOf(projectFile: string): Promise<string> {
  const config: unknown = parse(await readFile(projectFile, 'utf8'));
  const folder = typeof config === 'object' && config !== null && 'runsFolder' in config && typeof config.runsFolder === 'string' ? config.runsFolder : 'runs';
  return path.resolve(path.dirname(projectFile), folder);
}

export async function listExportableRuns(runsDir: string): Promise<ExportableRun[]> {
  const entries = await readdir(runsDir, { withFileTypes: true }).catch(() => []);
  const runs: ExportableRun[] = [];
  for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => b.name.localeCompare(a.name))) {
    const runDir = path.join(runsDir, entry.name);
    const modelDir = path.join(runDir, 'model');
    if (!(await stat(path.join(modelDir, 'model.json')).catch(() => undefined))) continue;
    const summary = await readFile(path.join(runDir, 'summary.json'), 'utf8').then((t) => JSON.parse(t) as Partial<RunSummary>, () => undefined);
    runs.push({
      runId: entry.name,
      runDir,
      modelDir,
      status: typeof summary?.status === 'string' ? summary.status : 'unknown',
      valAccuracy: typeof summary?.valAccuracy === 'number' ? summary.valAccuracy : null,
    });
  }
  return runs;
}

/** Copies a run's model folder to `<destination>/<name>`; never writes over anything that exists. */
export async function copyModel(run: ExportableRun, destination: string, name: string): Promise<string> {
  const target = path.join(destination, name);
  if (await stat(target).catch(() => undefined)) {
    throw new UserError('already exists; Export never overwrites.', target, 'Choose another folder, or move the existing one away first.');
  }
  await cp(run.modelDir, target, { recursive: true, errorOnExist: true, force: false });
  return target;
}

export interface ResumableRun {
  readonly runId: string;
  readonly runDir: string;
  readonly status: string;
  readonly message: string | undefined;
}

/**
 * Runs Resume can continue, newest first: stopped, failed or interrupted (a 'running' run whose process
 * is gone) with a checkpoint. Mirrors the engine's findRunToResume without loading its tfjs code.
 */
export async function listResumableRuns(runsDir: string): Promise<ResumableRun[]> {
  const names = (await readdir(runsDir).catch(() => [] as string[])).sort().reverse();
  const runs: ResumableRun[] = [];
  for (const name of names) {
    const runDir = path.join(runsDir, name);
    const manifest = await readManifest(runDir).catch(() => undefined);
    if (!manifest) continue;
    const status = effectiveStatus(manifest);
    if (status === 'completed' || status === 'running') continue;
    if (!(await stat(path.join(runDir, 'checkpoint', 'state.json')).catch(() => undefined))) continue;
    runs.push({ runId: name, runDir, status, message: manifest.message });
  }
  return runs;
}

/** The 'running' run a process was writing (for a host that died before announcing its run folder). */
export async function findRunOfProcess(runsDir: string, pid: number): Promise<string | undefined> {
  const names = (await readdir(runsDir).catch(() => [] as string[])).sort().reverse();
  for (const name of names) {
    const manifest = await readManifest(path.join(runsDir, name)).catch(() => undefined);
    if (manifest?.status === 'running' && manifest.pid === pid) return path.join(runsDir, name);
  }
  return undefined;
}
