/** What commands need, created once in activate(). */
import type * as vscode from 'vscode';
import type { Inspector } from './host/inspector';
import type { LayerTree } from './layers/layerTree';
import type { TrainingPanel } from './panel';
import type { TrainingManager } from './training/trainingManager';

export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  readonly layers: LayerTree;
  readonly trainings: TrainingManager;
  readonly panel: TrainingPanel;
  readonly inspector: Inspector;
  /** dist/cli.js, for `finetune-guide init`. */
  readonly cliScript: string;
}
