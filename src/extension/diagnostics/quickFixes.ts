/** The light bulb on a finetune.json problem whose fix is known (nearest layer name, a value clamped into range). */
import * as vscode from 'vscode';
import type { ConfigDiagnostics } from './configDiagnostics';

export class ConfigQuickFixes implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly diagnostics: ConfigDiagnostics) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    return this.diagnostics.fixesFor(document.uri, context.diagnostics).map(({ diagnostic, fix }) => {
      const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      action.isPreferred = true;
      action.edit = new vscode.WorkspaceEdit();
      // The fix replaces exactly what the diagnostic underlines.
      action.edit.replace(document.uri, diagnostic.range, fix.newText);
      return action;
    });
  }
}
