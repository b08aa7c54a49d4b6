import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { readFile, writeFile } from 'node:fs/promises';
import { flattenLayersModel } from '../../src/engine/model/keras/flattenLayersModel';
import { readModelFile } from '../../src/engine/model/sources';
import { parseLabelsText, parseTeachableMetadata, readCompanionFiles } from '../../src/engine/model/sources/companionFiles';
import type { ImportedModel } from '../../src/engine/model/sources/modelSource';
import { isUserError } from '../../src/shared/userError';
import { withTempDir } from '../fixtures/tempDir';
import { layerNames, maxPredictionDiff } from '../fixtures/keras/compare';
import { clashingNested, randomizeWeights, teachableShaped } from '../fixtures/keras/sourceModels';
import { writeTeachableFolder } from '../fixtures/keras/teachableFolder';
import { saveModel, tinyClassifier } from '../fixtures/models/tinyModels';

/** Through the registry, as init and inspect read it: content picks the tfjs-layers source. */
async function importTfjs(modelFile: string): Promise<ImportedModel> {
  const read = await readModelFile(modelFile);
  assert.equal(read.sourceId, 'tfjs-layers');
  return read;
}

test('a Teachable-Machine-shaped tfjs export (nested 3 deep, ./model.weights.bin) reads flat with labels, size and [-1,1] pixels', async () => {
  const source = randomizeWeights(teachableShaped(3));
  await withTempDir('ftg-tm-', async (dir) => {
    const modelFile = await writeTeachableFolder(source, dir, ['Class 1', 'Class 2', 'paper cup'], 224);
    const imported = await importTfjs(modelFile);
    assert.deepEqual(layerNames(imported), ['sequential_4_input', 'Conv1', 'bn_Conv1', 'Conv1_relu', 'block_1_project', 'block_1_project_BN', 'gap', 'dense_Dense1', 'dense_Dense2']);
    assert.deepEqual(imported.containers?.Conv1_relu, [{ name: 'sequential_1', className: 'Sequential' }, { name: 'model1', className: 'Model' }]);
    assert.deepEqual(imported.containers?.gap, [{ name: 'sequential_1', className: 'Sequential' }]);
    assert.deepEqual(imported.labels, ['Class 1', 'Class 2', 'paper cup']);
    assert.equal(imported.imageSize, 224);
    assert.equal(imported.pixelRange, '-1..1');
    assert.ok((await maxPredictionDiff(source, imported)) <= 1e-5);
  });
});

test('tfjs nested leaves with the same name are renamed by path and keep their own weights', async () => {
  const source = randomizeWeights(clashingNested());
  await withTempDir('ftg-tm-', async (dir) => {
    const imported = await importTfjs(await saveModel(source, dir));
    assert.deepEqual(layerNames(imported), ['image', 'gap', 'fc', 'block_b/fc']);
    assert.deepEqual(imported.artifacts.weightSpecs?.map((s) => s.name), ['fc/kernel', 'fc/bias', 'block_b/fc/kernel', 'block_b/fc/bias']);
    assert.ok((await maxPredictionDiff(source, imported)) <= 1e-5);
  });
});

test('a flat tfjs model passes through unchanged', async () => {
  await withTempDir('ftg-tm-', async (dir) => {
    const modelFile = await saveModel(tinyClassifier(), dir);
    const saved = JSON.parse(await readFile(modelFile, 'utf8')) as { modelTopology: unknown };
    const artifacts = (await importTfjs(modelFile)).artifacts;
    assert.deepEqual(artifacts.modelTopology, saved.modelTopology);
    const flat = flattenLayersModel(artifacts, modelFile);
    assert.equal(flat.artifacts, artifacts);
    assert.deepEqual(flat.containers, {});
  });
});

test('labels.txt: "<index> <name>" lines, names with spaces, in index order; bare names; errors name the file', () => {
  assert.deepEqual(parseLabelsText('1 golden retriever\r\n0 tabby cat\n\n2  paper  cup \n', 'labels.txt'), ['tabby cat', 'golden retriever', 'paper  cup']);
  assert.deepEqual(parseLabelsText('cat\ndog\n', 'labels.txt'), ['cat', 'dog']);
  assert.throws(() => parseLabelsText('0 cat\n0 dog\n', '/m/labels.txt'), (e: unknown) => isUserError(e) && e.file === '/m/labels.txt' && /index 0 twice/.test(e.message));
  assert.throws(() => parseLabelsText('0 cat\n2 dog\n', 'labels.txt'), (e: unknown) => isUserError(e) && /no label for index 1/.test(e.message));
});

test('metadata.json: Teachable Machine says [-1,1]; another tool\'s metadata.json is ignored; broken JSON is a UserError', () => {
  assert.deepEqual(parseTeachableMetadata('{"tmVersion":"2.4.10","labels":["a","b"],"imageSize":96}', 'metadata.json'), { labels: ['a', 'b'], imageSize: 96, pixelRange: '-1..1' });
  assert.equal(parseTeachableMetadata('{"keras_version":"3.11.3","date_saved":"x"}', 'metadata.json'), undefined);
  assert.throws(() => parseTeachableMetadata('{"labels": [', 'metadata.json'), (e: unknown) => isUserError(e) && e.file === 'metadata.json');
});

test('labels.txt beside a model is read when there is no metadata.json', async () => {
  await withTempDir('ftg-tm-', async (dir) => {
    await writeFile(path.join(dir, 'labels.txt'), '0 Class 1\n1 Class 2\n');
    assert.deepEqual(await readCompanionFiles(dir), { labels: ['Class 1', 'Class 2'] });
    assert.deepEqual(await readCompanionFiles(path.join(dir, 'nothing-here')), {});
  });
});
