// The shipped MobileNetV2 (kept to two tests: it is slow on the cpu backend).
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { defaultProject } from '../../src/engine/config';
import { inspectModel, packageRoot, prepareModel, resolveTrainable, applyFreezePlan, countParams } from '../../src/engine/model';

before(async () => {
  await tf.setBackend('cpu');
});

test('inspect builtin:mobilenet_v2: its layers, blocks, and a parameter count that matches the weights file', async () => {
  const { layers, totalParams } = await inspectModel('builtin:mobilenet_v2');
  assert.equal(layers.length, 155);
  assert.equal(layers.at(-1)?.name, 'out_relu');
  assert.ok(!layers.some((l) => l.className === 'Dense'), 'the original 5-class head must be gone');
  // The weights are uint8-quantized: one byte per parameter.
  const weightsBytes = statSync(path.join(packageRoot(), 'assets/models/mobilenet_v2/weights.bin')).size;
  assert.equal(totalParams, weightsBytes);
  assert.equal(layers.reduce((sum, l) => sum + l.params, 0), totalParams);
  const blockOf = (name: string) => layers.find((l) => l.name === name)?.block;
  assert.deepEqual(
    ['Conv1', 'bn_Conv1', 'expanded_conv_project', 'block_3_expand', 'block_16_project_BN', 'Conv_1', 'out_relu'].map(blockOf),
    ['stem', 'stem', 'block_0', 'block_3', 'block_16', 'top', 'top'],
  );
  assert.equal(layers.filter((l) => l.isBatchNorm).length, 52);
});

test('prepareModel at 96x96: out_relu gives [null,3,3,1280], a softmax head, and freeze plans apply to the live model', async () => {
  const prepared = await prepareModel(defaultProject({ inputSize: 96 }), '/', 4);
  const { model, info, layers } = prepared;
  assert.deepEqual(model.getLayer('out_relu').outputShape, [null, 3, 3, 1280]);
  assert.deepEqual(model.outputs[0]?.shape, [null, 4]);
  assert.deepEqual(info.headLayers, ['head_pool', 'head_dropout', 'head_classifier']);
  assert.equal(info.headParams, 1280 * 4 + 4);
  assert.equal(info.baseParams, 2257984);
  assert.ok(layers.filter((l) => l.isNew).every((l) => l.name.startsWith('head_')));
  const trainable = resolveTrainable(layers, { lastBlocks: 2 });
  applyFreezePlan(model, trainable, 'inference');
  const liveTrainable = model.trainableWeights.reduce((sum, w) => sum + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
  assert.equal(countParams(layers, trainable).trainable, liveTrainable);
  const y = tf.tidy(() => (model.predict(tf.fill([1, 96, 96, 3], 0.5)) as tf.Tensor).sum().dataSync()[0]);
  assert.ok(Math.abs((y ?? 0) - 1) < 1e-5, 'softmax outputs sum to 1');
  model.dispose();
});
