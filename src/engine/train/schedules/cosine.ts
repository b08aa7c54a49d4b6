/** Half a cosine over the phase: base x 0.5 x (1 + cos(pi x t / T)), from the base rate down to 0. */
import type { ScheduleFactory } from './schedule';

export const cosineSchedule: ScheduleFactory = ({ baseRate, totalSteps }) => ({
  rateAt: ({ step }) => baseRate * 0.5 * (1 + Math.cos((Math.PI * step) / Math.max(1, totalSteps))),
});
