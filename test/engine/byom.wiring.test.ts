/**
 * The wiring behind bringing your own model, piece by piece: labels and a pixel range that ship with
 * the model (Teachable Machine's metadata.json), the one bytes-to-range mapping shared by training and
 * prediction, the pixel-range guess, and blocks from the graph for a model without block names.
 */
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { before, test } from 'node:test';
import type { InspectResult } from '../../src/protocol/host';
import type { PixelRange, ProjectConfig } from '../../src/protocol/config';
import { loadProjectConfig } from '../../src/engine/config';
import { openDataset } from '../../src/engine/data';
import { imageToInput } from '../../src/engine/export';
import { layerInfos, resolveTrainable } from '../../src/engine/model';
import type { GraphLayer } from '../../src/engine/model/graphBlocks';
import { guessPixelRange } from '../../src/engine/model/pixelRangeGuess';
import { cli } from '../fixtures/cli/runInProcess';
import { colourFolders, saveUserModel } from '../fixtures/byom/userModels';
import { tempDir } from '../fixtures/models/tinyModels';

before(async () => {
  await tf.setBackend('cpu');
});

/** Teachable Machine's shape: Sequential[ Sequential[ Functional backbone (conv) ], Sequential[ Dense(2, softmax) ] ]. */
function teachableLike(): tf.LayersModel {
  const input = tf.input({ shape: [32, 32, 3], name: 'image' });
  let x = tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', activation: 'relu', name: 'conv', kernelInitializer: tf.initializers.glorotUniform({ seed: 9 }) }).apply(input) as tf.SymbolicTensor;
  x = tf.layers.globalAveragePooling2d({ name: 'pool' }).apply(x) as tf.SymbolicTensor;
  const backbone = tf.model({ inputs: input, outputs: x, name: 'backbone' });
  const features = tf.sequential({ name: 'sequential_1', layers: [backbone] });
  const classifier = tf.sequential({ name: 'sequential_3', layers: [tf.layers.dense({ inputShape: [3], units: 2, activation: 'softmax', name: 'classes' })] });
  return tf.sequential({ name: 'sequential_4', layers: [features, classifier] });
}

test('a Teachable-Machine-shaped model with metadata.json: inspect states labels, range and nesting; init writes them; training orders classes as the labels', async () => {
  const root = tempDir('ftg-byom-');
  const file = await saveUserModel(teachableLike(), root, 'tm');
  // Not in sorted order, so the order can only come from the labels.
  await writeFile(path.join(root, 'tm', 'metadata.json'), JSON.stringify({ tmVersion: '2.4.7', labels: ['light', 'dark'], imageSize: 32 }));
  const inspected = await cli('inspect', file, '--json');
  assert.equal(inspected.code, 0, inspected.err);
  const info = JSON.parse(inspected.out) as InspectResult;
  assert.equal(info.format, 'TensorFlow.js LayersModel (model.json)');
  assert.deepEqual(info.labels, ['light', 'dark']);
  assert.deepEqual(info.pixelRange, { range: '-1..1', source: 'stated' });
  assert.deepEqual(info.layers.find((l) => l.name === 'conv')?.containers?.map((c) => c.name), ['sequential_1', 'backbone']);
  assert.deepEqual(info.layers.find((l) => l.name === 'classes')?.containers?.map((c) => c.name), ['sequential_3']);

  const data = await colourFolders(path.join(root, 'images'), { dark: [30, 30, 60], light: [230, 220, 60] });
  const projectDir = path.join(root, 'project');
  const init = await cli('init', projectDir, '--model', file, '--data', data, '--keep-classifier');
  assert.equal(init.code, 0, init.err);
  const projectFile = path.join(projectDir, 'finetune.json');
  const config = JSON.parse(await readFile(projectFile, 'utf8')) as ProjectConfig;
  assert.equal(config.model.pixelRange, '-1..1');
  // Without the field, loading takes the range metadata.json states.
  const { pixelRange: _dropped, ...modelWithout } = config.model;
  const tiny = { ...config, model: modelWithout, phases: config.phases.map((p) => ({ ...p, epochs: 1, batchSize: 4 })) };
  await writeFile(projectFile, JSON.stringify(tiny));
  assert.equal((await loadProjectConfig(projectFile)).config.model.pixelRange, '-1..1');

  const train = await cli('train', projectDir, '--backend', 'cpu', '--json');
  assert.equal(train.code, 0, train.err);
  const runEvent = train.out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; classes?: string[] }).find((e) => e.type === 'run');
  assert.deepEqual(runEvent?.classes, ['light', 'dark'], 'classes in the order of the model\'s labels');

  await colourFolders(path.join(data, '..', 'images'), { grey: [128, 128, 128] }, 2);
  const refused = await cli('train', projectDir, '--backend', 'cpu');
  assert.equal(refused.code, 2, refused.err);
  assert.match(refused.err, /"grey" that are not labels of the model \("light", "dark"\)/);
  assert.ok(refused.err.includes(data) && refused.err.includes('head.keepClassifier'), refused.err);
});

async function* concat<T>(...sources: AsyncIterable<T>[]): AsyncGenerator<T> {
  for (const source of sources) yield* source;
}

test('training batches and prediction scale pixels through one mapping, for every pixel range', async () => {
  const root = tempDir('ftg-byom-');
  const data = await colourFolders(path.join(root, 'images'), { black: [0, 0, 0], bright: [250, 200, 100] }, 2, 8);
  const seen = new Map<PixelRange, number[]>();
  for (const range of ['0..1', '-1..1', '0..255'] as const) {
    const dataset = await openDataset({ folder: data, inputSize: 8, validationSplit: 0.5, seed: 1, pixelRange: range, augmentation: { horizontalFlip: false, shift: 0, brightness: 0 } });
    for await (const batch of concat(dataset.batches('train', 4, { augment: false }), dataset.batches('validation', 4))) {
      const fed = await batch.xs.data();
      for (const [i, file] of batch.files.entries()) {
        const input = await imageToInput(file, { inputSize: 8, scale: range, fit: 'cover', channels: 3 });
        const predicted = await input.data();
        input.dispose();
        const own = Array.from(fed.subarray(i * predicted.length, (i + 1) * predicted.length));
        assert.ok(own.every((v, j) => Math.abs(v - (predicted[j] as number)) < 1e-5), `${range}: training and prediction agree on ${file}`);
        if (file.endsWith(path.join('black', '0.png'))) seen.set(range, own.slice(0, 3));
      }
      tf.dispose([batch.xs, batch.ys]);
    }
  }
  assert.deepEqual(Object.fromEntries(seen), { '0..1': [0, 0, 0], '-1..1': [-1, -1, -1], '0..255': [0, 0, 0] });
});

const layer = (name: string, className: string, config?: Record<string, unknown>): GraphLayer => ({ name, className, inbound: [], ...(config ? { config } : {}) });
const weighted = new Set(['Conv2D', 'Dense']);
const hasWeights = (l: GraphLayer): boolean => weighted.has(l.className);

test('the pixel-range guess: a Rescaling before the first weights means the model wants 0..255', () => {
  const input = layer('in', 'InputLayer');
  assert.equal(guessPixelRange([input, layer('scale', 'Rescaling', { scale: 1 / 127.5, offset: -1 }), layer('conv', 'Conv2D')], hasWeights), '0..255');
  assert.equal(guessPixelRange([input, layer('scale', 'Rescaling', { scale: 0.00392156862745098, offset: 0 }), layer('conv', 'Conv2D')], hasWeights), '0..255');
  assert.equal(guessPixelRange([input, layer('scale', 'Rescaling', { scale: 0.5, offset: 0 }), layer('conv', 'Conv2D')], hasWeights), '0..1', 'another scale says nothing');
  assert.equal(guessPixelRange([input, layer('conv', 'Conv2D'), layer('scale', 'Rescaling', { scale: 1 / 255 })], hasWeights), '0..1', 'after the weights it is not input scaling');
  assert.equal(guessPixelRange([input, layer('conv', 'Conv2D')], hasWeights), '0..1');
});

/** Stem conv, then two Inception-like modules (parallel branches joined by a Concatenate), no block names. */
function inceptionLike(): tf.LayersModel {
  const conv = (name: string, filters = 2) => tf.layers.conv2d({ filters, kernelSize: 1, name });
  const input = tf.input({ shape: [8, 8, 3], name: 'input' });
  let x = conv('stem').apply(input) as tf.SymbolicTensor;
  for (const m of ['mixed0', 'mixed1']) {
    const a = conv(`${m}_a`).apply(x) as tf.SymbolicTensor;
    const b = conv(`${m}_b2`).apply(conv(`${m}_b1`).apply(x)) as tf.SymbolicTensor;
    x = tf.layers.concatenate({ name: m }).apply([a, b]) as tf.SymbolicTensor;
  }
  return tf.model({ inputs: input, outputs: x });
}

test('layer rows take blocks from the graph: lastBlocks 1 on an Inception-like model trains the convolutions of its last module', () => {
  const model = inceptionLike();
  try {
    const rows = layerInfos(model);
    const trained = resolveTrainable(rows, { lastBlocks: 1 });
    for (const name of ['mixed1_a', 'mixed1_b1', 'mixed1_b2', 'mixed1']) assert.ok(trained.has(name), `${name} trained`);
    for (const name of ['stem', 'mixed0_a', 'mixed0_b1', 'mixed0']) assert.ok(!trained.has(name), `${name} frozen`);
    assert.equal(rows.find((r) => r.name === 'mixed0_b2')?.block, rows.find((r) => r.name === 'mixed0')?.block, 'a branch belongs to the block its join closes');
  } finally {
    model.dispose();
  }
});
