/**
 * Whether a run is still going. A run writes 'running' into its manifest with its process id; when
 * that process is gone (killed, crashed, machine restarted) the run was interrupted, whatever the
 * manifest still says.
 */
import { readFileSync } from 'node:fs';
import type { RunManifest, RunStatus } from '../protocol/run';
import { isObject } from './jsonFile';
import { readManifestJson } from './manifest';

/** The status a reader should show: a 'running' run whose process is gone was interrupted. */
export function effectiveStatus(manifest: Pick<RunManifest, 'status' | 'pid' | 'processStart'>): RunStatus {
  if (manifest.status !== 'running') return manifest.status;
  return isRunProcessAlive(manifest.pid, manifest.processStart) ? 'running' : 'interrupted';
}

/**
 * The identity of process `pid`: "<boot id>:<start time in clock ticks>" from /proc, undefined where
 * there is no /proc (macOS, Windows) or the process is gone.
 */
export function processStartOf(pid: number): string | undefined {
  try {
    const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22 (starttime); fields are counted after the command name, which may hold spaces and ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return `${bootId}:${fields[19]}`;
  } catch {
    return undefined;
  }
}

/** Alive and, when the manifest recorded it, the same process (not a reused pid or another boot). */
function isRunProcessAlive(pid: unknown, processStart: unknown): boolean {
  if (!isProcessAlive(pid)) return false;
  if (typeof processStart !== 'string' || typeof pid !== 'number') return true;
  const now = processStartOf(pid);
  return now === undefined || now === processStart;
}

/**
 * Alive and known to be the very process that wrote the manifest (its recorded start time matches):
 * false where that cannot be confirmed (no /proc, an old manifest without processStart).
 */
export function isConfirmedRunProcess(pid: unknown, processStart: unknown): boolean {
  return typeof processStart === 'string' && isProcessAlive(pid) && processStartOf(pid as number) === processStart;
}

/** Whether the run's manifest says running and its process is alive (false without a readable manifest). */
export async function stillRunning(runDir: string): Promise<boolean> {
  const read = await readManifestJson(runDir);
  return read.state === 'ok' && isObject(read.value) && read.value.status === 'running' && isRunProcessAlive(read.value.pid, read.value.processStart);
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
