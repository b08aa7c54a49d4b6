/**
 * The learning-rate schedules by name. A new schedule is one file exporting a `ScheduleFactory`
 * plus one entry in SCHEDULES (or a `registerSchedule` call, as the tests do).
 */
import type { PhaseConfig } from '../../../protocol/config';
import { constantSchedule } from './constant';
import { cosineSchedule } from './cosine';
import { oneCycleSchedule } from './onecycle';
import type { ScheduleFactory } from './schedule';

export { withWarmup } from './warmup';
export type { LearningRateSchedule, ScheduleFactory, ScheduleSettings, ScheduleStep } from './schedule';

const SCHEDULES = new Map<string, ScheduleFactory>([
  ['constant', constantSchedule],
  ['cosine', cosineSchedule],
  ['onecycle', oneCycleSchedule],
]);

/** Adds a schedule under a new name. */
export function registerSchedule(name: string, factory: ScheduleFactory): void {
  if (SCHEDULES.has(name)) throw new Error(`A learning-rate schedule named "${name}" is already registered.`);
  SCHEDULES.set(name, factory);
}

export function scheduleNames(): string[] {
  return [...SCHEDULES.keys()];
}

/** The schedule a phase asks for (`phases[i].schedule`, default constant). */
export function scheduleNameOf(phase: PhaseConfig): string {
  return phase.schedule ?? 'constant';
}

/** The factory registered under `name`; throws for a name nobody registered. */
export function scheduleFactory(name: string): ScheduleFactory {
  const factory = SCHEDULES.get(name);
  if (!factory) throw new Error(`Unknown learning-rate schedule "${name}" (known: ${scheduleNames().join(', ')}).`);
  return factory;
}
