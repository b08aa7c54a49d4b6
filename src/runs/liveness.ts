/**
 * Whether a run is still going. A run writes 'running' into its manifest with its process id; when
 * that process is gone (killed, crashed, machine restarted) the run was interrupted, whatever the
 * manifest still says.
 */
import type { RunManifest, RunStatus } from '../protocol/run';
import { isObject } from './jsonFile';
import { readManifestJson } from './manifest';

/** The status a reader should show: a 'running' run whose process is gone was interrupted. */
export function effectiveStatus(manifest: Pick<RunManifest, 'status' | 'pid'>): RunStatus {
  if (manifest.status !== 'running') return manifest.status;
  return isProcessAlive(manifest.pid) ? 'running' : 'interrupted';
}

/** Whether the run's manifest says running and its process is alive (false without a readable manifest). */
export async function stillRunning(runDir: string): Promise<boolean> {
  const read = await readManifestJson(runDir);
  return read.state === 'ok' && isObject(read.value) && read.value.status === 'running' && isProcessAlive(read.value.pid);
}

/** True when a process with this id exists. */
export function isProcessAlive(pid: unknown): boolean {
  // 0 and negative ids name process groups, not a process.
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
