/** Fine-Tune: Start Training — trains the project in a forked host process. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Services } from '../services';
import { pickProject } from '../project/pickProject';

export function startTraining(services: Services) {
  return async (arg?: unknown): Promise<void> => {
    const file = await pickProject(arg, services.layers, 'train');
    if (!file) return;
    // Restricted Mode refuses the start: no empty panel next to the explanation.
    if (vscode.workspace.isTrusted) services.panel.show(path.dirname(file));
    await services.trainings.start(file);
  };
}
