/**
 * Reads a finished (or interrupted) run back from its folder (metrics, summary and manifest, through
 * src/runs), so the panel shows earlier runs after VS Code reloads. Pure Node, no vscode.
 * Damaged files never throw: what can be read is shown and the rest is listed as a warning.
 */
import * as path from 'node:path';
import type { MetricRecord, ModelPlanInfo, PhasePlanInfo, SkippedFile } from '../../protocol/run';
import { isObject as isRecord, isRunSummary, readCheckpointState, readManifestJson, readMetrics, readSummaryJson, RUN_FILES, stillRunning } from '../../runs';
import { RunRecord, type AppendedPoints } from './runRecord';

type Fields = Record<string, unknown>;

function isModelPlan(value: unknown): value is ModelPlanInfo {
  return isRecord(value) && typeof value.base === 'string' && typeof value.cutLayer === 'string' && Array.isArray(value.headLayers);
}

function isPhasePlan(value: unknown): value is PhasePlanInfo {
  return isRecord(value) && typeof value.name === 'string' && typeof value.trainableLayers === 'number' && typeof value.totalLayers === 'number';
}

function isSkippedFile(value: unknown): value is SkippedFile {
  return isRecord(value) && typeof value.file === 'string' && typeof value.reason === 'string';
}

/** Takes what the manifest offers: the model plan and phase plans if recorded, else the config snapshot's names. */
function applyManifest(record: RunRecord, manifest: Fields): void {
  if (isModelPlan(manifest.model)) record.model = manifest.model;
  if (Array.isArray(manifest.phases) && manifest.phases.every(isPhasePlan)) record.plans = [...manifest.phases];
  if (typeof manifest.trainImages === 'number') record.trainImages = manifest.trainImages;
  if (typeof manifest.valImages === 'number') record.valImages = manifest.valImages;
  if (typeof manifest.backend === 'string') record.backend = manifest.backend;
  if (typeof manifest.threads === 'number') record.threads = manifest.threads;
  if (typeof manifest.message === 'string') record.message = manifest.message;
  if (Array.isArray(manifest.classes) && manifest.classes.every((name) => typeof name === 'string')) record.classes = manifest.classes;
  const skipped = Array.isArray(manifest.skipped) ? manifest.skipped.filter(isSkippedFile) : [];
  if (skipped.length > 0) {
    // Paths are absolute in manifests the engine writes; a relative one is taken from the project folder.
    const projectDir = path.dirname(path.dirname(record.runDir));
    record.addSkipped(skipped.map((file) => ({ file: path.resolve(projectDir, file.file), reason: file.reason })));
    record.warnings.push(`${skipped.length} file(s) could not be used and were skipped (listed below).`);
  }
  const config = manifest.config;
  if (!isRecord(config)) return;
  if (isRecord(config.model) && typeof config.model.base === 'string' && typeof config.model.cutLayer === 'string') {
    record.configModel = { base: config.model.base, cutLayer: config.model.cutLayer };
  }
  if (Array.isArray(config.phases)) {
    config.phases.forEach((phase, index) => {
      if (!isRecord(phase)) return;
      if (typeof phase.name === 'string' && !record.phaseNames.has(index)) record.phaseNames.set(index, phase.name);
      record.trainableWords[index] = trainableInWords(phase.trainable);
    });
  }
}

/** finetune.json's `trainable` (see TrainableSpec) as the panel says it. */
export function trainableInWords(spec: unknown): string {
  if (spec === 'head') return 'head only';
  if (spec === 'all') return 'all layers';
  if (isRecord(spec)) {
    if (typeof spec.lastBlocks === 'number') return `head + last ${spec.lastBlocks} block${spec.lastBlocks === 1 ? '' : 's'}`;
    if (typeof spec.fromLayer === 'string') return `head + base from ${spec.fromLayer}`;
    if (Array.isArray(spec.layers)) return `${spec.layers.length} chosen layers`;
  }
  return 'unknown';
}

/** Adds metric records (from src/runs' readers) to the record; returns the new points. */
export function addMetricRecords(record: RunRecord, records: readonly MetricRecord[]): AppendedPoints {
  const points: AppendedPoints = { epochs: [], batches: [] };
  for (const row of records) {
    if (row.type === 'batch') points.batches.push(record.addBatch(row));
    else points.epochs.push(record.addEpoch(row));
  }
  return points;
}

/**
 * The run stored in `runDir`. Without a summary it is still running if the manifest says so and
 * its process is alive (for example a CLI run), else it ended without saying so: interrupted.
 */
export async function readRun(runDir: string): Promise<RunRecord> {
  const record = new RunRecord(path.basename(runDir), runDir);
  const [manifest, metrics, summary, checkpoint] = await Promise.all([readManifestJson(runDir), readMetrics(runDir), readSummaryJson(runDir), readCheckpointState(runDir)]);
  record.hasCheckpoint = checkpoint !== undefined;
  if (manifest.state === 'ok' && isRecord(manifest.value)) applyManifest(record, manifest.value);
  else if (manifest.state !== 'missing') record.warnings.push(`${RUN_FILES.manifest} is not valid JSON; its details are not shown.`);

  addMetricRecords(record, metrics.records);
  record.metricsBytes = metrics.bytes;
  // A last line without its newline is being written, or was cut short when the run was killed.
  const badRows = metrics.badLines + (metrics.partialLastLine ? 1 : 0);
  // One unreadable line (the cut-short last one) is expected, not worth a warning.
  if (badRows > 1) record.warnings.push(`${RUN_FILES.metrics}: ${badRows} lines could not be read and are not drawn.`);

  if (summary.state === 'ok' && isRunSummary(summary.value)) record.setSummary(summary.value);
  else {
    record.status = (await stillRunning(runDir)) ? 'running' : 'interrupted';
    if (summary.state !== 'missing') record.warnings.push(`${RUN_FILES.summary} is not valid; the run is shown from its metrics.`);
  }
  return record;
}
