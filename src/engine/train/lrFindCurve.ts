/**
 * The learning-rate finder's curve, pure numbers (no tfjs): the exponential rates, the smoothed loss
 * and the suggestion.
 *
 * The suggestion is fastai's `valley` for the learning-rate finder: the longest valley of the loss curve
 * is the longest decreasing run of points (a longest strictly decreasing subsequence, gaps allowed,
 * so noise does not cut it), and the suggestion sits a third plus a sixth of its length (about half
 * way) past its start: far enough down the slope that the loss falls fast, well before the bottom
 * where it starts to blow up. As fastai, it reads the smoothed losses and leaves out the first tenth
 * of the steps and the last five (their noise and the divergence say nothing about the valley).
 */

export const LR_FIND_DEFAULTS = { startRate: 1e-7, endRate: 10, steps: 100, beta: 0.98, divergence: 4 } as const;

/** The rate of step `i` of `steps`: start x (end/start)^(i/(steps-1)), so the last step is `end`. */
export function sweepRate(i: number, steps: number, startRate: number, endRate: number): number {
  return steps <= 1 ? startRate : startRate * Math.pow(endRate / startRate, i / (steps - 1));
}

/** fastai's `AvgSmoothLoss`: avg = beta avg + (1 - beta) loss, divided by 1 - beta^n (bias correction). */
export class SmoothedLoss {
  private average = 0;
  private count = 0;
  constructor(private readonly beta: number = LR_FIND_DEFAULTS.beta) {}

  add(loss: number): number {
    this.count += 1;
    this.average = this.beta * this.average + (1 - this.beta) * loss;
    return this.average / (1 - Math.pow(this.beta, this.count));
  }
}

/** The index into `losses` of the suggested point, or null for fewer than two points. */
export function valleyIndex(losses: readonly number[]): number | null {
  const n = losses.length;
  if (n < 2) return null;
  // lengths[i]: the longest decreasing run of points that ends at i.
  const lengths = new Array<number>(n).fill(1);
  let end = 0;
  for (let i = 1; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (losses[i] < losses[j] && lengths[i] < lengths[j] + 1) lengths[i] = lengths[j] + 1;
    }
    if (lengths[i] > lengths[end]) end = i;
  }
  // fastai: start = end - length (one before the run's first point), idx = start + int(len/3) + int(len/6).
  const start = end - lengths[end];
  const sections = (end - start) / 3;
  const index = start + Math.floor(sections) + Math.floor(sections / 2);
  return Math.min(n - 1, Math.max(0, index));
}

/** The part of a sweep the valley reads (fastai: `[num_it // 10 : -5]`), as [from, to). */
export function valleyWindow(points: number, plannedSteps: number): readonly [number, number] {
  const from = Math.floor(plannedSteps / 10);
  const to = points - 5;
  // A sweep stopped early may leave too little: then the whole curve is read.
  return to - from >= 2 ? [from, to] : [0, points];
}

/** The suggested rate of a sweep, or null when it has fewer than two points. */
export function valleySuggestion(rates: readonly number[], smoothedLosses: readonly number[], plannedSteps: number): number | null {
  const [from, to] = valleyWindow(smoothedLosses.length, plannedSteps);
  const index = valleyIndex(smoothedLosses.slice(from, to));
  return index === null ? null : (rates[from + index] ?? null);
}
