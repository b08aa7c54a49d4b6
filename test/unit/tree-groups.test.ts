// Block grouping and the labels the tree shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LayerInfo } from '../../src/protocol/host';
import { blockState, describeLayer, formatShape, groupLayers } from '../../src/extension/layers/layerGroups';

function layer(name: string, block: string | null, params = 10, extra: Partial<LayerInfo> = {}): LayerInfo {
  return { name, className: 'Conv2D', outputShape: [null, 7, 7, 32], params, trainableParams: params, block, isNew: false, isBatchNorm: false, ...extra };
}

test('consecutive layers of one block become one row; unblocked layers stay top-level in order', () => {
  const rows = groupLayers([
    layer('Conv1', null), layer('block_1_a', 'block_1'), layer('block_1_b', 'block_1'),
    layer('block_2_a', 'block_2'), layer('Conv_1', null), layer('dense', null, 10, { isNew: true }),
  ]);
  assert.deepEqual(rows.map((r) => (r.kind === 'block' ? `${r.block}[${r.layers.map((l) => l.name).join(',')}]` : r.layer.name)), [
    'Conv1', 'block_1[block_1_a,block_1_b]', 'block_2[block_2_a]', 'Conv_1', 'dense',
  ]);
});

test('block checkbox state follows its weighted layers', () => {
  const block = [layer('block_1_a', 'block_1'), layer('block_1_relu', 'block_1', 0), layer('block_1_b', 'block_1')];
  assert.equal(blockState(block, new Set(['block_1_a', 'block_1_b'])), 'all');
  assert.equal(blockState(block, new Set(['block_1_a'])), 'some');
  assert.equal(blockState(block, new Set()), 'none');
  assert.equal(blockState([layer('block_1_relu', 'block_1', 0)], new Set()), 'noWeights');
});

test('row descriptions show class, shape, params, BatchNorm mode and the new mark', () => {
  assert.equal(formatShape([null, 7, 7, 1280]), '7×7×1280');
  assert.equal(formatShape([[null, 2], [null, 3]]), '2, 3');
  const bn = layer('bn', null, 5120, { className: 'BatchNormalization', isBatchNorm: true });
  assert.equal(describeLayer(bn, true, 'train'), 'BatchNormalization · 7×7×32 · 5,120 params · BN: training');
  assert.equal(describeLayer(bn, false, 'train'), 'BatchNormalization · 7×7×32 · 5,120 params · BN: inference', 'a frozen BN layer always runs in inference mode');
  assert.equal(describeLayer(bn, true, 'inference'), 'BatchNormalization · 7×7×32 · 5,120 params · BN: inference');
  assert.match(describeLayer(layer('dense', null, 10, { isNew: true, className: 'Dense' }), true, 'inference'), /· new$/);
});
