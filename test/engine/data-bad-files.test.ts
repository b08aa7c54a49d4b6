/** Per-sample problems are skipped with a reason, listed in `dataset.skipped`, and never reach a batch. */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { openDataset, type DatasetOptions } from '../../src/engine/data';
import type { SkippedFile } from '../../src/protocol/run';
import { makeImageFolder, makeTempDir } from '../fixtures/data/make';

const temp = makeTempDir();
after(() => temp.remove());
before(() => tf.setBackend('cpu'));

const options = (folder: string, extra: Partial<DatasetOptions> = {}): DatasetOptions => ({
  folder,
  inputSize: 8,
  validationSplit: 0.25,
  seed: 3,
  augmentation: { horizontalFlip: false, shift: 0, brightness: 0 },
  ...extra,
});

/** Every file that appears in any batch of both splits (xs/ys disposed). */
async function filesInBatches(dataset: Awaited<ReturnType<typeof openDataset>>): Promise<string[]> {
  const files: string[] = [];
  for (const split of ['train', 'validation'] as const) {
    for await (const batch of dataset.batches(split, 4)) {
      files.push(...batch.files);
      tf.dispose([batch.xs, batch.ys]);
    }
  }
  return files;
}

const reasonFor = (skipped: readonly SkippedFile[], file: string) => skipped.find((s) => s.file === file)?.reason;

test('non-images, empty, corrupt and unreadable-header files are skipped up front with a reason each', async () => {
  const folder = await makeImageFolder(join(temp.dir, 'upfront'), { cats: 4, dogs: 4 });
  const png = readFileSync(join(folder, 'cats', '000.png'));
  const bad = {
    text: join(folder, 'cats', 'notes.txt'),
    tiff: join(folder, 'cats', 'scan.TIFF'),
    fakePng: join(folder, 'cats', 'fake.png'),
    empty: join(folder, 'dogs', 'empty.jpg'),
    corruptJpeg: join(folder, 'dogs', 'corrupt.jpg'),
    headerOnlyPng: join(folder, 'dogs', 'header-only.png'),
    dangling: join(folder, 'dogs', 'gone.png'),
  };
  writeFileSync(bad.text, 'a note');
  writeFileSync(bad.tiff, 'II*\u0000');
  writeFileSync(bad.fakePng, '<html>saved the web page, not the image</html>');
  writeFileSync(bad.empty, '');
  writeFileSync(bad.corruptJpeg, Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 0x41)]));
  writeFileSync(bad.headerOnlyPng, png.subarray(0, 16)); // signature + part of IHDR
  symlinkSync(join(folder, 'nowhere.png'), bad.dangling);

  const dataset = await openDataset(options(folder));
  assert.match(reasonFor(dataset.skipped, bad.text) ?? '', /not an image \(supported: jpg/);
  assert.match(reasonFor(dataset.skipped, bad.tiff) ?? '', /is a tiff image, which is not supported; convert it to png or jpg/);
  assert.match(reasonFor(dataset.skipped, bad.fakePng) ?? '', /does not start with an image signature/);
  assert.match(reasonFor(dataset.skipped, bad.empty) ?? '', /empty \(0 bytes\)/);
  assert.match(reasonFor(dataset.skipped, bad.corruptJpeg) ?? '', /corrupt header/);
  assert.match(reasonFor(dataset.skipped, bad.headerOnlyPng) ?? '', /corrupt header/);
  assert.match(reasonFor(dataset.skipped, bad.dangling) ?? '', /broken link/);
  assert.equal(dataset.skipped.length, 7);
  assert.equal(dataset.train.length + dataset.validation.length, 8);

  const used = await filesInBatches(dataset);
  assert.equal(used.length, 8);
  for (const file of Object.values(bad)) assert.ok(!used.includes(file), `${file} must not reach a batch`);
});

test('a truncated PNG or JPEG passes the header check, fails at decode, and is then skipped, reported and left out', async () => {
  const folder = await makeImageFolder(join(temp.dir, 'late'), { cats: 5, dogs: 5 });
  const pngFile = join(folder, 'cats', 'truncated.png');
  const jpgFile = join(folder, 'dogs', 'truncated.jpg');
  const big = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#808080' } })
    .composite([{ input: Buffer.from(await sharp(readFileSync(join(folder, 'cats', '000.png'))).resize(64, 64).png().toBuffer()) }])
    .png({ compressionLevel: 0 })
    .toBuffer();
  writeFileSync(pngFile, big.subarray(0, Math.floor(big.length / 2)));
  const jpeg = await sharp(big).jpeg({ quality: 95 }).toBuffer();
  writeFileSync(jpgFile, jpeg.subarray(0, Math.floor(jpeg.length / 2)));

  const reported: SkippedFile[] = [];
  const dataset = await openDataset(options(folder, { onSkip: (files) => reported.push(...files) }));
  assert.equal(dataset.skipped.length, 0, 'headers are intact, so nothing is skipped up front');
  const before = dataset.size('train') + dataset.size('validation');
  assert.equal(before, 12);

  const used = await filesInBatches(dataset);
  assert.deepEqual(reported.map((s) => s.file).sort(), [pngFile, jpgFile].sort());
  for (const s of reported) assert.match(s.reason, /could not be decoded .*left out/);
  assert.deepEqual(dataset.skipped.map((s) => s.file).sort(), [pngFile, jpgFile].sort());
  assert.equal(used.length, 10);
  assert.ok(!used.includes(pngFile) && !used.includes(jpgFile));
  assert.equal(dataset.size('train') + dataset.size('validation'), 10, 'later epochs leave them out');

  // A second pass does not report them again.
  await filesInBatches(dataset);
  assert.equal(reported.length, 2);
});

test('links are followed: a class folder linked from elsewhere is used; a folder reached twice is used once', async () => {
  const elsewhere = await makeImageFolder(join(temp.dir, 'elsewhere'), { birds: 3 });
  const folder = await makeImageFolder(join(temp.dir, 'linked'), { cats: 3 });
  symlinkSync(join(elsewhere, 'birds'), join(folder, 'birds'));
  symlinkSync(join(elsewhere, 'birds'), join(folder, 'cats', 'birds-again'));
  const dataset = await openDataset(options(folder));
  assert.deepEqual(dataset.classes, ['birds', 'cats']);
  assert.equal(dataset.train.length + dataset.validation.length, 6);
  assert.match(reasonFor(dataset.skipped, join(folder, 'cats', 'birds-again')) ?? '', /already used; its images are counted once/);
  const birds = [...dataset.train, ...dataset.validation].filter((s) => s.label === 0).map((s) => s.relPath).sort();
  assert.deepEqual(birds, ['birds/000.png', 'birds/001.png', 'birds/002.png']);
});
