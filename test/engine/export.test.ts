import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import {
  ExportMismatchError,
  exportModel,
  imageToInput,
  loadLayersModelFromDir,
  parsePreprocessing,
  verifyExport,
} from '../../src/engine/export';
import { isUserError } from '../../src/shared/userError';
import { computeEvaluation, writeEvaluation } from '../../src/engine/evaluate';
import { EXPORT_CLASSES, EXPORT_PREPROCESSING, saveRunModel } from '../fixtures/export/savedRun';

const run = promisify(execFile);
const classes = EXPORT_CLASSES;
const preprocessing = EXPORT_PREPROCESSING;

function tinyModel(seed: number): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 2, kernelSize: 3, kernelInitializer: tf.initializers.glorotUniform({ seed }) }));
  model.add(tf.layers.globalAveragePooling2d({}));
  model.add(tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }));
  return model;
}

function rejectsWithUserError(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  return assert.rejects(promise, (error: unknown) => {
    assert.ok(isUserError(error), `expected a UserError, got ${String(error)}`);
    assert.match(error.message, pattern);
    return true;
  });
}

describe('exportModel', () => {
  let root = '';
  let runDir = '';
  let model: tf.LayersModel;
  let images: string[] = [];

  before(async () => {
    await tf.setBackend('cpu');
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'ftg-export-'));
    runDir = path.join(root, 'runs', 'run 1');
    model = tinyModel(3);
    await saveRunModel(model, runDir);
    // A wide colour photo (cropped by 'cover') and a grey one (must become 3 channels).
    images = [path.join(root, 'wide photo.png'), path.join(root, 'grey.png')];
    const wide = Buffer.alloc(20 * 12 * 3).map((_, i) => (i * 37) % 256);
    await sharp(wide, { raw: { width: 20, height: 12, channels: 3 } }).png().toFile(images[0]);
    const grey = Buffer.alloc(10 * 10).map((_, i) => (i * 11) % 256);
    await sharp(grey, { raw: { width: 10, height: 10, channels: 1 } }).png().toFile(images[1]);
  });
  after(async () => {
    model.dispose();
    await fs.rm(root, { recursive: true, force: true });
  });

  it('writes a LayersModel folder with labels, preprocessing and README, and checks it against the trained model', async () => {
    const dest = path.join(root, 'exported');
    const result = await exportModel(runDir, dest, { reference: model, verifyInputs: images });
    assert.deepEqual([...(await fs.readdir(dest))].sort(), ['README.md', 'labels.json', 'model.json', 'preprocessing.json', 'weights.bin']);
    assert.deepEqual(JSON.parse(await fs.readFile(path.join(dest, 'labels.json'), 'utf8')), classes);
    assert.deepEqual(JSON.parse(await fs.readFile(path.join(dest, 'preprocessing.json'), 'utf8')), preprocessing);
    assert.equal(result.verification.inputs, 'images');
    assert.equal(result.verification.samples, 2);
    assert.ok(result.verification.maxAbsDifference <= 1e-5);
    const readme = await fs.readFile(path.join(dest, 'README.md'), 'utf8');
    assert.match(readme, /run 20261129-083000\)\. Validation accuracy: 87\.5%/);
    assert.match(readme, /`boot`, `shirt`, `bag`/);
    assert.match(readme, /tf\.loadLayersModel\('model\.json'\)/);
    // Nothing left over next to the export.
    assert.deepEqual((await fs.readdir(root)).sort(), ['exported', 'grey.png', 'runs', 'wide photo.png']);
  });

  it('reloads to the same predictions as the in-memory model', async () => {
    const dest = path.join(root, 'reload');
    await exportModel(runDir, dest);
    const reloaded = await loadLayersModelFromDir(dest);
    const x = tf.randomUniform([3, 8, 8, 3], 0, 1, 'float32', 11);
    const expected = (model.predict(x) as tf.Tensor).arraySync() as number[][];
    const actual = (reloaded.predict(x) as tf.Tensor).arraySync() as number[][];
    actual.flat().forEach((value, i) => assert.ok(Math.abs(value - expected.flat()[i]) < 1e-6));
    x.dispose();
    reloaded.dispose();
  });

  it("the README's Node snippet runs against the export and prints the model's top classes", async () => {
    const dest = path.join(root, 'snippet');
    await exportModel(runDir, dest);
    const readme = await fs.readFile(path.join(dest, 'README.md'), 'utf8');
    const snippet = /```js\n([\s\S]*?)\n```/.exec(readme)?.[1];
    assert.ok(snippet, 'README has a js block');
    await fs.writeFile(path.join(dest, 'classify.js'), snippet);
    const { stdout } = await run(process.execPath, ['classify.js', ...images], {
      cwd: dest,
      env: { ...process.env, NODE_PATH: path.resolve('node_modules') },
    });
    const lines = stdout.trim().split('\n').filter((line) => !line.includes('tfjs-node') && !line.startsWith('='));
    const pre = parsePreprocessing(preprocessing, 'preprocessing.json');
    for (const [i, file] of images.entries()) {
      const input = await imageToInput(file, pre);
      const probs = tf.tidy(() => (model.predict(input.expandDims(0)) as tf.Tensor).dataSync());
      input.dispose();
      const top = Array.from(probs, (p, c): [string, number] => [classes[c], p]).sort((a, b) => b[1] - a[1]);
      const expected = `${file}: ${top.map(([label, p]) => `${label} ${(100 * p).toFixed(1)}%`).join(', ')}`;
      assert.equal(lines[i], expected);
    }
  });

  it("checks the export on the validation images the run's evaluation.json names", async () => {
    const evaluated = path.join(root, 'runs', 'evaluated');
    await saveRunModel(model, evaluated);
    const gone = path.join(root, 'deleted.png');
    const evaluation = computeEvaluation({
      classes,
      labels: [0, 1, 2],
      probabilities: [[0.1, 0.9, 0], [0.8, 0.1, 0.1], [0.7, 0.2, 0.1]],
      files: [images[0], images[1], gone],
    });
    await writeEvaluation(evaluated, 'head', evaluation);
    const result = await exportModel(evaluated, path.join(root, 'from-evaluation'));
    assert.deepEqual([result.verification.inputs, result.verification.samples], ['images', 2]);
  });

  it('never writes into a non-empty destination and names it', async () => {
    const dest = path.join(root, 'taken');
    await fs.mkdir(dest);
    await fs.writeFile(path.join(dest, 'notes.txt'), 'mine');
    await rejectsWithUserError(exportModel(runDir, dest), /taken: already exists and is not empty; nothing was overwritten\. Choose a new folder/);
    assert.deepEqual(await fs.readdir(dest), ['notes.txt']);
    assert.equal(await fs.readFile(path.join(dest, 'notes.txt'), 'utf8'), 'mine');
    await fs.writeFile(path.join(root, 'a-file'), 'x');
    await rejectsWithUserError(exportModel(runDir, path.join(root, 'a-file')), /a-file: is a file, not a folder/);
  });

  it('exports into an existing empty folder', async () => {
    const dest = path.join(root, 'empty');
    await fs.mkdir(dest);
    const result = await exportModel(runDir, dest);
    assert.equal(result.verification.inputs, 'synthetic', 'no evaluation.json: generated inputs');
    assert.ok((await fs.readdir(dest)).includes('model.json'));
  });

  it('names the run when it has no model, and model.json when a weight file is missing', async () => {
    const empty = path.join(root, 'runs', 'unfinished');
    await fs.mkdir(empty, { recursive: true });
    await rejectsWithUserError(exportModel(empty, path.join(root, 'x1')), /unfinished: has no adapted model \(model\/model\.json is missing\)/);
    const broken = path.join(root, 'runs', 'broken');
    await saveRunModel(model, broken);
    await fs.rm(path.join(broken, 'model', 'weights.bin'));
    await rejectsWithUserError(exportModel(broken, path.join(root, 'x2')), /model\.json \(weightsManifest\): lists the weight file "weights\.bin", which is missing/);
    await assert.rejects(fs.access(path.join(root, 'x2')));
  });

  it('names preprocessing.json and its field when it is unusable', async () => {
    const bad = path.join(root, 'runs', 'bad-pre');
    await saveRunModel(model, bad);
    await fs.writeFile(path.join(bad, 'model', 'preprocessing.json'), JSON.stringify({ inputSize: 8, scale: '0..100' }));
    await rejectsWithUserError(exportModel(bad, path.join(root, 'x3')), /preprocessing\.json \(scale\): has an unknown "scale" "0\.\.100"\. Use one of "0\.\.1", "-1\.\.1", "0\.\.255"/);
  });

  it('reports a model that predicts differently as a mismatch and removes that export', async () => {
    const other = tinyModel(99);
    const dest = path.join(root, 'mismatch');
    await assert.rejects(exportModel(runDir, dest, { reference: other }), (error: unknown) => {
      assert.ok(error instanceof ExportMismatchError);
      assert.match(error.message, /mismatch: the exported model predicts differently from the trained one/);
      assert.ok(error.result.maxAbsDifference > 1e-5);
      return true;
    });
    await assert.rejects(fs.access(dest));
    const ok = path.join(root, 'ok');
    await exportModel(runDir, ok);
    const x = tf.randomUniform<tf.Rank.R4>([2, 8, 8, 3], 0, 1, 'float32', 5);
    const before = tf.memory().numTensors;
    await assert.rejects(verifyExport(ok, other, { inputs: x }), ExportMismatchError);
    const result = await verifyExport(ok, model, { inputs: x });
    assert.equal(result.inputs, 'tensors');
    assert.equal(tf.memory().numTensors, before, 'verifyExport leaks no tensors and leaves the caller\'s inputs alone');
    x.dispose();
    other.dispose();
  });
});
