/**
 * The "Layers" view: the prepared model of a finetune.json (or a bare model.json, read-only), with a
 * checkbox per layer and block for the selected phase. Every change goes through applyPlanChange and is
 * written to finetune.json at once as a minimal jsonc edit (comments and formatting kept, Undo works);
 * edits of the file by hand or on disk update the tree.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LayerInfo } from '../../protocol/host';
import { isUserError } from '../../engine/errors';
import type { Inspector } from '../host/inspector';
import { readProjectView, trainableEdits, type PhaseView, type ProjectView } from '../project/projectText';
import { applyPlanChange, planOf, planParams, type PlanChange } from './freezePlan';
import { formatCount, groupLayers } from './layerGroups';
import { blockItem, layerItem, type LayerNode, type RowContext } from './layerTreeItems';

export const LAYERS_VIEW_ID = 'finetuneGuide.layers';

type Source = { readonly kind: 'project' | 'model'; readonly file: string };

export class LayerTree implements vscode.TreeDataProvider<LayerNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<LayerNode>;
  private readonly disposables: vscode.Disposable[] = [];
  private fileDisposables: vscode.Disposable[] = [];
  private source: Source | undefined;
  private layers: readonly LayerInfo[] = [];
  private project: ProjectView | undefined;
  private phaseIndex = 0;
  private problem: string | undefined;
  private inspectGeneration = 0;
  private queue: Promise<void> = Promise.resolve();
  private reloadTimer: NodeJS.Timeout | undefined;

  constructor(private readonly inspector: Inspector, private readonly log: vscode.LogOutputChannel) {
    this.view = vscode.window.createTreeView(LAYERS_VIEW_ID, { treeDataProvider: this, manageCheckboxStateManually: true, showCollapseAll: true });
    this.disposables.push(
      this.view,
      this.changed,
      this.view.onDidChangeCheckboxState((event) => {
        for (const [node, state] of event.items) this.enqueue(toChange(node, state === vscode.TreeItemCheckboxState.Checked));
      }),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (this.source?.kind === 'project' && samePath(event.document.uri.fsPath, this.source.file)) this.scheduleReload();
      }),
    );
    this.render();
  }

  /** The finetune.json shown, when the tree shows a project. */
  get projectFile(): string | undefined {
    return this.source?.kind === 'project' ? this.source.file : undefined;
  }

  get phases(): readonly PhaseView[] {
    return this.project?.phases ?? [];
  }

  get selectedPhase(): number {
    return this.phaseIndex;
  }

  /** Shows a project's prepared model and its freeze plans, and follows edits of the file. */
  async openProject(file: string): Promise<void> {
    this.setSource({ kind: 'project', file: path.resolve(file) });
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.dirname(file)), path.basename(file)));
    this.fileDisposables.push(
      watcher,
      watcher.onDidChange(() => this.scheduleReload()),
      watcher.onDidCreate(() => this.scheduleReload()),
      watcher.onDidDelete(() => {
        this.problem = `${file} was deleted. Open another finetune.json or create one with "Fine-Tune: New Project".`;
        this.render();
      }),
    );
    await this.reload();
  }

  /** Shows any model.json read-only (Inspect Model). */
  async openModel(file: string): Promise<void> {
    const builtin = file.startsWith('builtin:');
    this.setSource({ kind: 'model', file: builtin ? file : path.resolve(file) });
    this.project = undefined;
    await this.inspect(file);
  }

  selectPhase(index: number): void {
    if (index < 0 || index >= this.phases.length) return;
    this.phaseIndex = index;
    this.render();
  }

  /** Applies one change to the selected phase (menu commands call this; checkboxes too). */
  change(change: PlanChange): Promise<void> {
    return this.enqueue(change);
  }

  async reveal(): Promise<void> {
    await vscode.commands.executeCommand(`${LAYERS_VIEW_ID}.focus`);
  }

  getTreeItem(node: LayerNode): vscode.TreeItem {
    const ctx = this.rowContext();
    return node.kind === 'block' ? blockItem(node, ctx) : layerItem(node.layer, ctx);
  }

  getChildren(node?: LayerNode): LayerNode[] {
    if (!node) return groupLayers(this.layers);
    return node.kind === 'block' ? node.layers.map((layer) => ({ kind: 'layer' as const, layer })) : [];
  }

  dispose(): void {
    clearTimeout(this.reloadTimer);
    for (const d of [...this.fileDisposables, ...this.disposables]) d.dispose();
  }

  private setSource(source: Source): void {
    for (const d of this.fileDisposables) d.dispose();
    this.fileDisposables = [];
    this.source = source;
    this.layers = [];
    this.problem = undefined;
    this.phaseIndex = 0;
    void vscode.commands.executeCommand('setContext', 'finetuneGuide.layersEditable', source.kind === 'project');
  }

  private enqueue(change: PlanChange): Promise<void> {
    this.queue = this.queue.then(() => this.applyChange(change)).catch((error: unknown) => this.report(error));
    return this.queue;
  }

  private async applyChange(change: PlanChange): Promise<void> {
    const file = this.projectFile;
    const phase = this.phases[this.phaseIndex];
    if (!file || !phase) return;
    const spec = applyPlanChange(this.layers, phase.trainable, change);
    const uri = vscode.Uri.file(file);
    const document = await vscode.workspace.openTextDocument(uri);
    const edits = trainableEdits(document.getText(), this.phaseIndex, spec);
    if (edits.length > 0) {
      const edit = new vscode.WorkspaceEdit();
      for (const e of edits) edit.replace(uri, new vscode.Range(document.positionAt(e.offset), document.positionAt(e.offset + e.length)), e.content);
      if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`Could not edit ${file}; is it read-only?`);
      await document.save();
    }
    this.applyText(document.getText());
  }

  private scheduleReload(): void {
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => void this.reload().catch((error: unknown) => this.report(error)), 150);
  }

  private async reload(): Promise<void> {
    const file = this.projectFile;
    if (!file) return;
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    this.applyText(document.getText());
  }

  /** Re-reads the phases from the file's text; re-inspects only when the model or head changed. */
  private applyText(text: string): void {
    const file = this.projectFile;
    if (!file) return;
    try {
      const next = readProjectView(text, file);
      const modelChanged = next.modelKey !== this.project?.modelKey || this.layers.length === 0;
      this.project = next;
      this.problem = undefined;
      this.phaseIndex = Math.min(this.phaseIndex, next.phases.length - 1);
      if (modelChanged) void this.inspect(file);
    } catch (error) {
      this.problem = isUserError(error) ? error.message : String(error);
    }
    this.render();
  }

  private async inspect(target: string): Promise<void> {
    const generation = ++this.inspectGeneration;
    this.view.message = `Loading layers of ${path.basename(target)}…`;
    try {
      const result = await this.inspector.inspect(target);
      if (generation !== this.inspectGeneration) return;
      this.layers = result.layers;
      this.problem = undefined;
    } catch (error) {
      if (generation !== this.inspectGeneration) return;
      this.layers = [];
      this.problem = error instanceof Error ? error.message : String(error);
      this.log.warn(`layers of ${target}: ${this.problem}`);
    }
    this.render();
  }

  /** The selected phase's trainable set; a plan naming unknown layers shows its error instead. */
  private rowContext(): RowContext {
    const phase = this.phases[this.phaseIndex];
    if (!phase || this.source?.kind !== 'project') return { trainable: new Set(), batchNorm: 'inference', readOnly: true };
    try {
      const trainable = planOf(this.layers, phase.trainable, { file: this.source.file, field: `phases[${this.phaseIndex}].trainable` });
      return { trainable, batchNorm: phase.batchNorm, readOnly: false };
    } catch (error) {
      this.problem ??= isUserError(error) ? error.message : String(error);
      return { trainable: new Set(), batchNorm: phase.batchNorm, readOnly: true };
    }
  }

  private render(): void {
    const ctx = this.layers.length > 0 ? this.rowContext() : undefined;
    let summary: string | undefined;
    if (!this.source || this.layers.length === 0) {
      this.view.description = undefined;
    } else if (this.source.kind === 'model') {
      const total = formatCount(planParams(this.layers, new Set()).total);
      const name = this.source.file.startsWith('builtin:') ? this.source.file : path.basename(path.dirname(this.source.file));
      this.view.description = `${name} · ${total} params · read-only`;
      summary = `${this.source.file}: ${this.layers.length} layers, ${total} parameters (read-only).`;
    } else {
      const phase = this.phases[this.phaseIndex];
      const counts = planParams(this.layers, ctx?.trainable ?? new Set());
      const trainable = `${formatCount(counts.trainable)} / ${formatCount(counts.total)}`;
      // Short: the header truncates it, and hides it when the view is alone in its container.
      this.view.description = `${phase?.name ?? 'phase'} ${this.phaseIndex + 1}/${this.phases.length} · ${trainable} trainable`;
      summary = `Phase ${this.phaseIndex + 1}/${this.phases.length} "${phase?.name ?? ''}": ${trainable} parameters trainable. Checked layers train in this phase.`;
    }
    // A problem wins over the summary; with no source the empty view shows its welcome content.
    this.view.message = this.problem ?? summary;
    this.changed.fire();
  }

  private report(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.log.error(`layer tree: ${message}`);
    void vscode.window.showErrorMessage(message);
  }
}

function toChange(node: LayerNode, trainable: boolean): PlanChange {
  return node.kind === 'block' ? { kind: 'block', block: node.block, trainable } : { kind: 'layer', name: node.layer.name, trainable };
}

function samePath(a: string, b: string): boolean {
  return path.resolve(a) === path.resolve(b);
}
