/**
 * The README's browser snippet, run as written in headless Chromium against an exported folder served
 * over HTTP (tfjs from node_modules instead of the CDN: no internet here). Chromium from test/fixtures/chromium.ts.
 */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { after, before, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { chromium, type Browser } from 'playwright-core';
import { exportModel } from '../../src/engine/export';
import { CHROMIUM_ARGS, chromiumExecutable } from '../fixtures/chromium';

const run = promisify(execFile);
let root = '';

before(async () => {
  await tf.setBackend('cpu');
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'ftg-export-browser-'));
});
after(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

/** Saves a tiny 8x8x3 classifier as a run's model folder. */
async function tinyRun(runDir: string): Promise<void> {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 4, kernelSize: 3, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }) }));
  const dir = path.join(runDir, 'model');
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      await fs.mkdir(dir, { recursive: true });
      await fs.writeFile(path.join(dir, 'weights.bin'), Buffer.from(tf.io.CompositeArrayBuffer.join(artifacts.weightData)));
      const json = { modelTopology: artifacts.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }] };
      await fs.writeFile(path.join(dir, 'model.json'), JSON.stringify(json));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  await fs.writeFile(path.join(dir, 'labels.json'), JSON.stringify(['cat', 'dog', 'fox']));
  await fs.writeFile(path.join(dir, 'preprocessing.json'), JSON.stringify({ inputSize: 8, scale: '0..1', fit: 'cover' }));
  model.dispose();
}

it('the browser snippet classifies like the Node snippet (square and centre-cropped images)', async () => {
  const executablePath = await chromiumExecutable();
  const runDir = path.join(root, 'run');
  await tinyRun(runDir);
  const dest = path.join(root, 'exported');
  await exportModel(runDir, dest);
  const readme = await fs.readFile(path.join(dest, 'README.md'), 'utf8');
  const html = /```html\n([\s\S]*?)\n```/.exec(readme)?.[1];
  const node = /```js\n([\s\S]*?)\n```/.exec(readme)?.[1];
  assert.ok(html && node);
  await fs.writeFile(path.join(dest, 'classify.js'), node);

  // No resizing needed (8x8, and 16x8 whose centre 8x8 is kept), so both decoders see the same pixels.
  const images = { 'square.png': [8, 8], 'wide.png': [16, 8] } as const;
  for (const [name, [width, height]] of Object.entries(images)) {
    const pixels = Buffer.alloc(width * height * 3).map((_, i) => (i * 53 + (i % 7) * 29) % 256);
    await sharp(pixels, { raw: { width, height, channels: 3 } }).png().toFile(path.join(dest, name));
  }
  const tfjs = require.resolve('@tensorflow/tfjs/dist/tf.min.js');
  const server = createServer((request, response) => {
    const url = decodeURIComponent((request.url ?? '/').split('?')[0]);
    const file = url === '/tf.min.js' ? tfjs : url.startsWith('/page-') ? null : path.join(dest, path.basename(url));
    if (url.startsWith('/page-')) {
      const image = url.slice('/page-'.length).replace(/\.html$/, '');
      const page = html.replace('https://cdn.jsdelivr.net/npm/@tensorflow/tfjs@4.22.0/dist/tf.min.js', '/tf.min.js').replace('photo.jpg', image);
      response.writeHead(200, { 'content-type': 'text/html' }).end(page);
    } else if (file && existsSync(file)) {
      const type = file.endsWith('.js') ? 'text/javascript' : file.endsWith('.png') ? 'image/png' : file.endsWith('.json') ? 'application/json' : 'application/octet-stream';
      response.writeHead(200, { 'content-type': type }).end(readFileSync(file));
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, timeout: 60_000 });
    const { stdout } = await run(process.execPath, ['classify.js', ...Object.keys(images)], {
      cwd: dest,
      env: { ...process.env, NODE_PATH: path.resolve('node_modules') },
    });
    const fromNode = new Map(
      stdout
        .split('\n')
        .filter((line) => /^\w+\.png: /.test(line))
        .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]),
    );
    for (const name of Object.keys(images)) {
      const page = await browser.newPage();
      await page.goto(`${origin}/page-${name}.html`);
      await page.waitForFunction("document.getElementById('result').textContent.length > 0", undefined, { timeout: 30000 });
      const text = (await page.evaluate("document.getElementById('result').textContent")) as string;
      await page.close();
      assert.equal(text.split('\n').join(', '), fromNode.get(name), `${name}: browser and Node give the same top-3`);
    }
  } finally {
    // The server too when the launch failed: left listening, it would keep the test process alive.
    await browser?.close();
    server.close();
    server.closeAllConnections();
  }
});
