import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { runPhases } from '../../src/engine/train/runPhases';
import { describeKeptWeights } from '../../src/shared/keptWeights';
import { phase, tinyData, tinyModel, tinyPlans, tinySetup, weightValues } from '../fixtures/train/tiny';
import { withTempDir } from '../fixtures/tempDir';

test.before(async () => {
  await tf.setBackend('cpu');
});

/** Trains a phase whose validation labels are the training labels flipped: every epoch is worse on validation than the one before. */
async function worseningPhase(earlyStoppingPatience: number) {
  return withTempDir('ftg-summary-', async (runDir) => {
    const train = tinyData(48);
    const val = { xs: train.xs, labels: train.labels.map((label) => 1 - label) };
    const model = tinyModel();
    const afterEpoch = new Map<number, Map<string, Float32Array>>();
    const valLosses: number[] = [];
    const result = await runPhases({
      model, plans: tinyPlans(model, [phase({ epochs: 4, earlyStoppingPatience, optimizer: 'sgd', learningRate: 0.5, trainable: 'all' })]),
      setupPhase: tinySetup(16, train, val), runDir, runStartedAt: Date.now(),
      emit: (event) => {
        if (event.type !== 'epoch') return;
        afterEpoch.set(event.epoch, weightValues(model));
        valLosses.push(event.val_loss);
      },
    });
    const outcome = { summary: result.phases[0], valLosses, afterEpoch, final: weightValues(model) };
    model.dispose();
    return outcome;
  });
}

test('early stopping off: the summary names the real best epoch and says the last weights were kept', async () => {
  const { summary, valLosses, afterEpoch, final } = await worseningPhase(0);
  const lowest = Math.min(...valLosses);
  assert.notEqual(valLosses.indexOf(lowest), valLosses.length - 1, 'the fixture makes the last epoch not the best');
  assert.equal(summary.bestEpoch, valLosses.indexOf(lowest));
  assert.equal(summary.bestValLoss, lowest);
  assert.ok(Number.isFinite(summary.bestValAccuracy));
  assert.equal(summary.keptWeights, 'last');
  assert.equal(summary.keptEpoch, 3);
  assert.equal(summary.valLoss, valLosses[3], 'valLoss is the kept (last) weights');
  assert.deepEqual(final, afterEpoch.get(3));
  assert.equal(describeKeptWeights(summary), 'last (epoch 4)');
});

test('early stopping on without stopping: the best epoch\'s weights are kept, and the summary says so', async () => {
  const { summary, valLosses, afterEpoch, final } = await worseningPhase(10);
  const best = valLosses.indexOf(Math.min(...valLosses));
  assert.equal(summary.stoppedEarly, false);
  assert.equal(summary.bestEpoch, best);
  assert.equal(summary.keptWeights, 'best');
  assert.equal(summary.keptEpoch, best);
  assert.equal(summary.valLoss, summary.bestValLoss);
  assert.ok(summary.finalValLoss > summary.valLoss);
  assert.deepEqual(final, afterEpoch.get(best));
});
