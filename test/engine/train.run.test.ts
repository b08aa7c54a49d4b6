import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { BatchMetrics, EpochMetrics, RunSummary, TrainingEvent } from '../../src/protocol/run';
import { isUserError } from '../../src/shared/userError';
import { readManifest, readMetrics } from '../../src/runs';
import { trainRun } from '../../src/engine/train/trainRun';
import { tinyData, tinyModel, tinyRunInput } from '../fixtures/train/tiny';
import { withTempDir } from '../fixtures/tempDir';

test.before(async () => {
  await tf.setBackend('cpu');
});

const withRunsDir = (body: (runsDir: string) => Promise<void>): Promise<void> => withTempDir('ftg-runs-', body);

/** Loads a model folder with nothing but @tensorflow/tfjs and an fs load handler. */
async function loadWithPlainTfjs(dir: string): Promise<tf.LayersModel> {
  const modelJson = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8')) as tf.io.ModelJSON;
  const weights = await readFile(path.join(dir, modelJson.weightsManifest[0].paths[0]));
  return tf.loadLayersModel({
    load: async () => ({
      modelTopology: modelJson.modelTopology,
      weightSpecs: modelJson.weightsManifest[0].weights,
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    }),
  });
}

const BATCH_KEYS = ['accuracy', 'batch', 'batchesPerEpoch', 'epoch', 'loss', 'lr', 'phase', 'phaseIndex', 'seconds', 'type'];
const EPOCH_KEYS = ['accuracy', 'epoch', 'epochs', 'imagesPerSecond', 'loss', 'lr', 'phase', 'phaseIndex', 'seconds', 'type', 'val_accuracy', 'val_loss'];

test('a run writes manifest, metrics.jsonl, summary.json and a model/ that plain tfjs reloads to the same predictions', () =>
  withRunsDir(async (runsDir) => {
    const events: TrainingEvent[] = [];
    const input = tinyRunInput(runsDir, { onEvent: (event) => events.push(event) });
    const result = await trainRun(input);
    assert.equal(result.status, 'completed');
    assert.equal(path.dirname(result.runDir), runsDir);
    assert.deepEqual((await readdir(result.runDir)).sort(), ['checkpoint', 'manifest.json', 'metrics.jsonl', 'model', 'summary.json']);

    const metrics = (await readMetrics(result.runDir)).records;
    const batches = metrics.filter((m): m is BatchMetrics => m.type === 'batch');
    const epochs = metrics.filter((m): m is EpochMetrics => m.type === 'epoch');
    assert.equal(batches.length, 2 * 2 * 3, '2 phases x 2 epochs x 3 batches');
    assert.equal(epochs.length, 4);
    for (const record of batches) assert.deepEqual(Object.keys(record).sort(), BATCH_KEYS);
    for (const record of epochs) assert.deepEqual(Object.keys(record).sort(), EPOCH_KEYS);
    assert.deepEqual(epochs.map((e) => [e.phase, e.epoch, e.lr]), [['head', 0, 0.01], ['head', 1, 0.01], ['tune', 0, 0.001], ['tune', 1, 0.001]]);

    const summary = JSON.parse(await readFile(path.join(result.runDir, 'summary.json'), 'utf8')) as RunSummary;
    assert.equal(summary.status, 'completed');
    assert.deepEqual(summary.classes, ['neg', 'pos']);
    assert.deepEqual(summary.phases.map((p) => [p.name, p.epochsRun, p.status]), [['head', 2, 'done'], ['tune', 2, 'done']]);
    assert.equal(summary.valAccuracy, summary.phases[1].valAccuracy);
    assert.ok(summary.phases[0].trainableParams < summary.phases[1].trainableParams);
    assert.equal(summary.modelDir, path.join(result.runDir, 'model'));

    const manifest = await readManifest(result.runDir);
    assert.equal(manifest?.status, 'completed');
    assert.equal(manifest?.splitHash, 'abc');
    assert.equal(manifest?.versions.tfjs, tf.version.tfjs);
    assert.ok(manifest?.endedAt);

    assert.deepEqual(events.map((e) => e.type).filter((t) => t !== 'batch' && t !== 'epoch'), ['run', 'phase', 'phaseEnd', 'phase', 'phaseEnd', 'done']);
    assert.deepEqual(JSON.parse(await readFile(path.join(result.runDir, 'model', 'labels.json'), 'utf8')), ['neg', 'pos']);
    assert.equal(JSON.parse(await readFile(path.join(result.runDir, 'model', 'preprocessing.json'), 'utf8')).inputSize, 4);

    const reloaded = await loadWithPlainTfjs(path.join(result.runDir, 'model'));
    const xs = tf.tensor2d(tinyData(10, 5).xs);
    const expected = (input.model.predict(xs) as tf.Tensor).arraySync();
    const actual = (reloaded.predict(xs) as tf.Tensor).arraySync();
    assert.deepEqual(actual, expected);
    xs.dispose();
    reloaded.dispose();
    input.model.dispose();

    const second = await trainRun(tinyRunInput(runsDir));
    assert.notEqual(second.runDir, result.runDir, 'a new run never reuses a folder');
    assert.ok(path.basename(second.runDir) > path.basename(result.runDir), 'run ids sort by time');
  }));

test('resume (true) continues the latest cancelled run in its own folder and finishes the epoch count', () =>
  withRunsDir(async (runsDir) => {
    const controller = new AbortController();
    const first = await trainRun(tinyRunInput(runsDir, {
      signal: controller.signal,
      onEvent: (event) => { if (event.type === 'epoch' && event.phaseIndex === 1 && event.epoch === 0) controller.abort(); },
    }));
    assert.equal(first.status, 'cancelled');
    assert.equal(first.summary.modelDir, null);
    assert.equal((await readManifest(first.runDir))?.status, 'cancelled');

    const epochs: string[] = [];
    const resumed = await trainRun(tinyRunInput(runsDir, {
      model: tinyModel(9), resume: true,
      onEvent: (event) => { if (event.type === 'epoch') epochs.push(`${event.phase}:${event.epoch}`); },
    }));
    assert.equal(resumed.status, 'completed');
    assert.equal(resumed.runDir, first.runDir, 'a resumed run is the same run');
    assert.deepEqual(await readdir(runsDir), [path.basename(first.runDir)]);
    const manifest = await readManifest(resumed.runDir);
    assert.equal(manifest?.resumedFrom, first.runDir);
    assert.equal(manifest?.runId, path.basename(first.runDir));
    assert.deepEqual(manifest?.resumes?.map((r) => [r.reason, r.fromPhase, r.fromEpoch]), [['cancelled', 1, 1]]);
    const rows = (await readMetrics(resumed.runDir)).records.filter((r) => r.type === 'epoch').map((r) => `${r.phaseIndex}:${r.epoch}`);
    assert.deepEqual(rows, ['0:0', '0:1', '1:0', '1:1'], 'metrics.jsonl holds every epoch of both phases once');
    assert.deepEqual(epochs, ['tune:1']);
    assert.deepEqual(resumed.summary.phases.map((p) => p.epochsRun), [2, 2]);
  }));

test('resuming with a model that no longer fits the checkpoint is a user error naming the run', () =>
  withRunsDir(async (runsDir) => {
    const controller = new AbortController();
    const first = await trainRun(tinyRunInput(runsDir, { signal: controller.signal, onEvent: (e) => { if (e.type === 'epoch') controller.abort(); } }));
    const wider = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 3, name: 'base_dense' }), tf.layers.dense({ units: 2, activation: 'softmax', name: 'head' })] });
    await assert.rejects(trainRun(tinyRunInput(runsDir, { model: wider, resume: first.runDir })), (error: unknown) => {
      assert.ok(isUserError(error));
      assert.match(error.message, new RegExp(first.runDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
      assert.match(error.message, /does not fit/);
      return true;
    });
    await assert.rejects(trainRun(tinyRunInput(runsDir, { resume: path.join(runsDir, 'nope') })), /not a run folder/);
    assert.deepEqual(await readdir(runsDir), [path.basename(first.runDir)], 'a failed resume creates no run folder');
  }));

test('a run folder deleted while training gives a clear error naming it', () =>
  withRunsDir(async (runsDir) => {
    let runDir = '';
    await assert.rejects(
      trainRun(tinyRunInput(runsDir, {
        onEvent: (event) => {
          if (event.type === 'run') runDir = event.runDir;
          if (event.type === 'epoch' && event.epoch === 0) rmSync(runDir, { recursive: true, force: true });
        },
      })),
      (error: unknown) => {
        assert.ok(isUserError(error), String(error));
        assert.ok(error.message.includes(runDir), error.message);
        assert.match(error.message, /was deleted \(or moved\) while the run was training.*Train again/s);
        return true;
      },
    );
  }));

test('a cancel that arrives while the finished run saves its model leaves a complete run', () =>
  withRunsDir(async (runsDir) => {
    const controller = new AbortController();
    const result = await trainRun(tinyRunInput(runsDir, {
      signal: controller.signal,
      onEvent: (event) => { if (event.type === 'phaseEnd' && event.phaseIndex === 1) controller.abort(); },
    }));
    assert.equal(result.status, 'completed');
    assert.deepEqual((await readdir(path.join(result.runDir, 'model'))).sort(), ['labels.json', 'model.json', 'preprocessing.json', 'weights.bin']);
    assert.equal((await readManifest(result.runDir))?.status, 'completed');
  }));
