/** The one set of number formats (src/shared/format.ts) that the CLI, the panel and the report share. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  exactTooltip, formatClock, formatCount, formatDuration, formatInteger, formatLoss, formatParams, formatPercent, formatPhaseRate, formatPoints, formatRate, formatScore, formatSpeed, MISSING,
} from '../../src/shared/format';

test('integers get thousands separators; parameter counts switch to k and M from ten thousand', () => {
  assert.deepEqual([2562, 2257984, 0, 9999.6].map(formatInteger), ['2,562', '2,257,984', '0', '10,000']);
  assert.deepEqual([2257984, 12840, 887000, 6405, 640].map(formatParams), ['2.26M', '12.8k', '887.0k', '6,405', '640']);
});

test('one count format for parameters, images, batches and layers; the exact value only where it was compacted', () => {
  assert.deepEqual([2562, 888_600, 2_257_984, 6405, 12].map(formatCount), ['2,562', '888.6k', '2.26M', '6,405', '12']);
  assert.equal(formatParams, formatCount, 'parameter counts are counts');
  assert.deepEqual([2562, 888_600, 2_257_984, Number.NaN].map(exactTooltip), [null, '888,600', '2,257,984', null]);
});

test('percentages and changes in points have one decimal; a change that rounds to zero has no sign', () => {
  assert.deepEqual([0.9312, 1, 0.0004].map(formatPercent), ['93.1%', '100.0%', '0.0%']);
  assert.deepEqual([0.068, -0.0125, 0, 0.0004].map(formatPoints), ['+6.8 pts', '−1.3 pts', '±0.0 pts', '±0.0 pts']);
});

test('durations read as elapsed time, the CLI countdown as a clock', () => {
  assert.deepEqual([9.2, 75.4, 3900].map(formatDuration), ['9.2s', '1m 15s', '1h 5m']);
  assert.deepEqual([5, 75, 3725, -1].map(formatClock), ['0:05', '1:15', '1:02:05', '--:--']);
});

test('rates as decades, losses with four decimals, scores with three, speed with one', () => {
  assert.deepEqual([0.001, 0.0005, 0.00025].map(formatRate), ['1e-3', '5e-4', '2.5e-4']);
  assert.equal(formatLoss(0.48), '0.4800');
  assert.equal(formatScore(0.91234), '0.912');
  assert.equal(formatSpeed(212.43), '212.4');
});

test('every format shows a missing or non-finite number as the same dash', () => {
  const formats = [formatInteger, formatCount, formatPercent, formatPoints, formatDuration, formatRate, formatLoss, formatScore, formatSpeed];
  for (const format of formats) for (const value of [null, undefined, Number.NaN, Infinity]) assert.equal(format(value), MISSING, `${format.name}(${value})`);
  assert.equal(formatClock(Number.NaN), '--:--');
});

test('a phase rate reads as the recipe has it: plain, a discriminative range, a schedule', () => {
  assert.equal(formatPhaseRate({ learningRate: 0.01 }), '1e-2');
  assert.equal(formatPhaseRate({ learningRate: 1e-4, learningRateFrom: 1e-5, schedule: 'cosine' }), '1e-5..1e-4 cosine');
  assert.equal(formatPhaseRate({ learningRate: 1e-3, schedule: 'onecycle' }), '1e-3 onecycle');
});
