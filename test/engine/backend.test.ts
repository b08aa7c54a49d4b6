import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { backendCanTrain, initBackend, shutdownBackend } from '../../src/engine/backend';
import { isUserError } from '../../src/shared/userError';

after(() => shutdownBackend());

test('an explicit tensorflow preference without tfjs-node is a UserError that names the fix', async () => {
  await assert.rejects(initBackend('tensorflow'), (error: unknown) => {
    assert.ok(isUserError(error));
    assert.match(error.message, /tfjs-node/);
    assert.match(error.message, /npm install @tensorflow\/tfjs-node@4\.22\.0/);
    return true;
  });
});

test('auto falls back to wasm with every core of this machine (capped by the threads option) and logs it', async () => {
  const lines: string[] = [];
  const info = await initBackend('auto', { threads: 2, log: (m) => lines.push(m) });
  assert.equal(info.name, 'wasm');
  assert.equal(tf.getBackend(), 'wasm');
  const expected = Math.min(2, (await import('node:os')).availableParallelism());
  assert.equal(info.threads, expected);
  assert.ok(lines.some((l) => l === `backend: wasm, ${expected} thread${expected === 1 ? '' : 's'}`), lines.join('\n'));
  assert.ok(lines.some((l) => /tfjs-node is not available/.test(l)));
});

test('the wasm backend computes a convolution correctly', async () => {
  const y = tf.tidy(() => tf.conv2d(tf.ones([1, 4, 4, 2]) as tf.Tensor4D, tf.ones([3, 3, 2, 1]) as tf.Tensor4D, 1, 'valid'));
  assert.deepEqual(Array.from(await y.data()), [18, 18, 18, 18]);
  y.dispose();
});

test('threads below 1 are rejected with a message that names the setting', async () => {
  await assert.rejects(initBackend('cpu', { threads: 0 }), /threads setting.*at least 1/);
});

test('backendCanTrain: dense training works everywhere; cpu always trains conv layers', () => {
  assert.equal(backendCanTrain('wasm', false), true);
  assert.equal(backendCanTrain('cpu', true), true);
  assert.equal(backendCanTrain('tensorflow', true), true);
});
