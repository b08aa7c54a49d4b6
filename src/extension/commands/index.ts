/**
 * Registers every command from one place. The Record type makes a command id without a handler (or a
 * handler for an unknown id) a compile error; test/unit/commands-declared.test.ts checks package.json.
 */
import * as vscode from 'vscode';
import { CommandIds, type CommandId } from '../commandIds';
import type { Services } from '../services';
import { classifyImage } from './classifyImage';
import { distillModel } from './distillModel';
import { exportModel } from './exportModel';
import { findLearningRate } from './findLearningRate';
import { freezeUpTo } from './freezeUpTo';
import { inspectModel } from './inspectModel';
import { manageWorkspaceTrust } from './manageWorkspaceTrust';
import { newProject } from './newProject';
import { openLayers } from './openLayers';
import { openPanel } from './openPanel';
import { refreshLayers } from './refreshLayers';
import { resumeTraining } from './resumeTraining';
import { selectPhase } from './selectPhase';
import { startTraining } from './startTraining';
import { stopTraining } from './stopTraining';
import { unfreezeFrom } from './unfreezeFrom';

type Handler = (...args: unknown[]) => Promise<void>;

const factories: Record<CommandId, (services: Services) => Handler> = {
  [CommandIds.newProject]: newProject,
  [CommandIds.openLayers]: openLayers,
  [CommandIds.startTraining]: startTraining,
  [CommandIds.stopTraining]: stopTraining,
  [CommandIds.resumeTraining]: resumeTraining,
  [CommandIds.openPanel]: openPanel,
  [CommandIds.exportModel]: exportModel,
  [CommandIds.classifyImage]: classifyImage,
  [CommandIds.inspectModel]: inspectModel,
  [CommandIds.selectPhase]: selectPhase,
  [CommandIds.freezeUpTo]: freezeUpTo,
  [CommandIds.unfreezeFrom]: unfreezeFrom,
  [CommandIds.refreshLayers]: refreshLayers,
  [CommandIds.distill]: distillModel,
  [CommandIds.findLearningRate]: findLearningRate,
  [CommandIds.manageWorkspaceTrust]: manageWorkspaceTrust,
};

export function registerCommands(services: Services): vscode.Disposable[] {
  return Object.entries(factories).map(([id, factory]) => {
    const handler = factory(services);
    return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        await handler(...args);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        services.log.error(`${id}: ${error instanceof Error ? (error.stack ?? message) : message}`);
        void vscode.window.showErrorMessage(`Fine-Tune: ${message}`);
      }
    });
  });
}
