/** Every supported kind of image decodes to [size, size, 3] float32 in [0, 1]; a huge one is refused cheaply. */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { MAX_INPUT_PIXELS, openDataset, type Dataset, type DatasetOptions } from '../../src/engine/data';
import { imageToInput } from '../../src/engine/export/preprocessing';
import { makeTempDir, writePatternPng } from '../fixtures/data/make';

const SIZE = 6;
const temp = makeTempDir();
after(() => temp.remove());
before(() => tf.setBackend('cpu'));

const options = (folder: string): DatasetOptions => ({
  folder,
  inputSize: SIZE,
  validationSplit: 0.5,
  seed: 7,
  augmentation: { horizontalFlip: true, shift: 0.2, brightness: 0.2 },
});

const solid = (channels: 3 | 4, background: { r: number; g: number; b: number; alpha?: number }) =>
  sharp({ create: { width: 20, height: 10, channels, background } });

/** Un-augmented pixels of the sample at `relPath`. */
async function pixelsOf(dataset: Dataset, relPath: string): Promise<Float32Array> {
  const sample = [...dataset.train, ...dataset.validation].find((s) => s.relPath === relPath);
  assert.ok(sample, `${relPath} should be in the data set`);
  const pixels = await dataset.pixels(sample);
  assert.ok(pixels, `${relPath} should decode`);
  assert.equal(pixels.length, SIZE * SIZE * 3);
  for (const v of pixels) assert.ok(v >= 0 && v <= 1, `${relPath}: ${v} outside [0, 1]`);
  return pixels;
}

/** Asserts every pixel is the RGB colour `rgb` (0..1) within one 8-bit step. */
function assertColour(pixels: Float32Array, rgb: readonly number[], what: string): void {
  for (let i = 0; i < pixels.length; i++) {
    assert.ok(Math.abs(pixels[i] - rgb[i % 3]) <= 1 / 255 + 1e-6, `${what}: channel ${i % 3} is ${pixels[i]}, expected ${rgb[i % 3]}`);
  }
}

test('grey, RGBA, 16-bit, palette PNG, JPEG, WebP and GIF decode to RGB in [0, 1]; names may hold spaces and non-ASCII', async () => {
  const folder = join(temp.dir, 'kinds');
  const a = join(folder, 'dress shirt');
  const b = join(folder, 'été 日本');
  mkdirSync(a, { recursive: true });
  mkdirSync(b, { recursive: true });
  await sharp(Buffer.alloc(20 * 10, 128), { raw: { width: 20, height: 10, channels: 1 } }).png().toFile(join(a, 'grey.png'));
  await solid(4, { r: 255, g: 0, b: 0, alpha: 1 }).png().toFile(join(a, 'rgba opaque.png'));
  await solid(4, { r: 255, g: 255, b: 255, alpha: 0 }).png().toFile(join(a, 'rgba transparent.png'));
  await solid(3, { r: 0, g: 0, b: 255 }).toColourspace('rgb16').png().toFile(join(a, '16-bit.png'));
  await solid(3, { r: 0, g: 255, b: 0 }).png({ palette: true }).toFile(join(b, 'palette.png'));
  await solid(3, { r: 255, g: 255, b: 0 }).jpeg({ quality: 100 }).toFile(join(b, 'photo.JPEG'));
  await solid(3, { r: 0, g: 255, b: 255 }).webp({ lossless: true }).toFile(join(b, 'ünïcödé.webp'));
  await solid(3, { r: 255, g: 0, b: 255 }).gif().toFile(join(b, 'anim.gif'));

  assert.equal((await sharp(join(a, '16-bit.png')).metadata()).depth, 'ushort', 'the fixture really is 16-bit');
  assert.equal((await sharp(join(b, 'palette.png')).metadata()).isPalette, true, 'the fixture really is a palette PNG');

  const dataset = await openDataset(options(folder));
  assert.deepEqual(dataset.classes, ['dress shirt', 'été 日本']);
  assert.deepEqual(dataset.skipped, []);
  assertColour(await pixelsOf(dataset, 'dress shirt/grey.png'), [128 / 255, 128 / 255, 128 / 255], 'grey');
  assertColour(await pixelsOf(dataset, 'dress shirt/rgba opaque.png'), [1, 0, 0], 'RGBA');
  assertColour(await pixelsOf(dataset, 'dress shirt/rgba transparent.png'), [0, 0, 0], 'transparent RGBA (alpha dropped after the premultiplied resize)');
  assertColour(await pixelsOf(dataset, 'dress shirt/16-bit.png'), [0, 0, 1], '16-bit');
  assertColour(await pixelsOf(dataset, 'été 日本/palette.png'), [0, 1, 0], 'palette');
  const jpeg = await pixelsOf(dataset, 'été 日本/photo.JPEG');
  for (let i = 0; i < jpeg.length; i++) assert.ok(Math.abs(jpeg[i] - [1, 1, 0][i % 3]) < 0.02, 'JPEG close to yellow');
  assertColour(await pixelsOf(dataset, 'été 日本/ünïcödé.webp'), [0, 1, 1], 'WebP');
  assertColour(await pixelsOf(dataset, 'été 日本/anim.gif'), [1, 0, 1], 'GIF');

  let seen = 0;
  for await (const batch of dataset.batches('train', 3)) {
    assert.deepEqual(batch.xs.shape, [batch.files.length, SIZE, SIZE, 3]);
    assert.deepEqual(batch.ys.shape, [batch.files.length, 2]);
    seen += batch.files.length;
    tf.dispose([batch.xs, batch.ys]);
  }
  assert.equal(seen, dataset.train.length);
});

test('a wide image is centre-cropped (fit: cover), not squashed', async () => {
  const folder = join(temp.dir, 'crop');
  mkdirSync(join(folder, 'x'), { recursive: true });
  // 30x10: red | green | blue thirds. Cover keeps the middle square: all green.
  const third = (r: number, g: number, b: number) => solid(3, { r, g, b }).resize(10, 10).png().toBuffer();
  await sharp({ create: { width: 30, height: 10, channels: 3, background: '#000000' } })
    .composite([
      { input: await third(255, 0, 0), left: 0, top: 0 },
      { input: await third(0, 255, 0), left: 10, top: 0 },
      { input: await third(0, 0, 255), left: 20, top: 0 },
    ])
    .png()
    .toFile(join(folder, 'x', 'wide.png'));
  await writePatternPng(join(folder, 'x', 'other.png'), 1);
  await writePatternPng(join(folder, 'y', 'a.png'), 2);
  await writePatternPng(join(folder, 'y', 'b.png'), 3);
  const dataset = await openDataset(options(folder));
  const pixels = await pixelsOf(dataset, 'x/wide.png');
  const mean = [0, 1, 2].map((c) => pixels.filter((_, i) => i % 3 === c).reduce((a, b) => a + b, 0) / (SIZE * SIZE));
  // Squashed, red and blue would each average 1/3; cropped, only resampling at the edges bleeds in.
  assert.ok(mean[1] > 0.95 && mean[0] < 0.05 && mean[2] < 0.05, `mean RGB ${mean.join(', ')}`);
});

test('a 12000x12000 image is skipped from its header, without decoding it', async () => {
  const folder = join(temp.dir, 'huge');
  mkdirSync(join(folder, 'big'), { recursive: true });
  const huge = join(folder, 'big', 'huge.png');
  // A solid colour compresses to a few hundred KB; decoding it would need about 430 MB.
  await sharp({ create: { width: 12000, height: 12000, channels: 3, background: '#336699' } }).png({ compressionLevel: 1 }).toFile(huge);
  for (let i = 0; i < 2; i++) await writePatternPng(join(folder, 'big', `${i}.png`), i);
  for (let i = 0; i < 2; i++) await writePatternPng(join(folder, 'small', `${i}.png`), i + 2);
  assert.ok(12000 * 12000 > MAX_INPUT_PIXELS);

  const rssBefore = process.memoryUsage().rss;
  const dataset = await openDataset(options(folder));
  const growth = process.memoryUsage().rss - rssBefore;
  const skipped = dataset.skipped.find((s) => s.file === huge);
  assert.ok(skipped, 'the huge image is listed as skipped');
  assert.match(skipped.reason, /12000x12000 pixels, over the 67-megapixel limit; shrink it/);
  assert.equal(dataset.train.length + dataset.validation.length, 4);
  assert.ok(growth < 100 * 1024 * 1024, `opening grew RSS by ${Math.round(growth / 1e6)} MB`);
});

test('training decodes exactly as the exported model is told to preprocess (no train/serve skew)', async () => {
  const folder = join(temp.dir, 'skew');
  mkdirSync(join(folder, 'a'), { recursive: true });
  mkdirSync(join(folder, 'b'), { recursive: true });
  await sharp({ create: { width: 30, height: 17, channels: 4, background: { r: 200, g: 100, b: 50, alpha: 0.4 } } })
    .composite([{ input: Buffer.from(await sharp(join(temp.dir, 'kinds', 'dress shirt', 'grey.png')).resize(10, 10).png().toBuffer()), left: 3, top: 3 }])
    .png()
    .toFile(join(folder, 'a', 'half transparent.png'));
  await solid(3, { r: 10, g: 200, b: 90 }).toColourspace('rgb16').png().toFile(join(folder, 'a', 'deep.png'));
  await writePatternPng(join(folder, 'b', '0.png'), 0, 40);
  await writePatternPng(join(folder, 'b', '1.png'), 1, 40);
  const dataset = await openDataset(options(folder));
  for (const sample of [...dataset.train, ...dataset.validation]) {
    const ours = (await dataset.pixels(sample))!;
    const input = await imageToInput(sample.file, { inputSize: SIZE, scale: '0..1', fit: 'cover' });
    const theirs = input.dataSync();
    input.dispose();
    assert.equal(theirs.length, ours.length);
    for (let i = 0; i < ours.length; i++) assert.ok(Math.abs(ours[i] - theirs[i]) < 1e-6, `${sample.relPath}[${i}]: ${ours[i]} vs ${theirs[i]}`);
  }
});
