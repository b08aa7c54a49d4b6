// The "new built-in model" path: one BuiltinModel registered, and init, inspect and training use its
// facts (cut layer, input size, block names) without any other change.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { ProjectConfig } from '../../src/protocol/config';
import { isUserError } from '../../src/shared/userError';
import { builtinModels, findBuiltin, inspectModel, registerBuiltinModel, resolveModelPath, STEM_BLOCK, TOP_BLOCK, type BuiltinModel } from '../../src/engine/model';
import { initProject } from '../../src/engine/project';
import { trainProject } from '../../src/engine/train';
import { makeImageFolder } from '../fixtures/data/make';
import { saveModel, tempDir } from '../fixtures/models/tinyModels';

/** 48x48x3 -> stem -> two units -> features -> classifier; names no generic block rule knows. */
function tinyBackbone(): tf.LayersModel {
  const input = tf.input({ shape: [48, 48, 3], name: 'tiny_input' });
  const conv = (name: string, filters: number) => tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', activation: 'relu', name, kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) });
  let x = conv('tiny_stem_conv', 4).apply(input) as tf.SymbolicTensor;
  x = conv('tiny_unit_a_conv', 4).apply(x) as tf.SymbolicTensor;
  x = conv('tiny_unit_b_conv', 6).apply(x) as tf.SymbolicTensor;
  x = tf.layers.reLU({ name: 'tiny_features' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.globalAveragePooling2d({ name: 'tiny_pool' }).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 3, activation: 'softmax', name: 'tiny_predictions' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

const assetDir = tempDir('ftg-builtin-');
const tiny: BuiltinModel = {
  id: 'tiny_test',
  asset: path.join(assetDir, 'model.json'),
  label: 'Tiny test backbone',
  provenance: 'Random weights, written by this test',
  // Not the layer suggestCutLayer would pick (tiny_features), so the test sees the registry's choice.
  cutLayer: 'tiny_unit_b_conv',
  inputSize: 32,
  pixelRange: '0..1',
  blockOf(name) {
    const unit = /^tiny_(unit_[a-z])_/.exec(name);
    if (unit) return unit[1] ?? null;
    if (name.startsWith('tiny_stem')) return STEM_BLOCK;
    return name === 'tiny_features' ? TOP_BLOCK : null;
  },
};
let unregister: () => void = () => undefined;

before(async () => {
  await tf.setBackend('cpu');
  const model = tinyBackbone();
  await saveModel(model, assetDir);
  model.dispose();
  unregister = registerBuiltinModel(tiny);
});
after(() => unregister());

test('a registered built-in model is inspected, initialised with its own facts, and trains', async () => {
  const inspected = await inspectModel('builtin:tiny_test');
  const blocks = Object.fromEntries(inspected.layers.map((l) => [l.name, l.block]));
  // The model's block rule names its blocks; the graph puts the input with the stem and the pooling with `top`, and gives the classifier its own.
  assert.deepEqual(blocks, { tiny_input: 'stem', tiny_stem_conv: 'stem', tiny_unit_a_conv: 'unit_a', tiny_unit_b_conv: 'unit_b', tiny_features: 'top', tiny_pool: 'top', tiny_predictions: 'tiny_predictions' });

  const projectDir = tempDir('ftg-builtin-project-');
  await makeImageFolder(path.join(projectDir, 'images'), { dark: 4, light: 4 });
  const result = await initProject(projectDir, { model: 'builtin:tiny_test', data: 'images', cwd: projectDir });
  assert.equal(result.config.model.base, 'builtin:tiny_test');
  assert.equal(result.cutLayer, 'tiny_unit_b_conv');
  assert.deepEqual(result.droppedLayers, ['tiny_features', 'tiny_pool', 'tiny_predictions']);
  assert.equal(result.inputSize, 32);
  // lastBlocks: 2 are the model's own blocks, found by its block rule.
  assert.deepEqual([...result.phase2Layers].sort(), ['tiny_unit_a_conv', 'tiny_unit_b_conv']);

  const prepared = await inspectModel(projectDir);
  assert.deepEqual(prepared.layers.filter((l) => !l.isNew).map((l) => l.name), ['tiny_input', 'tiny_stem_conv', 'tiny_unit_a_conv', 'tiny_unit_b_conv']);
  assert.deepEqual(prepared.layers[0]?.outputShape, [null, 32, 32, 3]);

  const config = JSON.parse(await readFile(result.projectFile, 'utf8')) as ProjectConfig;
  const short: ProjectConfig = { ...config, phases: config.phases.map((phase) => ({ ...phase, epochs: 1, batchSize: 4 })) };
  await writeFile(result.projectFile, JSON.stringify(short));
  const trained = await trainProject(result.projectFile, { backend: 'cpu' });
  assert.equal(trained.summary.status, 'completed');
  assert.equal(trained.summary.phases.length, 2);
  const preprocessing = JSON.parse(await readFile(path.join(trained.summary.modelDir ?? '', 'preprocessing.json'), 'utf8')) as { inputSize: number; scale: string };
  assert.deepEqual([preprocessing.inputSize, preprocessing.scale], [32, '0..1']);
});

test('an unregistered built-in is refused with the registered ones named', () => {
  const remove = registerBuiltinModel({ ...tiny, id: 'tiny_gone' });
  assert.ok(findBuiltin('builtin:tiny_gone'));
  remove();
  assert.equal(findBuiltin('builtin:tiny_gone'), undefined);
  assert.throws(() => resolveModelPath('builtin:tiny_gone', '.'), (error: unknown) => {
    assert.ok(isUserError(error));
    for (const model of builtinModels()) assert.ok(error.message.includes(`builtin:${model.id}`), error.message);
    return true;
  });
  assert.throws(() => registerBuiltinModel(tiny), /already registered/);
});
