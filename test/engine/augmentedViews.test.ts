/**
 * augmentation.views (issue 20): each training image has K fixed augmented versions, one picked per
 * epoch, each with its own sample id, so a frozen prefix's outputs for them can be cached and training
 * on the cache sees exactly what training with the prefix recomputed sees.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend, planPhaseExecution, shutdownBackend, type TrainBatchSource } from '../../src/engine/backend';
import { openDataset, type Dataset, type DatasetOptions } from '../../src/engine/data';
import { applyFreezePlan } from '../../src/engine/model';
import { makeImageFolder, makeTempDir } from '../fixtures/data/make';

const SIZE = 12;
const AUGMENT = { horizontalFlip: true, shift: 0.25, brightness: 0.3 };
const EPOCHS = 8;
const temp = makeTempDir();
let folder = '';
before(async () => {
  await initBackend('wasm', { threads: 2 });
  folder = await makeImageFolder(join(temp.dir, 'data'), { ants: 6, bees: 6 });
});
after(() => {
  shutdownBackend();
  temp.remove();
});

const dataset = (views: number, extra: Partial<DatasetOptions> = {}): Promise<Dataset> =>
  openDataset({ folder, inputSize: SIZE, validationSplit: 0.25, seed: 7, augmentation: { ...AUGMENT, views }, ...extra });

/** Per training file: the distinct augmented images (as strings) and ids it had over EPOCHS epochs. */
async function seenPerFile(data: Dataset): Promise<Map<string, { images: Set<string>; ids: Set<string> }>> {
  const seen = new Map<string, { images: Set<string>; ids: Set<string> }>();
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    for await (const batch of data.batches('train', 4, { epoch })) {
      const xs = batch.xs.dataSync();
      const length = xs.length / batch.files.length;
      batch.files.forEach((file, i) => {
        const entry = seen.get(file) ?? { images: new Set<string>(), ids: new Set<string>() };
        entry.images.add(Array.from(xs.subarray(i * length, (i + 1) * length)).join(','));
        entry.ids.add(batch.ids[i]);
        seen.set(file, entry);
      });
      tf.dispose([batch.xs, batch.ys]);
    }
  }
  return seen;
}

test('with views K, each image is one of its K augmented versions every epoch, each version with its own id', async () => {
  const seen = await seenPerFile(await dataset(2));
  for (const [file, { images, ids }] of seen) {
    assert.ok(images.size <= 2, `${file}: ${images.size} different augmented images over ${EPOCHS} epochs with views 2`);
    assert.equal(ids.size, images.size, `${file}: one id per augmented version`);
    for (const id of ids) assert.match(id, /#view[01]$/);
  }
  assert.ok([...seen.values()].some(({ images }) => images.size === 2), 'some image used both of its views');

  const fresh = await seenPerFile(await dataset(0));
  assert.ok([...fresh.values()].some(({ images }) => images.size > 2), 'views 0: fresh draws every epoch');
  for (const { ids } of fresh.values()) assert.equal(ids.size, 1, 'views 0: the plain id');

  const plain = await seenPerFile(await dataset(4, { augmentation: { horizontalFlip: false, shift: 0, brightness: 0, views: 4 } }));
  for (const { images, ids } of plain.values()) assert.deepEqual([images.size, ids.size], [1, 1], 'nothing augmented: one image, one id, not four copies');
});

test('views are drawn with the seed: the same seed gives the same versions, another seed others', async () => {
  const images = async (seed: number) =>
    [...(await seenPerFile(await dataset(3, { seed }))).values()].map(({ images: set }) => [...set].sort().join('|')).join('\n');
  assert.equal(await images(7), await images(7));
  assert.notEqual(await images(7), await images(8));
});

function prefixModel(): tf.LayersModel {
  const input = tf.input({ shape: [SIZE, SIZE, 3] });
  const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor): tf.SymbolicTensor => layer.apply(x) as tf.SymbolicTensor;
  let x = apply(tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }), name: 'stem_conv' }), input);
  x = apply(tf.layers.reLU({ name: 'stem_relu' }), x);
  x = apply(tf.layers.globalAveragePooling2d({ name: 'head_pool' }), x);
  const out = apply(tf.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }), name: 'head_classifier' }), x);
  return tf.model({ inputs: input, outputs: out });
}

async function epochInputs(source: TrainBatchSource, epoch: number): Promise<number[]> {
  const out: number[] = [];
  for await (const { xs, ys } of source.batches(epoch)) {
    out.push(...xs.dataSync());
    tf.dispose([xs, ys]);
  }
  return out;
}

test('augmentation with views keeps the frozen-prefix cache on, and the cached inputs equal the recomputed ones', async () => {
  const model = prefixModel();
  applyFreezePlan(model, new Set(['head_classifier']), 'inference');
  const data = await dataset(3);
  const plan = (cache: boolean) => {
    const logs: string[] = [];
    const execution = planPhaseExecution({
      model, train: data.source('train', 4), val: data.source('validation', 4), augmentation: { ...AUGMENT, views: 3 }, pipelineKey: 'views-test', cache, log: (m) => logs.push(m),
    });
    return { execution, logs };
  };
  const cached = plan(true);
  const recomputed = plan(false);
  assert.equal(cached.execution.cache.used, true, cached.execution.cache.reason);
  assert.equal(cached.execution.cache.augmentedViews, 3);
  assert.ok(cached.logs.some((line) => /frozen-prefix cache on, with 3 augmented views per image/.test(line)), cached.logs.join('\n'));
  const before = tf.memory().numTensors;
  for (let epoch = 0; epoch < 5; epoch++) {
    assert.deepEqual(await epochInputs(cached.execution.train, epoch), await epochInputs(recomputed.execution.train, epoch), `epoch ${epoch}: cached = recomputed`);
  }
  assert.equal(tf.memory().numTensors, before, 'no tensor left behind');
  cached.execution.dispose();
  recomputed.execution.dispose();

  const noViews = planPhaseExecution({ model, train: data.source('train', 4), val: data.source('validation', 4), augmentation: { ...AUGMENT, views: 0 }, pipelineKey: 'views-test' });
  assert.equal(noViews.cache.used, false);
  assert.match(noViews.cache.reason, /augmentation\.views is 0/);
  noViews.dispose();
  model.dispose();
});
