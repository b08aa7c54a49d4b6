// The Layers view's click safety: one queue for plan changes and reloads, coalesced reloads, and
// refreshing only the rows whose plan changed (a full refresh makes VS Code drop clicks).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LayerInfo } from '../../src/protocol/host';
import { groupLayers, type LayerRow } from '../../src/extension/layers/layerGroups';
import { CoalescedReload, rowsToRefresh, SerialQueue, type RowLook } from '../../src/extension/layers/treeSync';

/** A promise the test resolves by hand, to hold a task "in flight". */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

test('two quick plan changes run one after the other, each seeing the result of the one before', async () => {
  const queue = new SerialQueue((error) => assert.fail(String(error)));
  let plan: string[] = [];
  const held = gate();
  const change = (name: string, wait?: Promise<void>) => queue.run(async () => {
    const before = plan; // read, then write later: interleaving would lose one of the two
    await wait;
    plan = [...before, name];
  });
  const first = change('block_16_project', held.promise);
  const second = change('block_15_project');
  assert.equal(queue.busy, true);
  held.open();
  await Promise.all([first, second]);
  assert.deepEqual(plan, ['block_16_project', 'block_15_project']);
  assert.equal(queue.busy, false);
});

test('a failing change is reported and the next one still runs', async () => {
  const errors: unknown[] = [];
  const queue = new SerialQueue((error) => errors.push(error));
  const ran: string[] = [];
  void queue.run(() => Promise.reject(new Error('read-only')));
  await queue.run(async () => void ran.push('next'));
  assert.deepEqual(ran, ['next']);
  assert.equal((errors[0] as Error).message, 'read-only');
});

test('a burst of file-change signals during a plan change becomes one reload, after the change', async () => {
  const queue = new SerialQueue((error) => assert.fail(String(error)));
  const order: string[] = [];
  const reload = new CoalescedReload(queue, async () => void order.push('reload'));
  const held = gate();
  const change = queue.run(async () => {
    await held.promise;
    order.push('change');
  });
  const signals = [reload.request(), reload.request(), reload.request()]; // editor event, watcher, save
  held.open();
  await Promise.all([change, ...signals]);
  assert.deepEqual(order, ['change', 'reload']);
});

test('a signal arriving while the reload runs queues exactly one more reload', async () => {
  const queue = new SerialQueue((error) => assert.fail(String(error)));
  let reloads = 0;
  const held = gate();
  const reload = new CoalescedReload(queue, async () => {
    reloads++;
    if (reloads === 1) await held.promise;
  });
  const first = reload.request();
  await Promise.resolve();
  await Promise.resolve(); // let the first reload start
  const late = [reload.request(), reload.request()];
  held.open();
  await Promise.all([first, ...late]);
  assert.equal(reloads, 2);
});

function layer(name: string, block: string | null, params = 10): LayerInfo {
  return { name, className: 'Conv2D', outputShape: [null, 7, 7, 8], params, trainableParams: params, block, isNew: false, isBatchNorm: false };
}

const layers = [layer('Conv1', null), layer('block_1_a', 'block_1'), layer('block_1_b', 'block_1'), layer('block_1_c', 'block_1'), layer('block_2_a', 'block_2'), layer('block_2_b', 'block_2'), layer('dense', null)];
const roots = groupLayers(layers);
const look = (names: string[], batchNorm: 'inference' | 'train' = 'inference'): RowLook => ({ trainable: new Set(names), batchNorm, readOnly: false });
const label = (row: LayerRow): string => (row.kind === 'block' ? row.block : row.kind === 'group' ? row.key : row.layer.name);

test('ticking one layer refreshes that row and its block (whose "n/m trainable" changes), never the whole tree', () => {
  const rows = rowsToRefresh(roots, look(['block_1_a']), look(['block_1_a', 'block_1_b']));
  assert.deepEqual(rows.map(label), ['block_1', 'block_1_b'], 'block_1 goes from 1/3 to 2/3 trainable');
  assert.equal(rows[1], (roots[1] as Extract<LayerRow, { kind: 'block' }>).children[1], 'the same row object the tree handed out');
  assert.deepEqual(rowsToRefresh(roots, look([]), look(['dense'])).map(label), ['dense']);
});

test('a change that flips a block refreshes the block and its changed layers, nothing else', () => {
  const rows = rowsToRefresh(roots, look(['dense', 'block_1_a']), look(['dense', 'block_1_a', 'block_1_b', 'block_1_c', 'Conv1']));
  assert.deepEqual(rows.map(label), ['Conv1', 'block_1', 'block_1_b', 'block_1_c']);
});

test('an unchanged plan refreshes nothing; a BatchNorm mode change refreshes every top row', () => {
  assert.deepEqual(rowsToRefresh(roots, look(['dense']), look(['dense'])), []);
  assert.deepEqual(rowsToRefresh(roots, look(['dense']), look(['dense'], 'train')).map(label), ['Conv1', 'block_1', 'block_2', 'dense']);
});

test('in a nested model, a change refreshes the group, then its block and layers, as the rows nest', () => {
  const inModel = (l: LayerInfo): LayerInfo => ({ ...l, containers: [{ name: 'sequential_1', className: 'Sequential' }, { name: 'model1', className: 'Functional' }] });
  const nested = groupLayers([...layers.slice(0, 6).map(inModel), layer('dense', null)]);
  const rows = rowsToRefresh(nested, look(['dense']), look(['dense', 'Conv1', 'block_1_a', 'block_1_b', 'block_1_c', 'block_2_a', 'block_2_b']));
  assert.deepEqual(rows.map(label), ['sequential_1', 'sequential_1/model1', 'Conv1', 'block_1', 'block_1_a', 'block_1_b', 'block_1_c', 'block_2', 'block_2_a', 'block_2_b']);
  assert.deepEqual(rowsToRefresh(nested, look(['dense']), look(['dense', 'block_2_a'])).map(label), ['sequential_1', 'sequential_1/model1', 'block_2', 'block_2_a'], 'the groups turn partly trainable');
});
