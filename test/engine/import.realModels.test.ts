/** The two real files in ../shared/fixtures/real-models (MIT; never copied here), read when that folder exists. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { readModelFile } from '../../src/engine/model/sources';
import type { ImportedModel } from '../../src/engine/model/sources/modelSource';
import { buildImported } from '../fixtures/keras/compare';

// `../shared/fixtures/real-models` beside the checkout (a worktree under /work/wt/ looks one level further up).
const ROOT = path.resolve(__dirname, '../..');
const CANDIDATES = [process.env.FTG_REAL_MODELS, path.resolve(ROOT, '../shared/fixtures/real-models'), path.resolve(ROOT, '../../shared/fixtures/real-models')];
const REAL = CANDIDATES.find((dir): dir is string => dir !== undefined && existsSync(dir)) ?? path.resolve(ROOT, '../shared/fixtures/real-models');
const TEACHABLE = path.join(REAL, 'teachable-machine-tfjs_waste/my_model/model.json');
const KERAS3_H5 = path.join(REAL, 'keras3-legacy-h5_cats-dogs/models/cnn_model.h5');
const skip = existsSync(REAL) ? false : `${REAL} is absent: the real-model checks are skipped`;
if (skip) console.log(`# note: ${skip}`);

/** Predicts a batch and checks each row is a probability distribution of `classes` finite values. */
async function assertPredictsProbabilities(imported: ImportedModel, size: number, classes: number): Promise<void> {
  const model = await buildImported(imported);
  try {
    const rows = tf.tidy(() => (model.predict(tf.randomUniform([1, size, size, 3], 0, 1, 'float32', 3)) as tf.Tensor).arraySync() as number[][]);
    for (const row of rows) {
      assert.equal(row.length, classes);
      assert.ok(row.every((p) => Number.isFinite(p) && p >= 0 && p <= 1));
      assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-4);
    }
  } finally {
    model.dispose();
  }
}

test('real Teachable Machine export: flat MobileNetV2 leaves under their containers, 12 labels, [-1,1], predicts', { skip }, async () => {
  const imported = await readModelFile(TEACHABLE);
  assert.equal(imported.sourceId, 'tfjs-layers');
  const containers = imported.containers ?? {};
  assert.equal(imported.labels?.length, 12);
  assert.equal(imported.labels?.[0], 'Battery');
  assert.equal(imported.imageSize, 224);
  assert.equal(imported.pixelRange, '-1..1');
  assert.deepEqual(containers.Conv1?.map((c) => c.name), ['sequential_9', 'model3']);
  assert.deepEqual(containers.dense_Dense6?.map((c) => c.name), ['sequential_11']);
  await assertPredictsProbabilities(imported, 224, 12);
});

test('real Keras 3.11 legacy .h5 (DTypePolicy dtypes, top_level_model_weights): builds and predicts 2 classes', { skip }, async () => {
  const imported = await readModelFile(KERAS3_H5);
  assert.equal(imported.sourceId, 'keras-h5');
  assert.match(imported.formatLabel, /Keras 3 legacy HDF5 .*3\.11\.3/);
  assert.equal(imported.artifacts.weightSpecs?.length, 10);
  await assertPredictsProbabilities(imported, 224, 2);
});
