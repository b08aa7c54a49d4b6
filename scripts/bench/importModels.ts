/**
 * `npm run bench` (import): how long bringing a model file into the engine takes (read, flatten nested
 * models, build, set weights: what init, inspect and training do first), each in a fresh process so
 * module start-up and h5wasm's wasm compile count. `make <dir>` writes the files; `load <file>` times one.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { initBackend } from '../../src/engine/backend';
import { exportWriter } from '../../src/engine/export/writers';
import { fileSystemHandler } from '../../src/engine/model/io';
import { loadBaseModel } from '../../src/engine/model/load';

const LABELS = ['cardboard', 'glass', 'metal'];

/** A Teachable-Machine-shaped export (Sequential > Sequential > backbone + pooling, Sequential > Dense > Dense without bias). */
async function writeTeachableShaped(base: tf.LayersModel, dir: string): Promise<void> {
  const features = tf.sequential({ name: 'sequential_1', layers: [base, tf.layers.globalAveragePooling2d({ name: 'global_average_pooling2d_1' })] });
  const head = tf.sequential({
    name: 'sequential_3',
    layers: [
      tf.layers.dense({ inputShape: [1280], units: 100, activation: 'relu', name: 'dense_Dense1' }),
      tf.layers.dense({ units: LABELS.length, activation: 'softmax', useBias: false, name: 'dense_Dense2' }),
    ],
  });
  const model = tf.sequential({ name: 'sequential_4', layers: [features, head] });
  await model.save(fileSystemHandler(dir));
  await writeFile(path.join(dir, 'metadata.json'), JSON.stringify({ labels: LABELS, imageSize: 224, packageName: '@teachablemachine/image' }));
}

async function make(dir: string): Promise<void> {
  // The writers refuse to overwrite (as an export must); this folder is the bench's own cache.
  await rm(dir, { recursive: true, force: true });
  await initBackend('cpu');
  const { model: base } = await loadBaseModel('builtin:mobilenet_v2', process.cwd(), { inputSize: 224 });
  await writeTeachableShaped(base, path.join(dir, 'teachable'));
  const flat = tf.model({ inputs: base.inputs, outputs: tf.layers.dense({ units: LABELS.length, activation: 'softmax', name: 'head_classifier' }).apply(tf.layers.globalAveragePooling2d({ name: 'head_pool' }).apply(base.outputs[0])) as tf.SymbolicTensor });
  const tfjsDir = path.join(dir, 'flat-tfjs');
  await flat.save(fileSystemHandler(tfjsDir));
  const folder = { dir: tfjsDir, modelJson: {} as tf.io.ModelJSON, weightFiles: [], classes: LABELS, preprocessing: { inputSize: 224, channels: 3, scale: '0..1' } } as never;
  for (const id of ['keras', 'h5']) {
    const out = path.join(dir, id);
    await mkdir(out, { recursive: true });
    await exportWriter(id).write({ folder, model: flat }, out);
  }
}

async function load(file: string): Promise<void> {
  const started = performance.now();
  await initBackend('cpu');
  const { model } = await loadBaseModel(file, process.cwd());
  const seconds = (performance.now() - started) / 1000;
  const bytes = await sizeOf(file);
  console.log(JSON.stringify({ file, seconds, layers: model.layers.length, params: model.countParams(), megabytes: bytes / 2 ** 20 }));
  model.dispose();
}

/** A model.json counts with its weight files (the folder), a Keras file alone. */
async function sizeOf(file: string): Promise<number> {
  const info = await stat(file);
  if (info.isFile() && !file.endsWith('.json')) return info.size;
  const dir = info.isDirectory() ? file : path.dirname(file);
  let total = 0;
  for (const name of await readdir(dir)) if (/\.(json|bin)$/.test(name) && name !== 'metadata.json') total += (await stat(path.join(dir, name))).size;
  return total;
}

const [command, target] = process.argv.slice(2);
(command === 'make' ? make(target) : load(target)).catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
