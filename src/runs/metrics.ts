/**
 * The run's metrics: one JSON line per batch and per epoch, appended while training. A reader takes
 * complete lines only: a last line without its newline is being written, or was cut short when the
 * writing process was killed.
 */
import { promises as fs } from 'node:fs';
import type { MetricRecord } from '../protocol/run';
import { writeFileAtomic } from './atomicFile';
import { isObject } from './jsonFile';
import { runFile } from './layout';

/** Appends one record as one line. */
export function appendMetric(runDir: string, record: MetricRecord): Promise<void> {
  return fs.appendFile(runFile(runDir, 'metrics'), `${JSON.stringify(record)}\n`);
}

/**
 * Rewrites the metrics (atomically) with only the complete records `keep` accepts: a run resumed from
 * a checkpoint drops the rows written after it (they are trained again) and a line cut short by a kill,
 * so the file holds each batch and epoch once. Returns the number of rows dropped.
 */
export async function keepMetrics(runDir: string, keep: (record: MetricRecord) => boolean): Promise<number> {
  const { records, badLines, partialLastLine } = await readMetrics(runDir);
  const kept = records.filter(keep);
  const dropped = records.length - kept.length + badLines + (partialLastLine ? 1 : 0);
  if (dropped > 0) await writeFileAtomic(runFile(runDir, 'metrics'), kept.map((record) => `${JSON.stringify(record)}\n`).join(''));
  return dropped;
}

export interface MetricsRead {
  readonly records: MetricRecord[];
  /** Complete lines that are not a metric record. */
  readonly badLines: number;
  /** Bytes of complete lines read: where reading resumes when the run goes on. */
  readonly bytes: number;
  /** True when the file ends in a line without its newline (not read). */
  readonly partialLastLine: boolean;
}

/** Every complete record of the run's metrics (none when the file is missing). */
export function readMetrics(runDir: string): Promise<MetricsRead> {
  return readMetricsFrom(runDir, 0);
}

/** The complete lines appended after byte `offset` (from an earlier read's `bytes`); `bytes` is the new total. */
export async function readMetricsFrom(runDir: string, offset: number): Promise<MetricsRead> {
  const none: MetricsRead = { records: [], badLines: 0, bytes: offset, partialLastLine: false };
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(runFile(runDir, 'metrics'), 'r');
    const size = (await handle.stat()).size;
    if (size <= offset) return none;
    const buffer = Buffer.alloc(size - offset);
    await handle.read(buffer, 0, buffer.length, offset);
    const end = buffer.lastIndexOf(0x0a) + 1;
    return { ...parseMetricLines(buffer.subarray(0, end).toString('utf8')), bytes: offset + end, partialLastLine: end < buffer.length };
  } catch {
    return none;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** The metric records of complete JSON lines; lines that are not one are counted, not thrown. */
export function parseMetricLines(text: string): { records: MetricRecord[]; badLines: number } {
  const records: MetricRecord[] = [];
  let badLines = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const row = parseLine(line);
    if (isMetricRecord(row)) records.push(row);
    else badLines++;
  }
  return { records, badLines };
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined;
  }
}

export function isMetricRecord(value: unknown): value is MetricRecord {
  if (!isObject(value) || typeof value.phaseIndex !== 'number' || typeof value.epoch !== 'number') return false;
  if (value.type === 'batch') return typeof value.batch === 'number' && typeof value.batchesPerEpoch === 'number';
  return value.type === 'epoch' && typeof value.epochs === 'number';
}
