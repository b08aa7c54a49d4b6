import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { TrainingEvent } from '../../src/protocol/run';
import { planPhases } from '../../src/engine/train/phasePlan';
import { runPhases } from '../../src/engine/train/runPhases';
import { phase, tinyPlans, tinyModel, tinySetup, weightValues } from '../fixtures/train/tiny';

async function tempRun(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'ftg-train-'));
}

test.before(async () => {
  await tf.setBackend('cpu');
});

test('a head-only phase leaves frozen weights bit-for-bit unchanged and changes the head', async () => {
  const model = tinyModel();
  const runDir = await tempRun();
  try {
    const before = weightValues(model);
    const result = await runPhases({
      model, plans: tinyPlans(model, [phase({ epochs: 2 })]), setupPhase: tinySetup(), runDir, emit: () => undefined, runStartedAt: Date.now(),
    });
    assert.equal(result.status, 'completed');
    const after = weightValues(model);
    for (const [name, values] of before) {
      const changed = !Buffer.from(values.buffer).equals(Buffer.from(after.get(name)!.buffer));
      assert.equal(changed, name.startsWith('head/'), `${name} ${changed ? 'changed' : 'unchanged'}`);
    }
  } finally {
    model.dispose();
    await rm(runDir, { recursive: true, force: true });
  }
});

test('each phase trains with its own learning rate (sgd step = lr x gradient)', async () => {
  const model = tinyModel();
  const runDir = await tempRun();
  const data = { xs: [[1, 2, 0.5, -0.5], [-1, -3, 0.2, 0.1]], labels: [1, 0] };
  const phases = [phase({ name: 'one', epochs: 1, optimizer: 'sgd', learningRate: 0.5, batchSize: 2 }), phase({ name: 'two', epochs: 1, optimizer: 'sgd', learningRate: 0.005, trainable: 'all', batchSize: 2 })];
  try {
    // Phase 2 starts from phase 1's weights: run phase 1 alone, then measure the step of phase 2.
    await runPhases({ model, plans: tinyPlans(model, [phases[0]]), setupPhase: tinySetup(2, data, data), runDir, emit: () => undefined, runStartedAt: Date.now() });
    const kernel = model.getLayer('base_dense').getWeights()[0];
    const before = kernel.dataSync().slice();
    const gradient = tf.tidy(() => {
      const xs = tf.tensor2d(data.xs);
      const ys = tf.oneHot(tf.tensor1d(data.labels, 'int32'), 2);
      const loss = (): tf.Scalar => tf.mean(tf.metrics.categoricalCrossentropy(ys, model.apply(xs) as tf.Tensor));
      model.getLayer('base_dense').trainable = true; // phase 2's plan; variableGrads skips frozen variables
      const { grads } = tf.variableGrads(loss, [model.getLayer('base_dense').weights[0].read() as tf.Variable]);
      return Object.values(grads)[0].dataSync().slice();
    });
    const lrs: number[] = [];
    const result = await runPhases({
      model, plans: tinyPlans(model, [phases[1]]), setupPhase: tinySetup(2, data, data), runDir,
      emit: (event: TrainingEvent) => { if (event.type === 'batch') lrs.push(event.lr); }, runStartedAt: Date.now(),
    });
    assert.equal(result.status, 'completed');
    const after = model.getLayer('base_dense').getWeights()[0].dataSync();
    const i = gradient.findIndex((g) => Math.abs(g) > 1e-4);
    assert.ok(i >= 0, 'some gradient is non-zero');
    assert.ok(Math.abs((before[i] - after[i]) / gradient[i] - 0.005) < 5e-4, `step/gradient ${(before[i] - after[i]) / gradient[i]}`);
    assert.deepEqual(lrs, [0.005]);
  } finally {
    model.dispose();
    await rm(runDir, { recursive: true, force: true });
  }
});

test('with the real freeze plan, frozen BatchNorm moving statistics stay bit-for-bit unchanged', async () => {
  const model = tinyModel(1, true);
  const runDir = await tempRun();
  try {
    const before = weightValues(model);
    const result = await runPhases({
      model, plans: planPhases(model, [phase({ epochs: 2, trainable: 'head' })], () => new Set(['head'])), runDir, emit: () => undefined, runStartedAt: Date.now(), setupPhase: tinySetup(),
    });
    assert.equal(result.status, 'completed');
    const after = weightValues(model);
    const changed = [...before.keys()].filter((name) => !Buffer.from(before.get(name)!.buffer).equals(Buffer.from(after.get(name)!.buffer)));
    assert.ok(changed.length > 0 && changed.every((name) => name.startsWith('head/')), `changed: ${changed.join(', ')}`);
    assert.ok([...before.keys()].some((name) => name.includes('moving_mean')), 'the model has BN moving statistics');
  } finally {
    model.dispose();
    await rm(runDir, { recursive: true, force: true });
  }
});
