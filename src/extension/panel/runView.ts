/** Turns a RunRecord into what the webview draws (RunView) and into a run-list entry. Pure. */
import type { PhaseBoundary, RunInfo, RunListItem, RunView } from '../../protocol/webview';
import { downsampleBatches } from './downsample';
import { buildPhaseColumns } from './phaseTable';
import type { RunRecord } from './runRecord';
import { buildStages } from './stages';

/** Batch points sent in a snapshot; the webview decimates again when drawing. */
export const SNAPSHOT_BATCH_POINTS = 20_000;

export function runInfo(record: RunRecord): RunInfo {
  return {
    runId: record.runId,
    runDir: record.runDir,
    status: record.status,
    live: record.live,
    backend: record.backend,
    threads: record.threads,
    cache: [...record.cache.values()].sort((a, b) => a.phaseIndex - b.phaseIndex),
    classes: record.classes,
    trainImages: record.trainImages,
    classCounts: record.classCounts,
    valImages: record.valImages,
    testImages: record.testImages,
    testAccuracy: record.testAccuracy,
    message: record.message,
    warnings: record.warnings,
    skipped: record.skipped,
    featureExtraction: record.summary?.featureExtraction ?? null,
    resumable: record.status !== 'completed' && record.status !== 'running' && record.hasCheckpoint,
  };
}

/** Phase starts on the global epoch axis (phase 0 starts at 0 and needs no marker, but is listed). */
export function phaseBoundaries(record: RunRecord): PhaseBoundary[] {
  const boundaries: PhaseBoundary[] = [];
  for (let index = 0; index < record.phaseCount(); index++) {
    if (index > 0 && !record.startedPhases.has(index) && !record.phaseSummaries.has(index)) break;
    boundaries.push({ phaseIndex: index, name: record.phaseNames.get(index) ?? `phase ${index + 1}`, x: record.phaseOffset(index) });
  }
  return boundaries;
}

/** The derived state that `events` messages replace wholesale (small). */
export function derivedState(record: RunRecord): Pick<RunView, 'info' | 'stages' | 'phases' | 'boundaries' | 'batchCount'> {
  const phases = buildPhaseColumns(record);
  return {
    info: runInfo(record),
    stages: buildStages(record, phases),
    phases,
    boundaries: phaseBoundaries(record),
    batchCount: record.batches.length,
  };
}

export function buildRunView(record: RunRecord, maxBatchPoints = SNAPSHOT_BATCH_POINTS): RunView {
  return {
    ...derivedState(record),
    epochs: record.epochs,
    batches: downsampleBatches(record.batches, maxBatchPoints),
  };
}

export function runListItem(record: RunRecord): RunListItem {
  const best = record.summary?.valAccuracy ?? Math.max(...record.epochs.map((point) => point.valAccuracy));
  return {
    runId: record.runId,
    status: record.status,
    valAccuracy: Number.isFinite(best) ? best : null,
    epochs: record.epochs.length,
  };
}
