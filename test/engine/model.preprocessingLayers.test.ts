// Keras preprocessing layers inside a model: the random ones act in training only; Resizing and Rescaling as Keras.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import '../../src/engine/model/layers/register';

before(async () => {
  await tf.setBackend('cpu');
});

type Json = Record<string, unknown>;

/** A Keras-style Sequential topology (snake_case fields, as model.json and Keras configs hold them). */
function sequentialTopology(shape: number[], layers: { class_name: string; config: Json }[]): Json {
  return {
    class_name: 'Sequential',
    config: {
      name: 'pre',
      layers: [{ class_name: 'InputLayer', config: { name: 'input', batch_input_shape: [null, ...shape], dtype: 'float32' } }, ...layers],
    },
    keras_version: '2.15.0',
    backend: 'tensorflow',
  };
}

async function build(shape: number[], ...layers: { class_name: string; config: Json }[]): Promise<tf.LayersModel> {
  return tf.models.modelFromJSON({ modelTopology: sequentialTopology(shape, layers) as tf.io.ModelJSON['modelTopology'] });
}

/** A batch of distinct images with values in [0, 255]. */
function images(n: number, size: number, channels = 3): tf.Tensor4D {
  const values = Array.from({ length: n * size * size * channels }, (_, i) => (i * 37) % 256);
  return tf.tensor4d(values, [n, size, size, channels]);
}

function training(model: tf.LayersModel, x: tf.Tensor): tf.Tensor {
  return model.apply(x, { training: true }) as tf.Tensor;
}

const RANDOM_LAYERS = [
  { class_name: 'RandomFlip', config: { name: 'flip', mode: 'horizontal_and_vertical', seed: 1 } },
  { class_name: 'RandomRotation', config: { name: 'rotate', factor: 0.2, fill_mode: 'reflect', interpolation: 'bilinear', seed: 2, fill_value: 0 } },
  { class_name: 'RandomZoom', config: { name: 'zoom', height_factor: [-0.3, 0.3], width_factor: null, fill_mode: 'constant', seed: 3 } },
  { class_name: 'RandomContrast', config: { name: 'contrast', factor: 0.5, value_range: [0, 255], seed: 4 } },
];

test('a model with every random layer builds; inference is the identity, training changes every image', async () => {
  const model = await build([8, 8, 3], ...RANDOM_LAYERS);
  const x = images(4, 8);
  try {
    assert.deepEqual(model.layers.slice(1).map((l) => l.getClassName()), ['RandomFlip', 'RandomRotation', 'RandomZoom', 'RandomContrast']);
    const predicted = model.predict(x) as tf.Tensor;
    assert.deepEqual(await predicted.data(), await x.data());
    const trained = training(model, x);
    assert.deepEqual(trained.shape, [4, 8, 8, 3]);
    const perImage = tf.sub(trained, x).abs().sum([1, 2, 3]);
    for (const difference of await perImage.data()) assert.ok(difference > 1, 'every image is changed');
    tf.dispose([predicted, trained, perImage]);
  } finally {
    model.dispose();
    x.dispose();
  }
});

test('the saved JSON keeps Keras field names and values, and loads back to the same config', async () => {
  const model = await build([8, 8, 3], ...RANDOM_LAYERS);
  try {
    const saved = model.toJSON(null, false) as unknown as { config: { layers: { class_name: string; config: Json }[] } };
    const flip = saved.config.layers.find((l) => l.class_name === 'RandomFlip')?.config;
    assert.equal(flip?.mode, 'horizontal_and_vertical');
    const zoom = saved.config.layers.find((l) => l.class_name === 'RandomZoom')?.config;
    assert.deepEqual([zoom?.height_factor, zoom?.width_factor, zoom?.fill_mode, zoom?.seed], [[-0.3, 0.3], null, 'constant', 3]);
    const again = await tf.models.modelFromJSON({ modelTopology: saved as unknown as tf.io.ModelJSON['modelTopology'] });
    assert.deepEqual(again.layers.map((l) => l.getConfig()), model.layers.map((l) => l.getConfig()));
    again.dispose();
  } finally {
    model.dispose();
  }
});

test('RandomFlip: each image is itself or its mirror; both happen; the same seed draws the same flips', async () => {
  const flip = { class_name: 'RandomFlip', config: { name: 'flip', mode: 'horizontal', seed: 7 } };
  const [a, b] = [await build([4, 4, 1], flip), await build([4, 4, 1], flip)];
  const x = images(16, 4, 1);
  const mirrored = tf.reverse(x, 2);
  const [outA, outB] = [training(a, x), training(b, x)];
  const same = await tf.sub(outA, x).abs().sum([1, 2, 3]).data();
  const flipped = await tf.sub(outA, mirrored).abs().sum([1, 2, 3]).data();
  same.forEach((s, i) => assert.ok(s === 0 || flipped[i] === 0, `image ${i} is the original or its mirror`));
  assert.ok(same.some((s) => s === 0) && flipped.some((f) => f === 0), 'some images flip, some do not');
  assert.deepEqual(await outA.data(), await outB.data(), 'same seed, same draws');
  const second = training(a, x);
  assert.notDeepEqual(await second.data(), await outA.data(), 'the next batch draws anew');
  tf.dispose([x, mirrored, outA, outB, second]);
  a.dispose();
  b.dispose();
});

test('RandomRotation with factor [0.25, 0.25] turns every image a quarter turn counter-clockwise', async () => {
  const model = await build([5, 5, 1], { class_name: 'RandomRotation', config: { name: 'r', factor: [0.25, 0.25], interpolation: 'nearest', seed: 1 } });
  const x = images(2, 5, 1);
  const out = (await training(model, x).array()) as number[][][][];
  const input = (await x.array()) as number[][][][];
  for (let n = 0; n < 2; n++) {
    for (let row = 0; row < 5; row++) {
      // numpy's rot90: out[r][c] = in[c][size - 1 - r].
      for (let col = 0; col < 5; col++) assert.equal(out[n]?.[row]?.[col]?.[0], input[n]?.[col]?.[4 - row]?.[0]);
    }
  }
  model.dispose();
  x.dispose();
});

test('RandomZoom with height_factor [1, 1] zooms out 2x about the centre, filling with fill_value', async () => {
  const model = await build([5, 5, 1], { class_name: 'RandomZoom', config: { name: 'z', height_factor: [1, 1], fill_mode: 'constant', fill_value: -1, interpolation: 'nearest' } });
  const x = images(1, 5, 1);
  const out = (await training(model, x).array()) as number[][][][];
  const input = (await x.array()) as number[][][][];
  // Output pixel c samples input pixel 2c - 2; outside the image is the fill value.
  for (let row = 0; row < 5; row++) {
    for (let col = 0; col < 5; col++) {
      const [r, c] = [2 * row - 2, 2 * col - 2];
      const expected = r >= 0 && r < 5 && c >= 0 && c < 5 ? input[0]?.[r]?.[c]?.[0] : -1;
      assert.equal(out[0]?.[row]?.[col]?.[0], expected, `pixel ${row},${col}`);
    }
  }
  model.dispose();
  x.dispose();
});

test('RandomContrast: one factor per image within [1 - f, 1 + f] around each channel mean, clipped to value_range', async () => {
  const model = await build([4, 4, 2], { class_name: 'RandomContrast', config: { name: 'c', factor: 0.8, value_range: [0, 200], seed: 5 } });
  const x = images(6, 4, 2);
  const out = (await training(model, x).array()) as number[][][][];
  const input = (await x.array()) as number[][][][];
  const means = (await tf.mean(x, [1, 2]).array()) as number[][];
  for (let n = 0; n < 6; n++) {
    let factor: number | undefined;
    for (let i = 0; i < 16; i++) {
      for (let ch = 0; ch < 2; ch++) {
        const v = input[n]?.[Math.floor(i / 4)]?.[i % 4]?.[ch] as number;
        const o = out[n]?.[Math.floor(i / 4)]?.[i % 4]?.[ch] as number;
        const m = means[n]?.[ch] as number;
        if (factor === undefined && Math.abs(v - m) > 20 && o > 0 && o < 200) factor = (o - m) / (v - m);
        if (factor !== undefined) assert.ok(Math.abs(o - Math.min(200, Math.max(0, (v - m) * factor + m))) < 1e-3, `image ${n}`);
      }
    }
    assert.ok(factor !== undefined && factor >= 0.2 - 1e-6 && factor <= 1.8 + 1e-6, `factor ${factor}`);
  }
  model.dispose();
  x.dispose();
});

test('a model with random layers trains with trainOnBatch (the augmentation needs no gradient)', async () => {
  const model = await build([6, 6, 1], RANDOM_LAYERS[1] as { class_name: string; config: Json }, { class_name: 'Flatten', config: { name: 'flat' } }, { class_name: 'Dense', config: { name: 'out', units: 2, activation: 'softmax' } });
  model.compile({ optimizer: tf.train.sgd(0.01), loss: 'categoricalCrossentropy' });
  const x = images(4, 6, 1).div(255);
  const y = tf.oneHot(tf.tensor1d([0, 1, 0, 1], 'int32'), 2);
  const loss = (await model.trainOnBatch(x, y)) as number;
  assert.ok(Number.isFinite(loss));
  tf.dispose([x, y]);
  model.dispose();
});

test('Resizing as Keras: half-pixel bilinear ([0, 1] -> [0, .25, .75, 1]), batched output shape, centre crop to aspect ratio', async () => {
  const model = await build([1, 2, 1], { class_name: 'Resizing', config: { name: 'resize', height: 1, width: 4, interpolation: 'bilinear', crop_to_aspect_ratio: false } });
  assert.deepEqual(model.outputs[0]?.shape, [null, 1, 4, 1]);
  const out = model.predict(tf.tensor4d([0, 1], [1, 1, 2, 1])) as tf.Tensor;
  assert.deepEqual(Array.from(await out.data()), [0, 0.25, 0.75, 1]);
  const cropper = await build([2, 4, 1], { class_name: 'Resizing', config: { name: 'crop', height: 1, width: 1, interpolation: 'nearest', crop_to_aspect_ratio: true } });
  // The centred 2x2 window of a 2x4 image (columns 1..2), then 1x1 half-pixel nearest: its bottom-right pixel.
  const cropped = cropper.predict(tf.tensor4d([0, 1, 2, 3, 4, 5, 6, 7], [1, 2, 4, 1])) as tf.Tensor;
  assert.deepEqual(Array.from(await cropped.data()), [6]);
  tf.dispose([out, cropped]);
  model.dispose();
  cropper.dispose();
});

test('Rescaling as Keras: x * scale + offset (0..255 to -1..1), in inference too', async () => {
  const model = await build([1, 3, 1], { class_name: 'Rescaling', config: { name: 'scale', scale: 1 / 127.5, offset: -1 } });
  const out = model.predict(tf.tensor4d([0, 127.5, 255], [1, 1, 3, 1])) as tf.Tensor;
  const values = Array.from(await out.data());
  [-1, 0, 1].forEach((v, i) => assert.ok(Math.abs((values[i] as number) - v) < 1e-6));
  out.dispose();
  model.dispose();
});
