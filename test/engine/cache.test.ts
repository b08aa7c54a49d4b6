/**
 * Frozen-prefix cache: training the suffix on cached (or recomputed, BN-folded) prefix activations
 * ends with the same weights as training the whole model, same seed and batches, BN in inference
 * mode; no tensor leaks per epoch; spilling past the memory budget; invalidation; a clean model after.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend, planPhaseExecution, shutdownBackend, type SampleBatchSource, type TrainBatchSource } from '../../src/engine/backend';
import { applyFreezePlan } from '../../src/engine/model';

const NO_AUGMENTATION = { horizontalFlip: false, shift: 0, brightness: 0 };
const SIZE = 12;
const CLASSES = 3;

before(async () => {
  await initBackend('wasm', { threads: 2 });
});
after(() => shutdownBackend());

function makeModel(): tf.LayersModel {
  let seed = 1;
  const init = () => tf.initializers.glorotUniform({ seed: seed++ });
  const input = tf.input({ shape: [SIZE, SIZE, 3] });
  const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor): tf.SymbolicTensor => layer.apply(x) as tf.SymbolicTensor;
  let x = apply(tf.layers.conv2d({ filters: 6, kernelSize: 3, strides: 2, padding: 'same', useBias: false, kernelInitializer: init(), name: 'stem_conv' }), input);
  x = apply(tf.layers.reLU({ maxValue: 6, name: 'stem_relu' }), apply(tf.layers.batchNormalization({ name: 'stem_bn' }), x));
  x = apply(tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', useBias: false, depthwiseInitializer: init(), name: 'block_1_dw' }), x);
  x = apply(tf.layers.reLU({ maxValue: 6, name: 'block_1_relu' }), apply(tf.layers.batchNormalization({ name: 'block_1_bn' }), x));
  x = apply(tf.layers.conv2d({ filters: 8, kernelSize: 1, useBias: false, kernelInitializer: init(), name: 'block_2_conv' }), x);
  x = apply(tf.layers.reLU({ maxValue: 6, name: 'block_2_relu' }), apply(tf.layers.batchNormalization({ name: 'block_2_bn' }), x));
  x = apply(tf.layers.globalAveragePooling2d({ name: 'head_pool' }), x);
  const out = apply(tf.layers.dense({ units: CLASSES, activation: 'softmax', kernelInitializer: init(), name: 'head_classifier' }), x);
  const model = tf.model({ inputs: input, outputs: out, name: 'tiny' });
  let s = 100;
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'BatchNormalization') continue;
    layer.setWeights(layer.getWeights().map((w, i) => tf.tidy(() => (i === 3 ? tf.randomUniform(w.shape, 0.5, 2, 'float32', s++) : tf.randomNormal(w.shape, 0, 0.3, 'float32', s++)))));
  }
  return model;
}

/** n samples with fixed pixels and labels; each epoch a seeded shuffle, batches carry ids. */
function source(n: number, batchSize: number, seedBase: number): SampleBatchSource & { dispose(): void } {
  const pixels = Array.from({ length: n }, (_, i) => tf.randomUniform([SIZE, SIZE, 3], 0, 1, 'float32', seedBase + i));
  const labels = Array.from({ length: n }, (_, i) => i % CLASSES);
  return {
    size: n,
    batchesPerEpoch: Math.ceil(n / batchSize),
    async *batches(epoch: number) {
      const order = Array.from({ length: n }, (_, i) => i);
      let r = 7 + epoch * 31;
      for (let i = n - 1; i > 0; i--) {
        r = (r * 1103515245 + 12345) % 2147483648;
        const j = r % (i + 1);
        [order[i], order[j]] = [order[j], order[i]];
      }
      for (let b = 0; b < n; b += batchSize) {
        const rows = order.slice(b, b + batchSize);
        yield {
          xs: tf.stack(rows.map((i) => pixels[i])),
          ys: tf.tidy(() => tf.oneHot(tf.tensor1d(rows.map((i) => labels[i]), 'int32'), CLASSES).toFloat()),
          ids: rows.map((i) => `sample-${seedBase}-${i}`),
        };
      }
    },
    dispose: () => tf.dispose(pixels),
  };
}

/** The phase runner's loop (trainOnBatch per batch); returns tf.memory().numTensors after each epoch. */
async function train(model: tf.LayersModel, data: TrainBatchSource, epochs: number): Promise<number[]> {
  model.compile({ optimizer: tf.train.sgd(0.5), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const counts: number[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    for await (const { xs, ys } of data.batches(epoch)) {
      await model.trainOnBatch(xs, ys);
      tf.dispose([xs, ys]);
    }
    counts.push(tf.memory().numTensors);
  }
  return counts;
}

const snapshot = (model: tf.LayersModel): Float32Array[] => model.getWeights().map((w) => w.dataSync().slice() as Float32Array);

function maxRelativeDifference(a: Float32Array[], b: Float32Array[]): number {
  let worst = 0;
  a.forEach((wa, i) => {
    const scale = Math.max(1e-6, ...Array.from(b[i], Math.abs));
    for (let j = 0; j < wa.length; j++) worst = Math.max(worst, Math.abs(wa[j] - b[i][j]) / scale);
  });
  return worst;
}

const HEAD_ONLY = new Set(['head_classifier']);
const TOP_AND_HEAD = new Set(['block_2_conv', 'block_2_bn', 'head_classifier']);

for (const [label, trainable, folded] of [['head only', HEAD_ONLY, 3], ['last block + head', TOP_AND_HEAD, 2]] as const) {
  test(`${label}: cached, recomputed and full-model training end with the same weights; no tensor leak`, async () => {
    const model = makeModel();
    applyFreezePlan(model, trainable, 'inference');
    const initial = model.getWeights().map((w) => w.clone());
    const trainData = source(20, 8, 1);
    const valData = source(6, 8, 50);
    const results: Record<string, { weights: Float32Array[]; counts: number[] }> = {};
    for (const mode of ['full', 'cache', 'recompute'] as const) {
      model.setWeights(initial);
      if (mode === 'full') {
        const counts = await train(model, trainData, 3);
        results[mode] = { weights: snapshot(model), counts };
        continue;
      }
      const exec = planPhaseExecution({
        model, train: trainData, val: valData, augmentation: NO_AUGMENTATION, pipelineKey: 'test', cache: mode === 'cache',
      });
      assert.notEqual(exec.model, model, 'a suffix model trains');
      assert.equal(exec.cache.used, mode === 'cache', exec.cache.reason);
      assert.ok(exec.prefix && exec.prefix.folded === folded, JSON.stringify(exec.prefix));
      const counts = await train(exec.model, exec.train, 3);
      results[mode] = { weights: snapshot(model), counts };
      exec.dispose();
    }
    for (const mode of ['full', 'cache', 'recompute']) {
      const [, second, third] = results[mode].counts;
      assert.equal(third, second, `${mode}: numTensors grew across epochs: ${results[mode].counts}`);
    }
    const trainedChanged = maxRelativeDifference(results.full.weights, snapshot(makeModelLike(initial)));
    assert.ok(trainedChanged > 1e-3, 'training changed the weights');
    assert.ok(maxRelativeDifference(results.cache.weights, results.full.weights) < 1e-4, 'cache vs full');
    assert.ok(maxRelativeDifference(results.recompute.weights, results.full.weights) < 1e-4, 'recompute vs full');
    // The full model is as it was: one node per layer, so layer.output works.
    for (const layer of model.layers) assert.equal(layer.inboundNodes.length, 1, layer.name);
    tf.dispose(initial);
    trainData.dispose();
    valData.dispose();
    model.dispose();
  });
}

/** Wraps tensors as a fake model for `snapshot` (initial weights). */
function makeModelLike(weights: tf.Tensor[]): tf.LayersModel {
  return { getWeights: () => weights } as unknown as tf.LayersModel;
}

test('past the memory budget activations spill to a file in the run folder, read back exactly, deleted at the end', async () => {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cache-test-'));
  const model = makeModel();
  applyFreezePlan(model, HEAD_ONLY, 'inference');
  const data = source(10, 4, 3);
  // Room for 3 of 10 vectors of 8 floats.
  const exec = planPhaseExecution({ model, train: data, val: data, augmentation: NO_AUGMENTATION, pipelineKey: 'test', spillDir: runDir, memoryBudgetBytes: 4 * 8 * 3 });
  const epochOne: number[][] = [];
  for await (const { xs, ys } of exec.train.batches(0)) {
    epochOne.push(Array.from(xs.dataSync()));
    tf.dispose([xs, ys]);
  }
  const spillFiles = fs.readdirSync(runDir).filter((f) => f.endsWith('.bin'));
  assert.equal(spillFiles.length, 1, 'one spill file');
  const reference = tf.model({ inputs: model.inputs, outputs: model.getLayer('head_pool').output as tf.SymbolicTensor });
  let batch = 0;
  for await (const sample of data.batches(0)) {
    const expected = reference.predict(sample.xs) as tf.Tensor;
    const got = epochOne[batch++];
    expected.dataSync().forEach((v, i) => assert.ok(Math.abs(v - got[i]) < 1e-5, `value ${i}: ${v} vs ${got[i]}`));
    tf.dispose([expected, sample.xs, sample.ys]);
  }
  exec.dispose();
  assert.deepEqual(fs.readdirSync(runDir), [], 'spill file removed');
  data.dispose();
  model.dispose();
  fs.rmSync(runDir, { recursive: true, force: true });
});

test('augmentation turns the training cache off and says why; a changed prefix weight starts the cache over', async () => {
  const model = makeModel();
  applyFreezePlan(model, HEAD_ONLY, 'inference');
  const data = source(6, 3, 9);
  const logs: string[] = [];
  const exec = planPhaseExecution({
    model, train: data, val: data, augmentation: { horizontalFlip: true, shift: 0.1, brightness: 0 }, pipelineKey: 'test', log: (m) => logs.push(m),
  });
  assert.equal(exec.cache.used, false);
  assert.match(exec.cache.reason, /augmentation \(horizontal flip, shift 0\.1\).*recomputed every step/);
  const valBatches = async (): Promise<number[]> => {
    const out: number[] = [];
    for await (const { xs, ys } of exec.val.batches(0)) {
      out.push(...xs.dataSync());
      tf.dispose([xs, ys]);
    }
    return out;
  };
  const first = await valBatches();
  const bn = model.getLayer('block_2_bn');
  bn.setWeights(bn.getWeights().map((w, i) => (i === 2 ? tf.add(w, 1) : w.clone())));
  const second = await valBatches();
  assert.ok(logs.some((l) => /cache starts over/.test(l)), logs.join('\n'));
  assert.ok(first.some((v, i) => Math.abs(v - second[i]) > 1e-4), 'activations follow the new weights');
  exec.dispose();
  data.dispose();
  model.dispose();
});

test('when the first layer trains there is no prefix: the whole model trains, its conv + BatchNorm pairs as one layer each, to the same weights', async () => {
  const model = makeModel();
  applyFreezePlan(model, new Set(['stem_conv', 'stem_bn', 'block_2_conv', 'head_classifier']), 'inference');
  const initial = model.getWeights().map((w) => w.clone());
  const data = source(12, 4, 1);
  await train(model, data, 3);
  const full = snapshot(model);
  model.setWeights(initial);
  const exec = planPhaseExecution({ model, train: data, val: data, augmentation: NO_AUGMENTATION, pipelineKey: 'test' });
  assert.notEqual(exec.model, model, 'a rebuilt model trains');
  assert.equal(exec.prefix, null);
  assert.equal(exec.cache.used, false);
  assert.match(exec.cache.reason, /straight after the input \(layer stem_conv trains\).*3 conv \+ BatchNorm pairs as one layer each/);
  // The rebuilt model trains the full model's own variables, and only the trainable ones.
  const names = (m: tf.LayersModel): string[] => m.trainableWeights.map((w) => w.name).sort();
  assert.deepEqual(names(exec.model), names(model));
  const counts = await train(exec.model, exec.train, 3);
  exec.dispose();
  assert.equal(counts[2], counts[1], `numTensors grew across epochs: ${counts}`);
  // Compare what training changed, tensor by tensor: the first layer's updates are small next to its weights.
  const start = snapshot(makeModelLike(initial));
  const delta = (w: Float32Array[]): Float32Array[] => w.map((t, i) => t.map((v, j) => v - start[i][j]));
  const fullDelta = delta(full);
  assert.ok(fullDelta.every((d, i) => !model.weights[i].trainable || d.some((v) => Math.abs(v) > 1e-6)), 'training changed every trainable weight');
  assert.ok(maxRelativeDifference(delta(snapshot(model)), fullDelta) < 1e-3, 'folded pairs vs separate layers');
  for (const layer of model.layers) assert.equal(layer.inboundNodes.length, 1, layer.name);
  tf.dispose(initial);
  data.dispose();
  model.dispose();
});

test('a model with two inputs trains whole, with the reason in the log', () => {
  const a = tf.input({ shape: [4] });
  const b = tf.input({ shape: [4] });
  const frozen = tf.layers.dense({ units: 4, name: 'frozen_dense' });
  const joined = tf.layers.concatenate().apply([frozen.apply(a) as tf.SymbolicTensor, b]) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: CLASSES, activation: 'softmax', name: 'head_out' }).apply(joined) as tf.SymbolicTensor;
  const model = tf.model({ inputs: [a, b], outputs: out });
  applyFreezePlan(model, new Set(['head_out']), 'inference');
  const data = source(2, 2, 1);
  const logs: string[] = [];
  const exec = planPhaseExecution({ model, train: data, val: data, augmentation: NO_AUGMENTATION, pipelineKey: 'test', log: (m) => logs.push(m) });
  assert.equal(exec.model, model);
  assert.equal(exec.cache.used, false);
  assert.match(logs.join('\n'), /the model has 2 inputs/);
  exec.dispose();
  data.dispose();
  model.dispose();
});
