/**
 * Collects live points for the webview and sends them as one `events` message per interval, so a
 * fast run (hundreds of batches a second) does not flood the webview. Pure: the timer is injected.
 */
import type { BatchPoint, EpochPoint, ExtensionMessage } from '../../protocol/webview';
import type { AppendedPoints, RunRecord } from './runRecord';
import { derivedState } from './runView';

/** Starts a one-shot timer; returns a function that cancels it. */
export type Schedule = (callback: () => void, milliseconds: number) => () => void;

export const nodeSchedule: Schedule = (callback, milliseconds) => {
  const timer = setTimeout(callback, milliseconds);
  return () => clearTimeout(timer);
};

export class LiveBuffer {
  private record: RunRecord | undefined;
  private epochs: EpochPoint[] = [];
  private batches: BatchPoint[] = [];
  private cancelTimer: (() => void) | undefined;

  constructor(
    private readonly send: (message: ExtensionMessage) => void,
    private readonly schedule: Schedule = nodeSchedule,
    private readonly intervalMs = 250,
  ) {}

  /** Queues what one event added to `record`; `now` sends at once (the end of a run). */
  add(record: RunRecord, points: AppendedPoints, now = false): void {
    // Points of an older run must not be sent under the new run's id.
    if (this.record !== record) this.clear();
    this.record = record;
    this.epochs.push(...points.epochs);
    this.batches.push(...points.batches);
    if (now) this.flush();
    else this.cancelTimer ??= this.schedule(() => this.flush(), this.intervalMs);
  }

  /** Sends what is queued (with the run's current stages, table and info) in one message. */
  flush(): void {
    const record = this.record;
    const epochs = this.epochs;
    const batches = this.batches;
    this.clear();
    if (record) this.send({ type: 'events', runId: record.runId, epochs, batches, ...derivedState(record) });
  }

  /** Drops what is queued: a snapshot is about to carry it, or nobody is listening. */
  clear(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.record = undefined;
    this.epochs = [];
    this.batches = [];
  }
}
