/** Registers finetune.json's diagnostics and their quick fixes (called once from activate). */
import * as vscode from 'vscode';
import { ConfigDiagnostics, type LayerSource } from './configDiagnostics';
import { ConfigQuickFixes } from './quickFixes';

export { ConfigDiagnostics, type LayerSource } from './configDiagnostics';

export function registerDiagnostics(layers: LayerSource): { diagnostics: ConfigDiagnostics; disposables: vscode.Disposable[] } {
  const diagnostics = new ConfigDiagnostics(layers);
  const provider = vscode.languages.registerCodeActionsProvider({ scheme: 'file', pattern: '**/finetune.json' }, new ConfigQuickFixes(diagnostics), {
    providedCodeActionKinds: ConfigQuickFixes.kinds,
  });
  return { diagnostics, disposables: [diagnostics, provider] };
}
