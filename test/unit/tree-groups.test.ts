// Block grouping and the labels the tree shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LayerInfo } from '../../src/protocol/host';
import { architectureOf } from '../../src/extension/layers/architecture';
import { blockTooltipText, describeBlock, layerTooltipText } from '../../src/extension/layers/rowText';
import { blockState, describeGroup, describeLayer, layerCount, formatShape, groupLayers, inGroup, type GroupRow, type LayerRow } from '../../src/extension/layers/layerGroups';

function layer(name: string, block: string | null, params = 10, extra: Partial<LayerInfo> = {}): LayerInfo {
  return { name, className: 'Conv2D', outputShape: [null, 7, 7, 32], params, trainableParams: params, block, isNew: false, isBatchNorm: false, ...extra };
}

test('consecutive layers of one block become one row; a one-layer block and unblocked layers stay layer rows, in order', () => {
  const rows = groupLayers([
    layer('Conv1', null), layer('block_1_a', 'block_1'), layer('block_1_b', 'block_1'),
    layer('block_2_a', 'block_2'), layer('Conv_1', null), layer('dense', null, 10, { isNew: true }),
  ]);
  assert.deepEqual(rows.map((r) => (r.kind === 'block' ? `${r.block}[${r.layers.map((l) => l.name).join(',')}]` : r.kind === 'layer' ? r.layer.name : r.key)), [
    'Conv1', 'block_1[block_1_a,block_1_b]', 'block_2_a', 'Conv_1', 'dense',
  ]);
});

test('block checkbox state follows its weighted layers', () => {
  const block = [layer('block_1_a', 'block_1'), layer('block_1_relu', 'block_1', 0), layer('block_1_b', 'block_1')];
  assert.equal(blockState(block, new Set(['block_1_a', 'block_1_b'])), 'all');
  assert.equal(blockState(block, new Set(['block_1_a'])), 'some');
  assert.equal(blockState(block, new Set()), 'none');
  assert.equal(blockState([layer('block_1_relu', 'block_1', 0)], new Set()), 'noWeights');
});

test('row descriptions show class, shape, params and BatchNorm mode, short', () => {
  assert.equal(formatShape([null, 7, 7, 1280]), '7×7×1280');
  assert.equal(formatShape([[null, 2], [null, 3]]), '2, 3');
  const bn = layer('bn', null, 5120, { className: 'BatchNormalization', isBatchNorm: true });
  assert.equal(describeLayer(bn, true, 'train'), 'BatchNormalization · 7×7×32 · 5,120 · BN: training');
  assert.equal(describeLayer(bn, false, 'train'), 'BatchNormalization · 7×7×32 · 5,120 · BN: inference', 'a frozen BN layer always runs in inference mode');
  assert.equal(describeLayer(bn, true, 'inference'), 'BatchNormalization · 7×7×32 · 5,120 · BN: inference');
  assert.equal(describeLayer(layer('dense', null, 12840, { isNew: true, className: 'Dense' }), true, 'inference'), 'Dense · 7×7×32 · 12.8k', 'no "new" text to be cut: the sparkle icon marks it');
});

// A Teachable Machine export, flattened: Sequential > Sequential(features) > Functional(MobileNetV2) + pooling,
// then Sequential(head) > Dense > Dense. Containers are listed outermost first; the top model is not one.
const features = { name: 'sequential_1', className: 'Sequential' };
const backbone = { name: 'model1', className: 'Functional' };
const headModel = { name: 'sequential_3', className: 'Sequential' };
const teachable: LayerInfo[] = [
  layer('input_1', null, 0, { className: 'InputLayer', containers: [features, backbone] }),
  layer('Conv1', null, 864, { containers: [features, backbone] }),
  layer('block_1_expand', 'block_1', 100, { containers: [features, backbone] }),
  layer('block_1_project', 'block_1', 200, { containers: [features, backbone] }),
  layer('block_2_expand', 'block_2', 300, { containers: [features, backbone] }),
  layer('block_2_project', 'block_2', 400, { containers: [features, backbone] }),
  layer('out_relu', null, 0, { className: 'ReLU', containers: [features, backbone] }),
  layer('global_average_pooling2d', null, 0, { className: 'GlobalAveragePooling2D', containers: [features] }),
  layer('dense_Dense1', null, 1000, { className: 'Dense', containers: [headModel] }),
  layer('dense_Dense2', null, 300, { className: 'Dense', containers: [headModel] }),
];

type Outline = string | { readonly [row: string]: readonly Outline[] };
function outline(rows: readonly LayerRow[]): Outline[] {
  return rows.map((r) => (r.kind === 'layer' ? r.layer.name : { [r.kind === 'group' ? `${r.key} (group)` : r.block]: outline(r.children) }));
}

test('nested models become group rows, nested as the models are, with their blocks and layers inside', () => {
  assert.deepEqual(outline(groupLayers(teachable)), [
    { 'sequential_1 (group)': [
      { 'sequential_1/model1 (group)': ['input_1', 'Conv1', { block_1: ['block_1_expand', 'block_1_project'] }, { block_2: ['block_2_expand', 'block_2_project'] }, 'out_relu'] },
      'global_average_pooling2d',
    ] },
    { 'sequential_3 (group)': ['dense_Dense1', 'dense_Dense2'] },
  ]);
});

test('a group holds every leaf layer below it; the new head after the cut stays top-level', () => {
  const prepared = [...teachable.slice(0, 8), layer('head_dense', null, 50, { className: 'Dense', isNew: true })];
  const rows = groupLayers(prepared);
  assert.deepEqual(rows.map((r) => (r.kind === 'layer' ? r.layer.name : r.kind)), ['group', 'head_dense']);
  const outer = rows[0] as GroupRow;
  assert.equal(outer.layers.length, 8);
  assert.deepEqual(outer.path, ['sequential_1']);
  assert.deepEqual((outer.children[0] as GroupRow).path, ['sequential_1', 'model1']);
  assert.equal(inGroup(prepared[1], ['sequential_1', 'model1']), true);
  assert.equal(inGroup(prepared[7], ['sequential_1', 'model1']), false, 'the pooling sits in sequential_1 only');
  assert.equal(inGroup(prepared[8], ['sequential_1']), false, 'the new head is in no group');
});

test('group descriptions are short: family (else class), layer count, partly trainable', () => {
  const [outer] = groupLayers(teachable) as GroupRow[];
  const model1 = outer.children[0] as GroupRow;
  assert.equal(model1.architecture, 'MobileNetV2-like');
  assert.equal(outer.architecture, undefined, 'the Sequential around the MobileNet is not MobileNet-like itself');
  assert.equal(describeGroup(model1, blockState(model1.layers, new Set())), 'MobileNetV2-like · 7 layers');
  assert.equal(describeGroup(outer, blockState(outer.layers, new Set(['Conv1']))), 'Sequential · 8 layers · partly');
  assert.equal(layerCount(1), '1 layer');
  assert.equal(blockState(model1.layers, new Set(['Conv1', 'block_1_expand', 'block_1_project', 'block_2_expand', 'block_2_project'])), 'all');
});

test('a nested model met twice gets two rows with distinct keys; blocks inside groups get keys naming the group', () => {
  const a = { name: 'tower', className: 'Sequential' };
  const rows = groupLayers([
    layer('t1', null, 1, { containers: [a] }), layer('mid', null), layer('t2', null, 1, { containers: [a] }),
  ]);
  assert.deepEqual(rows.map((r) => (r.kind === 'group' ? r.key : r.kind)), ['tower', 'layer', 'tower#2']);
  const [outer] = groupLayers(teachable) as GroupRow[];
  const block = (outer.children[0] as GroupRow).children.find((r) => r.kind === 'block');
  assert.equal(block?.kind === 'block' && block.key, 'sequential_1/model1/block_1');
});

test('model families are told from Keras Applications names, and only when two layers agree', () => {
  const named = (...names: string[]): LayerInfo[] => names.map((n) => layer(n, null));
  assert.equal(architectureOf(named('conv1_pad', 'conv2_block1_1_conv', 'conv2_block1_2_conv')), 'ResNet-like');
  assert.equal(architectureOf(named('mixed0', 'mixed1', 'conv2d_3')), 'Inception-like');
  assert.equal(architectureOf(named('block1_sepconv1', 'block1_sepconv2', 'block1_conv1', 'block1_conv2')), 'Xception-like');
  assert.equal(architectureOf(named('block1_conv1', 'block1_conv2')), 'VGG-like');
  assert.equal(architectureOf(named('conv_dw_1', 'conv_dw_2')), 'MobileNet-like');
  assert.equal(architectureOf(named('block_1_expand')), undefined, 'one name is not enough');
  assert.equal(architectureOf(named('conv2d', 'dense')), undefined);
});

test('a group holding the new head says so only on its layer rows', () => {
  const rows = groupLayers([layer('dense_Dense1', null, 10, { containers: [headModel] }), layer('dense_Dense2', null, 4, { containers: [headModel], isNew: true })]);
  const group = rows[0] as GroupRow;
  assert.equal(describeGroup(group, blockState(group.layers, new Set(['dense_Dense2']))), 'Sequential · 2 layers · partly');
});

// The words of block rows and the tooltips (src/extension/layers/rowText.ts).
test('block description: parameters and how many weighted layers train; tooltips list every phase', () => {
  const blockLayers = [
    layer('block_3_expand', 'block_3', 2000), layer('block_3_bn', 'block_3', 600, { className: 'BatchNormalization', isBatchNorm: true, trainableParams: 300 }),
    layer('block_3_relu', 'block_3', 0, { className: 'ReLU' }), layer('block_3_project', 'block_3', 3000),
  ];
  const [row] = groupLayers(blockLayers);
  assert.equal(row.kind, 'block');
  if (row.kind !== 'block') return;
  const phases = [
    { name: 'train head', trainable: new Set<string>(), batchNorm: 'inference' as const },
    { name: 'fine-tune', trainable: new Set(['block_3_project', 'block_3_bn']), batchNorm: 'train' as const },
  ];
  const ctx = { trainable: phases[1].trainable, batchNorm: 'train' as const, readOnly: false, phases, selectedPhase: 1 };
  assert.equal(describeBlock(row, ctx), '5,600 · 2/3 trainable', 'the ReLU has no weights and does not count');
  assert.equal(describeBlock(row, { ...ctx, trainable: new Set() }), '5,600 · 0/3 trainable');
  assert.equal(describeBlock(row, { ...ctx, readOnly: true }), '5,600 · 4 layers');
  const big = groupLayers([layer('b_a', 'b', 5000), layer('b_b', 'b', 600)])[0];
  if (big.kind === 'block') assert.equal(describeBlock(big, { ...ctx, trainable: new Set(['b_a']) }), '5,600 · 1/2 trainable');

  const bn = layerTooltipText(blockLayers[1], ctx);
  assert.match(bn, /^\*\*block\\_3\\_bn\*\* — BatchNormalization/);
  assert.match(bn, /Output shape: `7×7×32`/);
  assert.match(bn, /Parameters: 600 \(300 can train; BatchNorm's moving statistics never do\)/);
  assert.match(bn, /BatchNorm in the selected phase: training mode/);
  assert.match(bn, /\| 1\. train head \| frozen, BatchNorm inference \|/);
  assert.match(bn, /\| \*\*▸ 2\. fine\\-tune\*\* \| trains, BatchNorm training \|/, 'the selected phase is marked');
  assert.match(layerTooltipText(blockLayers[2], ctx), /No weights: freezing it changes nothing/);
  const head = layerTooltipText(layer('dense', null, 10, { isNew: true, className: 'Dense' }), ctx);
  assert.match(head, /new head layer/);

  const tip = blockTooltipText(row, ctx);
  assert.match(tip, /block of 4 layers/);
  assert.match(tip, /\| 1\. train head \| frozen \|/);
  assert.match(tip, /fine\\-tune\*\* \| partly: 2 of 3 layers train \|/);
  const unknown = blockTooltipText(row, { ...ctx, phases: [{ ...phases[0], trainable: undefined }, phases[1]] });
  assert.match(unknown, /\| 1\. train head \| plan names an unknown layer \|/);
});
