// The layer tree's one pure path from a checkbox/menu event to a new freeze plan, and back to a spec.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LayerInfo } from '../../src/protocol/host';
import { applyPlanChange, countPlanParams, resolveTrainable, specFor } from '../../src/extension/layers/freezePlan';

function layer(name: string, params: number, extra: Partial<LayerInfo> = {}): LayerInfo {
  const block = /^(block_\d+)_/.exec(name)?.[1] ?? null;
  return { name, className: 'Conv2D', outputShape: [null, 4, 4, 8], params, trainableParams: params, block, isNew: false, isBatchNorm: false, ...extra };
}

// A miniature MobileNetV2: stem, two blocks, a top conv, then the new head.
const layers: LayerInfo[] = [
  layer('input_1', 0, { className: 'InputLayer' }),
  layer('Conv1', 100),
  layer('bn_Conv1', 40, { className: 'BatchNormalization', isBatchNorm: true, trainableParams: 20 }),
  layer('block_1_expand', 200),
  layer('block_1_expand_relu', 0, { className: 'ReLU' }),
  layer('block_1_project', 300),
  layer('block_2_expand', 400),
  layer('block_2_project', 500),
  layer('Conv_1', 600),
  layer('pool', 0, { className: 'GlobalAveragePooling2D', isNew: true }),
  layer('dense', 50, { className: 'Dense', isNew: true }),
];

const names = (set: ReadonlySet<string>): string[] => [...set].sort();

test('specs resolve to the weighted layers they mean', () => {
  assert.deepEqual(names(resolveTrainable(layers, 'head')), ['dense']);
  assert.equal(resolveTrainable(layers, 'all').size, 8);
  assert.deepEqual(names(resolveTrainable(layers, { fromLayer: 'block_2_expand' })), ['Conv_1', 'block_2_expand', 'block_2_project', 'dense']);
  // lastBlocks counts blocks from the end; Conv_1 after the last block goes with it.
  assert.deepEqual(names(resolveTrainable(layers, { lastBlocks: 1 })), ['Conv_1', 'block_2_expand', 'block_2_project', 'dense']);
  assert.deepEqual(names(resolveTrainable(layers, { layers: ['Conv1', 'block_1_expand_relu', 'nope'] })), ['Conv1']);
});

test('clicking a layer toggles only that layer; clicking a weightless layer changes nothing', () => {
  const head = resolveTrainable(layers, 'head');
  const on = applyPlanChange(layers, head, { kind: 'layer', name: 'Conv_1', trainable: true });
  assert.deepEqual(names(on), ['Conv_1', 'dense']);
  assert.deepEqual(names(applyPlanChange(layers, on, { kind: 'layer', name: 'Conv_1', trainable: false })), ['dense']);
  assert.deepEqual(names(applyPlanChange(layers, head, { kind: 'layer', name: 'block_1_expand_relu', trainable: true })), ['dense']);
  assert.deepEqual(names(head), ['dense'], 'the input plan is not mutated');
});

test('clicking a block toggles all its layers', () => {
  const plan = applyPlanChange(layers, resolveTrainable(layers, 'head'), { kind: 'block', block: 'block_1', trainable: true });
  assert.deepEqual(names(plan), ['block_1_expand', 'block_1_project', 'dense']);
  assert.deepEqual(names(applyPlanChange(layers, plan, { kind: 'block', block: 'block_1', trainable: false })), ['dense']);
});

test('freeze up to here and unfreeze from here', () => {
  const all = resolveTrainable(layers, 'all');
  assert.deepEqual(names(applyPlanChange(layers, all, { kind: 'freezeUpTo', name: 'block_1_project' })), ['Conv_1', 'block_2_expand', 'block_2_project', 'dense']);
  const head = resolveTrainable(layers, 'head');
  assert.deepEqual(names(applyPlanChange(layers, head, { kind: 'unfreezeFrom', name: 'block_2_project' })), ['Conv_1', 'block_2_project', 'dense']);
});

test('the written spec is the shortest that means the same plan', () => {
  assert.equal(specFor(layers, new Set(['dense'])), 'head');
  assert.equal(specFor(layers, resolveTrainable(layers, 'all')), 'all');
  assert.deepEqual(specFor(layers, resolveTrainable(layers, { lastBlocks: 1 })), { fromLayer: 'block_2_expand' });
  assert.deepEqual(specFor(layers, new Set(['Conv1', 'dense'])), { layers: ['Conv1', 'dense'] });
  assert.deepEqual(specFor(layers, new Set(['Conv_1'])), { layers: ['Conv_1'] }, 'a frozen head is only expressible as a list');
  for (const spec of ['head', 'all', { fromLayer: 'block_1_project' }, { layers: ['bn_Conv1', 'dense'] }] as const) {
    const plan = resolveTrainable(layers, spec);
    assert.deepEqual(names(resolveTrainable(layers, specFor(layers, plan))), names(plan), `round trip of ${JSON.stringify(spec)}`);
  }
});

test('parameter counts: BatchNorm moving statistics never count as trainable', () => {
  assert.deepEqual(countPlanParams(layers, resolveTrainable(layers, 'head')), { trainable: 50, total: 2190 });
  assert.deepEqual(countPlanParams(layers, resolveTrainable(layers, 'all')), { trainable: 2170, total: 2190 });
  const frozenBn = layers.map((l) => (l.isBatchNorm ? { ...l, trainableParams: 0 } : l));
  assert.equal(countPlanParams(frozenBn, new Set(['bn_Conv1'])).trainable, 20);
});
