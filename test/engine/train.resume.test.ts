/**
 * Exact resume, in process on the tiny model: a run stopped (or crashed) in phase 2, mid-epoch or at
 * an epoch's end, and resumed from its checkpoint ends with the weights of the uninterrupted run, in
 * the same run folder, with each batch and epoch once in metrics.jsonl. The resumed model starts
 * from other initial weights, so a resume that skipped the weight restore, the optimizer state or the
 * batch position would end elsewhere. (The SIGKILL case through the CLI: train.resume.cli.test.ts.)
 */
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { MetricRecord, TrainingEvent } from '../../src/protocol/run';
import type { PhaseConfig } from '../../src/protocol/config';
import { readManifest, readMetrics, readSummary } from '../../src/runs';
import { trainRun } from '../../src/engine/train/trainRun';
import type { RunInput } from '../../src/engine/train/trainRun';
import { phase, tinyModel, tinyPlans, tinyRunInput, tinySetup, weightValues } from '../fixtures/train/tiny';
import { withTempDir } from '../fixtures/tempDir';

// The tiny models are built on cpu, whatever backend the engine's imports registered first (wasm).
test.before(async () => {
  await tf.setBackend('cpu');
});

const PHASES: PhaseConfig[] = [
  phase({ name: 'head', epochs: 2, batchSize: 8 }),
  // Early stopping on (patience above the epoch count): the best weights come back at the phase's end.
  phase({ name: 'tune', epochs: 3, batchSize: 8, trainable: 'all', learningRate: 0.003, earlyStoppingPatience: 5 }),
];
/** 48 training samples in batches of 8: 6 batches an epoch. */
const BATCHES_PER_EPOCH = 6;

function input(runsDir: string, overrides: Partial<RunInput> & { checkpointEverySeconds?: number } = {}): RunInput {
  const model = overrides.model ?? tinyModel(1);
  const base = tinyRunInput(runsDir, { model });
  const config = { ...base.config, phases: PHASES, checkpointEverySeconds: overrides.checkpointEverySeconds ?? 0 };
  return { ...base, config, plans: tinyPlans(model, PHASES), setupPhase: tinySetup(8), ...overrides, model };
}

function maxDiff(a: Map<string, Float32Array>, b: Map<string, Float32Array>): number {
  assert.deepEqual([...a.keys()], [...b.keys()]);
  let max = 0;
  for (const [name, values] of a) {
    const other = b.get(name) as Float32Array;
    for (let i = 0; i < values.length; i++) max = Math.max(max, Math.abs(values[i] - other[i]));
  }
  return max;
}

/** The weights of an uninterrupted run from the same initial weights. */
async function uninterrupted(runsDir: string): Promise<Map<string, Float32Array>> {
  const model = tinyModel(1);
  const result = await trainRun(input(runsDir, { model }));
  assert.equal(result.status, 'completed');
  const weights = weightValues(model);
  model.dispose();
  return weights;
}

/** Resumes the run in `runsDir` with a model built from other initial weights; returns its weights and run folder. */
async function resume(runsDir: string, runDir: string): Promise<{ weights: Map<string, Float32Array>; events: TrainingEvent[] }> {
  const model = tinyModel(77);
  const events: TrainingEvent[] = [];
  const result = await trainRun(input(runsDir, { model, resume: runDir, onEvent: (event) => events.push(event) }));
  assert.equal(result.status, 'completed', result.summary.message);
  assert.equal(result.runDir, runDir, 'the resumed run is the same run folder');
  const weights = weightValues(model);
  model.dispose();
  return { weights, events };
}

/** Every metrics row once, in training order: phase 1 and 2, each batch and epoch. */
function assertEveryRowOnce(records: readonly MetricRecord[]): void {
  const keys = records.map((r) => (r.type === 'batch' ? `${r.phaseIndex}:${r.epoch}:${r.batch}` : `${r.phaseIndex}:${r.epoch}:end`));
  const expected: string[] = [];
  PHASES.forEach((p, phaseIndex) => {
    for (let epoch = 0; epoch < p.epochs; epoch++) {
      for (let batch = 0; batch < BATCHES_PER_EPOCH; batch++) expected.push(`${phaseIndex}:${epoch}:${batch}`);
      expected.push(`${phaseIndex}:${epoch}:end`);
    }
  });
  assert.deepEqual(keys, expected);
}

const withRunsDirs = (body: (fresh: string, interrupted: string) => Promise<void>): Promise<void> =>
  withTempDir('ftg-resume-', async (dir) => body(path.join(dir, 'fresh'), path.join(dir, 'interrupted')));

test('stopped mid-epoch in phase 2 and resumed: the weights of the uninterrupted run, one run folder, every row once', () =>
  withRunsDirs(async (freshDir, runsDir) => {
    const expected = await uninterrupted(freshDir);
    const controller = new AbortController();
    const model = tinyModel(1);
    const stopped = await trainRun(input(runsDir, {
      model, signal: controller.signal,
      // Stop (as the Stop button or Ctrl-C does) after batch 2 of phase 2's second epoch.
      onEvent: (event) => { if (event.type === 'batch' && event.phaseIndex === 1 && event.epoch === 1 && event.batch === 2) controller.abort(); },
    }));
    model.dispose();
    assert.equal(stopped.status, 'cancelled');
    const state = JSON.parse(await readFile(path.join(stopped.runDir, 'checkpoint', 'state.json'), 'utf8')) as { phaseIndex: number; epochsDone: number; inEpoch: { batchesDone: number } | null; optimizerFile: string | null };
    assert.deepEqual([state.phaseIndex, state.epochsDone, state.inEpoch?.batchesDone], [1, 1, 3], 'the stop saved a checkpoint after the last batch done');
    assert.ok(state.optimizerFile, 'with the optimizer state');

    const { weights, events } = await resume(runsDir, stopped.runDir);
    const diff = maxDiff(weights, expected);
    assert.ok(diff <= 1e-5, `max |diff| ${diff} between the resumed and the uninterrupted run`);
    const firstBatch = events.find((e) => e.type === 'batch');
    assert.ok(firstBatch?.type === 'batch' && firstBatch.phaseIndex === 1 && firstBatch.epoch === 1 && firstBatch.batch === 3, 'goes on at the next batch');
    const run = events.find((e) => e.type === 'run');
    assert.deepEqual(run?.type === 'run' && run.resumedAt, { phaseIndex: 1, epoch: 1, batch: 3 });

    assertEveryRowOnce((await readMetrics(stopped.runDir)).records);
    const manifest = await readManifest(stopped.runDir);
    assert.equal(manifest?.status, 'completed');
    assert.deepEqual(manifest?.resumes?.map((r) => [r.reason, r.fromPhase, r.fromEpoch, r.fromBatch]), [['cancelled', 1, 1, 3]]);
    const summary = await readSummary(stopped.runDir);
    assert.deepEqual(summary?.phases.map((p) => [p.name, p.epochsRun]), [['head', 2], ['tune', 3]]);
    assert.deepEqual(await readdir(runsDir), [path.basename(stopped.runDir)], 'no second run folder');
  }));

test('a crash mid-epoch after a timed checkpoint: resume drops the rows after it and ends with the uninterrupted weights', () =>
  withRunsDirs(async (freshDir, runsDir) => {
    const expected = await uninterrupted(freshDir);
    const model = tinyModel(1);
    // A checkpoint after every batch (any positive interval this small), then the process "dies" at batch 4 of phase 2's first epoch.
    await assert.rejects(trainRun(input(runsDir, {
      model, checkpointEverySeconds: 1e-9,
      onEvent: (event) => { if (event.type === 'batch' && event.phaseIndex === 1 && event.epoch === 0 && event.batch === 4) throw new Error('simulated crash'); },
    })), /simulated crash/);
    model.dispose();
    const [runId] = await readdir(runsDir);
    const runDir = path.join(runsDir, runId);
    const state = JSON.parse(await readFile(path.join(runDir, 'checkpoint', 'state.json'), 'utf8')) as { phaseIndex: number; epochsDone: number; inEpoch: { batchesDone: number } | null };
    assert.deepEqual([state.phaseIndex, state.epochsDone, state.inEpoch?.batchesDone], [1, 0, 4], 'the last timed checkpoint, after batch 3');

    const { weights } = await resume(runsDir, runDir);
    const diff = maxDiff(weights, expected);
    assert.ok(diff <= 1e-5, `max |diff| ${diff} between the resumed and the uninterrupted run`);
    assertEveryRowOnce((await readMetrics(runDir)).records);
    assert.deepEqual((await readManifest(runDir))?.resumes?.map((r) => [r.reason, r.fromPhase, r.fromEpoch, r.fromBatch]), [['failed', 1, 0, 4]]);
  }));

test('stopped at the end of an epoch of phase 2 and resumed twice over: still the uninterrupted weights, both resumes listed', () =>
  withRunsDirs(async (freshDir, runsDir) => {
    const expected = await uninterrupted(freshDir);
    const stopAt = (phaseIndex: number, epoch: number) => {
      const controller = new AbortController();
      return {
        signal: controller.signal,
        onEvent: (event: TrainingEvent) => { if (event.type === 'epoch' && event.phaseIndex === phaseIndex && event.epoch === epoch) controller.abort(); },
      };
    };
    const first = tinyModel(1);
    const stopped = await trainRun(input(runsDir, { model: first, ...stopAt(1, 0) }));
    first.dispose();
    assert.equal(stopped.status, 'cancelled');
    const second = tinyModel(55);
    const again = await trainRun(input(runsDir, { model: second, resume: stopped.runDir, ...stopAt(1, 1) }));
    second.dispose();
    assert.equal(again.status, 'cancelled');
    assert.equal(again.runDir, stopped.runDir);

    const { weights } = await resume(runsDir, stopped.runDir);
    const diff = maxDiff(weights, expected);
    assert.ok(diff <= 1e-5, `max |diff| ${diff} between the resumed and the uninterrupted run`);
    assertEveryRowOnce((await readMetrics(stopped.runDir)).records);
    assert.deepEqual((await readManifest(stopped.runDir))?.resumes?.map((r) => [r.fromPhase, r.fromEpoch, r.fromBatch]), [[1, 1, 0], [1, 2, 0]]);
  }));
