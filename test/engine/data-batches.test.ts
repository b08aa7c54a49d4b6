/** Split, shuffling, augmentation, batch coverage, pixel cache and tensor hygiene of `openDataset`. */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { openDataset, type Dataset, type DatasetOptions, type ImageBatch, type Split } from '../../src/engine/data';
import { applyAugmentation, drawAugmentation } from '../../src/engine/data/augment';
import { validationCount } from '../../src/engine/data/split';
import { makeImageFolder, makeTempDir, writePatternPng } from '../fixtures/data/make';

const SIZE = 8;
const COUNTS = { ants: 9, bees: 6, 'cave spiders': 5 };
const AUGMENT = { horizontalFlip: true, shift: 0.25, brightness: 0.3 };
const temp = makeTempDir();
let folder = '';
before(async () => {
  await tf.setBackend('cpu');
  folder = await makeImageFolder(join(temp.dir, 'three'), COUNTS);
});
after(() => temp.remove());

const options = (extra: Partial<DatasetOptions> = {}): DatasetOptions => ({
  folder,
  inputSize: SIZE,
  validationSplit: 0.3,
  seed: 42,
  augmentation: AUGMENT,
  ...extra,
});

/** Reads one epoch, returning per batch the files and a copy of xs/ys, and disposing the tensors. */
async function readEpoch(dataset: Dataset, split: Split, batchSize: number, opts: Parameters<Dataset['batches']>[2] = {}) {
  const batches: { files: string[]; xs: Float32Array; ys: Float32Array; labels: number[] }[] = [];
  for await (const batch of dataset.batches(split, batchSize, opts)) {
    batches.push({ files: batch.files, xs: batch.xs.dataSync() as Float32Array, ys: batch.ys.dataSync() as Float32Array, labels: batch.labels });
    tf.dispose([batch.xs, batch.ys]);
  }
  return batches;
}

const paths = (dataset: Dataset, split: Split) => (split === 'train' ? dataset.train : dataset.validation).map((s) => s.file);

test('the split is stratified, disjoint, complete and the same for the same seed', async () => {
  const a = await openDataset(options());
  const b = await openDataset(options());
  assert.deepEqual(a.classes, ['ants', 'bees', 'cave spiders']);
  assert.deepEqual(paths(a, 'train'), paths(b, 'train'));
  assert.deepEqual(paths(a, 'validation'), paths(b, 'validation'));
  assert.equal(a.splitHash, b.splitHash);
  assert.match(a.splitHash, /^[0-9a-f]{64}$/);

  const train = new Set(paths(a, 'train'));
  assert.ok(paths(a, 'validation').every((f) => !train.has(f)), 'no image on both sides');
  assert.equal(train.size + a.validation.length, 20);
  for (const [label, name] of a.classes.entries()) {
    const n = COUNTS[name as keyof typeof COUNTS];
    assert.equal(a.validation.filter((s) => s.label === label).length, validationCount(n, 0.3), `${name} validation share`);
    assert.equal(a.train.filter((s) => s.label === label).length, n - validationCount(n, 0.3), `${name} training share`);
  }
  assert.deepEqual([9, 6, 5, 2].map((n) => validationCount(n, 0.3)), [3, 2, 2, 1]);
});

test('another seed gives another split (and hash); sample ids are stable across openings', async () => {
  const a = await openDataset(options());
  const c = await openDataset(options({ seed: 43 }));
  assert.notDeepEqual(paths(a, 'validation'), paths(c, 'validation'));
  assert.notEqual(a.splitHash, c.splitHash);
  const idsA = new Map([...a.train, ...a.validation].map((s) => [s.file, s.id]));
  for (const s of [...c.train, ...c.validation]) assert.equal(idsA.get(s.file), s.id);
});

test('adding images to one class leaves the other classes split as before', async () => {
  const grown = await makeImageFolder(join(temp.dir, 'grown'), COUNTS);
  const before = await openDataset(options({ folder: grown }));
  await writePatternPng(join(grown, 'ants', 'new.png'), 99);
  const after = await openDataset(options({ folder: grown }));
  const valOf = (d: Dataset, label: number) => d.validation.filter((s) => s.label === label).map((s) => s.relPath);
  assert.deepEqual(valOf(after, 1), valOf(before, 1));
  assert.deepEqual(valOf(after, 2), valOf(before, 2));
  assert.notEqual(after.splitHash, before.splitHash);
});

test('each epoch covers every sample once, with one-hot labels that match the class folder', async () => {
  const dataset = await openDataset(options());
  for (const split of ['train', 'validation'] as const) {
    for (const epoch of [0, 1]) {
      const batches = await readEpoch(dataset, split, 4, { epoch });
      assert.equal(batches.length, dataset.batchCount(split, 4));
      const files = batches.flatMap((b) => b.files);
      assert.deepEqual([...files].sort(), [...paths(dataset, split)].sort(), `${split} epoch ${epoch}`);
      for (const batch of batches) {
        batch.files.forEach((file, i) => {
          const row = Array.from(batch.ys.subarray(i * 3, i * 3 + 3));
          const expected = [0, 0, 0];
          expected[dataset.classes.findIndex((c) => file.includes(`/${c}/`))] = 1;
          assert.deepEqual(row, expected, file);
          assert.equal(batch.labels[i], expected.indexOf(1));
        });
      }
    }
  }
});

test('training order is shuffled per epoch and reproducible; validation order is fixed', async () => {
  const dataset = await openDataset(options());
  const order = async (split: Split, epoch: number) => (await readEpoch(dataset, split, 5, { epoch })).flatMap((b) => b.files);
  assert.deepEqual(await order('train', 0), await order('train', 0));
  assert.notDeepEqual(await order('train', 0), await order('train', 1));
  assert.deepEqual(await order('validation', 0), await order('validation', 1));
  assert.deepEqual(await order('validation', 0), paths(dataset, 'validation'));
});

test('augmentation changes training images, is the same for the same (seed, epoch), and never touches validation', async () => {
  const dataset = await openDataset(options());
  const plain = new Map<string, Float32Array>();
  for (const s of [...dataset.train, ...dataset.validation]) plain.set(s.file, (await dataset.pixels(s))!);
  const byFile = (batches: Awaited<ReturnType<typeof readEpoch>>) => {
    const out = new Map<string, Float32Array>();
    const length = SIZE * SIZE * 3;
    for (const b of batches) b.files.forEach((f, i) => out.set(f, b.xs.slice(i * length, (i + 1) * length)));
    return out;
  };

  const epoch0 = byFile(await readEpoch(dataset, 'train', 4, { epoch: 0 }));
  const again = byFile(await readEpoch(dataset, 'train', 7, { epoch: 0 }));
  const epoch1 = byFile(await readEpoch(dataset, 'train', 4, { epoch: 1 }));
  const changed = [...epoch0].filter(([f, xs]) => !tf.util.arraysEqual(xs, plain.get(f)!)).length;
  assert.ok(changed >= dataset.train.length - 1, `augmentation changed only ${changed} of ${dataset.train.length}`);
  for (const [f, xs] of epoch0) assert.deepEqual(xs, again.get(f), 'same seed and epoch, any batch size -> same image');
  const differs = [...epoch0].filter(([f, xs]) => !tf.util.arraysEqual(xs, epoch1.get(f)!)).length;
  assert.ok(differs >= dataset.train.length - 1, `epoch 1 differs for only ${differs}`);

  const unaugmented = byFile(await readEpoch(dataset, 'train', 4, { epoch: 0, augment: false }));
  for (const [f, xs] of unaugmented) assert.deepEqual(xs, plain.get(f));

  for (const epoch of [0, 3]) {
    const val = byFile(await readEpoch(dataset, 'validation', 4, { epoch }));
    for (const [f, xs] of val) assert.deepEqual(xs, plain.get(f), `validation ${f} epoch ${epoch} is un-augmented`);
  }
  await assert.rejects(readEpoch(dataset, 'validation', 4, { augment: true }), /training split only/);

  const off = await openDataset(options({ augmentation: { horizontalFlip: false, shift: 0, brightness: 0 } }));
  for (const [f, xs] of byFile(await readEpoch(off, 'train', 4, { epoch: 2 }))) assert.deepEqual(xs, plain.get(f));
});

test('flip, shift and brightness move pixels as documented', () => {
  // 2x2 image, one channel repeated: [[0, 51], [102, 153]] (x 1/255 -> 0, 0.2, 0.4, 0.6).
  const src = new Uint8Array([0, 51, 102, 153].flatMap((v) => [v, v, v]));
  const run = (draw: { flip: boolean; dx: number; dy: number; delta: number }) => {
    const out = new Float32Array(12);
    applyAugmentation(src, 2, draw, out, 0);
    return Array.from(out.filter((_, i) => i % 3 === 0), (v) => Math.round(v * 100) / 100);
  };
  assert.deepEqual(run({ flip: false, dx: 0, dy: 0, delta: 0 }), [0, 0.2, 0.4, 0.6]);
  assert.deepEqual(run({ flip: true, dx: 0, dy: 0, delta: 0 }), [0.2, 0, 0.6, 0.4]);
  assert.deepEqual(run({ flip: false, dx: 1, dy: 0, delta: 0 }), [0, 0, 0.4, 0.4], 'shift right, left edge repeated');
  assert.deepEqual(run({ flip: false, dx: 0, dy: -1, delta: 0 }), [0.4, 0.6, 0.4, 0.6], 'shift up, bottom edge repeated');
  assert.deepEqual(run({ flip: false, dx: 0, dy: 0, delta: 0.5 }), [0.5, 0.7, 0.9, 1], 'brighter, clamped at 1');
  assert.deepEqual(run({ flip: false, dx: 0, dy: 0, delta: -0.3 }), [0, 0, 0.1, 0.3], 'darker, clamped at 0');

  for (let i = 0; i < 50; i++) {
    const draw = drawAugmentation({ horizontalFlip: false, shift: 0.25, brightness: 0.1 }, 8, 1, i, 'cat/001.png');
    assert.ok(!draw.flip && Math.abs(draw.dx) <= 2 && Math.abs(draw.dy) <= 2 && Math.abs(draw.delta) <= 0.1, JSON.stringify(draw));
  }
});

test('no tensors leak across epochs, nor when a loop stops early', async () => {
  const dataset = await openDataset(options());
  await readEpoch(dataset, 'train', 4); // warm up tfjs' own one-off tensors
  const start = tf.memory().numTensors;
  for (let epoch = 0; epoch < 3; epoch++) {
    await readEpoch(dataset, 'train', 4, { epoch });
    await readEpoch(dataset, 'validation', 4, { epoch });
    assert.equal(tf.memory().numTensors, start, `after epoch ${epoch}`);
  }
  for await (const batch of dataset.batches('train', 2)) {
    tf.dispose([batch.xs, batch.ys]);
    break;
  }
  assert.equal(tf.memory().numTensors, start, 'after an early break');
});

test('the pixel cache serves later epochs within its byte budget; a zero budget disables it', async () => {
  const dataset = await openDataset(options());
  await readEpoch(dataset, 'train', 4, { epoch: 0 });
  const first = dataset.cacheStats();
  assert.equal(first.entries, dataset.train.length);
  assert.equal(first.bytes, dataset.train.length * SIZE * SIZE * 3);
  assert.equal(first.hits, 0);
  await readEpoch(dataset, 'train', 4, { epoch: 1 });
  assert.equal(dataset.cacheStats().hits, dataset.train.length, 'epoch 2 decodes nothing');

  const budget = 5 * SIZE * SIZE * 3;
  const small = await openDataset(options({ maxCachedBytes: budget }));
  await readEpoch(small, 'train', 4, { epoch: 0 });
  await readEpoch(small, 'train', 4, { epoch: 1 });
  assert.equal(small.cacheStats().entries, 5);
  assert.ok(small.cacheStats().bytes <= budget);
  assert.equal(small.cacheStats().hits, 5, 'the cached five are hit once each in epoch 2');

  const none = await openDataset(options({ maxCachedBytes: 0 }));
  await readEpoch(none, 'train', 4);
  assert.equal(none.cacheStats().entries, 0);
});

test('source() adapts a split to the phase runner: size, batches per epoch, batches(epoch)', async () => {
  const dataset = await openDataset(options());
  const source = dataset.source('train', 4);
  assert.equal(source.size, dataset.train.length);
  assert.equal(source.batchesPerEpoch, Math.ceil(dataset.train.length / 4));
  const seen: ImageBatch[] = [];
  for await (const batch of source.batches(1)) seen.push(batch);
  assert.equal(seen.length, source.batchesPerEpoch);
  const expected = (await readEpoch(dataset, 'train', 4, { epoch: 1 })).flatMap((b) => b.files);
  assert.deepEqual(seen.flatMap((b) => b.files), expected);
  tf.dispose(seen.flatMap((b) => [b.xs, b.ys]));
});

test('decomposed (macOS-style) names give the same classes, ids and split as composed ones', async () => {
  const make = async (root: string, form: 'NFC' | 'NFD') => {
    for (const [cls, count] of [['café', 4], ['crème', 4]] as const) {
      for (let i = 0; i < count; i++) await writePatternPng(join(root, cls.normalize(form), `pièce ${i}.png`.normalize(form)), i);
    }
    return openDataset(options({ folder: root }));
  };
  const composed = await make(join(temp.dir, 'nfc'), 'NFC');
  const decomposed = await make(join(temp.dir, 'nfd'), 'NFD');
  assert.deepEqual(decomposed.classes, composed.classes);
  assert.equal(decomposed.classes[0], 'café'.normalize('NFC'));
  assert.equal(decomposed.splitHash, composed.splitHash);
  assert.deepEqual(decomposed.validation.map((s) => s.relPath), composed.validation.map((s) => s.relPath));
});
