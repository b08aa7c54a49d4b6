/**
 * Issue 18 part C, model inputs with the built CLI (needs `npm run build`): a model whose input is int32, or
 * not an image ([null, 32, 32, 4]), is refused before training, naming the model file; nothing is created.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, rm } from 'node:fs/promises';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { fsSaveHandler } from '../../src/engine/train/saveModel';
import { assertUserError, cli, freshProject, removeTemplate, snapshotTree } from '../fixtures/reliability/project';

after(removeTemplate);

/** The tiny project's layer names (cut at block_2_conv) on another input. */
async function saveModelWithInput(dir: string, shape: number[], dtype: 'float32' | 'int32'): Promise<void> {
  await tf.setBackend('cpu');
  const input = tf.input({ shape, name: 'input_1', dtype });
  let x = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'block_1_conv' }).apply(input) as tf.SymbolicTensor;
  x = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'block_2_conv' }).apply(x) as tf.SymbolicTensor;
  const pooled = tf.layers.globalAveragePooling2d({ name: 'top_pool' }).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 3, activation: 'softmax', name: 'top_dense' }).apply(pooled) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out });
  await model.save(fsSaveHandler(path.join(dir, 'model')));
  model.dispose();
}

test('a model with an int32 input: exit 2 naming model.json and the dtype, before training; nothing created', async () => {
  const dir = await freshProject();
  try {
    await saveModelWithInput(dir, [32, 32, 3], 'int32');
    const before = await snapshotTree(dir);
    assertUserError(cli(['train', dir, '--backend', 'cpu']), path.join(dir, 'model', 'model.json'), 'takes int32 input', 'float32');
    assert.deepEqual(await snapshotTree(dir), before);
    assert.ok(!(await readdir(dir)).includes('runs'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a model whose input is not an image ([null, 32, 32, 4]): exit 2 naming model.json and the shape (pinned)', async () => {
  const dir = await freshProject();
  try {
    await saveModelWithInput(dir, [32, 32, 4], 'float32');
    assertUserError(cli(['train', dir, '--backend', 'cpu']), path.join(dir, 'model', 'model.json'), '[null,32,32,4]', 'not an image');
    assert.ok(!(await readdir(dir)).includes('runs'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
