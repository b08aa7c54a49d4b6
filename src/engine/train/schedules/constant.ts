/** The phase's configured rate at every step (what every phase used before schedules existed). */
import type { ScheduleFactory } from './schedule';

export const constantSchedule: ScheduleFactory = ({ baseRate }) => ({ rateAt: () => baseRate });
