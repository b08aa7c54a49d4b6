import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { readFile, writeFile } from 'node:fs/promises';
import { zipSync, strToU8 } from 'fflate';
import type * as tf from '@tensorflow/tfjs';
import { kerasV3Source, numberedVars } from '../../src/engine/model/sources/kerasV3';
import { readModelFile } from '../../src/engine/model/sources';
import { loadBaseModel } from '../../src/engine/model/load';
import { isUserError } from '../../src/shared/userError';
import { withTempDir } from '../fixtures/tempDir';
import { layerNames, maxPredictionDiff } from '../fixtures/keras/compare';
import { writeKerasV3, type KerasV3Options } from '../fixtures/keras/writeKerasFiles';
import { clashingNested, functionalCnn, functionalInFunctional, randomizeWeights, sequentialCnn, teachableShaped } from '../fixtures/keras/sourceModels';

async function readAs(model: tf.LayersModel, options: KerasV3Options = {}) {
  return withTempDir('ftg-keras-', async (dir) => {
    const file = path.join(dir, 'model.keras');
    await writeKerasV3(model, file, options);
    return kerasV3Source.read(file);
  });
}

for (const windows of [false, true]) {
  const where = windows ? 'saved on Windows (flat group names with backslashes)' : 'saved on Linux/macOS';
  test(`.keras ${where}: a functional CNN predicts as the source; optimizer and metrics groups are skipped`, async () => {
    const source = randomizeWeights(functionalCnn());
    const imported = await readAs(source, { windows });
    assert.equal(imported.formatLabel, 'Keras 3 .keras archive, Keras 3.11.3');
    assert.ok((await maxPredictionDiff(source, imported)) <= 1e-5);
    assert.deepEqual(layerNames(imported), source.layers.map((l) => l.name));
  });

  test(`.keras ${where}: nested 3 deep (Teachable Machine shape) comes out flat with containers`, async () => {
    const source = randomizeWeights(teachableShaped());
    const imported = await readAs(source, { windows });
    assert.ok((await maxPredictionDiff(source, imported)) <= 1e-5);
    assert.deepEqual(imported.containers?.bn_Conv1, [{ name: 'sequential_1', className: 'Sequential' }, { name: 'model1', className: 'Functional' }]);
  });
}

for (const inputShapeKey of ['batch_input_shape', 'batch_shape', 'build_config'] as const) {
  test(`.keras: a Sequential stating its input as ${inputShapeKey} reads (weights matched by class-generated names)`, async () => {
    const source = randomizeWeights(sequentialCnn());
    const imported = await readAs(source, { config: { inputShapeKey } });
    assert.ok((await maxPredictionDiff(source, imported)) <= 1e-5);
  });
}

test('.keras: leaves with clashing names in two nested Sequentials get their own weights', async () => {
  const source = randomizeWeights(clashingNested());
  const imported = await readAs(source);
  assert.deepEqual(layerNames(imported), ['image', 'gap', 'fc', 'block_b/fc']);
  assert.ok((await maxPredictionDiff(source, imported)) <= 1e-5);
});

test('.keras: a functional backbone called inside a functional model (residual Add inside) reads flat', async () => {
  const source = randomizeWeights(functionalInFunctional());
  const imported = await readAs(source);
  assert.deepEqual(layerNames(imported), ['image', 'proj', 'residual', 'pool', 'predictions']);
  assert.deepEqual(imported.containers?.residual, [{ name: 'backbone', className: 'Functional' }]);
  assert.ok((await maxPredictionDiff(source, imported)) <= 1e-5);
});

test('.keras: a layer TensorFlow.js knows but cannot build (an unknown activation) is a UserError naming the file', async () => {
  await assert.rejects(
    readAs(sequentialCnn(), { editConfig: (config) => (((config.config as { layers: { config: Record<string, unknown> }[] }).layers.at(-1) as { config: Record<string, unknown> }).config.activation = 'sparsemax') }),
    (error: unknown) => isUserError(error) && /cannot build/.test(error.message) && /sparsemax/.test(error.message),
  );
});

test('.keras through the registry: loadBaseModel cuts the flat graph inside a nested model and resizes its input', async () => {
  const source = randomizeWeights(teachableShaped());
  await withTempDir('ftg-keras-', async (dir) => {
    const file = path.join(dir, 'model.keras');
    await writeKerasV3(source, file);
    assert.equal((await readModelFile(file)).sourceId, 'keras-v3');
    const { model } = await loadBaseModel(file, dir, { cutLayer: 'gap', inputSize: 16 });
    assert.deepEqual(model.outputs[0].shape, [null, 4]);
    assert.deepEqual(model.inputs[0].shape, [null, 16, 16, 3]);
    model.dispose();
  });
});

test('.keras vars are taken in numeric order (0, 1, 2, ..., 10, 11), not text order', () => {
  const keys = [...Array(12).keys()].map((i) => `layers/dense/vars/${i}`).sort();
  assert.equal(keys[2], 'layers/dense/vars/10');
  const ordered = numberedVars([...keys, 'layers/dense_1/vars/0', 'layers/dense/vars/x'], 'layers/dense/vars/');
  assert.deepEqual(ordered.map((k) => Number(k.split('/').pop())), [...Array(12).keys()]);
});

test('.keras: a Lambda layer stops the import naming the layer and its class', async () => {
  const source = sequentialCnn();
  await assert.rejects(
    readAs(source, { editConfig: (config) => (config.config as { layers: unknown[] }).layers.splice(2, 0, { class_name: 'Lambda', config: { name: 'to_grey' } }) }),
    (error: unknown) => isUserError(error) && /"to_grey" of class Lambda/.test(error.message),
  );
});

test('a zip that is not a .keras model, and a truncated .keras, are UserErrors naming the file', async () => {
  await withTempDir('ftg-keras-', async (dir) => {
    const notKeras = path.join(dir, 'photos.zip');
    await writeFile(notKeras, zipSync({ 'a.txt': strToU8('hello') }));
    await assert.rejects(kerasV3Source.read(notKeras), (error: unknown) => isUserError(error) && error.file === notKeras && /no config\.json/.test(error.message));
    const truncated = path.join(dir, 'model.keras');
    await writeKerasV3(sequentialCnn(), truncated);
    const bytes = await readFile(truncated);
    await writeFile(truncated, bytes.subarray(0, bytes.length >> 1));
    await assert.rejects(kerasV3Source.read(truncated), (error: unknown) => isUserError(error) && error.file === truncated);
    assert.ok(kerasV3Source.accepts(bytes.subarray(0, 512)));
  });
});
