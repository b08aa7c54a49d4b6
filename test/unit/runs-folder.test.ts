/** src/runs: the one reader and writer of a run folder. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { BatchMetrics, EpochMetrics, RunManifest, RunSummary } from '../../src/protocol/run';
import {
  appendMetric,
  checkpointDirOf,
  effectiveStatus,
  listRuns,
  modelDirOf,
  readCheckpointState,
  readManifest,
  readMetrics,
  readMetricsFrom,
  readSummary,
  runFile,
  runsFolderFor,
  writeCheckpointState,
  writeManifest,
  writeSummary,
  type CheckpointState,
} from '../../src/runs';

// 2^22 + 1 is above Linux's largest pid_max, so no process has it.
const DEAD_PID = 2 ** 22 + 1;

async function withTemp(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'runs-'));
  try {
    await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function manifest(runId: string, status: RunManifest['status'], pid = process.pid): RunManifest {
  return {
    runId, status, startedAt: '2026-01-01T00:00:00.000Z', endedAt: null, projectFile: '/p/finetune.json',
    config: { version: 1 } as unknown as RunManifest['config'], seed: 42, splitHash: 'abc', classes: ['cat', 'dog'], trainImages: 8, valImages: 2,
    backend: 'cpu', threads: 1, versions: { node: process.version }, skipped: [{ file: '/p/data/cat/bad.png', reason: 'corrupt' }], resumedFrom: null, pid,
  };
}

const batch = (n: number): BatchMetrics => ({ type: 'batch', phase: 'head', phaseIndex: 0, epoch: 0, batch: n, batchesPerEpoch: 3, loss: 1 / (n + 1), accuracy: 0.5, lr: 0.01, seconds: n });
const epoch: EpochMetrics = { type: 'epoch', phase: 'head', phaseIndex: 0, epoch: 0, epochs: 1, loss: 0.4, accuracy: 0.8, val_loss: 0.5, val_accuracy: 0.75, lr: 0.01, seconds: 3, imagesPerSecond: 10 };

const state = (weightsFile: string): CheckpointState => ({
  version: 1, phaseIndex: 0, epochsDone: 1, best: null, epochsSinceBest: 0, last: null, phaseSeconds: 1, imagesPerSecond: 10, phases: [],
  inEpoch: null, runSeconds: 0, weightsFile, bestWeightsFile: null, optimizerFile: null, savedAt: '2026-01-01T00:00:00.000Z',
});

describe('effectiveStatus', () => {
  it('shows a running run whose process is gone as interrupted; a live one, or a finished one, as it says', () => {
    assert.equal(effectiveStatus({ status: 'running', pid: DEAD_PID }), 'interrupted');
    assert.equal(effectiveStatus({ status: 'running', pid: process.pid }), 'running');
    // 0 names the process group, not a process: no run has it.
    assert.equal(effectiveStatus({ status: 'running', pid: 0 }), 'interrupted');
    assert.equal(effectiveStatus({ status: 'completed', pid: DEAD_PID }), 'completed');
  });
});

describe('manifest and summary', () => {
  it('read back exactly what was written', () =>
    withTemp(async (dir) => {
      const written = manifest('r1', 'running');
      await writeManifest(dir, written);
      assert.deepEqual(await readManifest(dir), written);
      const summary: RunSummary = { runId: 'r1', status: 'completed', backend: 'cpu', threads: 1, valAccuracy: 0.75, classes: ['cat', 'dog'], phases: [], modelDir: null };
      await writeSummary(dir, summary);
      assert.deepEqual(await readSummary(dir), summary);
    }));

  it('are undefined when missing or damaged, without throwing', () =>
    withTemp(async (dir) => {
      assert.equal(await readManifest(dir), undefined);
      assert.equal(await readSummary(dir), undefined);
      await writeFile(runFile(dir, 'manifest'), '{"runId": "r1", "sta');
      await writeFile(runFile(dir, 'summary'), '{"status": "completed"}');
      assert.equal(await readManifest(dir), undefined);
      assert.equal(await readSummary(dir), undefined, 'a summary without runId, classes and phases is not one');
    }));
});

describe('metrics', () => {
  it('ignores a last line cut short by a killed process, and reads it once it is complete', () =>
    withTemp(async (dir) => {
      await appendMetric(dir, batch(0));
      await appendMetric(dir, batch(1));
      const whole = JSON.stringify(epoch);
      await appendFile(runFile(dir, 'metrics'), whole.slice(0, 25));
      const first = await readMetrics(dir);
      assert.deepEqual(first.records, [batch(0), batch(1)]);
      assert.equal(first.badLines, 0);
      assert.equal(first.partialLastLine, true);

      await appendFile(runFile(dir, 'metrics'), `${whole.slice(25)}\nnot json\n`);
      const rest = await readMetricsFrom(dir, first.bytes);
      assert.deepEqual(rest.records, [epoch]);
      assert.equal(rest.badLines, 1);
      assert.equal(rest.partialLastLine, false);
      assert.deepEqual((await readMetrics(dir)).records, [batch(0), batch(1), epoch]);
      assert.equal((await readMetricsFrom(dir, rest.bytes)).records.length, 0);
    }));

  it('are empty for a run that has none', () =>
    withTemp(async (dir) => {
      assert.deepEqual(await readMetrics(dir), { records: [], badLines: 0, bytes: 0, partialLastLine: false });
    }));
});

describe('checkpoint state', () => {
  it('is published with its weight files and removes the weight files it no longer names', () =>
    withTemp(async (dir) => {
      await mkdir(checkpointDirOf(dir), { recursive: true });
      await writeFile(path.join(checkpointDirOf(dir), 'old.bin'), 'x');
      await writeFile(path.join(checkpointDirOf(dir), 'new.bin'), 'y');
      await writeCheckpointState(dir, state('new.bin'));
      assert.deepEqual(await readCheckpointState(dir), state('new.bin'));
      assert.deepEqual((await readdir(checkpointDirOf(dir))).sort(), ['new.bin', 'state.json']);
    }));
});

describe('listRuns', () => {
  it('says which runs can be resumed and which exported, newest first', () =>
    withTemp(async (runsDir) => {
      const make = async (runId: string, status: RunManifest['status'], opts: { pid?: number; checkpoint?: boolean; model?: boolean } = {}): Promise<void> => {
        const runDir = path.join(runsDir, runId);
        await mkdir(runDir);
        await writeManifest(runDir, manifest(runId, status, opts.pid));
        if (opts.checkpoint) {
          await mkdir(checkpointDirOf(runDir));
          await writeCheckpointState(runDir, state('w.bin'));
        }
        if (opts.model) {
          await mkdir(modelDirOf(runDir));
          await writeFile(path.join(modelDirOf(runDir), 'model.json'), '{}');
        }
      };
      await make('20260101-000000-001', 'completed', { checkpoint: true, model: true });
      await make('20260102-000000-001', 'cancelled', { checkpoint: true });
      await make('20260103-000000-001', 'failed');
      await make('20260104-000000-001', 'running', { pid: DEAD_PID, checkpoint: true });
      await make('20260105-000000-001', 'running', { checkpoint: true });
      await mkdir(path.join(runsDir, '20260106-000000-001'));
      await writeFile(path.join(runsDir, 'notes.txt'), 'not a run');

      const runs = await listRuns(runsDir);
      assert.deepEqual(
        runs.map((run) => [run.runId, run.status, run.resumable, run.modelDir !== null]),
        [
          ['20260106-000000-001', undefined, false, false],
          ['20260105-000000-001', 'running', false, false],
          ['20260104-000000-001', 'interrupted', true, false],
          ['20260103-000000-001', 'failed', false, false],
          ['20260102-000000-001', 'cancelled', true, false],
          ['20260101-000000-001', 'completed', false, true],
        ],
      );
      assert.equal(runs[5].modelDir, modelDirOf(path.join(runsDir, '20260101-000000-001')));
      assert.deepEqual(await listRuns(path.join(runsDir, 'missing')), []);
    }));
});

describe('runsFolderFor', () => {
  it('resolves finetune.json\'s runsFolder against the project, else the default folder', () => {
    assert.equal(runsFolderFor('/p/finetune.json', { runsFolder: 'out/runs' }), path.resolve('/p/out/runs'));
    assert.equal(runsFolderFor('/p/finetune.json', { runsFolder: '' }), path.resolve('/p/runs'));
    assert.equal(runsFolderFor('/p/finetune.json', undefined), path.resolve('/p/runs'));
  });
});
