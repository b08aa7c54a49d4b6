/**
 * After the host process dies (killed, out of memory), its run folder still says 'running'. Mark it
 * 'interrupted' with the reason, so the panel, the CLI and Resume see the truth. Only a run that is
 * still 'running' is touched: a run the engine finished, cancelled or failed keeps its own record.
 * Writes are atomic (temp file + rename) so a crash here cannot damage the manifest.
 */
import type { RunSummary } from '../../protocol/run';
import { readManifest, readPartialSummary, writeManifest, writeSummary } from '../../runs';

/** Returns true when the run was still 'running' and is now marked interrupted. */
export async function markRunInterrupted(runDir: string, reason: string, now = new Date()): Promise<boolean> {
  const manifest = await readManifest(runDir);
  if (!manifest || manifest.status !== 'running') return false;
  await writeManifest(runDir, { ...manifest, status: 'interrupted', endedAt: now.toISOString(), message: reason });
  const summary = await readPartialSummary(runDir);
  // Only the status and message change; the rest is written back as it was.
  if (summary?.status === 'running') await writeSummary(runDir, { ...summary, status: 'interrupted', message: reason } as RunSummary);
  return true;
}
