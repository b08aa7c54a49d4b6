// The learning-rate finder's curve math (lrFindCurve.ts): exponential rates, fastai's smoothing and valley rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LR_FIND_DEFAULTS, SmoothedLoss, sweepRate, valleyIndex, valleySuggestion, valleyWindow } from '../../src/engine/train/lrFindCurve';

test('the rates grow exponentially from 1e-7 to 10 over 100 steps', () => {
  const rates = Array.from({ length: 100 }, (_, i) => sweepRate(i, 100, LR_FIND_DEFAULTS.startRate, LR_FIND_DEFAULTS.endRate));
  assert.equal(rates[0], 1e-7);
  assert.ok(Math.abs((rates[99] as number) - 10) < 1e-9);
  const ratio = (rates[1] as number) / (rates[0] as number);
  for (let i = 1; i < 100; i++) assert.ok(Math.abs((rates[i] as number) / (rates[i - 1] as number) - ratio) < 1e-9, `step ${i}`);
  // Eight decades in 99 steps.
  assert.ok(Math.abs(Math.log10(ratio) - 8 / 99) < 1e-12);
});

test('the smoothed loss is the bias-corrected moving average (beta 0.98)', () => {
  const smoother = new SmoothedLoss(0.98);
  // The first value is the loss itself (bias correction), a constant stays constant.
  assert.ok(Math.abs(smoother.add(2) - 2) < 1e-12);
  assert.ok(Math.abs(smoother.add(2) - 2) < 1e-12);
  // By hand: avg = 0.98 * (0.98 * 0.02 * 2 + 0.02 * 2) + 0.02 * 5, over 1 - 0.98^3.
  const avg = 0.98 * (0.98 * 0.02 * 2 + 0.02 * 2) + 0.02 * 5;
  assert.ok(Math.abs(smoother.add(5) - avg / (1 - 0.98 ** 3)) < 1e-12);
});

test('valley: on a flat start, a long descent and a blow-up, the suggestion is inside the descent, about half way down', () => {
  // 100 points: flat 2.0 (0..29), falling 2.0 -> 0.5 (30..69), rising fast (70..99).
  const losses = Array.from({ length: 100 }, (_, i) => (i < 30 ? 2 : i < 70 ? 2 - (1.5 * (i - 29)) / 40 : 0.5 + 0.3 * (i - 69)));
  const index = valleyIndex(losses);
  // The longest decreasing run ends at the bottom (69) and starts at the last flat point (29): 41 points.
  // fastai: start = 69 - 41 = 28; sections = 41 / 3; idx = 28 + 13 + 6 = 47.
  assert.equal(index, 47);
  const rates = losses.map((_, i) => sweepRate(i, 100, 1e-7, 10));
  // The window leaves out the first 10 and the last 5 points: the same point, read through the rates.
  assert.deepEqual(valleyWindow(100, 100), [10, 95]);
  assert.equal(valleySuggestion(rates, losses, 100), rates[47]);
});

test('valley: noise does not cut the valley (a decreasing subsequence, gaps allowed)', () => {
  const losses = [3, 2.9, 3.05, 2.7, 2.75, 2.4, 2.45, 2.1, 1.9, 2.0, 1.6, 4, 8];
  const index = valleyIndex(losses) as number;
  // The valley runs from the start to 1.6 (index 10); the suggestion is on its way down.
  assert.ok(index > 0 && index < 10, String(index));
  assert.ok((losses[index] as number) < 3);
});

test('valley: a curve that only rises suggests its first point; too few points suggest nothing', () => {
  assert.equal(valleyIndex([1, 2, 3, 4]), 0);
  assert.equal(valleyIndex([1]), null);
  assert.equal(valleySuggestion([1e-7], [1], 100), null);
  // A sweep stopped early (12 points of 100 planned) is read whole.
  assert.deepEqual(valleyWindow(12, 100), [0, 12]);
});
