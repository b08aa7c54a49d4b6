/**
 * Everything a report needs from a run folder: summary.json, the epoch rows of metrics.jsonl,
 * the facts of manifest.json it shows, and evaluation.json when the run has one.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { EvaluationFile } from '../../protocol/evaluation';
import type { EpochMetrics, MetricRecord, RunSummary } from '../../protocol/run';
import { UserError } from '../../shared/userError';
import { readEvaluation } from '../evaluate';
import { readTextIfExists } from '../../runs/atomicFile';

/** The parts of manifest.json (written by src/engine/train) that the report shows; all optional. */
export interface ManifestFacts {
  readonly base?: string;
  readonly cutLayer?: string;
  readonly inputSize?: number;
  readonly head?: { readonly pooling?: string; readonly hiddenUnits?: readonly number[]; readonly dropout?: number };
  readonly trainImages?: number;
  readonly valImages?: number;
  readonly startedAt?: string;
  readonly endedAt?: string | null;
}

export interface RunRecords {
  readonly runDir: string;
  readonly summary: RunSummary;
  /** Epoch rows in file order. */
  readonly epochs: readonly EpochMetrics[];
  readonly manifest: ManifestFacts;
  readonly evaluation: EvaluationFile | null;
}

/** Reads a run folder for the report; a missing or damaged summary.json is a UserError naming it. */
export async function readRunRecords(runDir: string): Promise<RunRecords> {
  const summaryFile = path.join(runDir, 'summary.json');
  const summary = await readJson(summaryFile);
  if (!isRunSummary(summary)) {
    throw new UserError(
      summary === undefined ? 'is missing.' : 'is not a run summary (no "runId" or "phases").',
      summaryFile,
      'Wait until the run has finished (it writes summary.json at the end), or pick another run.',
    );
  }
  return {
    runDir,
    summary,
    epochs: await readEpochRows(path.join(runDir, 'metrics.jsonl')),
    manifest: manifestFacts(await readJson(path.join(runDir, 'manifest.json')).catch(() => undefined)),
    evaluation: await readEvaluation(runDir),
  };
}

/** Epoch rows of metrics.jsonl; unreadable lines (a crash mid-write) are skipped. */
async function readEpochRows(file: string): Promise<EpochMetrics[]> {
  const text = await fs.readFile(file, 'utf8').catch(() => '');
  const rows: EpochMetrics[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const record = JSON.parse(line) as MetricRecord;
      if (record.type === 'epoch') rows.push(record);
    } catch {
      // a line cut short by a killed process
    }
  }
  return rows;
}

function manifestFacts(value: unknown): ManifestFacts {
  if (typeof value !== 'object' || value === null) return {};
  const m = value as {
    config?: { model?: { base?: unknown; cutLayer?: unknown; inputSize?: unknown }; head?: ManifestFacts['head'] };
    trainImages?: unknown;
    valImages?: unknown;
    startedAt?: unknown;
    endedAt?: unknown;
  };
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  return {
    base: str(m.config?.model?.base),
    cutLayer: str(m.config?.model?.cutLayer),
    inputSize: num(m.config?.model?.inputSize),
    head: typeof m.config?.head === 'object' && m.config.head !== null ? m.config.head : undefined,
    trainImages: num(m.trainImages),
    valImages: num(m.valImages),
    startedAt: str(m.startedAt),
    endedAt: str(m.endedAt),
  };
}

function isRunSummary(value: unknown): value is RunSummary {
  if (typeof value !== 'object' || value === null) return false;
  const s = value as Partial<RunSummary>;
  return typeof s.runId === 'string' && Array.isArray(s.phases) && Array.isArray(s.classes);
}

/** Parsed JSON, undefined when the file does not exist. */
async function readJson(file: string): Promise<unknown> {
  const text = await readTextIfExists(file);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new UserError('is not valid JSON.', file, 'The run folder is damaged; train again or restore the file.');
  }
}
