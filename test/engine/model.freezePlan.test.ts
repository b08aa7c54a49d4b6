// Freeze plans as pure functions over layer rows (what the layer tree and the phases use).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isUserError } from '../../src/shared/userError';
import { blockOf, countParams, freezeUpTo, resolveTrainable, toggleLayers, unfreezeFrom, type FreezeLayer } from '../../src/engine/model';

function row(name: string, params: number, extra: Partial<FreezeLayer> = {}): FreezeLayer {
  return { name, params, isNew: name.startsWith('head_'), isBatchNorm: name.endsWith('_BN') || name.endsWith('_bn'), block: blockOf(name), ...extra };
}

/** A miniature MobileNetV2: stem, block_0 (expanded_conv), block_1, block_2, top, head. */
const layers: FreezeLayer[] = [
  row('input_1', 0),
  row('Conv1', 10),
  row('bn_Conv1', 4, { isBatchNorm: true }),
  row('expanded_conv_depthwise', 20),
  row('block_1_expand', 30),
  row('block_1_expand_BN', 8),
  row('block_2_expand', 40),
  row('block_2_project_BN', 8),
  row('block_2_add', 0),
  row('Conv_1', 50),
  row('Conv_1_bn', 12),
  row('out_relu', 0),
  row('head_pool', 0),
  row('head_classifier', 7),
];
const sorted = (set: ReadonlySet<string>): string[] => [...set].sort();

test('blockOf groups MobileNetV2, VGG, ResNet and EfficientNet names', () => {
  assert.equal(blockOf('block_3_expand'), 'block_3');
  assert.equal(blockOf('block_16_project_BN'), 'block_16');
  assert.equal(blockOf('expanded_conv_project'), 'block_0');
  assert.equal(blockOf('Conv1'), 'stem');
  assert.equal(blockOf('bn_Conv1'), 'stem');
  assert.equal(blockOf('Conv_1_bn'), 'top');
  assert.equal(blockOf('out_relu'), 'top');
  assert.equal(blockOf('block3_conv1'), 'block3');
  assert.equal(blockOf('conv2_block1_1_conv'), 'conv2_block1');
  assert.equal(blockOf('block1a_dwconv'), 'block1a');
  assert.equal(blockOf('head_classifier'), 'head');
  assert.equal(blockOf('input_1'), null);
});

test('head trains only the new layers; all trains everything', () => {
  assert.deepEqual(sorted(resolveTrainable(layers, 'head')), ['head_classifier', 'head_pool']);
  assert.equal(resolveTrainable(layers, 'all').size, layers.length);
});

test('fromLayer trains that base layer, everything after it, and the head', () => {
  assert.deepEqual(sorted(resolveTrainable(layers, { fromLayer: 'Conv_1' })), ['Conv_1', 'Conv_1_bn', 'head_classifier', 'head_pool', 'out_relu']);
});

test('lastBlocks counts named blocks from the top; the layers after the last block count with it', () => {
  assert.deepEqual(sorted(resolveTrainable(layers, { lastBlocks: 1 })), [
    'Conv_1', 'Conv_1_bn', 'block_2_add', 'block_2_expand', 'block_2_project_BN', 'head_classifier', 'head_pool', 'out_relu',
  ]);
  assert.ok(resolveTrainable(layers, { lastBlocks: 2 }).has('block_1_expand_BN'));
  assert.ok(!resolveTrainable(layers, { lastBlocks: 2 }).has('expanded_conv_depthwise'));
  assert.equal(resolveTrainable(layers, { lastBlocks: 99 }).size, layers.length);
});

test('lastBlocks on a model without block names counts layers with weights', () => {
  const plain = [row('input', 0), row('conv_a', 5), row('relu_a', 0), row('conv_b', 5), row('relu_b', 0), row('head_classifier', 3)].map((l) => ({ ...l, block: null }));
  assert.deepEqual(sorted(resolveTrainable(plain, { lastBlocks: 1 })), ['conv_b', 'head_classifier', 'relu_b']);
});

test('layers: exactly those; a name that does not exist is a UserError naming it', () => {
  assert.deepEqual(sorted(resolveTrainable(layers, { layers: ['Conv1', 'head_classifier'] })), ['Conv1', 'head_classifier']);
  for (const spec of [{ layers: ['Conv1', 'block_9_expand'] }, { fromLayer: 'block_9_expand' }]) {
    assert.throws(() => resolveTrainable(layers, spec), (e: unknown) => isUserError(e) && /"block_9_expand" is not a layer/.test(e.message) && /finetune\.json/.test(e.message));
  }
  assert.throws(
    () => resolveTrainable(layers, { layers: ['nope'] }, { file: '/p/finetune.json', field: 'phases[1].trainable' }),
    (e: unknown) => isUserError(e) && e.message.startsWith('/p/finetune.json (phases[1].trainable.layers): "nope"'),
  );
});

test('toggleLayers, freezeUpTo and unfreezeFrom return explicit layer lists in model order', () => {
  assert.deepEqual(toggleLayers(layers, 'head', ['Conv_1', 'Conv_1_bn'], true), { layers: ['Conv_1', 'Conv_1_bn', 'head_pool', 'head_classifier'] });
  assert.deepEqual(toggleLayers(layers, { fromLayer: 'Conv_1' }, ['Conv_1_bn'], false), { layers: ['Conv_1', 'out_relu', 'head_pool', 'head_classifier'] });
  assert.deepEqual(freezeUpTo(layers, 'all', 'block_2_add'), { layers: ['Conv_1', 'Conv_1_bn', 'out_relu', 'head_pool', 'head_classifier'] });
  assert.deepEqual(unfreezeFrom(layers, { layers: ['Conv1'] }, 'Conv_1_bn'), { layers: ['Conv1', 'Conv_1_bn', 'out_relu', 'head_pool', 'head_classifier'] });
  assert.throws(() => toggleLayers(layers, 'head', ['nope'], true), isUserError);
});

test('countParams: trained BN layers count gamma and beta only', () => {
  assert.deepEqual(countParams(layers, resolveTrainable(layers, 'head')), { trainable: 7, total: 189 });
  assert.deepEqual(countParams(layers, new Set(['Conv_1', 'Conv_1_bn'])), { trainable: 56, total: 189 });
});
