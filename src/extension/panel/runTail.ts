/**
 * Follows a run that another process is writing (a `finetune-guide train` in a terminal): new lines
 * of its metrics become live points, and its summary (or the process going away) ends it.
 * Pure Node, no vscode; the controller calls poll() on a timer.
 */
import { readMetricsFrom, readSummary, stillRunning } from '../../runs';
import { addMetricRecords } from './runReader';
import type { AppendedPoints, RunRecord } from './runRecord';

export interface TailResult {
  readonly points: AppendedPoints;
  /** True once the run has ended (its summary written, or its process gone). */
  readonly finished: boolean;
}

export class RunTail {
  constructor(readonly record: RunRecord) {}

  /** Reads what was appended since the last poll (or since the run was read). */
  async poll(): Promise<TailResult> {
    // Only complete lines: the writer may be in the middle of one.
    const appended = await readMetricsFrom(this.record.runDir, this.record.metricsBytes);
    this.record.metricsBytes = appended.bytes;
    const points = addMetricRecords(this.record, appended.records);
    const summary = await readSummary(this.record.runDir);
    if (summary) {
      this.record.setSummary(summary);
      return { points, finished: true };
    }
    if (!(await stillRunning(this.record.runDir))) {
      this.record.status = 'interrupted';
      return { points, finished: true };
    }
    return { points, finished: false };
  }
}
