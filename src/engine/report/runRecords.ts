/**
 * Everything a report needs from a run folder: summary.json, the epoch rows of metrics.jsonl,
 * the facts of manifest.json it shows, and evaluation.json when the run has one.
 */
import type { EvaluationFile } from '../../protocol/evaluation';
import type { EpochMetrics, RunSummary } from '../../protocol/run';
import { UserError } from '../../shared/userError';
import { assertFolder, isRunSummary, readEvaluation, readManifestJson, readMetrics, readSummaryJson, RUN_FILES, runFile } from '../../runs';

/** The parts of manifest.json (written by src/engine/train) that the report shows; all optional. */
export interface ManifestFacts {
  readonly base?: string;
  readonly cutLayer?: string;
  readonly inputSize?: number;
  readonly head?: { readonly pooling?: string; readonly hiddenUnits?: readonly number[]; readonly dropout?: number };
  readonly trainImages?: number;
  readonly valImages?: number;
  readonly testImages?: number;
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

/** Reads a run folder for the report; a missing or damaged summary is a UserError naming it. */
export async function readRunRecords(runDir: string): Promise<RunRecords> {
  await assertFolder(runDir, 'a run folder (runs/<run id>)');
  const summaryFile = runFile(runDir, 'summary');
  const read = await readSummaryJson(runDir);
  if (read.state === 'invalid') throw new UserError('is not valid JSON.', summaryFile, 'The run folder is damaged; train again or restore the file.');
  if (read.state === 'missing' || !isRunSummary(read.value)) {
    throw new UserError(
      read.state === 'missing' ? 'is missing.' : 'is not a run summary (it needs "runId", "status", "classes" and "phases").',
      summaryFile,
      `Wait until the run has finished (it writes ${RUN_FILES.summary} at the end), or pick another run.`,
    );
  }
  const manifest = await readManifestJson(runDir);
  return {
    runDir,
    summary: read.value,
    epochs: (await readMetrics(runDir)).records.filter((record): record is EpochMetrics => record.type === 'epoch'),
    manifest: manifestFacts(manifest.state === 'ok' ? manifest.value : undefined),
    evaluation: await readEvaluation(runDir),
  };
}

function manifestFacts(value: unknown): ManifestFacts {
  if (typeof value !== 'object' || value === null) return {};
  const m = value as {
    config?: { model?: { base?: unknown; cutLayer?: unknown; inputSize?: unknown }; head?: ManifestFacts['head'] };
    trainImages?: unknown;
    valImages?: unknown;
    testImages?: unknown;
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
    testImages: num(m.testImages),
    startedAt: str(m.startedAt),
    endedAt: str(m.endedAt),
  };
}
