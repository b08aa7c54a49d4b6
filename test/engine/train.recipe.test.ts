/**
 * The recipe fields change training as documented, on the tiny model (cpu): the schedules' batch
 * rates in metrics, warmup, discriminative groups (each block's step is its rate x its gradient with
 * sgd, and `lrGroups` shows the rates), weight decay, label smoothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import type { PhaseConfig } from '../../src/protocol/config';
import type { BatchMetrics, TrainingEvent } from '../../src/protocol/run';
import { runPhases } from '../../src/engine/train/runPhases';
import { phase, tinyData, tinyModel, tinyPlans, tinySetup, weightValues } from '../fixtures/train/tiny';
import { withTempDir } from '../fixtures/tempDir';

test.before(async () => {
  await tf.setBackend('cpu');
});

/** Trains `phases` on a fresh tiny model; the batch events and the model (the caller disposes it). */
async function train(phases: PhaseConfig[], options: { model?: tf.LayersModel; batchSize?: number; data?: { xs: number[][]; labels: number[] } } = {}): Promise<{ batches: BatchMetrics[]; model: tf.LayersModel }> {
  const model = options.model ?? tinyModel(1);
  const batches: BatchMetrics[] = [];
  await withTempDir('ftg-recipe-', async (runDir) => {
    const result = await runPhases({
      model, plans: tinyPlans(model, phases), runDir, runStartedAt: Date.now(),
      setupPhase: options.data ? tinySetup(options.batchSize ?? 16, options.data, options.data) : tinySetup(options.batchSize ?? 16),
      emit: (event: TrainingEvent) => { if (event.type === 'batch') batches.push(event); },
    });
    assert.equal(result.status, 'completed', result.message);
  });
  return { batches, model };
}

const close = (a: number, b: number, tolerance = 1e-9): boolean => Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(b));

test('a cosine phase: the batch rates fall as base x 0.5 x (1 + cos(pi t / T))', async () => {
  // 48 samples in batches of 16: 3 batches an epoch, 9 steps.
  const { batches, model } = await train([phase({ epochs: 3, schedule: 'cosine', learningRate: 0.01 })]);
  model.dispose();
  assert.equal(batches.length, 9);
  batches.forEach((b, step) => assert.ok(close(b.lr, 0.01 * 0.5 * (1 + Math.cos((Math.PI * step) / 9))), `step ${step}: ${b.lr}`));
  for (let i = 1; i < batches.length; i++) assert.ok((batches[i] as BatchMetrics).lr < (batches[i - 1] as BatchMetrics).lr, 'falls at every step');
});

test('a onecycle phase: up from base/25 to base over the first quarter, then down to base/2.5e6 (fastai fit_one_cycle)', async () => {
  const base = 0.02;
  // 48 samples in batches of 4: 12 batches an epoch, 4 epochs = 48 steps.
  const { batches, model } = await train([phase({ epochs: 4, schedule: 'onecycle', learningRate: base })], { batchSize: 4 });
  model.dispose();
  assert.equal(batches.length, 48);
  const cos = (start: number, end: number, t: number): number => start + ((1 + Math.cos(Math.PI * (1 - t))) * (end - start)) / 2;
  batches.forEach((b, step) => {
    const t = step / 48;
    const expected = t < 0.25 ? cos(base / 25, base, t / 0.25) : cos(base, base / 25 / 1e5, (t - 0.25) / 0.75);
    assert.ok(close(b.lr, expected), `step ${step}: ${b.lr} vs ${expected}`);
  });
  assert.ok(close((batches[0] as BatchMetrics).lr, base / 25), 'starts at base / 25');
  const peak = batches.reduce((best, b, i) => (b.lr > (batches[best] as BatchMetrics).lr ? i : best), 0);
  assert.equal(peak, 12, 'peaks at 25% of the steps');
  assert.ok(close((batches[12] as BatchMetrics).lr, base));
  assert.ok((batches[47] as BatchMetrics).lr < base / 25 / 10, 'ends well below the start');
});

test('warmupEpochs: the rate rises linearly as (step + 1) / warmup steps, then the schedule', async () => {
  const { batches, model } = await train([phase({ epochs: 3, learningRate: 0.03, warmupEpochs: 1 })]);
  model.dispose();
  assert.deepEqual(batches.map((b) => Number(b.lr.toPrecision(10))), [0.01, 0.02, 0.03, 0.03, 0.03, 0.03, 0.03, 0.03, 0.03]);
});

test('discriminative rates: each block steps by its own rate x its gradient, and metrics show the group rates', async () => {
  const data = { xs: [[1, 2, 0.5, -0.5], [-1, -3, 0.2, 0.1]], labels: [1, 0] };
  const model = tinyModel(1);
  const xs = tf.tensor2d(data.xs);
  const ys = tf.oneHot(tf.tensor1d(data.labels, 'int32'), 2);
  const kernels = [model.getLayer('base_dense'), model.getLayer('head')].map((layer) => layer.weights[0]!);
  const gradients = tf.tidy(() => {
    const loss = (): tf.Scalar => tf.mean(tf.metrics.categoricalCrossentropy(ys, model.apply(xs) as tf.Tensor));
    const { grads } = tf.variableGrads(loss, kernels.map((k) => k.read() as tf.Variable));
    return kernels.map((k) => (grads[(k.read() as tf.Variable).name] as tf.Tensor).dataSync().slice());
  });
  tf.dispose([xs, ys]);
  const before = kernels.map((k) => k.read().dataSync().slice());
  const { batches } = await train([phase({ epochs: 1, batchSize: 2, optimizer: 'sgd', trainable: 'all', learningRate: { from: 0.001, to: 0.1 } })], { model, batchSize: 2, data });
  const after = kernels.map((k) => k.read().dataSync().slice());
  model.dispose();
  [0.001, 0.1].forEach((rate, g) => {
    const grad = gradients[g] as Float32Array;
    const i = grad.findIndex((v) => Math.abs(v) > 1e-3);
    assert.ok(i >= 0, 'a non-zero gradient');
    const ratio = ((before[g] as Float32Array)[i]! - (after[g] as Float32Array)[i]!) / grad[i]!;
    assert.ok(Math.abs(ratio - rate) < rate * 0.02, `group ${g}: step / gradient ${ratio}, rate ${rate}`);
  });
  assert.equal(batches.length, 1);
  const [batch] = batches as [BatchMetrics];
  assert.equal(batch.lr, 0.1, 'lr is the head\'s rate');
  assert.deepEqual(Object.values(batch.lrGroups ?? {}), [0.001, 0.1]);
  assert.equal(Object.keys(batch.lrGroups ?? {}).at(-1), 'head');
});

test('discriminative rates over three groups are geometric (fastai slice), also under a schedule', async () => {
  // input -> base_dense -> mid_dense -> head: three blocks with weights.
  const input = tf.input({ shape: [4] });
  const h1 = tf.layers.dense({ units: 6, activation: 'relu', name: 'base_dense', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }).apply(input) as tf.SymbolicTensor;
  const h2 = tf.layers.dense({ units: 6, activation: 'relu', name: 'mid_dense', kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) }).apply(h1) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 2, activation: 'softmax', name: 'head', kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }) }).apply(h2) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out });
  const phases = [phase({ epochs: 1, trainable: 'all', schedule: 'cosine', learningRate: { from: 1e-4, to: 1e-2 } })];
  const [plan] = tinyPlans(model, phases);
  assert.deepEqual(plan?.rateGroups?.map((g) => g.name), ['base_dense', 'mid_dense', 'head']);
  assert.deepEqual([plan?.info.learningRateFrom, plan?.info.learningRate, plan?.info.schedule], [1e-4, 1e-2, 'cosine'], 'the phase event shows the range and schedule');
  const { batches } = await train(phases, { model });
  model.dispose();
  batches.forEach((b, step) => {
    const factor = 0.5 * (1 + Math.cos((Math.PI * step) / 3));
    const rates = Object.values(b.lrGroups ?? {});
    assert.equal(rates.length, 3);
    [1e-4, 1e-3, 1e-2].forEach((base, g) => assert.ok(close(rates[g] as number, base * factor, 1e-6), `step ${step} group ${g}: ${rates[g]}`));
    assert.ok(close(b.lr, 1e-2 * factor));
  });
});

test('weightDecay shrinks the kernels by rate x wd after the step; biases are not decayed', async () => {
  const data = tinyData(8, 5);
  const run = async (weightDecay: number): Promise<Map<string, Float32Array>> => {
    const { model } = await train([phase({ epochs: 1, batchSize: 8, optimizer: 'sgd', trainable: 'all', learningRate: 0.1, weightDecay })], { batchSize: 8, data });
    const weights = weightValues(model);
    model.dispose();
    return weights;
  };
  const plain = await run(0);
  const decayed = await run(0.5);
  for (const [name, values] of plain) {
    const other = decayed.get(name) as Float32Array;
    const expected = name.endsWith('kernel') ? 1 - 0.1 * 0.5 : 1;
    values.forEach((v, i) => assert.ok(Math.abs(other[i]! - v * expected) < 1e-6, `${name}[${i}]: ${other[i]} vs ${v} x ${expected}`));
  }
});

test('labelSmoothing: the training loss is the cross-entropy against smoothed targets, as computed by hand', async () => {
  const data = tinyData(8, 11);
  const smoothing = 0.2;
  const probe = tinyModel(1);
  const probabilities = tf.tidy(() => (probe.predict(tf.tensor2d(data.xs)) as tf.Tensor).arraySync() as number[][]);
  probe.dispose();
  const byHand = (s: number): number => probabilities.reduce((sum, p, i) => {
    const target = [0, 1].map((c) => (c === data.labels[i] ? 1 : 0) * (1 - s) + s / 2);
    return sum - target.reduce((acc, t, c) => acc + t * Math.log(p[c] as number), 0);
  }, 0) / probabilities.length;
  const loss = async (labelSmoothing: number): Promise<number> => {
    const { batches, model } = await train([phase({ epochs: 1, batchSize: 8, labelSmoothing })], { batchSize: 8, data });
    model.dispose();
    return (batches[0] as BatchMetrics).loss;
  };
  const smoothed = await loss(smoothing);
  const plain = await loss(0);
  assert.ok(Math.abs(smoothed - byHand(smoothing)) < 1e-4, `smoothed ${smoothed} vs by hand ${byHand(smoothing)}`);
  assert.ok(Math.abs(plain - byHand(0)) < 1e-4, `plain ${plain} vs by hand ${byHand(0)}`);
  assert.ok(Math.abs(smoothed - plain) > 1e-3, 'smoothing changes the loss');
});
