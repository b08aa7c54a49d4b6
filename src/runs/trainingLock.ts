/**
 * One training of a project at a time, also when two start in the same instant (before either has a
 * manifest to find): the runs folder's lock file is made by link(2) of a complete temp file, which fails
 * when the name exists, so exactly one process gets it and nobody reads it half written.
 * It records the holder's pid and start time; a lock whose process is gone (SIGKILL, a crash, a reboot)
 * is taken over.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { TRAINING_LOCK } from './layout';
import { isObject } from './jsonFile';
import { isProcessAlive, processStartOf } from './liveness';

export interface TrainingLock {
  /** Removes the lock (and the runs folder when the lock made it and it is still empty). */
  readonly release: () => Promise<void>;
}

/** The lock is held by another live process: its pid. */
export type LockHolder = { readonly heldBy: number };

const NO_LOCK: TrainingLock = { release: async () => undefined };

/**
 * Takes the training lock of `runsDir`, or returns the live process holding it. Where the lock cannot be
 * written at all (a read-only runs folder), no lock is taken: the run's own writes report that, naming it.
 */
export async function acquireTrainingLock(runsDir: string): Promise<TrainingLock | LockHolder> {
  const file = path.join(runsDir, TRAINING_LOCK);
  const madeFolder = await fs.mkdir(runsDir, { recursive: true }).then((first) => first !== undefined, () => false);
  const body = JSON.stringify({ pid: process.pid, processStart: processStartOf(process.pid) ?? null });
  // Two tries: the second after removing a stale lock (another process may take it first, then it wins).
  const temp = `${file}.${process.pid}.tmp`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await fs.writeFile(temp, body);
      try {
        await fs.link(temp, file);
      } finally {
        await fs.rm(temp, { force: true });
      }
      return {
        release: async () => {
          await fs.rm(file, { force: true });
          if (madeFolder) await fs.rmdir(runsDir).catch(() => undefined);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        if (madeFolder) await fs.rmdir(runsDir).catch(() => undefined);
        return NO_LOCK;
      }
    }
    const holder = await liveHolder(file);
    if (holder !== undefined) return { heldBy: holder };
    await fs.rm(file, { force: true });
  }
  const holder = await liveHolder(file);
  return holder !== undefined ? { heldBy: holder } : NO_LOCK;
}

/** The pid in the lock file when that process is alive and (where /proc tells) the one that wrote it. */
async function liveHolder(file: string): Promise<number | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(value) || typeof value.pid !== 'number' || value.pid === process.pid || !isProcessAlive(value.pid)) return undefined;
  if (typeof value.processStart === 'string' && processStartOf(value.pid) !== value.processStart) return undefined;
  return value.pid;
}
