/**
 * The training host is an esbuild bundle (dist/host.js) with tfjs-backend-wasm left external: the
 * threaded wasm start-up must find the package's files from there. Bundle a tiny entry the same way
 * and run it in a child process.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

const root = path.resolve(__dirname, '../..');

test('bundled like dist/host.js, wasm starts with every core and trains a conv layer', async () => {
  fs.mkdirSync(path.join(root, '.cache'), { recursive: true });
  const dir = fs.mkdtempSync(path.join(root, '.cache', 'backend-bundle-'));
  try {
    const entry = path.join(dir, 'entry.ts');
    fs.writeFileSync(
      entry,
      `import * as tf from '@tensorflow/tfjs';
import { initBackend, shutdownBackend } from ${JSON.stringify(path.join(root, 'src/engine/backend'))};
(async () => {
  const info = await initBackend('auto');
  const w = tf.variable(tf.ones([3, 3, 2, 1]));
  const x = tf.ones([1, 5, 5, 2]);
  const before = w.dataSync()[0];
  tf.train.sgd(0.01).minimize(() => tf.conv2d(x as tf.Tensor4D, w as tf.Variable<tf.Rank.R4>, 2, 'same').sum() as tf.Scalar);
  console.log(JSON.stringify({ ...info, changed: w.dataSync()[0] !== before }));
  shutdownBackend();
})();
`,
    );
    const outfile = path.join(dir, 'host.js');
    // Exactly the host bundle's options (scripts/bundles.mjs), with this entry instead of the host's.
    const { bundles, commonOptions } = await import('../../scripts/bundles.mjs');
    await esbuild.build({ ...commonOptions(false), ...bundles.host, entryPoints: [entry], outdir: undefined, outfile, sourcemap: false, logLevel: 'silent' });
    const stdout = execFileSync(process.execPath, [outfile], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { name: string; threads: number; changed: boolean };
    assert.deepEqual(result, { name: 'wasm', threads: os.availableParallelism(), changed: true });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
