// Grey and channel-less inputs: decoding to one channel, layouts from model input shapes, training and prediction.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { inputLayoutOf, openDataset, rgbToGrey, type Dataset } from '../../src/engine/data';
import { decodeImage } from '../../src/engine/data/decode';
import { predictImages } from '../../src/engine/predict/predictImages';
import { saveModelFolder } from '../../src/engine/train/saveModel';
import { makeTempDir } from '../fixtures/data/make';

const temp = makeTempDir('ftg-grey-');
let folder = '';

/** A PNG whose bright band sits left (class "left") or right ("right"); colours vary per image. */
async function writeBand(file: string, side: number, left: boolean, index: number): Promise<void> {
  const pixels = Buffer.alloc(side * side * 3);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const bright = left ? x < side / 2 : x >= side / 2;
      const at = (y * side + x) * 3;
      pixels[at] = bright ? 200 + (index % 50) : 20;
      pixels[at + 1] = bright ? 180 : 10 + y;
      pixels[at + 2] = bright ? 90 : (index * 13) % 60;
    }
  }
  await sharp(pixels, { raw: { width: side, height: side, channels: 3 } }).png().toFile(file);
}

before(async () => {
  await tf.setBackend('cpu');
  folder = join(temp.dir, 'bands');
  for (const name of ['left', 'right']) {
    mkdirSync(join(folder, name), { recursive: true });
    for (let i = 0; i < 8; i++) await writeBand(join(folder, name, `${i}.png`), 28, name === 'left', i);
  }
});
after(() => temp.remove());

test('rgbToGrey is PIL convert("L") (BT.601 luma, rounded): red 76, green 150, blue 29, grey unchanged', () => {
  assert.deepEqual(Array.from(rgbToGrey(new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255]))), [76, 150, 29, 255]);
  const greys = Uint8Array.from({ length: 256 * 3 }, (_, i) => Math.floor(i / 3));
  assert.deepEqual(Array.from(rgbToGrey(greys)), Array.from({ length: 256 }, (_, i) => i));
});

test('decodeImage with channels 1 gives side x side luma bytes; 3 (the default) is unchanged RGB', async () => {
  const file = join(temp.dir, 'red-blue.png');
  const pixels = Buffer.alloc(4 * 4 * 3);
  for (let i = 0; i < 16; i++) pixels.set(i % 4 < 2 ? [255, 0, 0] : [0, 0, 255], i * 3);
  await sharp(pixels, { raw: { width: 4, height: 4, channels: 3 } }).png().toFile(file);
  const grey = await decodeImage(file, 4, 1);
  assert.equal(grey.length, 16);
  assert.deepEqual(Array.from(grey.slice(0, 4)), [76, 76, 29, 29]);
  const rgb = await decodeImage(file, 4);
  assert.deepEqual(Array.from(rgb.slice(0, 6)), [255, 0, 0, 255, 0, 0]);
  const greySource = join(temp.dir, 'grey.png');
  await sharp(Buffer.from(Array.from({ length: 16 }, (_, i) => i * 16)), { raw: { width: 4, height: 4, channels: 1 } }).png().toFile(greySource);
  assert.deepEqual(Array.from(await decodeImage(greySource, 4, 1)), Array.from({ length: 16 }, (_, i) => i * 16));
});

test('inputLayoutOf: 1 or 3 channels, channel-less 28x28, flat 784 (grey) and 2352 (RGB); others are not images', () => {
  assert.deepEqual(inputLayoutOf([null, 28, 28, 1]), { size: 28, channels: 1, sampleShape: [28, 28, 1] });
  assert.deepEqual(inputLayoutOf([null, 96, 96, 3]), { size: 96, channels: 3, sampleShape: [96, 96, 3] });
  assert.deepEqual(inputLayoutOf([null, 28, 28]), { size: 28, channels: 1, sampleShape: [28, 28] });
  assert.deepEqual(inputLayoutOf([null, 784]), { size: 28, channels: 1, sampleShape: [784] });
  assert.deepEqual(inputLayoutOf([null, 2352]), { size: 28, channels: 3, sampleShape: [2352] });
  for (const shape of [[null, 10], [null, 28, 32, 1], [null, 28, 28, 4], [null, null, null, 3]]) assert.equal(inputLayoutOf(shape), null, JSON.stringify(shape));
});

async function open(shape: (number | null)[], augment = false): Promise<Dataset> {
  const layout = inputLayoutOf(shape);
  assert.ok(layout);
  return openDataset({
    folder,
    inputSize: layout.size,
    channels: layout.channels,
    sampleShape: layout.sampleShape,
    validationSplit: 0.25,
    seed: 3,
    augmentation: { horizontalFlip: augment, shift: 0, brightness: 0 },
  });
}

/** Trains a few epochs on the dataset's training batches; returns the mean loss of the first and last epoch. */
async function train(model: tf.LayersModel, dataset: Dataset, epochs: number): Promise<[number, number]> {
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
  const means: number[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    const losses: number[] = [];
    for await (const batch of dataset.batches('train', 4, { epoch })) {
      assert.deepEqual(batch.xs.shape.slice(1), model.inputs[0]?.shape.slice(1));
      losses.push((await model.trainOnBatch(batch.xs, batch.ys)) as number);
      tf.dispose([batch.xs, batch.ys]);
    }
    means.push(losses.reduce((a, b) => a + b, 0) / losses.length);
  }
  return [means[0] as number, means.at(-1) as number];
}

test('a 1-channel conv model trains on grey batches [n, 28, 28, 1] through the dataset API', async () => {
  const seed = 1;
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 4, kernelSize: 3, strides: 2, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed }) }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed }) }),
    ],
  });
  const dataset = await open(model.inputs[0]?.shape as (number | null)[]);
  const [first, last] = await train(model, dataset, 8);
  assert.ok(last < first, `loss falls: ${first} -> ${last}`);
  const pixels = await dataset.pixels(dataset.train[0] as Dataset['train'][number]);
  assert.equal(pixels?.length, 28 * 28);
  model.dispose();
});

test('a Flatten + Dense MLP on channel-less [null, 28, 28] trains, and predict feeds it what training saw', async () => {
  const seed = 2;
  const model = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [28, 28] }),
      tf.layers.dense({ units: 8, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed }) }),
      tf.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed }) }),
    ],
  });
  const dataset = await open([null, 28, 28]);
  const [first, last] = await train(model, dataset, 8);
  assert.ok(last < first, `loss falls: ${first} -> ${last}`);
  // A model folder as a run saves it: preprocessing.json says 1 channel.
  const dir = join(temp.dir, 'mlp-model');
  await saveModelFolder(dir, model, dataset.classes, { inputSize: 28, channels: 1, scale: '0..1' });
  const sample = dataset.validation[0] as Dataset['validation'][number];
  const [prediction] = await predictImages(dir, [sample.file], 2);
  const pixels = (await dataset.pixels(sample)) as Float32Array;
  const expected = tf.tidy(() => (model.predict(tf.tensor(pixels, [1, 28, 28])) as tf.Tensor).dataSync());
  assert.equal(prediction?.top.length, 2);
  for (const { label, probability } of prediction?.top ?? []) {
    assert.ok(Math.abs(probability - (expected[dataset.classes.indexOf(label)] as number)) < 1e-5, label);
  }
  model.dispose();
});

test('grey augmentation: a flipped training image is the mirror of its un-augmented grey pixels', async () => {
  const dataset = await open([null, 784], true);
  let mirrored = 0;
  for await (const batch of dataset.batches('train', 16, { epoch: 0, shuffle: false })) {
    assert.deepEqual(batch.xs.shape, [batch.ids.length, 784]);
    const xs = batch.xs.dataSync();
    for (let i = 0; i < batch.ids.length; i++) {
      const plain = (await dataset.pixels(dataset.train.find((s) => s.id === batch.ids[i]) as Dataset['train'][number])) as Float32Array;
      const got = xs.subarray(i * 784, (i + 1) * 784);
      const flipped = plain.map((_, j) => plain[Math.floor(j / 28) * 28 + 27 - (j % 28)] as number);
      const isPlain = got.every((v, j) => v === plain[j]);
      const isFlipped = got.every((v, j) => v === flipped[j]);
      assert.ok(isPlain || isFlipped, `image ${i} is itself or its mirror`);
      if (isFlipped && !isPlain) mirrored++;
    }
    tf.dispose([batch.xs, batch.ys]);
  }
  assert.ok(mirrored > 0, 'some images are flipped');
});
