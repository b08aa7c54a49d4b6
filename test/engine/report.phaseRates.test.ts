import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { PhaseSummary } from '../../src/protocol/run';
import { phaseTable } from '../../src/engine/report/tables';

const phase = (over: Partial<PhaseSummary>): PhaseSummary => ({
  name: 'p', status: 'done', epochsRun: 1, epochsPlanned: 1, valAccuracy: 0.9, valLoss: 0.3, finalValAccuracy: 0.9, finalValLoss: 0.3,
  bestEpoch: 0, stoppedEarly: false, trainableParams: 10, totalParams: 100, learningRate: 0.01, seconds: 1, imagesPerSecond: 10, backend: 'cpu', ...over,
});

test('the report\'s LR column shows a discriminative range and the schedule of each phase', () => {
  const table = phaseTable([phase({ name: 'train head', schedule: 'cosine' }), phase({ name: 'fine-tune', learningRate: 1e-4, learningRateFrom: 1e-5, schedule: 'cosine' })]);
  const rows = table.split('\n').filter((line) => line.startsWith('| train head') || line.startsWith('| fine-tune'));
  assert.match(rows[0] ?? '', /\| 1e-2 cosine \|/);
  assert.match(rows[1] ?? '', /\| 1e-5\.\.1e-4 cosine \|/);
});
