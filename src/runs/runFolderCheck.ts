/**
 * A path given where a run (or model) folder is expected, checked first: a file or a missing path is named
 * as such, instead of a message about a file inside it ("afile.txt/summary.json is not valid JSON").
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../shared/userError';

/** Throws a UserError naming `dir` (resolved) when it is not a folder; `what` says what it should be. */
export async function assertFolder(dir: string, what: string): Promise<void> {
  const resolved = path.resolve(dir);
  const info = await fs.stat(resolved).catch((error: NodeJS.ErrnoException) => error);
  if (info instanceof Error) {
    if (info.code === 'ENOENT' || info.code === 'ENOTDIR') throw new UserError('does not exist.', resolved, `Pass ${what}; check the path.`);
    throw new UserError(`cannot be read (${info.code ?? info.message}).`, resolved, `Pass ${what} you can read.`);
  }
  if (!info.isDirectory()) {
    throw new UserError(`is a file, not a folder.`, resolved, `Pass ${what} (the folder${path.basename(resolved) === 'model.json' ? ' that holds this model.json' : ''}).`);
  }
}
