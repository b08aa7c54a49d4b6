/**
 * Reads a finished (or interrupted) run back from its folder: `metrics.jsonl`, `summary.json` and
 * `manifest.json`, so the panel shows earlier runs after VS Code reloads. Pure Node, no vscode.
 * Damaged files never throw: what can be read is shown and the rest is listed as a warning.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { MetricRecord, ModelPlanInfo, PhasePlanInfo, RunSummary, SkippedFile } from '../../protocol/run';
import { RunRecord, type AppendedPoints } from './runRecord';

type Fields = Record<string, unknown>;

function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function readText(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch {
    return null;
  }
}

function isMetricRow(value: unknown): value is MetricRecord {
  if (!isRecord(value) || typeof value.phaseIndex !== 'number' || typeof value.epoch !== 'number') return false;
  if (value.type === 'batch') return typeof value.batch === 'number' && typeof value.batchesPerEpoch === 'number';
  return value.type === 'epoch' && typeof value.epochs === 'number';
}

function isSummary(value: unknown): value is RunSummary {
  return isRecord(value) && typeof value.status === 'string' && Array.isArray(value.phases) && value.phases.every(isRecord);
}

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

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** True when a process with this id exists (the engine records its pid in a running run's manifest). */
function processAlive(pid: unknown): boolean {
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Adds the metric rows in `lines` (complete JSON lines) to the record; returns the new points. */
export function appendMetricLines(record: RunRecord, lines: string): { points: AppendedPoints; badRows: number } {
  const points: AppendedPoints = { epochs: [], batches: [] };
  let badRows = 0;
  for (const line of lines.split('\n')) {
    if (line.trim() === '') continue;
    const row = parseJson(line);
    if (!isMetricRow(row)) badRows++;
    else if (row.type === 'batch') points.batches.push(record.addBatch(row));
    else points.epochs.push(record.addEpoch(row));
  }
  return { points, badRows };
}

/** summary.json of a run, or undefined when it is missing or not valid. */
export async function readSummary(runDir: string): Promise<RunSummary | undefined> {
  const text = await readText(path.join(runDir, 'summary.json'));
  const summary = text == null ? undefined : parseJson(text);
  return isSummary(summary) ? summary : undefined;
}

/** Whether a run's manifest still says running and its process is alive. */
export async function stillRunning(runDir: string): Promise<boolean> {
  const text = await readText(path.join(runDir, 'manifest.json'));
  const manifest = text == null ? undefined : parseJson(text);
  return isRecord(manifest) && manifest.status === 'running' && processAlive(manifest.pid);
}

/**
 * The run stored in `runDir`. Without summary.json it is still running if the manifest says so and
 * its process is alive (for example a CLI run), else it ended without saying so: interrupted.
 */
export async function readRun(runDir: string): Promise<RunRecord> {
  const record = new RunRecord(path.basename(runDir), runDir);
  const [manifestText, metricsText, summaryText] = await Promise.all([
    readText(path.join(runDir, 'manifest.json')),
    readText(path.join(runDir, 'metrics.jsonl')),
    readText(path.join(runDir, 'summary.json')),
  ]);
  const manifest = manifestText == null ? undefined : parseJson(manifestText);
  if (isRecord(manifest)) applyManifest(record, manifest);
  else if (manifestText != null) record.warnings.push('manifest.json is not valid JSON; its details are not shown.');

  const text = metricsText ?? '';
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  record.metricsBytes = Buffer.byteLength(complete);
  // A last line without its newline is being written, or was cut short when the run was killed.
  const badRows = appendMetricLines(record, complete).badRows + (complete.length < text.length ? 1 : 0);
  // One unreadable line (the cut-short last one) is expected, not worth a warning.
  if (badRows > 1) record.warnings.push(`metrics.jsonl: ${badRows} lines could not be read and are not drawn.`);

  const summary = summaryText == null ? undefined : parseJson(summaryText);
  if (isSummary(summary)) record.setSummary(summary);
  else {
    const running = isRecord(manifest) && manifest.status === 'running' && processAlive(manifest.pid);
    record.status = running ? 'running' : 'interrupted';
    if (summaryText != null) record.warnings.push('summary.json is not valid; the run is shown from its metrics.');
  }
  return record;
}

/** Run folder names under `runsDir`, oldest first (run ids start with a sortable timestamp). */
export async function listRunIds(runsDir: string): Promise<string[]> {
  try {
    const entries = await fs.readdir(runsDir, { withFileTypes: true });
    return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  } catch {
    return [];
  }
}
