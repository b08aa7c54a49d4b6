/** Fine-Tune: Resume Training — continues an interrupted or stopped run from its last checkpoint. */
import * as path from 'node:path';
import type { Services } from '../services';
import { pickProject } from '../project/pickProject';

/** `runDir` is passed by the "Resume Training" button of a crash or stop notification. */
export function resumeTraining(services: Services) {
  return async (arg?: unknown, runDir?: unknown): Promise<void> => {
    const file = await pickProject(arg, services.layers, 'resume');
    if (!file) return;
    services.panel.show(path.dirname(file));
    // Without a run folder the engine picks the latest unfinished run, or says there is none.
    await services.trainings.start(file, typeof runDir === 'string' ? runDir : true);
  };
}
