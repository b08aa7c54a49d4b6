// The phase loop's seams: a callback's stop request, a learning-rate schedule added by registration,
// the reported rate being the optimizer's own, and plans that describe phases without touching the model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import type { OptimizerName } from '../../src/protocol/config';
import type { BatchMetrics, TrainingEvent } from '../../src/protocol/run';
import type { TrainingCallback } from '../../src/engine/train/callbacks';
import { learningRateOf } from '../../src/engine/train/optimizers';
import { runPhases } from '../../src/engine/train/runPhases';
import { registerSchedule } from '../../src/engine/train/schedules';
import { phase, tinyPlans, tinyModel, tinySetup, weightValues } from '../fixtures/train/tiny';
import { withTempDir } from '../fixtures/tempDir';

test.before(async () => {
  await tf.setBackend('cpu');
});

const withRunDir = (body: (runDir: string) => Promise<void>): Promise<void> => withTempDir('ftg-callbacks-', body);

for (const kind of ['cancel', 'endPhase'] as const) {
  test(`a callback's '${kind}' request stops training at the next batch`, () =>
    withRunDir(async (runDir) => {
      const model = tinyModel();
      let atStop: Map<string, Float32Array> | undefined;
      const stopper: TrainingCallback = {
        onBatchEnd(context, { epoch, batch }) {
          if (context.phaseIndex === 0 && epoch === 1 && batch === 0) {
            atStop = weightValues(model);
            context.requestStop({ kind, reason: 'test' });
          }
        },
      };
      const batches: string[] = [];
      const phases = [phase({ epochs: 3, trainable: 'all' }), phase({ name: 'tune', epochs: 1, trainable: 'all' })];
      const result = await runPhases({
        model, plans: tinyPlans(model, phases), setupPhase: tinySetup(), runDir, runStartedAt: Date.now(), callbacks: [stopper],
        emit: (event) => { if (event.type === 'batch' || event.type === 'epoch') batches.push(`${event.type} ${event.phaseIndex}:${event.epoch}${event.type === 'batch' ? `:${event.batch}` : ''}`); },
      });
      const firstPhase = batches.filter((line) => line.includes(' 0:'));
      assert.deepEqual(firstPhase, ['batch 0:0:0', 'batch 0:0:1', 'batch 0:0:2', 'epoch 0:0', 'batch 0:1:0']);
      assert.equal(result.phases[0].epochsRun, 1, 'the epoch in progress does not count');
      if (kind === 'cancel') {
        assert.equal(result.status, 'cancelled');
        assert.deepEqual(weightValues(model), atStop, 'no batch trained after the request');
      } else {
        assert.equal(result.status, 'completed');
        assert.equal(result.phases[0].status, 'done');
        assert.equal(result.phases[0].stoppedEarly, true);
        assert.ok(batches.includes('epoch 1:0'), 'the next phase runs');
      }
      model.dispose();
    }));
}

// The "new LR schedule" path: one schedule object, one registration; nothing else changes.
registerSchedule('test-first-step-only', ({ baseRate }) => ({ rateAt: ({ step }) => (step === 0 ? baseRate : 0) }));

async function trainWithSchedule(runDir: string, optimizer: OptimizerName, schedule: string): Promise<{ lrs: number[]; epochLrs: number[]; moved: boolean }> {
  const model = tinyModel();
  const plans = tinyPlans(model, [phase({ epochs: 2, optimizer, learningRate: 0.05, trainable: 'all' })]).map((plan) => ({ ...plan, schedule }));
  let afterFirst: Map<string, Float32Array> | undefined;
  const recorder: TrainingCallback = { onBatchEnd: (_, { epoch, batch }) => { if (epoch === 0 && batch === 0) afterFirst = weightValues(model); } };
  const lrs: number[] = [];
  const epochLrs: number[] = [];
  await runPhases({
    model, plans, setupPhase: tinySetup(), runDir, runStartedAt: Date.now(), callbacks: [recorder],
    emit: (event: TrainingEvent) => { if (event.type === 'batch') lrs.push(event.lr); if (event.type === 'epoch') epochLrs.push(event.lr); },
  });
  const moved = JSON.stringify([...weightValues(model)].map(([, v]) => [...v])) !== JSON.stringify([...afterFirst!].map(([, v]) => [...v]));
  model.dispose();
  return { lrs, epochLrs, moved };
}

for (const optimizer of ['sgd', 'adam', 'rmsprop'] as const) {
  test(`a registered schedule sets the rate ${optimizer} uses and the events report it`, () =>
    withRunDir(async (runDir) => {
      const scheduled = await trainWithSchedule(runDir, optimizer, 'test-first-step-only');
      assert.deepEqual(scheduled.lrs, [0.05, 0, 0, 0, 0, 0]);
      assert.deepEqual(scheduled.epochLrs, [0, 0]);
      assert.equal(scheduled.moved, false, 'with rate 0 after the first step, no weight changes after it');
      const constant = await trainWithSchedule(runDir, optimizer, 'constant');
      assert.deepEqual(constant.lrs, [0.05, 0.05, 0.05, 0.05, 0.05, 0.05]);
      assert.equal(constant.moved, true, 'the constant schedule keeps training');
    }));
}

test('plans use the constant schedule; a plan naming an unregistered schedule fails before its first batch', () =>
  withRunDir(async (runDir) => {
    const model = tinyModel();
    const plans = tinyPlans(model, [phase()]);
    assert.equal(plans[0].schedule, 'constant');
    const batches: number[] = [];
    await assert.rejects(
      runPhases({
        model, plans: plans.map((plan) => ({ ...plan, schedule: 'nope' })), setupPhase: tinySetup(), runDir, runStartedAt: Date.now(),
        emit: (event) => { if (event.type === 'batch') batches.push(event.batch); },
      }),
      /Unknown learning-rate schedule "nope" \(known: constant, cosine, onecycle, test-first-step-only/,
    );
    assert.deepEqual(batches, []);
    model.dispose();
  }));

test('the reported lr is the rate the optimizer applies (SGD\'s step scalar), not the configured one', () =>
  withRunDir(async (runDir) => {
    registerSchedule('test-rising', ({ baseRate }) => ({ rateAt: ({ step }) => baseRate * (step + 1) }));
    const model = tinyModel();
    const plans = tinyPlans(model, [phase({ epochs: 2, optimizer: 'sgd', learningRate: 0.01 })]).map((plan) => ({ ...plan, schedule: 'test-rising' }));
    const applied: number[] = [];
    // SGD multiplies gradients by its kept scalar c = -rate: read it from the optimizer itself.
    const reader: TrainingCallback = { onBatchEnd: ({ optimizer }) => { applied.push(-(optimizer as unknown as { c: tf.Scalar }).c.dataSync()[0]); } };
    const events: BatchMetrics[] = [];
    await runPhases({
      model, plans, setupPhase: tinySetup(), runDir, runStartedAt: Date.now(), callbacks: [reader],
      emit: (event) => { if (event.type === 'batch') events.push(event); },
    });
    assert.equal(events.length, 6);
    events.forEach((event, i) => {
      assert.equal(Math.fround(event.lr), applied[i], `batch ${i}: reported ${event.lr}, applied ${applied[i]} (float32)`);
      assert.ok(Math.abs(event.lr - 0.01 * (i + 1)) < 1e-12);
    });
    model.dispose();
  }));

test('learningRateOf reads the rate back from each optimizer', () => {
  for (const name of ['sgd', 'adam', 'rmsprop'] as const) {
    const optimizer = name === 'sgd' ? tf.train.sgd(0.3) : name === 'adam' ? tf.train.adam(0.3) : tf.train.rmsprop(0.3);
    assert.equal(learningRateOf(optimizer), 0.3);
    optimizer.dispose();
  }
});
