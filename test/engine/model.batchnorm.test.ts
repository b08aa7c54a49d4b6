// Proof that a freeze plan really freezes: after fit(), frozen layers' weights and BatchNorm moving
// statistics are bit-for-bit unchanged, trainable ones changed (tfjs alone would move frozen BN stats).
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { applyFreezePlan } from '../../src/engine/model';

before(async () => {
  await tf.setBackend('cpu');
});

/** conv -> BN -> relu -> conv -> BN -> relu -> pool -> softmax, 4x4x2 input. */
function tinyModel(): tf.LayersModel {
  const input = tf.input({ shape: [4, 4, 2] });
  let x = tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', name: 'c1' }).apply(input) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ name: 'bn1' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.reLU({ name: 'r1' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', name: 'c2' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ name: 'bn2' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.reLU({ name: 'r2' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.globalAveragePooling2d({ name: 'head_pool' }).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 2, activation: 'softmax', name: 'head_classifier' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

/** Every weight's bytes by name (moving mean/variance included). */
function snapshot(model: tf.LayersModel): Map<string, Buffer> {
  return new Map(model.weights.map((w) => [w.originalName, Buffer.from((w.read().dataSync() as Float32Array).buffer.slice(0))]));
}

async function fitFewSteps(model: tf.LayersModel): Promise<void> {
  model.compile({ optimizer: tf.train.adam(0.05), loss: 'categoricalCrossentropy' });
  // Inputs far from zero mean, so batch statistics differ from the initial moving ones.
  const x = tf.randomNormal([8, 4, 4, 2], 3, 2, 'float32', 7);
  const y = tf.oneHot(tf.tensor1d([0, 1, 0, 1, 0, 1, 0, 1], 'int32'), 2);
  await model.fit(x, y, { epochs: 2, batchSize: 4, shuffle: false, verbose: 0 });
  tf.dispose([x, y]);
}

function changed(before: Map<string, Buffer>, after: Map<string, Buffer>): string[] {
  return [...before].filter(([name, bytes]) => !bytes.equals(after.get(name) as Buffer)).map(([name]) => name).sort();
}

const frozenWeights = ['bn1/beta', 'bn1/gamma', 'bn1/moving_mean', 'bn1/moving_variance', 'c1/bias', 'c1/kernel'];
const trainable = new Set(['c2', 'bn2', 'r2', 'head_pool', 'head_classifier']);

test('without the plan, tfjs updates a frozen BatchNorm layer\'s moving statistics (the bug we guard against)', async () => {
  const model = tinyModel();
  for (const layer of model.layers) layer.trainable = trainable.has(layer.name);
  const before = snapshot(model);
  await fitFewSteps(model);
  const moved = changed(before, snapshot(model));
  assert.ok(moved.includes('bn1/moving_mean') && moved.includes('bn1/moving_variance'), `moved: ${moved.join(', ')}`);
  assert.ok(!moved.includes('c1/kernel'));
  model.dispose();
});

test('frozen layers, BN statistics included, are bit-for-bit unchanged; trainable ones change (batchNorm: train)', async () => {
  const model = tinyModel();
  applyFreezePlan(model, trainable, 'train');
  const before = snapshot(model);
  await fitFewSteps(model);
  const moved = changed(before, snapshot(model));
  for (const name of frozenWeights) assert.ok(!moved.includes(name), `${name} changed`);
  // The unfrozen BN trains gamma/beta and, in 'train' mode, updates its statistics.
  for (const name of ['c2/kernel', 'bn2/gamma', 'bn2/beta', 'bn2/moving_mean', 'bn2/moving_variance', 'head_classifier/kernel']) {
    assert.ok(moved.includes(name), `${name} did not change`);
  }
  model.dispose();
});

test('batchNorm: inference keeps even trainable BN layers\' moving statistics, while gamma and beta train', async () => {
  const model = tinyModel();
  applyFreezePlan(model, trainable, 'inference');
  const before = snapshot(model);
  await fitFewSteps(model);
  const moved = changed(before, snapshot(model));
  for (const name of [...frozenWeights, 'bn2/moving_mean', 'bn2/moving_variance']) assert.ok(!moved.includes(name), `${name} changed`);
  for (const name of ['c2/kernel', 'bn2/gamma', 'bn2/beta', 'head_classifier/kernel']) assert.ok(moved.includes(name), `${name} did not change`);
  model.dispose();
});

test('a later plan can let a BN layer use batch statistics again', async () => {
  const model = tinyModel();
  applyFreezePlan(model, new Set(['head_classifier']), 'inference');
  applyFreezePlan(model, new Set(model.layers.map((l) => l.name)), 'train');
  const before = snapshot(model);
  await fitFewSteps(model);
  const moved = changed(before, snapshot(model));
  assert.ok(moved.includes('bn1/moving_mean') && moved.includes('c1/kernel'), `moved: ${moved.join(', ')}`);
  model.dispose();
});
