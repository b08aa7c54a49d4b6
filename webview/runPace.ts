/**
 * The run's pace for its header: images per second and, while it runs, the time left, from the phase
 * columns (seconds so far, epochs run and planned). Pure, so the webview tests can check it.
 */
import type { PhaseColumn } from '../src/protocol/webview';

export interface RunPace {
  readonly imagesPerSecond: number | null;
  /** Null unless a phase is running and at least one epoch has been timed. */
  readonly secondsLeft: number | null;
}

export function runPace(columns: readonly PhaseColumn[], trainImages: number | null, running: boolean): RunPace {
  const timed = columns.filter((c) => c.seconds != null && c.seconds > 0 && c.epochsRun > 0);
  const seconds = timed.reduce((sum, c) => sum + (c.seconds ?? 0), 0);
  const epochs = timed.reduce((sum, c) => sum + c.epochsRun, 0);
  // The engine's own figure for the latest phase when it has one, else train images over the time taken.
  const measured = [...columns].reverse().find((c) => c.imagesPerSecond != null)?.imagesPerSecond ?? null;
  const imagesPerSecond = measured ?? (trainImages && epochs > 0 ? (trainImages * epochs) / seconds : null);
  if (!running || epochs === 0) return { imagesPerSecond, secondsLeft: null };
  const epochsLeft = columns
    .filter((c) => c.status === 'running' || c.status === 'pending')
    .reduce((sum, c) => sum + Math.max(0, (c.epochsPlanned ?? c.epochsRun) - c.epochsRun), 0);
  return { imagesPerSecond, secondsLeft: (seconds / epochs) * epochsLeft };
}
