/** The panel's run controls: each runs the palette's command on the shown project, so both behave alike. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunAction } from '../../protocol/webview';
import { CommandIds } from '../commandIds';
import { PROJECT_FILE } from '../project/pickProject';

/** `shownRunDir` is the shown run's folder (from the project's history), undefined when the project has no such run. */
export async function runPanelAction(action: RunAction, projectDir: string, shownRunDir: string | undefined, log: vscode.LogOutputChannel): Promise<void> {
  const projectUri = vscode.Uri.file(path.join(projectDir, PROJECT_FILE));
  switch (action) {
    case 'start':
      await vscode.commands.executeCommand(CommandIds.startTraining, projectUri);
      return;
    case 'stop':
      await vscode.commands.executeCommand(CommandIds.stopTraining, projectUri);
      return;
    case 'resume':
      if (!shownRunDir) {
        log.warn('Training panel asked to resume a run this project does not have; ignored.');
        return;
      }
      await vscode.commands.executeCommand(CommandIds.resumeTraining, projectUri, shownRunDir);
      return;
    case 'export':
      // The run on screen is the one to export: the command then asks only for the format and folder.
      await vscode.commands.executeCommand(CommandIds.exportModel, projectUri, shownRunDir);
      return;
    case 'openConfig':
      await vscode.commands.executeCommand('vscode.open', projectUri);
      return;
    default: {
      const unhandled: never = action;
      log.warn(`Unhandled run action ${String(unhandled)}`);
    }
  }
}
