import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** Writes a file so readers see either the old or the new content, never half of it (temp file + rename). */
export async function writeFileAtomic(file: string, content: string | Buffer): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await fs.writeFile(temp, content);
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
}
