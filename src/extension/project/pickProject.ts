/**
 * Which finetune.json a command acts on: the one it was invoked on (Explorer menu, a notification
 * button), else the one in the layer tree, the active editor, or the only/chosen one in the workspace.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LayerTree } from '../layers/layerTree';

export const PROJECT_FILE = 'finetune.json';

export async function pickProject(arg: unknown, layers: LayerTree, purpose: string): Promise<string | undefined> {
  if (arg instanceof vscode.Uri) return path.basename(arg.fsPath) === PROJECT_FILE ? arg.fsPath : path.join(arg.fsPath, PROJECT_FILE);
  if (typeof arg === 'string' && arg !== '') return arg.endsWith('.json') ? arg : path.join(arg, PROJECT_FILE);
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && path.basename(active.fsPath) === PROJECT_FILE) return active.fsPath;
  if (layers.projectFile) return layers.projectFile;
  const found = await vscode.workspace.findFiles(`**/${PROJECT_FILE}`, '**/node_modules/**', 50);
  if (found.length === 1) return found[0].fsPath;
  if (found.length === 0) {
    const choice = await vscode.window.showInformationMessage(`No ${PROJECT_FILE} in this workspace to ${purpose}. Create one first.`, 'New Project');
    if (choice) await vscode.commands.executeCommand('finetuneGuide.newProject');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    found.map((uri) => ({ label: path.basename(path.dirname(uri.fsPath)), description: vscode.workspace.asRelativePath(uri), uri })),
    { title: `Fine-Tune: which project to ${purpose}?`, placeHolder: 'Choose a finetune.json' },
  );
  return picked?.uri.fsPath;
}
