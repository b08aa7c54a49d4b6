/** data.balance and data.testSplit in the data pipeline: weights, balanced batches, the stratified seeded test split. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { openDataset } from '../../src/engine/data';
import { classCounts, classWeights, smallClassWarnings } from '../../src/engine/data/classBalance';
import { hiddenClassWarnings } from '../../src/engine/evaluate/hiddenClasses';
import type { DatasetOptions } from '../../src/engine/data';
import { makeImageFolder, makeTempDir } from '../fixtures/data/make';

test.before(() => tf.setBackend('cpu'));

const NO_AUGMENTATION = { horizontalFlip: false, shift: 0, brightness: 0 };

async function withFolder(counts: Record<string, number>, body: (folder: string) => Promise<void>): Promise<void> {
  const temp = makeTempDir('ftg-balance-');
  try {
    await body(await makeImageFolder(temp.dir, counts));
  } finally {
    temp.remove();
  }
}

const options = (folder: string, more: Partial<DatasetOptions> = {}): DatasetOptions => ({
  folder, inputSize: 8, validationSplit: 0.2, seed: 7, augmentation: NO_AUGMENTATION, ...more,
});

test('class weights are inverse frequency with mean 1 over the training images', () => {
  const counts = classCounts([0, 0, 0, 0, 0, 0, 0, 0, 1, 1], 2);
  assert.deepEqual(counts, [8, 2]);
  const weights = classWeights(counts);
  assert.ok(weights[1] > weights[0]);
  assert.equal(weights[1] / weights[0], 4);
  const mean = (counts[0] * weights[0] + counts[1] * weights[1]) / 10;
  assert.ok(Math.abs(mean - 1) < 1e-12, `mean weight ${mean}`);
});

test('a class under 10% of the largest class is warned about, naming it and data.balance', () => {
  const warnings = smallClassWarnings(['cat', 'dog', 'fox'], [100, 2, 50], 'none');
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /"dog" has 2 training image/);
  assert.match(warnings[0], /data\.balance/);
  assert.deepEqual(smallClassWarnings(['cat', 'dog'], [100, 10], 'none'), []);
});

test('balance "sampling": every class is drawn equally often per epoch, seeded by data.seed and the epoch', () =>
  withFolder({ a: 30, b: 6 }, async (folder) => {
    const dataset = await openDataset(options(folder, { balance: 'sampling' }));
    assert.deepEqual(classCounts(dataset.train.map((s) => s.label), 2), [24, 5]);
    const epochLabels = async (ds: typeof dataset, epoch: number) => {
      const labels: string[] = [];
      const perBatch: number[][] = [];
      for await (const batch of ds.batches('train', 8, { epoch })) {
        labels.push(...batch.files);
        perBatch.push(classCounts(batch.labels, 2));
        tf.dispose([batch.xs, batch.ys]);
      }
      return { labels, perBatch };
    };
    const first = await epochLabels(dataset, 0);
    const total = first.perBatch.reduce((sum, c) => [sum[0] + c[0], sum[1] + c[1]], [0, 0]);
    assert.equal(total[0] + total[1], dataset.size('train'), 'an epoch keeps its number of images');
    assert.ok(Math.abs(total[0] - total[1]) <= 1, `class draws per epoch ${total.join(':')} (unbalanced data 24:5)`);
    // Batches are balanced on average, not only the epoch: no batch without the small class.
    assert.ok(first.perBatch.every((c) => c[1] > 0), `small class in every batch: ${JSON.stringify(first.perBatch)}`);
    // Same seed and epoch: the same batches (a new dataset object, as a resumed run has); another epoch: others.
    const again = await openDataset(options(folder, { balance: 'sampling' }));
    assert.deepEqual((await epochLabels(again, 0)).labels, first.labels);
    assert.notDeepEqual((await epochLabels(again, 1)).labels, first.labels);
    // Without balance the epoch is the plain shuffle: the small class keeps its 5 of 29.
    const plain = await openDataset(options(folder));
    const plainCounts = (await epochLabels(plain, 0)).perBatch.reduce((sum, c) => [sum[0] + c[0], sum[1] + c[1]], [0, 0]);
    assert.deepEqual(plainCounts, [24, 5]);
  }));

test('data.testSplit: a stratified, seeded test set that no training or validation batch holds', () =>
  withFolder({ a: 20, b: 10 }, async (folder) => {
    const withTest = await openDataset(options(folder, { testSplit: 0.2 }));
    const without = await openDataset(options(folder));
    assert.deepEqual(classCounts(withTest.test.map((s) => s.label), 2), [4, 2], 'round(n * 0.2) of each class');
    const testFiles = new Set(withTest.test.map((s) => s.file));
    for (const side of [withTest.train, withTest.validation]) assert.ok(side.every((s) => !testFiles.has(s.file)));
    assert.equal(withTest.train.length + withTest.validation.length + withTest.test.length, 30);
    // Every batch the training loop or validation can see, over a few epochs, sampled or not.
    for (const balance of ['none', 'sampling'] as const) {
      const dataset = await openDataset(options(folder, { testSplit: 0.2, balance }));
      for (let epoch = 0; epoch < 3; epoch++) {
        for (const split of ['train', 'validation'] as const) {
          for await (const batch of dataset.batches(split, 4, { epoch })) {
            for (const file of batch.files) assert.ok(!testFiles.has(file), `${file} (test) in a ${split} batch`);
            tf.dispose([batch.xs, batch.ys]);
          }
        }
      }
    }
    // The validation set is the one without a test split; the split hash covers the test side.
    assert.deepEqual(withTest.validation.map((s) => s.file), without.validation.map((s) => s.file));
    assert.notEqual(withTest.splitHash, without.splitHash);
    // Same seed, same test set; another seed, another.
    const same = await openDataset(options(folder, { testSplit: 0.2 }));
    assert.deepEqual(same.test.map((s) => s.file), withTest.test.map((s) => s.file));
    assert.equal(same.splitHash, withTest.splitHash);
    const other = await openDataset(options(folder, { testSplit: 0.2, seed: 8 }));
    assert.notDeepEqual(other.test.map((s) => s.file), withTest.test.map((s) => s.file));
    // Test batches: un-augmented, in order, all of them.
    let seen = 0;
    for await (const batch of withTest.batches('test', 4)) {
      seen += batch.files.length;
      tf.dispose([batch.xs, batch.ys]);
    }
    assert.equal(seen, 6);
  }));

test('data.testSplit: a class too small for three sides is a UserError naming data.testSplit', () =>
  withFolder({ a: 10, b: 2 }, async (folder) => {
    await assert.rejects(openDataset(options(folder, { testSplit: 0.2 })), (error: Error) => error.name === 'UserError' && /class "b".*data\.testSplit/.test(error.message));
  }));

test('a class the accuracy hides (recall < 50%, accuracy >= 50%) is warned about with its recall; a bad accuracy hides nothing', () => {
  const evaluation = (accuracy: number, recalls: number[]) => ({
    classes: ['big', 'small'], samples: 21, accuracy, topK: [], confusion: [[20, 0], [1, 0]], worst: [],
    perClass: recalls.map((recall, i) => ({ className: ['big', 'small'][i], precision: 1, recall, f1: 0, support: i === 0 ? 20 : 1 })),
    macro: { precision: 0, recall: 0, f1: 0 }, weighted: { precision: 0, recall: 0, f1: 0 },
  });
  const warnings = hiddenClassWarnings(evaluation(0.952, [1, 0]), 'validation', 'none');
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /validation accuracy 95\.2% hides class "small": its recall is 0\.0% \(0 of 1 found\).*data\.balance/);
  assert.deepEqual(hiddenClassWarnings(evaluation(0.952, [1, 0.5]), 'validation', 'none'), []);
  assert.deepEqual(hiddenClassWarnings(evaluation(0.3, [0.4, 0]), 'validation', 'none'), []);
});
