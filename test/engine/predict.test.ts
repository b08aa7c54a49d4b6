import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs';
import { isUserError } from '../../src/shared/userError';
import { predictImages } from '../../src/engine/predict';
import { saveModelFolder } from '../../src/engine/train/saveModel';

test.before(async () => {
  await tf.setBackend('cpu');
});

/** input 4x4x3 -> flatten -> dense(3, softmax), with seeded weights. */
function tinyImageModel(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [4, 4, 3] }),
      tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.randomNormal({ seed: 3, stddev: 2 }) }),
    ],
  });
}

async function solidPng(file: string, rgb: [number, number, number]): Promise<void> {
  await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } }).png().toFile(file);
}

test('predict ranks the classes of each image as the in-memory model does', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'ftg-predict-'));
  const model = tinyImageModel();
  try {
    const runDir = path.join(dir, 'run');
    await mkdir(runDir);
    await saveModelFolder(path.join(runDir, 'model'), model, ['a', 'b', 'c'], { inputSize: 4, scale: '0..1' });
    const colours: [number, number, number][] = [[255, 0, 0], [0, 0, 255]];
    const files = await Promise.all(colours.map(async (rgb, i) => {
      const file = path.join(dir, `img ${i}.png`);
      await solidPng(file, rgb);
      return file;
    }));
    const predictions = await predictImages(runDir, files, 2);
    assert.equal(predictions.length, 2);
    colours.forEach((rgb, i) => {
      const expected = tf.tidy(() => (model.predict(tf.tensor(rgb).div(255).reshape([1, 1, 1, 3]).tile([1, 4, 4, 1])) as tf.Tensor).dataSync());
      const best = Array.from(expected).map((p, index) => ({ label: 'abc'[index], p })).sort((x, y) => y.p - x.p);
      assert.equal(predictions[i].file, files[i]);
      assert.deepEqual(predictions[i].top.map((t) => t.label), best.slice(0, 2).map((b) => b.label));
      assert.ok(Math.abs(predictions[i].top[0].probability - best[0].p) < 1e-5);
    });
  } finally {
    model.dispose();
    await rm(dir, { recursive: true, force: true });
  }
});

test('predict names the folder or image that is wrong', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'ftg-predict-'));
  try {
    await assert.rejects(predictImages(dir, ['x.png']), (error: unknown) => isUserError(error) && error.message.includes(dir) && /no model\.json/.test(error.message));
    const model = tinyImageModel();
    await saveModelFolder(dir, model, ['a', 'b', 'c'], { inputSize: 4, scale: '0..1' });
    model.dispose();
    const missing = path.join(dir, 'missing.png');
    await assert.rejects(predictImages(dir, [missing]), (error: unknown) => isUserError(error) && error.message.includes(missing));
    const notImage = path.join(dir, 'labels.json');
    await assert.rejects(predictImages(dir, [notImage]), (error: unknown) => isUserError(error) && error.message.includes('could not be read as an image'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
