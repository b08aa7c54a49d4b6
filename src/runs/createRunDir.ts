/** A new run's folder under the runs folder. Run ids are UTC timestamps (sortable); a new run never reuses a folder. */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../shared/userError';

/** Creates a new, empty run folder under `runsDir` and returns its id and path. */
export async function createRunDir(runsDir: string, projectFile: string, now = new Date()): Promise<{ runId: string; runDir: string }> {
  const base = now.toISOString().replace(/[-:]/g, '').replace('T', '-').replace(/\.(\d+)Z$/, '-$1');
  try {
    await fs.mkdir(runsDir, { recursive: true });
    for (let attempt = 1; ; attempt++) {
      const runId = attempt === 1 ? base : `${base}-${attempt}`;
      const runDir = path.join(runsDir, runId);
      try {
        await fs.mkdir(runDir); // not recursive: fails if it exists, so an earlier run is never reused
        return { runId, runDir };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
  } catch (error) {
    throw new UserError(
      `runsFolder: cannot create a run folder in ${runsDir} (${(error as Error).message}).`,
      projectFile,
      'Make that folder writable, free some disk space, or set "runsFolder" to another folder.',
      'runsFolder',
    );
  }
}
