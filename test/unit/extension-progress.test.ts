// What the status bar and progress notification say while a run streams events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PhasePlanInfo, TrainingEvent } from '../../src/protocol/run';
import { formatDuration, ProgressTracker } from '../../src/extension/training/progressTracker';

const phase = (name: string, epochs: number): PhasePlanInfo => ({
  name, epochs, batchSize: 10, optimizer: 'adam', learningRate: 1e-3, trainableParams: 1, totalParams: 2, trainableLayers: 1, totalLayers: 2, batchNorm: 'inference',
});
const run: TrainingEvent = {
  type: 'run', runId: 'r', runDir: '/r', backend: 'cpu', threads: 1, classes: ['a', 'b'], trainImages: 40, valImages: 10,
  model: { base: 'b', baseParams: 1, baseLayers: 1, cutLayer: 'c', inputShape: [96, 96, 3], headLayers: [], headParams: 1 },
  phases: [phase('head', 2), phase('finetune', 3)], resumedFrom: null,
};
const batch = (phaseIndex: number, epoch: number, b: number, seconds: number): TrainingEvent => ({
  type: 'batch', phase: phaseIndex === 0 ? 'head' : 'finetune', phaseIndex, epoch, batch: b, batchesPerEpoch: 4, loss: 1, accuracy: 0.5, lr: 1e-3, seconds,
});

test('phase, epoch and time left follow the events', () => {
  const tracker = new ProgressTracker();
  assert.equal(tracker.view().status, 'preparing…');
  tracker.apply(run);
  tracker.apply({ type: 'phase', phase: 'head', phaseIndex: 0, plan: phase('head', 2), backend: 'cpu', cache: { used: true, reason: '' } });
  tracker.apply(batch(0, 0, 0, 2));
  // 1 of 8 batches took 2 s -> 14 s left.
  assert.equal(tracker.view().status, 'head 1/2 · epoch 1/2 · 0:14 left');
  tracker.apply(batch(0, 1, 3, 16));
  assert.equal(tracker.view().status, 'head 1/2 · epoch 2/2 · 0:00 left');
  assert.equal(tracker.view().fraction, 8 / 20);
  tracker.apply({ type: 'epoch', phase: 'head', phaseIndex: 0, epoch: 1, epochs: 2, loss: 1, accuracy: 0.5, val_loss: 1, val_accuracy: 0.625, lr: 1e-3, seconds: 17, imagesPerSecond: 5 });
  assert.match(tracker.view().message, /val accuracy 62\.5%$/);
  tracker.apply({ type: 'phase', phase: 'finetune', phaseIndex: 1, plan: phase('finetune', 3), backend: 'cpu', cache: { used: false, reason: 'all trainable' } });
  assert.equal(tracker.view().status, 'finetune 2/2 · epoch 1/3 · estimating time');
  tracker.apply(batch(1, 0, 1, 23));
  // the new phase is timed from its own start: 2 batches in 6 s, 10 left -> 30 s.
  assert.equal(tracker.view().status, 'finetune 2/2 · epoch 1/3 · 0:30 left');
});

test('durations', () => {
  assert.equal(formatDuration(65), '1:05');
  assert.equal(formatDuration(3725), '1:02:05');
});
