/** Fine-Tune: Manage Workspace Trust — the Layers view's action in Restricted Mode, where Start is hidden (VS Code's own trust editor). */
import * as vscode from 'vscode';

export function manageWorkspaceTrust() {
  return async (): Promise<void> => {
    await vscode.commands.executeCommand('workbench.trust.manage');
  };
}
