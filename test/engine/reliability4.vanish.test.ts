/**
 * Issue 18 part C, in process: an image deleted after the data folder was read (a sync client, a cleanup
 * script) is skipped by the batch loader with a warning naming it, and the data hash does not crash on it;
 * a data folder that is gone once the run started (a network drive dropped) fails the run saying so.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { rm, unlink } from 'node:fs/promises';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { SkippedFile } from '../../src/protocol/run';
import { openDataset } from '../../src/engine/data';
import { dataHashOf } from '../../src/engine/data/dataHash';
import { trainProject } from '../../src/engine/train/trainProject';
import { freshProject, removeTemplate } from '../fixtures/reliability/project';

after(removeTemplate);

test('an image deleted after the dataset is opened: hashed around, skipped at load with a warning naming it, no crash', async () => {
  await tf.setBackend('cpu');
  const dir = await freshProject();
  try {
    const reported: SkippedFile[] = [];
    const dataset = await openDataset({
      folder: path.join(dir, 'data'), inputSize: 32, validationSplit: 0.4, seed: 1,
      augmentation: { horizontalFlip: false, shift: 0, brightness: 0 }, onSkip: (files) => reported.push(...files),
    });
    const all = [...dataset.train, ...dataset.validation];
    const gone = dataset.train[0].file;
    await unlink(gone);
    assert.match(await dataHashOf(all), /^[0-9a-f]{64}$/, 'the data hash is taken over the files still there');
    let seen = 0;
    for (const split of ['train', 'validation'] as const) {
      for await (const batch of dataset.batches(split, 4)) {
        seen += batch.files.length;
        assert.ok(!batch.files.includes(gone));
        tf.dispose([batch.xs, batch.ys]);
      }
    }
    assert.equal(seen, all.length - 1, 'every other image is loaded');
    assert.equal(dataset.size('train'), dataset.train.length - 1, 'the split no longer counts it');
    const skip = dataset.skipped.find((s) => s.file === gone);
    assert.match(skip?.reason ?? '', /was deleted or moved after the data folder was read/);
    assert.deepEqual(reported.map((s) => s.file), [gone], 'onSkip (the warning event and the manifest) got it');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the whole data folder gone once the run started (a network drive dropped): the run fails saying so, not blaming the learning rate', async () => {
  const dir = await freshProject();
  try {
    const result = await trainProject(dir, {
      backend: 'cpu',
      onEvent: (event) => {
        if (event.type === 'run') rmSync(path.join(dir, 'data'), { recursive: true, force: true });
      },
    });
    assert.equal(result.status, 'failed');
    assert.match(result.summary.message ?? '', /no training image could be read any more.*data folder/);
    assert.doesNotMatch(result.summary.message ?? '', /learning rate/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
