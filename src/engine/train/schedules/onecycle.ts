/**
 * fastai's `fit_one_cycle` rate: pct_start 0.25, div 25, div_final 1e5. Over the first 25% of the
 * steps a cosine from base/25 up to base, then a cosine down to base/(25 x 1e5).
 */
import type { ScheduleFactory } from './schedule';

export const ONE_CYCLE = { pctStart: 0.25, div: 25, divFinal: 1e5 } as const;

/** fastai's SchedCos: from start to end as t goes 0..1. */
function cosineBetween(start: number, end: number, t: number): number {
  return start + ((1 + Math.cos(Math.PI * (1 - t))) * (end - start)) / 2;
}

export const oneCycleSchedule: ScheduleFactory = ({ baseRate, totalSteps }) => {
  const start = baseRate / ONE_CYCLE.div;
  const end = start / ONE_CYCLE.divFinal;
  const total = Math.max(1, totalSteps);
  return {
    rateAt: ({ step }) => {
      const t = step / total;
      if (t < ONE_CYCLE.pctStart) return cosineBetween(start, baseRate, t / ONE_CYCLE.pctStart);
      return cosineBetween(baseRate, end, (t - ONE_CYCLE.pctStart) / (1 - ONE_CYCLE.pctStart));
    },
  };
};
