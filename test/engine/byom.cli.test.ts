/**
 * Bring your own model, as a user does it through the CLI (in process): init -> train (tiny epochs)
 * -> predict (-> export), for a grey channel-less MLP, a binary classifier kept with its own
 * Dense(1, sigmoid) that scales its input itself, and a model with Keras augmentation layers.
 */
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { before, test } from 'node:test';
import type { InspectResult } from '../../src/protocol/host';
import type { ProjectConfig } from '../../src/protocol/config';
import type { ImagePrediction } from '../../src/engine/predict/predictImages';
import { imageToInput, loadLayersModelFromDir, readModelFolder } from '../../src/engine/export';
import { runCli } from '../../src/host/cli/main';
import { augmentingModel, binarySelfScaling, colourFolders, greyMlp, saveUserModel } from '../fixtures/byom/userModels';
import { tempDir } from '../fixtures/models/tinyModels';

before(async () => {
  await tf.setBackend('cpu');
});

interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

async function cli(...argv: string[]): Promise<CliRun> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (text) => (out += text), err: (text) => (err += text), isTTY: false });
  return { code, out, err };
}

/** Exit 2, stderr naming every `names`, no stack trace. */
function assertUserError(run: CliRun, ...names: (string | RegExp)[]): void {
  assert.equal(run.code, 2, run.err || run.out);
  for (const name of names) assert.ok(typeof name === 'string' ? run.err.includes(name) : name.test(run.err), `stderr does not name ${String(name)}: ${run.err}`);
  assert.doesNotMatch(run.err, /\n\s+at .+:\d+:\d+/, 'no stack trace');
}

const COLOURS = { dark: [30, 30, 60], light: [230, 220, 60] } as const;

/** Makes phases tiny (1 epoch each, batches of 4) and returns the config. */
async function tinyPhases(projectDir: string): Promise<ProjectConfig> {
  const file = path.join(projectDir, 'finetune.json');
  const config = JSON.parse(await readFile(file, 'utf8')) as ProjectConfig;
  const tiny = { ...config, phases: config.phases.map((phase) => ({ ...phase, epochs: 1, batchSize: 4 })) };
  await writeFile(file, JSON.stringify(tiny, null, 2));
  return tiny;
}

function onlyRun(projectDir: string): string {
  const runs = readdirSync(path.join(projectDir, 'runs'));
  assert.equal(runs.length, 1, `one run: ${runs.join(', ')}`);
  return path.join(projectDir, 'runs', runs[0] as string);
}

function predictions(run: CliRun): ImagePrediction[] {
  assert.equal(run.code, 0, run.err);
  return run.out.trim().split('\n').map((line) => JSON.parse(line) as ImagePrediction);
}

test('a grey channel-less MLP: cut at its penultimate layer, trained on grey 28x28 images, predicted and exported', async () => {
  const root = tempDir('ftg-byom-');
  const modelFile = await saveUserModel(greyMlp(), root, 'mlp');
  const data = await colourFolders(path.join(root, 'images'), COLOURS, 6, 40);
  const inspected = await cli('inspect', modelFile, '--json');
  assert.equal(inspected.code, 0, inspected.err);
  const info = JSON.parse(inspected.out) as InspectResult;
  assert.equal(info.format, 'TensorFlow.js LayersModel (model.json)');
  assert.deepEqual(info.pixelRange, { range: '0..1', source: 'guessed' });
  assert.match((await cli('inspect', modelFile)).out, /format: TensorFlow\.js LayersModel[\s\S]*pixel range: 0\.\.1 \(guessed/);

  const projectDir = path.join(root, 'project');
  const init = await cli('init', projectDir, '--model', modelFile, '--data', data);
  assert.equal(init.code, 0, init.err);
  assert.match(init.out, /cut at "hidden" \(replacing digits\), input 28x28/);
  const config = await tinyPhases(projectDir);
  assert.equal(config.model.inputSize, 28);
  assert.equal(config.model.pixelRange, '0..1', 'init writes the pixel range');

  const train = await cli('train', projectDir, '--backend', 'cpu');
  assert.equal(train.code, 0, train.err || train.out);
  const runDir = onlyRun(projectDir);
  const folder = await readModelFolder(path.join(runDir, 'model'));
  assert.deepEqual(folder.preprocessing, { inputSize: 28, channels: 1, scale: '0..1', fit: 'cover' });
  assert.deepEqual(folder.classes, ['dark', 'light']);

  const image = path.join(data, 'light', '0.png');
  const [predicted] = predictions(await cli('predict', runDir, image, '--json'));
  assert.equal(predicted?.top.length, 2);
  assert.ok(Math.abs((predicted?.top ?? []).reduce((sum, t) => sum + t.probability, 0) - 1) < 1e-5);

  const exported = await cli('export', runDir, path.join(root, 'exported'), '--json');
  assert.equal(exported.code, 0, exported.err);
});

test('keeping a Dense(1, sigmoid) classifier that scales its own input: 0..255 guessed, binary cross-entropy, p is the second class', async () => {
  const root = tempDir('ftg-byom-');
  const modelFile = await saveUserModel(binarySelfScaling(), root, 'binary');
  const data = await colourFolders(path.join(root, 'images'), COLOURS);
  const projectDir = path.join(root, 'project');
  const init = await cli('init', projectDir, '--model', modelFile, '--data', data, '--keep-classifier');
  assert.equal(init.code, 0, init.err);
  assert.match(init.out, /cut at "is_light"/);
  assert.match(init.out, /pixel range: 0\.\.255 \(guessed/);
  const config = await tinyPhases(projectDir);
  assert.equal(config.model.pixelRange, '0..255');
  assert.equal(config.head.keepClassifier, true);
  assert.equal(config.model.cutLayer, 'is_light');

  const train = await cli('train', projectDir, '--backend', 'cpu', '--json');
  assert.equal(train.code, 0, train.err || train.out);
  const events = train.out.trim().split('\n').map((line) => JSON.parse(line) as { type: string; [key: string]: unknown });
  const runEvent = events.find((e) => e.type === 'run') as { model: { headLayers: string[] } } | undefined;
  assert.deepEqual(runEvent?.model.headLayers, ['is_light'], 'the kept classifier is the head');
  const epochs = events.filter((e) => e.type === 'epoch') as unknown as { val_loss: number; val_accuracy: number; accuracy: number }[];
  assert.ok(epochs.length > 0, 'epochs ran');
  for (const e of epochs) {
    assert.ok(Number.isFinite(e.val_loss) && e.val_loss > 0, `binary cross-entropy: ${JSON.stringify(e)}`);
    // Binary accuracy at 0.5 over 2 or 3 images per split: a multiple of 1/n in [0, 1].
    assert.ok(e.val_accuracy >= 0 && e.val_accuracy <= 1 && e.accuracy >= 0 && e.accuracy <= 1, JSON.stringify(e));
  }

  const runDir = onlyRun(projectDir);
  const image = path.join(data, 'light', '1.png');
  const [predicted] = predictions(await cli('predict', runDir, image, '--json'));
  const byLabel = Object.fromEntries((predicted?.top ?? []).map((t) => [t.label, t.probability]));
  // The model's own output on the same input, scaled 0..255 as preprocessing.json says.
  const modelDir = path.join(runDir, 'model');
  const { preprocessing } = await readModelFolder(modelDir);
  assert.equal(preprocessing.scale, '0..255');
  const model = await loadLayersModelFromDir(modelDir);
  const input = await imageToInput(image, preprocessing);
  const p = tf.tidy(() => (model.predict(input.expandDims(0)) as tf.Tensor).dataSync()[0] as number);
  input.dispose();
  model.dispose();
  assert.ok(Math.abs((byLabel.light ?? Number.NaN) - p) < 1e-6, `light = p (${byLabel.light} vs ${p})`);
  assert.ok(Math.abs((byLabel.dark ?? Number.NaN) - (1 - p)) < 1e-6, 'dark = 1 - p');
});

test('a kept one-unit classifier with three class folders stops training with exit 2 naming head.keepClassifier and the data folder', async () => {
  const root = tempDir('ftg-byom-');
  const modelFile = await saveUserModel(binarySelfScaling(), root, 'binary');
  const data = await colourFolders(path.join(root, 'images'), { ...COLOURS, red: [200, 20, 20] }, 3);
  const projectDir = path.join(root, 'project');
  assert.equal((await cli('init', projectDir, '--model', modelFile, '--data', data, '--keep-classifier', '--pixel-range', '-1..1')).code, 0);
  const config = JSON.parse(await readFile(path.join(projectDir, 'finetune.json'), 'utf8')) as ProjectConfig;
  assert.equal(config.model.pixelRange, '-1..1', '--pixel-range wins over the guess');
  assertUserError(await cli('train', projectDir, '--backend', 'cpu'), 'finetune.json', 'head.keepClassifier', data, /2 classes apart, but the data has 3/);
});

test('init refuses a bad --pixel-range, and --keep-classifier on a model without a Dense classifier', async () => {
  const root = tempDir('ftg-byom-');
  const modelFile = await saveUserModel(binarySelfScaling(), root, 'binary');
  const data = await colourFolders(path.join(root, 'images'), COLOURS, 2);
  assertUserError(await cli('init', path.join(root, 'p1'), '--model', modelFile, '--data', data, '--pixel-range', '0..100'), '--pixel-range', '0..1, -1..1, 0..255');
  const convOnly = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 2, kernelSize: 3, name: 'only_conv' })] });
  const convFile = await saveUserModel(convOnly, root, 'conv');
  assertUserError(await cli('init', path.join(root, 'p2'), '--model', convFile, '--data', data, '--keep-classifier'), convFile, 'Dense classifier');
});

test('a model with its own RandomFlip trains with the frozen-prefix cache off, and the log says why', async () => {
  const root = tempDir('ftg-byom-');
  const modelFile = await saveUserModel(augmentingModel(), root, 'augmenting');
  const data = await colourFolders(path.join(root, 'images'), COLOURS);
  const projectDir = path.join(root, 'project');
  assert.equal((await cli('init', projectDir, '--model', modelFile, '--data', data)).code, 0);
  const config = await tinyPhases(projectDir);
  // No augmentation in finetune.json: only the model's own layer can turn the cache off.
  await writeFile(path.join(projectDir, 'finetune.json'), JSON.stringify({ ...config, augmentation: { horizontalFlip: false, shift: 0, brightness: 0 } }));
  const train = await cli('train', projectDir, '--backend', 'cpu', '--json');
  assert.equal(train.code, 0, train.err || train.out);
  assert.match(train.out, /frozen-prefix cache off: augmentation inside the model \(flip \(RandomFlip\)\)/);
});

test('a layer that cannot be read stops init and inspect with exit 2 naming the layer, its class and what to do', async () => {
  const root = tempDir('ftg-byom-');
  const modelFile = await saveUserModel(binarySelfScaling(), root, 'lambda');
  const json = JSON.parse(await readFile(modelFile, 'utf8')) as { modelTopology: { config: { layers: { class_name: string; config: { name: string } }[] } } };
  const layer = json.modelTopology.config.layers.find((l) => l.config.name === 'pool');
  assert.ok(layer);
  layer.class_name = 'Lambda';
  await writeFile(modelFile, JSON.stringify(json));
  const data = await colourFolders(path.join(root, 'images'), COLOURS, 2);
  for (const run of [await cli('init', path.join(root, 'project'), '--model', modelFile, '--data', data), await cli('inspect', modelFile)]) {
    assertUserError(run, modelFile, '"pool"', 'Lambda', /Rebuild the model/);
  }
});
