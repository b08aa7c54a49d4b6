/** The run's manifest: written when the run starts and whenever its status changes. */
import type { RunManifest } from '../protocol/run';
import { writeJsonAtomic } from './atomicFile';
import { isObject, readJsonFile, type JsonRead } from './jsonFile';
import { runFile } from './layout';

export function writeManifest(runDir: string, manifest: RunManifest): Promise<void> {
  return writeJsonAtomic(runFile(runDir, 'manifest'), manifest);
}

/**
 * The run's manifest; undefined when the folder has none or it is damaged (such a folder is no run
 * to resume or to mark). Only its status is checked; readers that show more fields check them.
 */
export async function readManifest(runDir: string): Promise<RunManifest | undefined> {
  const read = await readManifestJson(runDir);
  return read.state === 'ok' && isManifest(read.value) ? read.value : undefined;
}

/** The manifest as written, for readers that show whatever fields it has (older runs may lack some). */
export function readManifestJson(runDir: string): Promise<JsonRead> {
  return readJsonFile(runFile(runDir, 'manifest'));
}

function isManifest(value: unknown): value is RunManifest {
  return isObject(value) && typeof value.status === 'string';
}
