/** Linear warmup over a schedule: the first `warmupSteps` steps get the schedule's rate x (step + 1) / warmupSteps. */
import type { LearningRateSchedule } from './schedule';

export function withWarmup(schedule: LearningRateSchedule, warmupSteps: number): LearningRateSchedule {
  if (warmupSteps <= 0) return schedule;
  return {
    rateAt: (at) => schedule.rateAt(at) * (at.step < warmupSteps ? (at.step + 1) / warmupSteps : 1),
  };
}
