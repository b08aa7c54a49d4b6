/**
 * The batch-loss smoothing the user picks: an exponential moving average, bias-corrected (as Adam and
 * TensorBoard do) so the first points are not pulled towards zero, restarted at every phase. Pure.
 */
/** A point as chart.js draws it (declared here so the Node tests import this file without chart.js). */
type XY = { x: number; y: number };

/** Smoothing factors offered, 0 = raw. */
export const SMOOTHING_CHOICES = [0, 0.6, 0.9, 0.97, 0.99] as const;
export const DEFAULT_SMOOTHING = 0.9;

export function smoothSeries(points: readonly (XY & { phaseIndex: number })[], factor: number): XY[] {
  const out: XY[] = [];
  let phase = Number.NaN;
  let value = 0;
  let steps = 0;
  for (const point of points) {
    if (point.phaseIndex !== phase) {
      phase = point.phaseIndex;
      value = 0;
      steps = 0;
    }
    // A NaN loss (the engine stops on it) must not poison the curve drawn so far.
    if (Number.isFinite(point.y)) {
      value = factor * value + (1 - factor) * point.y;
      steps++;
    }
    out.push({ x: point.x, y: steps > 0 ? value / (1 - factor ** steps) : point.y });
  }
  return out;
}
