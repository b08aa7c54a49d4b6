/** Writes a learning rate into one phase of finetune.json: one WorkspaceEdit (Undo works), comments kept, then saved. */
import * as vscode from 'vscode';
import { formatRate } from '../../shared/format';
import { learningRateEdits, readProjectView } from './projectText';

/** Sets `phases[phaseIndex].learningRate` (a range keeps its spread: projectText.ts `learningRateEdits`). */
export async function writeLearningRate(file: string, phaseIndex: number, rate: number): Promise<void> {
  const uri = vscode.Uri.file(file);
  const document = await vscode.workspace.openTextDocument(uri);
  const text = document.getText();
  const { phases } = readProjectView(text, file);
  if (phaseIndex >= phases.length) throw new Error(`${file} has no phase ${phaseIndex + 1} any more; run Find Learning Rate again.`);
  const edit = new vscode.WorkspaceEdit();
  for (const e of learningRateEdits(text, phaseIndex, rate)) edit.replace(uri, new vscode.Range(document.positionAt(e.offset), document.positionAt(e.offset + e.length)), e.content);
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`Could not edit ${file}; is it read-only?`);
  await document.save();
  void vscode.window.showInformationMessage(`Fine-Tune: phase ${phaseIndex + 1} "${phases[phaseIndex]?.name ?? ''}" of ${vscode.workspace.asRelativePath(uri)} now uses learning rate ${formatRate(rate)}.`);
}
