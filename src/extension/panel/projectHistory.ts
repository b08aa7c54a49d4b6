/**
 * The history of one project's runs as the panel shows it: live events appended to the running
 * run's record, earlier runs read from the runs folder, plus the panel's own choices (focused
 * stage, runs picked for comparison) so a closed and reopened panel shows the same thing. Pure.
 */
import * as path from 'node:path';
import type { TrainingEvent } from '../../protocol/run';
import type { ComparedRun, ExtensionMessage, RunListItem, StageId } from '../../protocol/webview';
import { listRunIds, runsFolderOf } from '../../runs';
import { readRun } from './runReader';
import { RunRecord, type AppendedPoints } from './runRecord';
import { buildRunView, runListItem } from './runView';

export interface AppliedEvent {
  /** The record the event went to, or null when it belonged to no known run (ignored). */
  readonly record: RunRecord | null;
  /** True when the event started a new run (the webview needs a fresh snapshot). */
  readonly newRun: boolean;
  readonly points: AppendedPoints;
}

export class ProjectHistory {
  private readonly runs = new Map<string, RunRecord>();
  private liveRunId: string | null = null;
  /** An earlier run the person chose to show; cleared when a new run starts. */
  private pinnedRunId: string | null = null;
  focus: StageId | null = null;
  selectedRunIds: readonly string[] = [];

  constructor(readonly projectDir: string) {}

  /** Reads runs from disk that are not in memory yet, and re-reads unfinished ones (the CLI may have finished them). */
  async load(): Promise<void> {
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
      this.runs.set(event.runId, record);
      this.liveRunId = event.runId;
      this.pinnedRunId = null;
      return { record, newRun: true, points: { epochs: [], batches: [] } };
    }
    const record = this.liveRunId ? this.runs.get(this.liveRunId) : undefined;
    if (!record) return { record: null, newRun: false, points: { epochs: [], batches: [] } };
    const points = record.apply(event);
    if (event.type === 'done') this.liveRunId = null;
    return { record, newRun: false, points };
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
