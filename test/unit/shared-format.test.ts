/** The number formats the panel and the stage facts share (src/shared/format.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCount, formatPercent, formatPoints, formatRate, formatSeconds, orDash } from '../../src/shared/format';

test('counts, percents and durations read the same on both sides', () => {
  assert.deepEqual([2257984, 12840, 640, 9999.6].map(formatCount), ['2.26 M', '12.8 k', '640', '10000']);
  assert.equal(formatPercent(0.9312), '93.1 %');
  assert.equal(formatSeconds(9.2), '9.2 s');
  assert.equal(formatSeconds(83.4), '1 min 23 s');
});

test('learning rates as decades, changes as signed points, missing values as a dash', () => {
  assert.deepEqual([0.001, 0.0005, 0.00025].map(formatRate), ['1e-3', '5e-4', '2.5e-4']);
  assert.deepEqual([6.8, -1.25, 0].map(formatPoints), ['+6.8 points', '−1.3 points', '±0.0 points']);
  assert.equal(orDash(null, formatPercent), '—');
  assert.equal(orDash(0.5, formatPercent), '50.0 %');
});
