/** The status bar item while training runs: phase, epoch, time left; a click opens the panel. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CommandIds } from '../commandIds';

export class TrainingStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('finetuneGuide.training', vscode.StatusBarAlignment.Left, 50);
  private readonly texts = new Map<string, string>();

  constructor() {
    this.item.name = 'Fine-Tune Training';
  }

  /** Shows one project's progress (the most recently updated project wins the item). */
  update(projectFile: string, text: string): void {
    this.texts.set(projectFile, text);
    const others = this.texts.size > 1 ? ` (+${this.texts.size - 1} more)` : '';
    this.item.text = `$(sync~spin) Fine-Tune: ${text}${others}`;
    this.item.tooltip = `Training ${path.basename(path.dirname(projectFile))}: ${text}. Click to open the training panel.`;
    this.item.command = { title: 'Open Training Panel', command: CommandIds.openPanel, arguments: [vscode.Uri.file(projectFile)] };
    this.item.show();
  }

  clear(projectFile: string): void {
    this.texts.delete(projectFile);
    const [next] = [...this.texts.entries()];
    if (next) this.update(next[0], next[1]);
    else this.item.hide();
  }

  dispose(): void {
    this.item.dispose();
  }
}
