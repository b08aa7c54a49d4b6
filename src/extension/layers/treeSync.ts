/**
 * Keeps the Layers view in step with finetune.json without losing clicks. VS Code drops a checkbox
 * event whose row handle it no longer knows, and a full tree refresh forgets every handle until the
 * rows are fetched again; so plan changes and file reloads run one at a time through a queue, bursts of
 * file-change signals become one reload, and a plan change refreshes only the rows whose look changed.
 * Pure: no vscode import, unit-tested in plain Node.
 */
import { blockState, type LayerRow } from './layerGroups';

/** Runs async tasks strictly one after another; a failing task is reported and the queue goes on. */
export class SerialQueue {
  private tail: Promise<void> = Promise.resolve();
  private waiting = 0;

  constructor(private readonly onError: (error: unknown) => void) {}

  /** True while a task runs or waits. */
  get busy(): boolean {
    return this.waiting > 0;
  }

  run(task: () => Promise<void>): Promise<void> {
    this.waiting++;
    this.tail = this.tail
      .then(task)
      .catch((error: unknown) => this.onError(error))
      .finally(() => this.waiting--);
    return this.tail;
  }
}

/**
 * Many "the file changed" signals (the editor's change event, the file watcher, our own save) become
 * one reload, queued behind the plan changes already waiting so it never reads a half-applied state.
 * A signal that arrives once the reload has started queues one more: the reload may have read too early.
 */
export class CoalescedReload {
  private pending: Promise<void> | undefined;

  constructor(private readonly queue: SerialQueue, private readonly reload: () => Promise<void>) {}

  request(): Promise<void> {
    this.pending ??= this.queue.run(async () => {
      this.pending = undefined;
      await this.reload();
    });
    return this.pending;
  }
}

/** What a row's checkbox and description depend on. */
export interface RowLook {
  readonly trainable: ReadonlySet<string>;
  readonly batchNorm: 'inference' | 'train';
  readonly readOnly: boolean;
}

/**
 * The rows to refresh when the plan shown goes from `before` to `after`: the groups, blocks and layers
 * whose checkbox, icon or description changed (a block's trainable count), each parent before its children (the caller refreshes
 * layer rows at once and parents in a pause between clicks).
 */
export function rowsToRefresh(roots: readonly LayerRow[], before: RowLook, after: RowLook): LayerRow[] {
  if (before.readOnly !== after.readOnly || before.batchNorm !== after.batchNorm) return [...roots];
  const layerChanged = (name: string): boolean => before.trainable.has(name) !== after.trainable.has(name);
  const rows: LayerRow[] = [];
  const visit = (row: LayerRow): void => {
    if (row.kind === 'layer') {
      if (layerChanged(row.layer.name)) rows.push(row);
      return;
    }
    // A block's description counts its trainable layers ("2/6 trainable"): any change inside shows there.
    // A group's says only "partly", so it changes with its state.
    const changed = row.kind === 'block' ? row.layers.some((l) => l.params > 0 && layerChanged(l.name)) : blockState(row.layers, before.trainable) !== blockState(row.layers, after.trainable);
    if (changed) rows.push(row);
    for (const child of row.children) visit(child);
  };
  for (const row of roots) visit(row);
  return rows;
}
