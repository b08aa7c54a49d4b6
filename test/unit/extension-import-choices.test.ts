// New Project's questions about a model file: the pixel-range choices, when the classifier can be kept,
// and the init command line they become.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canKeepClassifier, classFolderNames, MODEL_FILE_FILTERS, pixelRangeChoices, pixelRangeToAsk } from '../../src/extension/project/importChoices';
import { initArgs } from '../../src/extension/project/runCliInit';

test('the model file picker offers model.json, .h5 and .keras', () => {
  assert.deepEqual(Object.values(MODEL_FILE_FILTERS).flat().sort(), ['h5', 'json', 'keras']);
});

test('pixel range: asked only when guessed; the guess comes first, marked default, every range once with its meaning', () => {
  assert.equal(pixelRangeToAsk({ pixelRange: { range: '-1..1', source: 'stated' } }), undefined, 'Teachable Machine metadata says it');
  assert.equal(pixelRangeToAsk({}), undefined);
  assert.equal(pixelRangeToAsk({ pixelRange: { range: '0..255', source: 'guessed' } }), '0..255');
  for (const guess of ['0..1', '-1..1', '0..255'] as const) {
    const choices = pixelRangeChoices(guess);
    assert.deepEqual(choices.map((c) => c.range).sort(), ['-1..1', '0..1', '0..255']);
    assert.equal(choices[0].range, guess);
    assert.match(choices[0].description, /default/);
    assert.ok(choices.slice(1).every((c) => !/default/.test(c.description)), 'only the guess is the default');
    assert.ok(choices.every((c) => c.detail.length > 20), 'each range says what it means');
  }
  assert.match(pixelRangeChoices('0..1').find((c) => c.range === '-1..1')?.description ?? '', /127\.5/);
});

test('the classifier can be kept only when the class folders are exactly the model labels', () => {
  assert.equal(canKeepClassifier(['Class 1', 'Class 2'], ['Class 1', 'Class 2']), true);
  assert.equal(canKeepClassifier(['dog', 'cat'], ['cat', 'dog']), true, 'order does not matter');
  assert.equal(canKeepClassifier(['cat', 'dog'], ['cat', 'dog', 'bird']), false, 'a new class needs a new head');
  assert.equal(canKeepClassifier(['cat', 'dog', 'bird'], ['cat', 'dog']), false);
  assert.equal(canKeepClassifier(['cat', 'dog'], ['cat', 'Dog']), false);
  assert.equal(canKeepClassifier(undefined, ['cat']), false, 'a model without labels');
  assert.equal(canKeepClassifier(['cat', 'cat'], ['cat', 'dog']), false);
  assert.equal(canKeepClassifier(['caf\u00e9'], ['cafe\u0301'.normalize('NFC')]), true, 'names compare NFC-normalised, as the engine reads them');
});

test('class folder names: sub-folders (and links to folders), not files or hidden entries, sorted', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ftg-classes-'));
  const elsewhere = await mkdtemp(join(tmpdir(), 'ftg-elsewhere-'));
  try {
    for (const name of ['Class 2', 'Class 1', '.git']) await mkdir(join(dir, name));
    await writeFile(join(dir, 'notes.txt'), 'x');
    await symlink(elsewhere, join(dir, 'Class 3'));
    assert.deepEqual(await classFolderNames(dir), ['Class 1', 'Class 2', 'Class 3']);
    assert.deepEqual(await classFolderNames(join(dir, 'missing')), []);
  } finally {
    await rm(dir, { recursive: true });
    await rm(elsewhere, { recursive: true });
  }
});

test('init gets --pixel-range and --keep-classifier only when chosen', () => {
  assert.deepEqual(initArgs('/p', { model: '/m/model.json', data: '/d' }), ['init', '/p', '--model', '/m/model.json', '--data', '/d']);
  assert.deepEqual(initArgs('/p', { model: '/m.h5', data: '/d', pixelRange: '-1..1', keepClassifier: true }), [
    'init', '/p', '--model', '/m.h5', '--data', '/d', '--pixel-range', '-1..1', '--keep-classifier',
  ]);
  assert.deepEqual(initArgs('/p', { model: '/m.keras', data: '/d', keepClassifier: false }), ['init', '/p', '--model', '/m.keras', '--data', '/d']);
  assert.deepEqual(initArgs('/p', { demo: true }), ['init', '/p', '--demo']);
});
