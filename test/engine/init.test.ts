// `init`: the demo project, a project for the user's own model (with a chosen cut), and never overwriting.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { loadProjectConfig } from '../../src/engine/config';
import { isUserError } from '../../src/shared/userError';
import { inspectModel, packageRoot, prepareModel } from '../../src/engine/model';
import { DEMO_DATA_RELATIVE_PATH, initProject } from '../../src/engine/project';
import { saveModel, savedTinyClassifier, tempDir } from '../fixtures/models/tinyModels';

before(async () => {
  await tf.setBackend('cpu');
});

const demoData = path.join(packageRoot(), DEMO_DATA_RELATIVE_PATH);

test('init --demo writes a loadable project with the built-in model and a copy of the demo images', { skip: !existsSync(demoData) && 'demo data not made yet' }, async () => {
  const dir = path.join(tempDir('ftg-init-'), 'demo');
  const result = await initProject(dir, { demo: true });
  assert.equal(result.cutLayer, 'out_relu');
  assert.ok(result.copiedFiles > 0);
  assert.ok(result.phase2Layers.includes('block_16_project') && result.phase2Layers.includes('out_relu'));
  assert.ok(!result.phase2Layers.includes('block_14_project'));
  const text = readFileSync(result.projectFile, 'utf8');
  assert.ok(text.startsWith('{\n  "version": 1,'), 'pretty JSON');
  // The extension's jsonValidation supplies the schema; a path into the install would break on update.
  assert.equal('$schema' in (JSON.parse(text) as object), false, 'no $schema written');
  const { config, dataDir } = await loadProjectConfig(dir);
  assert.equal(config.model.base, 'builtin:mobilenet_v2');
  assert.equal(config.model.inputSize, 96);
  assert.equal(dataDir, path.join(dir, 'data'));
  // A $schema the user adds is still accepted.
  writeFileSync(result.projectFile, text.replace('{\n', '{\n  "$schema": "./finetune.schema.json",\n'));
  assert.equal((await loadProjectConfig(dir)).config.$schema, './finetune.schema.json');
});

test('init never overwrites an existing finetune.json', async () => {
  const dir = tempDir('ftg-init-');
  const existing = path.join(dir, 'finetune.json');
  writeFileSync(existing, '{"mine": true}');
  mkdirSync(path.join(dir, 'images'));
  for (const options of [{ demo: true } as const, { model: 'builtin:mobilenet_v2', data: path.join(dir, 'images') }]) {
    await assert.rejects(initProject(dir, options), (e: unknown) => isUserError(e) && e.message.includes(existing) && /never overwrites/.test(e.message));
  }
  assert.equal(readFileSync(existing, 'utf8'), '{"mine": true}');
});

test('init with a model of the user\'s own cuts before its classifier and picks the top blocks for phase 2', async () => {
  const { dir: modelDir, modelFile, model } = await savedTinyClassifier();
  model.dispose();
  const projectDir = tempDir('ftg-init-');
  const dataDir = path.join(projectDir, 'images');
  mkdirSync(dataDir);
  const result = await initProject(projectDir, { model: modelFile, data: 'images', cwd: projectDir });
  assert.equal(result.cutLayer, 'block_2_relu');
  assert.deepEqual(result.droppedLayers, ['gap', 'fc', 'drop', 'predictions']);
  assert.deepEqual(
    [...result.phase2Layers].sort(),
    // The graph's blocks put the input into the first block.
    ['block_1_bn', 'block_1_conv', 'block_1_relu', 'block_2_bn', 'block_2_conv', 'block_2_relu', 'input_1'],
  );
  const { config, projectDir: loadedDir } = await loadProjectConfig(result.projectFile);
  assert.equal(path.resolve(loadedDir, config.model.base), modelFile);
  assert.equal(config.data.folder, 'images');
  const inspected = await inspectModel(result.projectFile);
  assert.deepEqual(
    inspected.layers.filter((l) => l.isNew).map((l) => l.name),
    ['head_pool', 'head_dropout', 'head_classifier'],
  );
  assert.equal(inspected.layers.filter((l) => !l.isNew).at(-1)?.name, 'block_2_relu');
  assert.ok(inspected.layers.every((l) => l.isNew === l.name.startsWith('head_')));
  const prepared = await prepareModel(config, loadedDir, 3);
  assert.deepEqual(prepared.model.outputs[0]?.shape, [null, 3]);
  assert.equal(prepared.info.cutLayer, 'block_2_relu');
  prepared.model.dispose();
  assert.ok(existsSync(modelDir));
});

test('init with a model that has no feature map nor a layer before its classifier to cut at says so', async () => {
  // Flat pixels straight into the classifier: no feature map, and nothing but the input feeds the Dense.
  const flat = tf.sequential({ layers: [tf.layers.dense({ inputShape: [48], units: 2, name: 'out' })] });
  const modelFile = await saveModel(flat, tempDir());
  flat.dispose();
  const dir = tempDir('ftg-init-');
  await assert.rejects(
    initProject(dir, { model: modelFile, data: dir }),
    (e: unknown) => isUserError(e) && e.message.includes(modelFile) && /no layer to cut at/.test(e.message),
  );
  assert.ok(!existsSync(path.join(dir, 'finetune.json')));
});

test('init with a data folder that does not exist names it', async () => {
  const dir = tempDir('ftg-init-');
  await assert.rejects(
    initProject(dir, { model: 'builtin:mobilenet_v2', data: 'nowhere', cwd: dir }),
    (e: unknown) => isUserError(e) && e.message.includes(path.join(dir, 'nowhere')) && /does not exist/.test(e.message),
  );
});
