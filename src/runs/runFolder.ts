/**
 * One run's folder, `<project>/<runsFolder>/<run id>/`: manifest.json, metrics.jsonl, summary.json,
 * checkpoint/ and model/. Run ids are UTC timestamps (sortable); a new run never reuses a folder.
 * Other tools read these names: keep them.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { MetricRecord, RunStatus, RunSummary, SkippedFile } from '../protocol/run';
import type { ProjectConfig } from '../protocol/config';
import { UserError } from '../shared/userError';
import { readJsonIfExists, writeJsonAtomic } from './atomicFile';

export const MANIFEST_JSON = 'manifest.json';
export const METRICS_JSONL = 'metrics.jsonl';
export const SUMMARY_JSON = 'summary.json';
export const MODEL_FOLDER = 'model';

/** manifest.json: what the run was made from, so it can be understood and repeated later. */
export interface RunManifest {
  readonly runId: string;
  readonly status: RunStatus;
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly projectFile: string;
  /** The finetune.json the run used, defaults filled. */
  readonly config: ProjectConfig;
  readonly seed: number;
  /** Hash of the split's file lists: equal hashes mean the same train/validation split. */
  readonly splitHash: string;
  readonly classes: readonly string[];
  readonly trainImages: number;
  readonly valImages: number;
  readonly backend: string;
  readonly threads: number;
  readonly versions: Readonly<Record<string, string>>;
  readonly skipped: readonly SkippedFile[];
  /** The run folder whose checkpoint this run continued, or null. */
  readonly resumedFrom: string | null;
  /** Process that writes the run; a 'running' run whose process is gone was interrupted. */
  readonly pid: number;
  readonly message?: string;
}

/** Creates a new, empty run folder under `runsDir` and returns its id and path. */
export async function createRunDir(runsDir: string, projectFile: string, now = new Date()): Promise<{ runId: string; runDir: string }> {
  const base = now.toISOString().replace(/[-:]/g, '').replace('T', '-').replace(/\.(\d+)Z$/, '-$1');
  try {
    await fs.mkdir(runsDir, { recursive: true });
    for (let attempt = 1; ; attempt++) {
      const runId = attempt === 1 ? base : `${base}-${attempt}`;
      const runDir = path.join(runsDir, runId);
      try {
        await fs.mkdir(runDir); // not recursive: fails if it exists, so an earlier run is never reused
        return { runId, runDir };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
  } catch (error) {
    throw new UserError(
      `runsFolder: cannot create a run folder in ${runsDir} (${(error as Error).message}).`,
      projectFile,
      'Make that folder writable, free some disk space, or set "runsFolder" to another folder.',
      'runsFolder',
    );
  }
}

/** Writes the files of one run folder. Every JSON file is replaced atomically. */
export class RunFolder {
  constructor(readonly runDir: string) {}

  get modelDir(): string {
    return path.join(this.runDir, MODEL_FOLDER);
  }

  writeManifest(manifest: RunManifest): Promise<void> {
    return writeJsonAtomic(path.join(this.runDir, MANIFEST_JSON), manifest);
  }

  writeSummary(summary: RunSummary): Promise<void> {
    return writeJsonAtomic(path.join(this.runDir, SUMMARY_JSON), summary);
  }

  /** Appends one metrics record as one line. */
  appendMetric(record: MetricRecord): Promise<void> {
    return fs.appendFile(path.join(this.runDir, METRICS_JSONL), `${JSON.stringify(record)}\n`);
  }
}

/** Reads a run's manifest; undefined when the folder has none. */
export function readManifest(runDir: string): Promise<RunManifest | undefined> {
  return readJsonIfExists<RunManifest>(path.join(runDir, MANIFEST_JSON));
}

/** Reads metrics.jsonl, ignoring a last line cut short by a crash. */
export async function readMetrics(runDir: string): Promise<MetricRecord[]> {
  const text = await fs.readFile(path.join(runDir, METRICS_JSONL), 'utf8').catch(() => '');
  const records: MetricRecord[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      records.push(JSON.parse(line) as MetricRecord);
    } catch {
      // a partial last line from a killed process
    }
  }
  return records;
}

/** The status a reader should show: a 'running' run whose process is gone was interrupted. */
export function effectiveStatus(manifest: RunManifest): RunStatus {
  if (manifest.status !== 'running') return manifest.status;
  return isAlive(manifest.pid) ? 'running' : 'interrupted';
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
