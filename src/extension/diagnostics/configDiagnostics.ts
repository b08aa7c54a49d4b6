/**
 * The Problems view's entries for every finetune.json in the workspace: read from disk at start and
 * when the file changes there, from the editor's text while it is open (after a pause in typing).
 * Keeps each entry's quick fix for the code action provider.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FreezeLayer } from '../../engine/model/freeze';
import { pathProblems } from './pathProblems';
import { projectProblems, type FileProblem, type ProblemFix } from './projectProblems';

/** Where the prepared model's layers of a project come from (the Layers view, once it has inspected it). */
export interface LayerSource {
  layersFor(projectFile: string): readonly FreezeLayer[] | undefined;
  readonly onDidChangeLayers: vscode.Event<void>;
}

export const DIAGNOSTIC_SOURCE = 'Fine-Tune Guide';
const PROJECT_GLOB = '**/finetune.json';
const TYPING_PAUSE_MS = 300;

export class ConfigDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('finetuneGuide');
  private readonly fixes = new Map<string, { diagnostic: vscode.Diagnostic; fix: ProblemFix; uri: vscode.Uri }[]>();
  private readonly places = new Map<string, readonly string[]>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly layers: LayerSource) {
    const watcher = vscode.workspace.createFileSystemWatcher(PROJECT_GLOB);
    this.disposables.push(
      this.collection,
      watcher,
      watcher.onDidCreate((uri) => this.schedule(uri)),
      watcher.onDidChange((uri) => this.schedule(uri)),
      watcher.onDidDelete((uri) => this.forget(uri)),
      vscode.workspace.onDidOpenTextDocument((document) => this.schedule(document.uri, 0)),
      vscode.workspace.onDidChangeTextDocument((event) => this.schedule(event.document.uri)),
      vscode.workspace.onDidCloseTextDocument((document) => this.schedule(document.uri, 0)),
      layers.onDidChangeLayers(() => this.checkAll()),
    );
    this.checkAll();
  }

  /** Checks `file` now and says where the problems the Problems view lists for it are: their fields, else `line N`. */
  async problemPlaces(file: string): Promise<string[]> {
    const uri = vscode.Uri.file(file);
    await this.check(uri);
    return [...(this.places.get(uri.toString()) ?? [])];
  }

  /** The quick fixes of the diagnostics VS Code hands back (they are copies: matched by range and message). */
  fixesFor(uri: vscode.Uri, diagnostics: readonly vscode.Diagnostic[]): { diagnostic: vscode.Diagnostic; fix: ProblemFix }[] {
    const known = this.fixes.get(uri.toString()) ?? [];
    return diagnostics.flatMap((d) => known.filter((k) => k.diagnostic.message === d.message && k.diagnostic.range.isEqual(d.range)).map((k) => ({ diagnostic: d, fix: k.fix })));
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    for (const d of this.disposables) d.dispose();
  }

  private checkAll(): void {
    for (const document of vscode.workspace.textDocuments) this.schedule(document.uri, 0);
    void vscode.workspace.findFiles(PROJECT_GLOB, '**/node_modules/**').then((uris) => uris.forEach((uri) => this.schedule(uri, 0)));
  }

  private schedule(uri: vscode.Uri, delay = TYPING_PAUSE_MS): void {
    if (uri.scheme !== 'file' || path.basename(uri.fsPath) !== 'finetune.json') return;
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      void this.check(uri);
    }, delay));
  }

  private async check(uri: vscode.Uri): Promise<void> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    let text: string;
    try {
      text = open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      return this.forget(uri); // deleted meanwhile
    }
    const found = projectProblems(text, uri.fsPath, this.layers.layersFor(uri.fsPath));
    const problems = found.length > 0 ? found : await pathProblems(text, uri.fsPath).catch(() => []);
    // The text may have changed while the disk was read: a newer check is scheduled then, and wins.
    if (open && open.getText() !== text) return;
    const lines = open ? undefined : new LineIndex(text);
    const toRange = (offset: number, length: number): vscode.Range =>
      open ? new vscode.Range(open.positionAt(offset), open.positionAt(offset + length)) : lines!.range(offset, length);
    const entries = problems.map((problem) => ({ problem, diagnostic: toDiagnostic(problem, toRange) }));
    this.collection.set(uri, entries.map((e) => e.diagnostic));
    this.places.set(uri.toString(), entries.map((e) => e.problem.field ?? `line ${e.diagnostic.range.start.line + 1}`));
    this.fixes.set(uri.toString(), entries.flatMap((e) => (e.problem.fix ? [{ diagnostic: e.diagnostic, fix: e.problem.fix, uri }] : [])));
  }

  private forget(uri: vscode.Uri): void {
    this.collection.delete(uri);
    this.fixes.delete(uri.toString());
    this.places.delete(uri.toString());
  }
}

function toDiagnostic(problem: FileProblem, toRange: (offset: number, length: number) => vscode.Range): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(toRange(problem.span.offset, problem.span.length), problem.message, vscode.DiagnosticSeverity.Error);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  return diagnostic;
}

/** Offsets to positions for a file that is not open in an editor. */
class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.starts.push(i + 1);
  }

  range(offset: number, length: number): vscode.Range {
    return new vscode.Range(this.position(offset), this.position(offset + length));
  }

  private position(offset: number): vscode.Position {
    let line = 0;
    while (line + 1 < this.starts.length && this.starts[line + 1] <= offset) line++;
    return new vscode.Position(line, offset - this.starts[line]);
  }
}
