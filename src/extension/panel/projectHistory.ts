/**
 * The history of one project's runs as the panel shows it: live events appended to the running
 * run's record, earlier runs read from the runs folder, plus the panel's own choices (focused
 * stage, runs picked for comparison) so a closed and reopened panel shows the same thing. Pure.
 */
import * as path from 'node:path';
import type { TrainingEvent } from '../../protocol/run';
import { isBeforePosition, readMetrics, type ResumePoint } from '../../runs';
import type { ComparedRun, ExtensionMessage, RunListItem, StageId } from '../../protocol/webview';
import { listRunIds, runsFolderOf } from '../../runs';
import { addMetricRecords, readRun } from './runReader';
import { RunRecord, type AppendedPoints } from './runRecord';
import { buildRunView, runListItem } from './runView';

export interface AppliedEvent {
  /** The record the event went to, or null when it belonged to no known run (ignored). */
  readonly record: RunRecord | null;
  /** True when the event started a new run (the webview needs a fresh snapshot). */
  readonly newRun: boolean;
  readonly points: AppendedPoints;
}

/** A resumed run whose rows before the checkpoint are not in memory yet: its live events wait to be replayed after them. */
interface PendingHistory {
  readonly point: ResumePoint;
  readonly events: TrainingEvent[];
}

export class ProjectHistory {
  private readonly runs = new Map<string, RunRecord>();
  private liveRunId: string | null = null;
  private pending: PendingHistory | null = null;
  /** An earlier run the person chose to show; cleared when a new run starts. */
  private pinnedRunId: string | null = null;
  focus: StageId | null = null;
  selectedRunIds: readonly string[] = [];

  constructor(readonly projectDir: string) {}

  /** Reads runs from disk that are not in memory yet, and re-reads unfinished ones (the CLI may have finished them). */
  async load(): Promise<void> {
    await this.loadResumedHistory();
    const runsDir = await runsFolderOf(path.join(this.projectDir, 'finetune.json'));
    for (const runId of await listRunIds(runsDir)) {
      const known = this.runs.get(runId);
      if (known && (known.live || known.summary)) continue;
      this.runs.set(runId, await readRun(path.join(runsDir, runId)));
    }
  }

  /** Appends one live event. Events that arrive before any `run` event have no run to go to and are dropped. */
  apply(event: TrainingEvent): AppliedEvent {
    if (event.type === 'run') {
      const record = new RunRecord(event.runId, event.runDir);
      record.apply(event);
      // A resumed run is the same run: the epochs before its checkpoint stay on the charts, under their phases.
      const earlier = this.runs.get(event.runId);
      this.pending = null;
      if (event.resumedAt && earlier) addMetricRecords(record, earlier.rows.filter((row) => isBeforePosition(row, event.resumedAt as ResumePoint)));
      else if (event.resumedAt) this.pending = { point: event.resumedAt, events: [event] };
      this.runs.set(event.runId, record);
      this.liveRunId = event.runId;
      this.pinnedRunId = null;
      return { record, newRun: true, points: { epochs: [], batches: [] } };
    }
    const record = this.liveRunId ? this.runs.get(this.liveRunId) : undefined;
    if (!record) return { record: null, newRun: false, points: { epochs: [], batches: [] } };
    this.pending?.events.push(event);
    const points = record.apply(event);
    if (event.type === 'done') {
      this.liveRunId = null;
      this.pending = null;
    }
    return { record, newRun: false, points };
  }

  /**
   * The host of the run in `runDir` died without a `done`: the record says interrupted at once, and
   * it is no longer the live run. Returns the record when it changed (null: unknown or already ended).
   */
  markInterrupted(runDir: string, reason: string): RunRecord | null {
    const record = [...this.runs.values()].find((r) => path.resolve(r.runDir) === path.resolve(runDir));
    if (!record?.markInterrupted(reason)) return null;
    if (this.liveRunId === record.runId) {
      this.liveRunId = null;
      this.pending = null;
    }
    return record;
  }

  /** The record of a run shown in this project, by id. */
  run(runId: string): RunRecord | undefined {
    return this.runs.get(runId);
  }

  /**
   * For a resumed run whose earlier rows were not in memory: its rows before the checkpoint from
   * metrics.jsonl, then every live event again, into a new record (the engine rewrote the file before
   * its first event, so the rows after the checkpoint there are the live ones, not read twice).
   */
  private async loadResumedHistory(): Promise<void> {
    const pending = this.pending;
    const live = this.liveRunId ? this.runs.get(this.liveRunId) : undefined;
    if (!pending || !live) return;
    const { records } = await readMetrics(live.runDir);
    if (this.pending !== pending) return;
    this.pending = null;
    const [first, ...rest] = pending.events;
    const record = new RunRecord(live.runId, live.runDir);
    record.apply(first);
    addMetricRecords(record, records.filter((row) => isBeforePosition(row, pending.point)));
    for (const event of rest) record.apply(event);
    this.runs.set(live.runId, record);
  }

  /** Shows `runId` instead of the live/newest run (null: back to it); false when no such run exists. */
  pin(runId: string | null): boolean {
    if (runId !== null && !this.runs.has(runId)) return false;
    this.pinnedRunId = runId;
    return true;
  }

  /** The run the panel shows: the one picked, else the live one, else the newest. */
  shownRun(): RunRecord | null {
    if (this.pinnedRunId) return this.runs.get(this.pinnedRunId) ?? null;
    if (this.liveRunId) return this.runs.get(this.liveRunId) ?? null;
    const ids = [...this.runs.keys()].sort();
    return ids.length > 0 ? (this.runs.get(ids[ids.length - 1]) ?? null) : null;
  }

  runList(): RunListItem[] {
    return [...this.runs.keys()].sort().reverse().map((runId) => runListItem(this.runs.get(runId) as RunRecord));
  }

  /** Keeps only ids of runs that exist; returns the validation curves of the picked runs. */
  selectRuns(runIds: readonly string[]): ComparedRun[] {
    this.selectedRunIds = runIds.filter((runId) => this.runs.has(runId));
    return this.compared();
  }

  compared(): ComparedRun[] {
    return this.selectedRunIds.flatMap((runId) => {
      const record = this.runs.get(runId);
      return record ? [{ runId, points: record.epochs }] : [];
    });
  }

  /** The full state for a webview that just said `ready`. */
  snapshot(): ExtensionMessage {
    const shown = this.shownRun();
    return {
      type: 'snapshot',
      projectDir: this.projectDir,
      run: shown ? buildRunView(shown) : null,
      runs: this.runList(),
      compared: this.compared(),
      focus: this.focus,
      pinned: this.pinnedRunId !== null,
    };
  }
}
