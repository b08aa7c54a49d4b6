// The layer tree's one pure path from a checkbox/menu event to the spec written to finetune.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LayerInfo } from '../../src/protocol/host';
import type { TrainableSpec } from '../../src/protocol/config';
import { blockOf } from '../../src/engine/model/blocks';
import { applyPlanChange, planOf, planParams, simplifySpec } from '../../src/extension/layers/freezePlan';
import { groupLayers, type GroupRow } from '../../src/extension/layers/layerGroups';
import { layerNameOf } from '../../src/extension/commands/layerArg';

function layer(name: string, params: number, extra: Partial<LayerInfo> = {}): LayerInfo {
  return { name, className: 'Conv2D', outputShape: [null, 4, 4, 8], params, trainableParams: params, block: blockOf(name), isNew: name.startsWith('head_'), isBatchNorm: false, ...extra };
}

// A miniature MobileNetV2: stem, two blocks, the top conv, then the new head.
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
  layer('head_pool', 0, { className: 'GlobalAveragePooling2D' }),
  layer('head_dense', 50, { className: 'Dense' }),
];

const weighted = (spec: TrainableSpec): string[] => {
  const plan = planOf(layers, spec);
  return layers.filter((l) => l.params > 0 && plan.has(l.name)).map((l) => l.name);
};

test('clicking a layer toggles only that layer and the written spec stays short', () => {
  const on = applyPlanChange(layers, 'head', { kind: 'layer', name: 'Conv_1', trainable: true });
  assert.deepEqual(on, { fromLayer: 'Conv_1' });
  assert.equal(applyPlanChange(layers, on, { kind: 'layer', name: 'Conv_1', trainable: false }), 'head');
  const custom = applyPlanChange(layers, 'head', { kind: 'layer', name: 'Conv1', trainable: true });
  assert.deepEqual(custom, { layers: ['Conv1', 'head_dense'] }, 'a gap in the plan is written as a list of weighted layers');
});

test('clicking a block toggles all its layers', () => {
  const spec = applyPlanChange(layers, 'head', { kind: 'block', block: 'block_1', trainable: true });
  assert.deepEqual(weighted(spec), ['block_1_expand', 'block_1_project', 'head_dense']);
  assert.equal(applyPlanChange(layers, spec, { kind: 'block', block: 'block_1', trainable: false }), 'head');
});

test('freeze up to here and unfreeze from here keep the other side as it was', () => {
  assert.deepEqual(applyPlanChange(layers, 'all', { kind: 'freezeUpTo', name: 'block_1_project' }), { fromLayer: 'block_2_expand' });
  const partial = applyPlanChange(layers, { layers: ['Conv1', 'head_dense'] }, { kind: 'unfreezeFrom', name: 'block_2_project' });
  assert.deepEqual(weighted(partial), ['Conv1', 'block_2_project', 'Conv_1', 'head_dense']);
  assert.equal(applyPlanChange(layers, 'head', { kind: 'unfreezeFrom', name: 'Conv1' }), 'all');
});

test('a frozen head is only expressible as a list', () => {
  assert.deepEqual(applyPlanChange(layers, 'all', { kind: 'block', block: 'head', trainable: false }), {
    layers: ['Conv1', 'bn_Conv1', 'block_1_expand', 'block_1_project', 'block_2_expand', 'block_2_project', 'Conv_1'],
  });
});

test('simplifying never changes what trains', () => {
  const specs: TrainableSpec[] = ['head', 'all', { fromLayer: 'block_1_expand_relu' }, { lastBlocks: 1 }, { layers: ['bn_Conv1', 'head_dense'] }, { layers: ['head_pool', 'head_dense'] }];
  for (const spec of specs) assert.deepEqual(weighted(simplifySpec(layers, spec)), weighted(spec), JSON.stringify(spec));
  assert.equal(simplifySpec(layers, { layers: ['head_pool', 'head_dense'] }), 'head');
});

test('an unknown layer in a hand-written plan is a UserError naming the field', () => {
  assert.throws(() => planOf(layers, { fromLayer: 'block_9_x' }, { file: 'finetune.json', field: 'phases[1].trainable' }), /finetune\.json \(phases\[1\]\.trainable\.fromLayer\): "block_9_x" is not a layer/);
});

test('parameter counts: BatchNorm moving statistics never count as trainable', () => {
  assert.deepEqual(planParams(layers, planOf(layers, 'head')), { trainable: 50, total: 2190 });
  assert.deepEqual(planParams(layers, planOf(layers, 'all')), { trainable: 2170, total: 2190 });
});

// The same miniature inside a nested model (a Teachable Machine export): base layers carry containers.
const features = { name: 'sequential_1', className: 'Sequential' };
const backbone = { name: 'model1', className: 'Functional' };
const nested: LayerInfo[] = layers.map((l) =>
  l.isNew ? l : { ...l, containers: l.name === 'Conv_1' ? [features] : [features, backbone] },
);

test('a group checkbox trains or freezes every layer of its nested model, and nothing else', () => {
  const on = applyPlanChange(nested, 'head', { kind: 'group', path: ['sequential_1', 'model1'], trainable: true });
  const plan = planOf(nested, on);
  assert.deepEqual(nested.filter((l) => l.params > 0 && plan.has(l.name)).map((l) => l.name), ['Conv1', 'bn_Conv1', 'block_1_expand', 'block_1_project', 'block_2_expand', 'block_2_project', 'head_dense']);
  assert.deepEqual(applyPlanChange(nested, on, { kind: 'group', path: ['sequential_1'], trainable: true }), 'all', 'the outer group adds Conv_1');
  assert.equal(applyPlanChange(nested, 'all', { kind: 'group', path: ['sequential_1'], trainable: false }), 'head');
});

test('Freeze Up to Here / Unfreeze From Here on a group row use its last / first layer; lastBlocks still counts blocks', () => {
  const [group] = groupLayers(nested) as GroupRow[];
  const model1 = group.children[0];
  assert.equal(layerNameOf(model1), 'block_2_project');
  assert.equal(layerNameOf(model1, 'first'), 'input_1');
  assert.deepEqual(applyPlanChange(nested, 'all', { kind: 'freezeUpTo', name: layerNameOf(model1) ?? '' }), { fromLayer: 'Conv_1' });
  assert.equal(applyPlanChange(nested, 'head', { kind: 'unfreezeFrom', name: layerNameOf(group, 'first') ?? '' }), 'all');
  assert.deepEqual([...planOf(nested, { lastBlocks: 1 })].sort(), [...planOf(layers, { lastBlocks: 1 })].sort(), 'containers change no block');
});
