/**
 * Follows a run that another process is writing (a `finetune-guide train` in a terminal): new lines
 * of metrics.jsonl become live points, and summary.json (or the process going away) ends it.
 * Pure Node, no vscode; the controller calls poll() on a timer.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { appendMetricLines, readSummary, stillRunning } from './runReader';
import type { AppendedPoints, RunRecord } from './runRecord';

export interface TailResult {
  readonly points: AppendedPoints;
  /** True once the run has ended (summary.json written, or its process is gone). */
  readonly finished: boolean;
}

export class RunTail {
  constructor(readonly record: RunRecord) {}

  /** Reads what was appended since the last poll (or since the run was read). */
  async poll(): Promise<TailResult> {
    const points = await this.readNewLines();
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

  private async readNewLines(): Promise<AppendedPoints> {
    const file = path.join(this.record.runDir, 'metrics.jsonl');
    let handle: fs.FileHandle | undefined;
    try {
      handle = await fs.open(file, 'r');
      const size = (await handle.stat()).size;
      if (size <= this.record.metricsBytes) return { epochs: [], batches: [] };
      const buffer = Buffer.alloc(size - this.record.metricsBytes);
      await handle.read(buffer, 0, buffer.length, this.record.metricsBytes);
      // Only complete lines: the writer may be in the middle of one.
      const end = buffer.lastIndexOf(0x0a) + 1;
      if (end === 0) return { epochs: [], batches: [] };
      this.record.metricsBytes += end;
      return appendMetricLines(this.record, buffer.subarray(0, end).toString('utf8')).points;
    } catch {
      return { epochs: [], batches: [] };
    } finally {
      await handle?.close();
    }
  }
}
