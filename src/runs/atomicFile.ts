/**
 * The engine's one way to write files that never leave a half-written file behind: the data goes to
 * a temporary file in the same folder, is flushed to disk, and is renamed over the target (rename is
 * atomic on one file system). A crash, a full disk or a SIGKILL leaves either the old file or the new
 * one, never a mix. Errors are rethrown unchanged so callers can still read `code` (e.g. ENOSPC) and
 * tell the user what to do.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

let counter = 0;

/** Writes `data` to `file` atomically; on failure the temp file is removed and the target is untouched. */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${counter++}.tmp`);
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(temp, 'w');
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.rename(temp, file);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
}

/** Writes `value` as pretty JSON, atomically. */
export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** The file's text; undefined when it does not exist (other read errors are rethrown). */
export async function readTextIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
