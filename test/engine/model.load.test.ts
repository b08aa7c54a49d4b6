// Loading models from disk: round trip, quantized weights, input rewrite, cut, and every bad input
// giving a UserError that names the file.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { copyFile, rm, truncate, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { isUserError } from '../../src/shared/userError';
import { fileSystemHandler, inspectModel, loadBaseModel, readModelFile } from '../../src/engine/model';
import { editModelJson, saveModel, savedTinyClassifier, tempDir, tinyClassifier } from '../fixtures/models/tinyModels';

before(async () => {
  await tf.setBackend('cpu');
});

/** Asserts that `run` rejects with a UserError whose message names `file` and matches `pattern`. */
async function rejectsNaming(run: () => Promise<unknown>, file: string, pattern: RegExp): Promise<void> {
  await assert.rejects(run, (error: unknown) => {
    assert.ok(isUserError(error), `not a UserError: ${String(error)}`);
    assert.ok(error.message.includes(file), `message does not name ${file}: ${error.message}`);
    assert.match(error.message, pattern);
    return true;
  });
}

test('a saved model loads back with the same predictions, and leaves no tensors behind', async () => {
  const { dir, model, modelFile } = await savedTinyClassifier();
  const tensorsBefore = tf.memory().numTensors;
  const { model: probe } = await loadBaseModel(modelFile, dir);
  probe.dispose();
  assert.equal(tf.memory().numTensors, tensorsBefore);
  const { model: loaded } = await loadBaseModel(modelFile, dir);
  const x = tf.randomUniform([2, 8, 8, 3], 0, 1, 'float32', 3);
  assert.deepEqual(await (loaded.predict(x) as tf.Tensor).array(), await (model.predict(x) as tf.Tensor).array());
  x.dispose();
  model.dispose();
  loaded.dispose();
});

/** Re-encodes every weight of a saved model as uint8 or uint16 (as tensorflowjs_converter --quantize does). */
async function quantize(modelFile: string, dtype: 'uint8' | 'uint16'): Promise<void> {
  const { artifacts } = await readModelFile(modelFile);
  const weights = tf.io.decodeWeights(artifacts.weightData ?? new ArrayBuffer(0), artifacts.weightSpecs ?? []);
  const levels = dtype === 'uint8' ? 255 : 65535;
  const specs: tf.io.WeightsManifestEntry[] = [];
  const parts: number[] = [];
  for (const spec of artifacts.weightSpecs ?? []) {
    const values = (weights[spec.name] as tf.Tensor).dataSync();
    const min = Math.min(...values);
    const scale = (Math.max(...values) - min) / levels || 1;
    specs.push({ name: spec.name, shape: spec.shape, dtype: 'float32', quantization: { min, scale, dtype } });
    for (const v of values) parts.push(Math.round((v - min) / scale));
  }
  tf.dispose(weights);
  const data = dtype === 'uint8' ? new Uint8Array(parts) : new Uint16Array(parts);
  await writeFile(path.join(path.dirname(modelFile), 'weights.bin'), new Uint8Array(data.buffer));
  await editModelJson(modelFile, (json) => {
    json.weightsManifest = [{ paths: ['weights.bin'], weights: specs }];
  });
}

test('fileSystemHandler saves and loads with plain tf.loadLayersModel', async () => {
  const dir = tempDir();
  const model = tinyClassifier();
  await model.save(fileSystemHandler(dir));
  const loaded = await tf.loadLayersModel(fileSystemHandler(path.join(dir, 'model.json')));
  const x = tf.ones([1, 8, 8, 3]);
  assert.deepEqual(await (loaded.predict(x) as tf.Tensor).array(), await (model.predict(x) as tf.Tensor).array());
  assert.deepEqual(readdirSync(dir).sort(), ['model.json', 'weights.bin'], 'no temporary files left');
  x.dispose();
  model.dispose();
  loaded.dispose();
});

/** float32 -> IEEE half bits (normal range and zero; enough for small weights). */
function toHalf(value: number): number {
  const f32 = new Float32Array([value]);
  const bits = new Uint32Array(f32.buffer)[0] as number;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = ((bits >>> 23) & 0xff) - 127 + 15;
  if (exponent <= 0) return sign;
  return sign | (exponent << 10) | ((bits >>> 13) & 0x3ff);
}

test('float16 weights load, close to the originals', async () => {
  const { dir, model, modelFile } = await savedTinyClassifier();
  const { artifacts } = await readModelFile(modelFile);
  const floats = new Float32Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? new ArrayBuffer(0)));
  await writeFile(path.join(dir, 'weights.bin'), new Uint8Array(Uint16Array.from(floats, toHalf).buffer));
  await editModelJson(modelFile, (json) => {
    const specs = (artifacts.weightSpecs ?? []).map((spec) => ({ ...spec, quantization: { dtype: 'float16' } }));
    json.weightsManifest = [{ paths: ['weights.bin'], weights: specs }];
  });
  const { model: loaded } = await loadBaseModel(modelFile, dir);
  const error = tf.tidy(() => {
    const original = model.getLayer('block_2_conv').getWeights()[0] as tf.Tensor;
    const restored = loaded.getLayer('block_2_conv').getWeights()[0] as tf.Tensor;
    return tf.max(tf.abs(tf.sub(original, restored))).dataSync()[0] as number;
  });
  assert.ok(error < 1e-2, `max error ${error}`);
  model.dispose();
  loaded.dispose();
});

for (const dtype of ['uint8', 'uint16'] as const) {
  test(`${dtype}-quantized weights load, close to the originals`, async () => {
    const { dir, model, modelFile } = await savedTinyClassifier();
    await quantize(modelFile, dtype);
    const { model: loaded } = await loadBaseModel(modelFile, dir);
    const error = tf.tidy(() => {
      const original = model.getLayer('block_1_conv').getWeights()[0] as tf.Tensor;
      const restored = loaded.getLayer('block_1_conv').getWeights()[0] as tf.Tensor;
      return tf.max(tf.abs(tf.sub(original, restored))).dataSync()[0] as number;
    });
    assert.ok(error > 0 || dtype === 'uint16', 'uint8 quantization should not be lossless');
    assert.ok(error < (dtype === 'uint8' ? 0.01 : 1e-4), `max error ${error}`);
    model.dispose();
    loaded.dispose();
  });
}

test('the input size is rewritten and the model is cut where asked', async () => {
  const { dir, modelFile } = await savedTinyClassifier();
  const { model } = await loadBaseModel(modelFile, dir, { inputSize: 32, cutLayer: 'block_2_relu' });
  assert.deepEqual(model.inputs[0]?.shape, [null, 32, 32, 3]);
  assert.deepEqual(model.outputs[0]?.shape, [null, 16, 16, 6]);
  assert.equal(model.layers.at(-1)?.name, 'block_2_relu');
  model.dispose();
});

test('a Sequential model loads and is cut too', async () => {
  const dir = tempDir();
  const seq = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 2, kernelSize: 3, name: 'conv_a' }),
      tf.layers.flatten({ name: 'flat' }),
      tf.layers.dense({ units: 2, name: 'out' }),
    ],
  });
  const modelFile = await saveModel(seq, dir);
  const { model } = await loadBaseModel(modelFile, dir, { inputSize: 12, cutLayer: 'conv_a' });
  assert.deepEqual(model.outputs[0]?.shape, [null, 10, 10, 2]);
  seq.dispose();
  model.dispose();
});

test('inspect lists every layer with class, shape, params and block', async () => {
  const { modelFile, model } = await savedTinyClassifier();
  const result = await inspectModel(modelFile);
  assert.deepEqual(result.layers.map((l) => l.name), model.layers.map((l) => l.name));
  assert.equal(result.totalParams, model.countParams());
  const bn = result.layers.find((l) => l.name === 'block_2_bn');
  assert.deepEqual(bn && { ...bn }, {
    name: 'block_2_bn',
    className: 'BatchNormalization',
    outputShape: [null, 4, 4, 6],
    params: 24,
    trainableParams: 12,
    block: 'block_2',
    isNew: false,
    isBatchNorm: true,
  });
  model.dispose();
});

test('bad model files: each gives a UserError naming the file and the problem', async (t) => {
  const { dir, modelFile, model } = await savedTinyClassifier();
  model.dispose();
  const fresh = async (): Promise<string> => {
    const copy = tempDir();
    await copyFile(modelFile, path.join(copy, 'model.json'));
    await copyFile(path.join(dir, 'weights.bin'), path.join(copy, 'weights.bin'));
    return path.join(copy, 'model.json');
  };
  const load = (file: string) => () => loadBaseModel(file, path.dirname(file));

  await t.test('missing file', async () => {
    const file = path.join(tempDir(), 'model.json');
    await rejectsNaming(load(file), file, /was not found/);
  });
  await t.test('not JSON', async () => {
    const file = await fresh();
    await writeFile(file, 'this is not json');
    await rejectsNaming(load(file), file, /not valid JSON/);
  });
  await t.test('truncated JSON', async () => {
    const file = await fresh();
    await truncate(file, 200);
    await rejectsNaming(load(file), file, /truncated/);
  });
  await t.test('no topology', async () => {
    const file = await fresh();
    await editModelJson(file, (json) => delete json.modelTopology);
    await rejectsNaming(load(file), file, /no model topology/);
  });
  await t.test('GraphModel', async () => {
    const file = await fresh();
    await writeFile(file, JSON.stringify({ format: 'graph-model', modelTopology: { node: [] }, weightsManifest: [] }));
    await rejectsNaming(load(file), file, /GraphModel.*LayersModel/s);
  });
  await t.test('truncated Keras .h5 file', async () => {
    const file = path.join(tempDir(), 'model.h5');
    await writeFile(file, Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a]));
    await rejectsNaming(load(file), file, /not a readable HDF5 file.*download it again/s);
  });
  await t.test('truncated Keras .keras archive', async () => {
    const file = path.join(tempDir(), 'model.keras');
    await writeFile(file, 'PK\u0003\u0004');
    await rejectsNaming(load(file), file, /not a readable zip archive.*Keras 3/s);
  });
  await t.test('missing weight shard', async () => {
    const file = await fresh();
    await rm(path.join(path.dirname(file), 'weights.bin'));
    await rejectsNaming(load(file), file, /weights\.bin.*missing/);
  });
  await t.test('short weight shard', async () => {
    const file = await fresh();
    await truncate(path.join(path.dirname(file), 'weights.bin'), 100);
    await rejectsNaming(load(file), file, /100 bytes.*truncated/);
  });
  await t.test('weights that do not match the topology', async () => {
    const file = await fresh();
    await editModelJson(file, (json) => {
      const layers = (json.modelTopology as { config: { layers: { name: string; config: { filters?: number } }[] } }).config.layers;
      const conv = layers.find((l) => l.name === 'block_1_conv');
      if (conv) conv.config.filters = 7;
    });
    await rejectsNaming(load(file), file, /block_1_conv\/kernel.*shape/);
  });
  await t.test('unknown layer class', async () => {
    const file = await fresh();
    await editModelJson(file, (json) => {
      const layers = (json.modelTopology as { config: { layers: { name: string; class_name: string }[] } }).config.layers;
      const relu = layers.find((l) => l.name === 'block_1_relu');
      if (relu) relu.class_name = 'MyFancyActivation';
    });
    await rejectsNaming(load(file), file, /MyFancyActivation/);
  });
  await t.test('a cut layer that does not exist lists valid names', async () => {
    const file = await fresh();
    await rejectsNaming(() => loadBaseModel(file, path.dirname(file), { cutLayer: 'block_9_relu' }), file, /block_9_relu.*"block_2_relu"/s);
  });
  await t.test('a model with nothing to train', async () => {
    const noWeights = tf.sequential({ layers: [tf.layers.globalAveragePooling2d({ inputShape: [4, 4, 3], name: 'pool' })] });
    const file = await saveModel(noWeights, tempDir());
    noWeights.dispose();
    await rejectsNaming(load(file), file, /nothing to fine-tune/);
  });
  await t.test('a model whose input is not an image', async () => {
    const vector = tf.sequential({ layers: [tf.layers.dense({ inputShape: [10], units: 2, name: 'd' })] });
    const file = await saveModel(vector, tempDir());
    vector.dispose();
    await rejectsNaming(() => loadBaseModel(file, path.dirname(file), { inputSize: 32 }), file, /not images/);
  });
});

test('the tiny model fixture is what the tests assume', () => {
  const model = tinyClassifier();
  assert.equal(model.layers.length, 11);
  model.dispose();
});
