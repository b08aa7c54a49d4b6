import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { readFile } from 'node:fs/promises';
import { kerasH5Source } from '../../src/engine/model/sources/kerasH5';
import { isUserError } from '../../src/shared/userError';
import { withTempDir } from '../fixtures/tempDir';
import { layerNames, maxPredictionDiff } from '../fixtures/keras/compare';
import { writeKerasH5, type H5Options } from '../fixtures/keras/writeKerasFiles';
import { clashingNested, functionalCnn, randomizeWeights, sequentialCnn, teachableShaped } from '../fixtures/keras/sourceModels';
import type * as tf from '@tensorflow/tfjs';

async function readAs(model: tf.LayersModel, options: H5Options) {
  return withTempDir('ftg-h5-', async (dir) => {
    const file = path.join(dir, 'model.h5');
    await writeKerasH5(model, file, options);
    return kerasH5Source.read(file);
  });
}

for (const keras of [2, 3] as const) {
  test(`Keras ${keras} HDF5: a functional CNN (BatchNorm, depthwise, Add, Dense without bias) predicts as the source`, async () => {
    const source = randomizeWeights(functionalCnn());
    const imported = await readAs(source, { keras });
    assert.match(imported.formatLabel, keras === 3 ? /Keras 3 legacy HDF5/ : /Keras 2 HDF5/);
    assert.ok((await maxPredictionDiff(source, imported)) <= 1e-5);
    assert.deepEqual(layerNames(imported), source.layers.map((l) => l.name));
    assert.equal(imported.containers, undefined);
  });

  test(`Keras ${keras} HDF5: Teachable-Machine-shaped model nested 3 deep comes out flat with its containers`, async () => {
    const source = randomizeWeights(teachableShaped());
    const imported = await readAs(source, { keras });
    assert.ok((await maxPredictionDiff(source, imported)) <= 1e-5);
    assert.deepEqual(layerNames(imported), ['sequential_4_input', 'Conv1', 'bn_Conv1', 'Conv1_relu', 'block_1_project', 'block_1_project_BN', 'gap', 'dense_Dense1', 'dense_Dense2']);
    assert.deepEqual(imported.containers?.Conv1, [{ name: 'sequential_1', className: 'Sequential' }, { name: 'model1', className: 'Functional' }]);
    assert.deepEqual(imported.containers?.dense_Dense2, [{ name: 'sequential_3', className: 'Sequential' }]);
  });
}

for (const inputShapeKey of ['batch_input_shape', 'batch_shape', 'build_config'] as const) {
  test(`Keras 3 HDF5: a Sequential stating its input as ${inputShapeKey} reads`, async () => {
    const source = randomizeWeights(sequentialCnn());
    const imported = await readAs(source, { keras: 3, config: { inputShapeKey } });
    assert.ok((await maxPredictionDiff(source, imported)) <= 1e-5);
  });
}

test('Keras 3 HDF5 with plain string dtypes reads as with DTypePolicy objects', async () => {
  const source = randomizeWeights(sequentialCnn());
  const imported = await readAs(source, { keras: 3, config: { dtypePolicy: false } });
  assert.ok((await maxPredictionDiff(source, imported)) <= 1e-5);
});

test('nested leaves that share a name are made unique by their path; weights follow them', async () => {
  const source = randomizeWeights(clashingNested());
  const imported = await readAs(source, { keras: 2 });
  assert.deepEqual(layerNames(imported), ['image', 'gap', 'fc', 'block_b/fc']);
  assert.deepEqual(imported.containers?.['block_b/fc'], [{ name: 'block_b', className: 'Sequential' }]);
  assert.ok((await maxPredictionDiff(source, imported)) <= 1e-5);
});

test('weights are read in the order of the weight_names attribute, not the alphabetical order of the datasets', async () => {
  const source = randomizeWeights(functionalCnn());
  const bn = source.getLayer('m_bn').getWeights();
  // Listing beta before gamma must put the stored beta into gamma: the attribute decides the order.
  const imported = await readAs(source, { keras: 2, reorderWeightNames: (layer, names) => (layer === 'm_bn' ? [names[1], names[0], ...names.slice(2)] : names) });
  const specs = imported.artifacts.weightSpecs ?? [];
  const gammaAt = specs.findIndex((s) => s.name === 'm_bn/gamma');
  const offset = specs.slice(0, gammaAt).reduce((sum, s) => sum + s.shape.reduce((a, b) => a * b, 1), 0);
  const gamma = new Float32Array(imported.artifacts.weightData as ArrayBuffer, offset * 4, 4);
  assert.deepEqual([...gamma], [...bn[1].dataSync()]);
  assert.notDeepEqual([...gamma], [...bn[0].dataSync()]);
});

for (const [what, className, edit] of [
  ['a Lambda', 'Lambda', { class_name: 'Lambda', config: { name: 'scale', function: ['4wEAAAAA', null, null], arguments: {} } }],
  ['a custom class', 'MyCustomBlock', { class_name: 'MyCustomBlock', config: { name: 'scale', units: 3 } }],
] as const) {
  test(`${what} layer stops the import with a UserError naming the layer, its class and what to do`, async () => {
    const source = sequentialCnn();
    await withTempDir('ftg-h5-', async (dir) => {
      const file = path.join(dir, 'model.h5');
      await writeKerasH5(source, file, {
        keras: 3,
        editConfig: (config) => (config.config as { layers: unknown[] }).layers.splice(2, 0, edit),
      });
      await assert.rejects(kerasH5Source.read(file), (error: unknown) => {
        assert.ok(isUserError(error));
        assert.match(error.message, new RegExp(`"scale" of class ${className}`));
        assert.match(error.fix, /without "scale"|cut the model before it/);
        assert.equal(error.file, file);
        return true;
      });
    });
  });
}

test('a weights-only HDF5 file says the topology is missing and how to save the whole model', async () => {
  await withTempDir('ftg-h5-', async (dir) => {
    const file = path.join(dir, 'weights.h5');
    await writeKerasH5(sequentialCnn(), file, { keras: 2, weightsOnly: true });
    await assert.rejects(kerasH5Source.read(file), (error: unknown) => isUserError(error) && /topology\) is missing/.test(error.message) && /model\.save\(/.test(error.fix));
  });
});

test('the HDF5 source accepts files by their signature, not their name', async () => {
  await withTempDir('ftg-h5-', async (dir) => {
    const file = path.join(dir, 'named-like-a-zip.keras');
    await writeKerasH5(sequentialCnn(), file, { keras: 3 });
    assert.ok(kerasH5Source.accepts((await readFile(file)).subarray(0, 512)));
    assert.ok(!kerasH5Source.accepts(new TextEncoder().encode('{"modelTopology": {}}')));
    assert.ok(!kerasH5Source.accepts(new Uint8Array([0x50, 0x4b, 0x03, 0x04])));
  });
});
