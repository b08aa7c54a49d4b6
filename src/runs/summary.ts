/** The run's summary: written when the run ends (completed, cancelled, failed, or marked interrupted). */
import type { RunSummary } from '../protocol/run';
import { writeJsonAtomic } from './atomicFile';
import { isObject, readJsonFile, type JsonRead } from './jsonFile';
import { runFile } from './layout';

export function writeSummary(runDir: string, summary: RunSummary): Promise<void> {
  return writeJsonAtomic(runFile(runDir, 'summary'), summary);
}

/** The run's summary; undefined when it is missing, damaged or not a summary (a run still going has none). */
export async function readSummary(runDir: string): Promise<RunSummary | undefined> {
  const read = await readSummaryJson(runDir);
  return read.state === 'ok' && isRunSummary(read.value) ? read.value : undefined;
}

/** The summary as written, fields unchecked (a reader that needs only some, such as Export); undefined when missing or damaged. */
export async function readPartialSummary(runDir: string): Promise<Partial<RunSummary> | undefined> {
  const read = await readSummaryJson(runDir);
  return read.state === 'ok' && isObject(read.value) ? (read.value as Partial<RunSummary>) : undefined;
}

/** The summary file as written, for a reader that says which of missing and damaged it is. */
export function readSummaryJson(runDir: string): Promise<JsonRead> {
  return readJsonFile(runFile(runDir, 'summary'));
}

/** The fields every reader of a summary relies on. */
export function isRunSummary(value: unknown): value is RunSummary {
  return (
    isObject(value) &&
    typeof value.runId === 'string' &&
    typeof value.status === 'string' &&
    Array.isArray(value.classes) &&
    Array.isArray(value.phases) &&
    value.phases.every(isObject)
  );
}
