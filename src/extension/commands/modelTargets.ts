/**
 * Pure decisions behind Classify Image and Export Model (no vscode, unit-tested): which finetune.json
 * an image belongs to, which run's model to use, where an export goes, and how results read.
 */
import { readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { ExportVerification, ImageTopClasses } from '../../protocol/host';
import { formatPercent } from '../../shared/format';
import type { ExportableRun } from '../project/runList';

/** The nearest finetune.json in `startDir` or one of its ancestors (up to and including `stopAt` when given). */
export async function findNearestProject(startDir: string, stopAt?: string): Promise<string | undefined> {
  let dir = path.resolve(startDir);
  const stop = stopAt === undefined ? undefined : path.resolve(stopAt);
  for (;;) {
    const candidate = path.join(dir, 'finetune.json');
    if ((await stat(candidate).catch(() => undefined))?.isFile()) return candidate;
    const parent = path.dirname(dir);
    if (dir === stop || parent === dir) return undefined;
    dir = parent;
  }
}

/** The newest run that completed (runs come newest first from listExportableRuns); undefined when none did. */
export function latestCompletedRun(runs: readonly ExportableRun[]): ExportableRun | undefined {
  return runs.find((run) => run.status === 'completed');
}

/** Runs for the export picker: the latest completed one first (the default), then the rest newest first. */
export function exportChoices(runs: readonly ExportableRun[]): ExportableRun[] {
  const latest = latestCompletedRun(runs);
  return latest ? [latest, ...runs.filter((run) => run !== latest)] : [...runs];
}

/**
 * Where an export goes: into the chosen folder when it is empty, else into a new `<name>` folder inside
 * it (the engine refuses that one too if it exists and is not empty, so nothing is ever overwritten).
 */
export async function exportDestination(chosenFolder: string, name: string): Promise<string> {
  const entries = await readdir(chosenFolder).catch(() => [] as string[]);
  return entries.length === 0 ? chosenFolder : path.join(chosenFolder, name);
}

/** "cat 92.1% · dog 5.0% · bird 2.9%" */
export function formatTopClasses(prediction: ImageTopClasses): string {
  return prediction.top.map((t) => `${t.label} ${formatPercent(t.probability)}`).join(' · ');
}

/** One sentence on the reload check, e.g. "reloaded model matches (largest difference 1.2e-7 over 8 validation images)". */
export function describeVerification(v: ExportVerification): string {
  const over = v.inputs === 'images' ? `${v.samples} validation image${v.samples === 1 ? '' : 's'}` : `${v.samples} generated inputs`;
  return `the reloaded model predicts like the trained one (largest difference ${v.maxAbsDifference.toExponential(1)} over ${over}, tolerance ${v.tolerance})`;
}
