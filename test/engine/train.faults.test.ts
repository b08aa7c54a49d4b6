import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import type { EpochMetrics, TrainingEvent } from '../../src/protocol/run';
import { loadCheckpoint } from '../../src/engine/train/checkpoint';
import { readCheckpointState } from '../../src/runs';
import { evaluate } from '../../src/engine/train/evaluate';
import { runPhases } from '../../src/engine/train/runPhases';
import type { PhaseSetupFactory } from '../../src/engine/train/types';
import { memorySource, phase, tinyData, tinyPlans, tinyModel, tinySetup, weightValues } from '../fixtures/train/tiny';
import { withTempDir } from '../fixtures/tempDir';

test.before(async () => {
  await tf.setBackend('cpu');
});

const withRunDir = (body: (runDir: string) => Promise<void>): Promise<void> => withTempDir('ftg-train-', body);

test('early stopping stops after `patience` worse epochs and restores the best weights', () =>
  withRunDir(async (runDir) => {
    // Validation labels are the opposite of training labels: the better it trains, the worse val gets.
    const train = tinyData(48);
    const val = { xs: train.xs, labels: train.labels.map((label) => 1 - label) };
    const model = tinyModel();
    let afterFirstEpoch: Map<string, Float32Array> | undefined;
    const result = await runPhases({
      model, plans: tinyPlans(model, [phase({ epochs: 10, earlyStoppingPatience: 2, optimizer: 'sgd', learningRate: 0.5, trainable: 'all' })]),
       setupPhase: tinySetup(16, train, val), runDir, runStartedAt: Date.now(),
      emit: (event) => { if (event.type === 'epoch' && event.epoch === 0) afterFirstEpoch = weightValues(model); },
    });
    const summary = result.phases[0];
    assert.equal(result.status, 'completed');
    assert.equal(summary.stoppedEarly, true);
    assert.equal(summary.epochsRun, 3);
    assert.equal(summary.bestEpoch, 0);
    assert.ok(summary.finalValLoss > summary.valLoss, 'later epochs were worse');
    assert.deepEqual(weightValues(model), afterFirstEpoch);
    const again = await evaluate(model, memorySource(val.xs, val.labels, 16), 0);
    assert.ok(Math.abs(again.loss - summary.valLoss) < 1e-5);
    model.dispose();
  }));

test('cancel at a batch keeps a loadable checkpoint; resume finishes the same epoch count', () =>
  withRunDir(async (runDir) => {
    const phases = [phase({ epochs: 2 }), phase({ name: 'tune', epochs: 3, trainable: 'all', learningRate: 0.001 })];
    const controller = new AbortController();
    const model = tinyModel();
    const cancelled = await runPhases({
      model, plans: tinyPlans(model, phases), setupPhase: tinySetup(), runDir, runStartedAt: Date.now(), signal: controller.signal,
      emit: (event) => { if (event.type === 'batch' && event.phaseIndex === 1 && event.epoch === 1 && event.batch === 1) controller.abort(); },
    });
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(cancelled.phases[1].status, 'cancelled');
    const state = await readCheckpointState(runDir);
    assert.equal(state?.phaseIndex, 1);
    assert.equal(state?.epochsDone, 1, 'the epoch in progress is the only one lost');
    const saved = weightValues(model);
    model.dispose();

    const checkpoint = await loadCheckpoint(runDir);
    assert.ok(checkpoint);
    const resumedModel = tinyModel(42);
    const epochs: EpochMetrics[] = [];
    const resumed = await runPhases({
      model: resumedModel, plans: tinyPlans(resumedModel, phases), setupPhase: tinySetup(), runDir, runStartedAt: Date.now(), resumeFrom: checkpoint,
      emit: (event: TrainingEvent) => { if (event.type === 'epoch') epochs.push(event); },
    });
    assert.equal(resumed.status, 'completed');
    assert.deepEqual(epochs.map((e) => `${e.phaseIndex}:${e.epoch}`), ['1:1', '1:2']);
    assert.deepEqual(resumed.phases.map((p) => [p.name, p.epochsRun]), [['head', 2], ['tune', 3]]);
    assert.notDeepEqual(weightValues(resumedModel), saved, 'training went on from the checkpoint');
    resumedModel.dispose();
  }));

test('a cancel during the validation pass ends the run as cancelled with the previous checkpoint', () =>
  withRunDir(async (runDir) => {
    const controller = new AbortController();
    const base = tinySetup();
    const setupPhase: PhaseSetupFactory = async (request) => {
      const setup = await base(request);
      const val = setup.val;
      return { ...setup, val: { ...val, batches: (epoch: number) => { if (epoch === 1) controller.abort(); return val.batches(epoch); } } };
    };
    const model = tinyModel();
    const result = await runPhases({ model, plans: tinyPlans(model, [phase({ epochs: 3 })]), setupPhase, runDir, runStartedAt: Date.now(), signal: controller.signal, emit: () => undefined });
    assert.equal(result.status, 'cancelled');
    assert.equal((await readCheckpointState(runDir))?.epochsDone, 1);
    assert.equal(tf.memory().numTensors > 0, true);
    model.dispose();
  }));

test('a NaN loss stops at once, suggests a lower learning rate and keeps the last good checkpoint', () =>
  withRunDir(async (runDir) => {
    const base = tinySetup();
    const setupPhase: PhaseSetupFactory = async (request) => {
      const setup = await base(request);
      const train = setup.train;
      const poisoned = { ...train, async *batches(epoch: number) {
        for await (const batch of train.batches(epoch)) {
          if (epoch === 1) { const xs = tf.fill(batch.xs.shape, Number.NaN); batch.xs.dispose(); yield { xs, ys: batch.ys }; } else yield batch;
        }
      } };
      return { ...setup, train: poisoned };
    };
    const model = tinyModel();
    const batches: number[] = [];
    const result = await runPhases({
      model, plans: tinyPlans(model, [phase({ epochs: 3, learningRate: 0.02 })]), setupPhase, runDir, runStartedAt: Date.now(),
      emit: (event) => { if (event.type === 'batch' && event.epoch === 1) batches.push(event.batch); },
    });
    assert.equal(result.status, 'failed');
    assert.match(result.message ?? '', /not a finite number/);
    assert.match(result.message ?? '', /phases\[0\]\.learningRate, now 0\.02/);
    assert.deepEqual(batches, [], 'no batch after the bad one was trained or reported');
    const checkpoint = await loadCheckpoint(runDir);
    assert.equal(checkpoint?.state.epochsDone, 1);
    assert.ok(checkpoint?.weights.every((w) => w.dataSync().every(Number.isFinite)));
    tf.dispose(checkpoint?.weights ?? []);
    model.dispose();
  }));

test('tf.memory().numTensors does not grow from epoch to epoch', () =>
  withRunDir(async (runDir) => {
    const model = tinyModel();
    const counts: number[] = [];
    await runPhases({
      model, plans: tinyPlans(model, [phase({ epochs: 5, earlyStoppingPatience: 10, trainable: 'all' })]), setupPhase: tinySetup(), runDir, runStartedAt: Date.now(),
      emit: (event) => { if (event.type === 'epoch') counts.push(tf.memory().numTensors); },
    });
    assert.equal(counts.length, 5);
    // The first epoch creates the optimizer's slots and the best-weights copy; after that, flat.
    assert.deepEqual(counts.slice(2), [counts[1], counts[1], counts[1]]);
    model.dispose();
  }));
