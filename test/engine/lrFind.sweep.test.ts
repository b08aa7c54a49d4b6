/**
 * The learning-rate sweep (lrFindSweep.ts) on the tiny dense model: exponential rates from 1e-7,
 * the stop when the smoothed loss passes 4x its best, and every weight (BatchNorm statistics
 * included) bit for bit as before, with no tensor left behind.
 */
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { sweepLearningRates } from '../../src/engine/train/lrFindSweep';
import { isGrouped, makeGroupedOptimizer } from '../../src/engine/train/groupedOptimizer';
import { learningRateOf, makeOptimizer } from '../../src/engine/train/optimizers';
import { applyPhasePlan } from '../../src/engine/train/phasePlan';
import { memorySource, phase, tinyData, tinyModel, tinyPlans, weightValues } from '../fixtures/train/tiny';

before(async () => {
  await tf.setBackend('cpu');
});

/** The tiny model with every layer trainable (BatchNorm in training mode), compiled with `optimizer`. */
function compiledTiny(optimizer: tf.Optimizer): tf.LayersModel {
  const model = tinyModel(1, true);
  const [plan] = tinyPlans(model, [phase({ trainable: 'all', batchNorm: 'train' })]);
  applyPhasePlan(model, plan!);
  model.compile({ optimizer, loss: 'categoricalCrossentropy' });
  return model;
}

test('by default the rates grow exponentially from 1e-7 to 10 over 100 steps, one batch each', async () => {
  const optimizer = makeOptimizer('sgd', 1);
  const model = compiledTiny(optimizer);
  const data = tinyData(64, 7);
  try {
    const seen: number[] = [];
    const sweep = await sweepLearningRates({ model, fullModel: model, optimizer, train: memorySource(data.xs, data.labels, 8), onStep: (step) => seen.push(step.rate) });
    assert.equal(sweep.rates[0], 1e-7);
    const ratio = 10 ** (8 / 99);
    sweep.rates.forEach((rate, i) => assert.ok(Math.abs(rate / (1e-7 * ratio ** i) - 1) < 1e-9, `step ${i}: ${rate}`));
    assert.deepEqual(seen, sweep.rates);
    assert.equal(sweep.losses.length, sweep.rates.length);
    assert.equal(sweep.smoothedLosses.length, sweep.rates.length);
    // This model's loss stays under 4x its best up to 10: all 100 steps ran (8 batches per epoch, so 13 epochs).
    assert.equal(sweep.stoppedBy, 'steps');
    assert.equal(sweep.rates.length, 100);
    // The optimizer ran at the rates recorded: its rate now is the last step's.
    assert.ok(Math.abs(Number(optimizer.getConfig()['learningRate']) - 10) < 1e-9);
  } finally {
    optimizer.dispose();
    model.dispose();
  }
});

test('the sweep stops at the first step whose smoothed loss passes 4x its best', async () => {
  const optimizer = makeOptimizer('sgd', 1);
  const model = compiledTiny(optimizer);
  const data = tinyData(256, 7);
  try {
    // Up to 1e4 SGD blows the loss up well before the 100th step.
    const sweep = await sweepLearningRates({ model, fullModel: model, optimizer, train: memorySource(data.xs, data.labels, 32), startRate: 1e-4, endRate: 1e4 });
    assert.equal(sweep.stoppedBy, 'divergence');
    assert.ok(sweep.rates.length < 100 && sweep.rates.length > 20, String(sweep.rates.length));
    const smoothed = sweep.smoothedLosses;
    const last = smoothed[smoothed.length - 1] as number;
    const bestBefore = (i: number): number => Math.min(...smoothed.slice(0, i + 1));
    assert.ok(last > 4 * bestBefore(smoothed.length - 1), `last ${last}, best ${bestBefore(smoothed.length - 1)}`);
    smoothed.slice(0, -1).forEach((value, i) => assert.ok(value <= 4 * bestBefore(i), `step ${i} passed 4x already`));
  } finally {
    optimizer.dispose();
    model.dispose();
  }
});

test('a sweep that never diverges runs exactly the planned steps, across epochs', async () => {
  const optimizer = makeOptimizer('sgd', 1);
  const model = compiledTiny(optimizer);
  const data = tinyData(16, 7);
  try {
    // Rates 1e-7..1e-5: far too small to move the loss; 2 batches per epoch, so 30 steps are 15 epochs.
    const sweep = await sweepLearningRates({ model, fullModel: model, optimizer, train: memorySource(data.xs, data.labels, 8), steps: 30, endRate: 1e-5 });
    assert.equal(sweep.stoppedBy, 'steps');
    assert.equal(sweep.rates.length, 30);
    assert.ok(Math.abs((sweep.rates[29] as number) - 1e-5) < 1e-15);
  } finally {
    optimizer.dispose();
    model.dispose();
  }
});

test('the weights and BatchNorm statistics are bit for bit the same afterwards; no tensor leaks', async () => {
  const optimizer = makeOptimizer('adam', 1);
  const model = compiledTiny(optimizer);
  const data = tinyData(64, 7);
  try {
    const before = weightValues(model);
    assert.ok([...before.keys()].some((name) => name.includes('moving_mean')), 'the model has BatchNorm statistics');
    const tensorsBefore = tf.memory().numTensors;
    let during: Map<string, Float32Array> | undefined;
    const sweep = await sweepLearningRates({ model, fullModel: model, optimizer, train: memorySource(data.xs, data.labels, 8), steps: 40, onStep: () => (during = weightValues(model)) });
    assert.ok(sweep.rates.length > 5);
    const after = weightValues(model);
    assert.deepEqual([...after.keys()], [...before.keys()]);
    for (const [name, values] of before) {
      const now = after.get(name) as Float32Array;
      // Compared as bits, so -0 vs 0 or a NaN would show.
      assert.deepEqual(new Uint32Array(now.buffer.slice(0)), new Uint32Array(values.buffer.slice(0)), name);
    }
    // The sweep did change them (else restoring proves nothing): kernels and BatchNorm statistics at its last step.
    for (const name of ['head/head/kernel', 'base_bn/base_bn/moving_mean']) {
      assert.ok(before.has(name), name);
      assert.notDeepEqual(during?.get(name), before.get(name), name);
    }
    // Adam's moments belong to the optimizer (disposed by the caller); nothing else stays.
    const optimizerSlots = (await optimizer.getWeights()).length;
    assert.ok(tf.memory().numTensors - tensorsBefore <= optimizerSlots + 1, `${tf.memory().numTensors - tensorsBefore} new tensors, ${optimizerSlots} optimizer slots`);
  } finally {
    optimizer.dispose();
    model.dispose();
  }
});

test('with discriminative rates the head sweeps and every group keeps its ratio to it', async () => {
  const model = tinyModel(1);
  const [plan] = tinyPlans(model, [phase({ trainable: 'all', optimizer: 'sgd', learningRate: { from: 0.001, to: 0.1 } })]);
  assert.deepEqual(plan?.rateGroups?.map((g) => g.name), ['base_dense', 'head']);
  applyPhasePlan(model, plan!);
  const optimizer = makeGroupedOptimizer('sgd', model, plan!.rateGroups!);
  model.compile({ optimizer, loss: 'categoricalCrossentropy' });
  const data = tinyData(32, 7);
  try {
    const sweep = await sweepLearningRates({ model, fullModel: model, optimizer, train: memorySource(data.xs, data.labels, 8), steps: 20, endRate: 1e-3 });
    assert.equal(sweep.rates.length, 20);
    assert.ok(isGrouped(optimizer));
    const [base, head] = optimizer.groups.map((group) => learningRateOf(group.optimizer));
    assert.ok(Math.abs((head as number) - 1e-3) < 1e-12, `head ${head}`);
    assert.ok(Math.abs((base as number) / (head as number) - 0.01) < 1e-9, `base ${base}`);
  } finally {
    optimizer.dispose();
    model.dispose();
  }
});
