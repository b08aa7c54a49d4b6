/**
 * After the host process dies (killed, out of memory), its run folder still says 'running'. Mark it
 * 'interrupted' with the reason, so the panel, the CLI and Resume see the truth. Only a run that is
 * still 'running' is touched: a run the engine finished, cancelled or failed keeps its own record.
 * Writes are atomic (temp file + rename) so a crash here cannot damage the manifest.
 */
import * as path from 'node:path';
import type { RunSummary } from '../../protocol/run';
import { readJsonIfExists, writeJsonAtomic } from '../../runs/atomicFile';
import { MANIFEST_JSON, SUMMARY_JSON, type RunManifest } from '../../runs/runFolder';

/** Returns true when the run was still 'running' and is now marked interrupted. */
export async function markRunInterrupted(runDir: string, reason: string, now = new Date()): Promise<boolean> {
  const manifestFile = path.join(runDir, MANIFEST_JSON);
  const manifest = await readJsonIfExists<RunManifest>(manifestFile);
  if (!manifest || manifest.status !== 'running') return false;
  await writeJsonAtomic(manifestFile, { ...manifest, status: 'interrupted', endedAt: now.toISOString(), message: reason });
  const summaryFile = path.join(runDir, SUMMARY_JSON);
  const summary = await readJsonIfExists<RunSummary>(summaryFile);
  if (summary && summary.status === 'running') await writeJsonAtomic(summaryFile, { ...summary, status: 'interrupted', message: reason });
  return true;
}
