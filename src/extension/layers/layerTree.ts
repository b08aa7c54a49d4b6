/**
 * The "Layers" view: the prepared model of a finetune.json (or a bare model.json, read-only), with a
 * checkbox per layer and block for the selected phase. Every change goes through applyPlanChange and is
 * written to finetune.json at once as a minimal jsonc edit (comments and formatting kept, Undo works);
 * edits of the file by hand or on disk update the tree.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LayerInfo } from '../../protocol/host';
import { isUserError } from '../../shared/userError';
import { isBuiltin } from '../../engine/model/builtins';
import { formatParams } from '../../shared/format';
import type { Inspector } from '../host/inspector';
import { readProjectView, trainableEdits, type PhaseView, type ProjectView } from '../project/projectText';
import { applyPlanChange, planOf, planParams, type PlanChange } from './freezePlan';
import { groupLayers } from './layerGroups';
import { blockItem, groupItem, layerItem, type LayerNode, type RowContext } from './layerTreeItems';
import { CoalescedReload, rowsToRefresh, SerialQueue, type RowLook } from './treeSync';

export const LAYERS_VIEW_ID = 'finetuneGuide.layers';

type Source = { readonly kind: 'project' | 'model'; readonly file: string };

export class LayerTree implements vscode.TreeDataProvider<LayerNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<LayerNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly layersChanged = new vscode.EventEmitter<void>();
  /** Fires when the prepared model's layers are known or change (the diagnostics judge layer names by them). */
  readonly onDidChangeLayers = this.layersChanged.event;
  private readonly view: vscode.TreeView<LayerNode>;
  private readonly disposables: vscode.Disposable[] = [];
  private fileDisposables: vscode.Disposable[] = [];
  private source: Source | undefined;
  private layers: readonly LayerInfo[] = [];
  /** Row objects kept across renders: VS Code refreshes single rows only for the objects it was given. */
  private roots: LayerNode[] = [];
  /** The plan the rows show now, to refresh only the rows that change. */
  private shown: RowLook | undefined;
  /** The file text the tree last read or wrote; a change signal with this text changes nothing. */
  private lastText: string | undefined;
  private project: ProjectView | undefined;
  private phaseIndex = 0;
  private problem: string | undefined;
  /** The file being inspected, while the host reads its layers (the message says so until the rows arrive). */
  private loading: string | undefined;
  private inspectGeneration = 0;
  private readonly queue = new SerialQueue((error) => this.report(error));
  private readonly reloader = new CoalescedReload(this.queue, () => this.reload());
  private reloadTimer: NodeJS.Timeout | undefined;
  /** Group and block rows waiting for a pause in the clicks (refreshing one re-fetches its children). */
  private readonly staleBlocks = new Set<LayerNode>();
  private blockTimer: NodeJS.Timeout | undefined;

  constructor(private readonly inspector: Inspector, private readonly log: vscode.LogOutputChannel) {
    this.view = vscode.window.createTreeView(LAYERS_VIEW_ID, { treeDataProvider: this, manageCheckboxStateManually: true, showCollapseAll: true });
    this.disposables.push(
      this.view,
      this.changed,
      this.layersChanged,
      this.view.onDidChangeCheckboxState((event) => {
        for (const [node, state] of event.items) this.enqueue(toChange(node, state === vscode.TreeItemCheckboxState.Checked));
      }),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (this.source?.kind === 'project' && samePath(event.document.uri.fsPath, this.source.file)) this.scheduleReload();
      }),
    );
    this.render('all');
  }

  /** The finetune.json shown, when the tree shows a project. */
  get projectFile(): string | undefined {
    return this.source?.kind === 'project' ? this.source.file : undefined;
  }

  /** The prepared model's layers of `projectFile`, when the tree shows that project and has inspected it. */
  layersFor(projectFile: string): readonly LayerInfo[] | undefined {
    return this.projectFile && samePath(projectFile, this.projectFile) && this.layers.length > 0 ? this.layers : undefined;
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
        this.render('all');
      }),
    );
    await this.reloader.request();
  }

  /** Shows any model file (model.json, .h5, .keras) read-only (Inspect Model). */
  async openModel(file: string): Promise<void> {
    this.setSource({ kind: 'model', file: isBuiltin(file) ? file : path.resolve(file) });
    this.project = undefined;
    await this.inspect(file);
  }

  selectPhase(index: number): void {
    if (index < 0 || index >= this.phases.length) return;
    this.phaseIndex = index;
    this.render('rows');
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
    switch (node.kind) {
      case 'group':
        return groupItem(node, ctx);
      case 'block':
        return blockItem(node, ctx);
      case 'layer':
        return layerItem(node.layer, ctx);
    }
  }

  getChildren(node?: LayerNode): LayerNode[] {
    if (!node) return this.roots;
    // A copy of the array, the same row objects (VS Code keeps the handles of the objects).
    return node.kind === 'layer' ? [] : [...node.children];
  }

  dispose(): void {
    clearTimeout(this.reloadTimer);
    clearTimeout(this.blockTimer);
    for (const d of [...this.fileDisposables, ...this.disposables]) d.dispose();
  }

  private setSource(source: Source): void {
    for (const d of this.fileDisposables) d.dispose();
    this.fileDisposables = [];
    this.source = source;
    this.setLayers([]);
    this.lastText = undefined;
    this.problem = undefined;
    this.phaseIndex = 0;
    void vscode.commands.executeCommand('setContext', 'finetuneGuide.layersEditable', source.kind === 'project');
  }

  private enqueue(change: PlanChange): Promise<void> {
    return this.queue.run(() => this.applyChange(change));
  }

  /** Shows the new plan at once (only the rows that change), then writes it to finetune.json. */
  private async applyChange(change: PlanChange): Promise<void> {
    const file = this.projectFile;
    const phase = this.phases[this.phaseIndex];
    if (!file || !phase || !this.project) return;
    const spec = applyPlanChange(this.layers, phase.trainable, change);
    const phaseIndex = this.phaseIndex;
    this.project = { ...this.project, phases: this.project.phases.map((p, i) => (i === phaseIndex ? { ...p, trainable: spec } : p)) };
    this.render('rows');
    const uri = vscode.Uri.file(file);
    const document = await vscode.workspace.openTextDocument(uri);
    const edits = trainableEdits(document.getText(), phaseIndex, spec);
    if (edits.length > 0) {
      const edit = new vscode.WorkspaceEdit();
      for (const e of edits) edit.replace(uri, new vscode.Range(document.positionAt(e.offset), document.positionAt(e.offset + e.length)), e.content);
      const applied = await vscode.workspace.applyEdit(edit);
      // Our own write: the change signals it raises find this text and leave the rows alone.
      this.lastText = document.getText();
      if (!applied) {
        void this.reloader.request(); // show what the file really says
        throw new Error(`Could not edit ${file}; is it read-only?`);
      }
      await document.save();
    }
  }

  /** Typing fires a change per key: wait for a pause, then reload once (after queued plan changes). */
  private scheduleReload(): void {
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => void this.reloader.request(), 150);
  }

  private async reload(): Promise<void> {
    const file = this.projectFile;
    if (!file) return;
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    const text = document.getText();
    if (text === this.lastText && this.problem === undefined) return;
    this.lastText = text;
    this.applyText(text);
  }

  /** Re-reads the phases from the file's text; re-inspects only when the model or head changed. */
  private applyText(text: string): void {
    const file = this.projectFile;
    if (!file) return;
    try {
      const next = readProjectView(text, file);
      const modelChanged = next.modelKey !== this.project?.modelKey || this.layers.length === 0;
      const hadProblem = this.problem !== undefined;
      this.project = next;
      this.problem = undefined;
      this.phaseIndex = Math.min(this.phaseIndex, next.phases.length - 1);
      if (modelChanged) void this.inspect(file);
      this.render(hadProblem ? 'all' : 'rows');
    } catch (error) {
      this.problem = isUserError(error) ? error.message : String(error);
      this.render('all');
    }
  }

  private async inspect(target: string): Promise<void> {
    const generation = ++this.inspectGeneration;
    this.loading = target;
    if (this.layers.length === 0) this.view.message = `Loading layers of ${path.basename(target)}…`;
    try {
      const result = await this.inspector.inspect(target);
      if (generation !== this.inspectGeneration) return;
      this.setLayers(result.layers);
      this.problem = undefined;
    } catch (error) {
      if (generation !== this.inspectGeneration) return;
      this.setLayers([]);
      this.problem = error instanceof Error ? error.message : String(error);
      this.log.warn(`layers of ${target}: ${this.problem}`);
    }
    this.loading = undefined;
    this.render('all');
  }

  private setLayers(layers: readonly LayerInfo[]): void {
    const changed = layers !== this.layers;
    this.layers = layers;
    this.roots = groupLayers(layers);
    this.shown = undefined;
    if (changed) this.layersChanged.fire();
  }

  /** The selected phase's trainable set (and every phase's, for the tooltips); a plan naming unknown layers shows its error instead. */
  private rowContext(): RowContext {
    const phase = this.phases[this.phaseIndex];
    const base = { phases: [], selectedPhase: this.phaseIndex };
    if (!phase || this.source?.kind !== 'project') return { ...base, trainable: new Set(), batchNorm: 'inference', readOnly: true };
    const file = this.source.file;
    const plans = this.phases.map((p, index) => {
      try {
        return { name: p.name, batchNorm: p.batchNorm, trainable: planOf(this.layers, p.trainable, { file, field: `phases[${index}].trainable` }) as ReadonlySet<string> };
      } catch (error) {
        if (index === this.phaseIndex) this.problem ??= isUserError(error) ? error.message : String(error);
        return { name: p.name, batchNorm: p.batchNorm, trainable: undefined };
      }
    });
    const selected = plans[this.phaseIndex]?.trainable;
    return { phases: plans, selectedPhase: this.phaseIndex, trainable: selected ?? new Set(), batchNorm: phase.batchNorm, readOnly: selected === undefined };
  }

  /** Updates the header and message; 'rows' refreshes only rows whose plan changed (no lost clicks). */
  private render(scope: 'all' | 'rows'): void {
    const ctx = this.layers.length > 0 ? this.rowContext() : undefined;
    let summary: string | undefined;
    if (!this.source || this.layers.length === 0) {
      this.view.description = undefined;
    } else if (this.source.kind === 'model') {
      const total = formatParams(planParams(this.layers, new Set()).total);
      const file = this.source.file;
      // A model.json is named by its folder (Teachable Machine's are all "model.json"); .h5 / .keras by the file.
      const name = isBuiltin(file) ? file : path.basename(file) === 'model.json' ? path.basename(path.dirname(file)) : path.basename(file);
      this.view.description = `${name} · ${total} params · read-only`;
      summary = `${this.source.file}: ${this.layers.length} layers, ${total} parameters (read-only).`;
    } else {
      const phase = this.phases[this.phaseIndex];
      const counts = planParams(this.layers, ctx?.trainable ?? new Set());
      const trainable = `${formatParams(counts.trainable)} / ${formatParams(counts.total)}`;
      // Short: the header truncates it, and hides it when the view is alone in its container.
      this.view.description = `${phase?.name ?? 'phase'} ${this.phaseIndex + 1}/${this.phases.length} · ${trainable} trainable`;
      summary = `Phase ${this.phaseIndex + 1}/${this.phases.length} "${phase?.name ?? ''}": ${trainable} parameters trainable. Checked layers train in this phase.`;
    }
    // A problem wins over the summary; "Loading" shows only over an empty tree (never over loaded rows);
    // with no source the empty view shows its welcome content.
    const loading = this.loading && this.layers.length === 0 ? `Loading layers of ${path.basename(this.loading)}…` : undefined;
    this.view.message = this.problem ?? loading ?? summary;
    const before = this.shown;
    this.shown = ctx;
    if (scope === 'all' || !before || !ctx) {
      this.staleBlocks.clear();
      this.changed.fire(undefined);
      return;
    }
    const rows = rowsToRefresh(this.roots, before, ctx);
    // A layer row has no children: refreshing it forgets no other row. A group or block forgets its
    // children until VS Code fetches them again, and a click there meanwhile is dropped: do those in a pause.
    const layers = rows.filter((row) => row.kind === 'layer');
    if (layers.length > 0) this.changed.fire(layers);
    for (const row of rows) if (row.kind !== 'layer') this.staleBlocks.add(row);
    if (this.staleBlocks.size > 0) this.scheduleBlockRefresh();
  }

  private scheduleBlockRefresh(): void {
    clearTimeout(this.blockTimer);
    this.blockTimer = setTimeout(() => {
      if (this.queue.busy) return this.scheduleBlockRefresh();
      const blocks = [...this.staleBlocks];
      this.staleBlocks.clear();
      if (blocks.length > 0) this.changed.fire(blocks);
    }, 600);
  }

  private report(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.log.error(`layer tree: ${message}`);
    void vscode.window.showErrorMessage(message);
  }
}

function toChange(node: LayerNode, trainable: boolean): PlanChange {
  switch (node.kind) {
    case 'group':
      return { kind: 'group', path: node.path, trainable };
    case 'block':
      return { kind: 'block', block: node.block, trainable };
    case 'layer':
      return { kind: 'layer', name: node.layer.name, trainable };
  }
}

function samePath(a: string, b: string): boolean {
  return path.resolve(a) === path.resolve(b);
}
