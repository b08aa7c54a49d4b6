/** Fine-Tune: Open Training Panel — live charts and past runs of a project. */
import * as path from 'node:path';
import type { Services } from '../services';
import { pickProject } from '../project/pickProject';

export function openPanel(services: Services) {
  return async (arg?: unknown): Promise<void> => {
    const file = await pickProject(arg, services.layers, 'show the training panel of');
    if (file) services.panel.show(path.dirname(file));
  };
}
