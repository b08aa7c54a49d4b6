/** Classify Image's rows: an image in a class-named folder that the model puts elsewhere is flagged. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { folderClassOf, modelLabels, predictionRow } from '../../src/extension/commands/predictionRows';

const LABELS = ['ankle-boot', 'café', 'sneaker'];
const prediction = (file: string, ...labels: string[]) => ({ file, top: labels.map((label, i) => ({ label, probability: 0.6 - i * 0.2 })) });

test('the folder is a class only when its name is one of the run\'s labels (Unicode-normalised)', () => {
  assert.equal(folderClassOf('/p/data/sneaker/1.png', LABELS), 'sneaker');
  assert.equal(folderClassOf('/p/data/cafe\u0301/1.png', LABELS), 'café', 'NFD folder name, NFC label');
  assert.equal(folderClassOf('/home/me/Downloads/1.png', LABELS), undefined);
});

test('a top class that disagrees with the folder is flagged with both names; an agreeing or unknown folder is not', () => {
  const wrong = predictionRow(prediction('/p/data/sneaker/4.png', 'ankle-boot', 'sneaker'), LABELS);
  assert.equal(wrong.folderClass, 'sneaker');
  assert.equal(wrong.label, '$(warning) 4.png');
  assert.match(wrong.detail, /^its folder says sneaker, the model says ankle-boot: \/p\/data\/sneaker\/4\.png$/);
  assert.match(wrong.description, /^ankle-boot 60\.0% · sneaker 40\.0%$/);

  const right = predictionRow(prediction('/p/data/sneaker/5.png', 'sneaker', 'ankle-boot'), LABELS);
  assert.deepEqual([right.folderClass, right.label, right.detail], [undefined, '5.png', '/p/data/sneaker/5.png']);
  assert.match(predictionRow(prediction('/p/data/sneaker/4.png', 'ankle-boot'), LABELS, 'data/sneaker/4.png').detail, /the model says ankle-boot: data\/sneaker\/4\.png$/, 'the path as shown');
  const elsewhere = predictionRow(prediction('/tmp/5.png', 'sneaker'), LABELS);
  assert.equal(elsewhere.folderClass, undefined);
  assert.equal(predictionRow(prediction('/p/data/sneaker/6.png', 'ankle-boot'), []).folderClass, undefined, 'no labels: nothing flagged');
});

test('the labels come from the model folder\'s labels.json; an unreadable one flags nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ftg-labels-'));
  assert.deepEqual(await modelLabels(dir), []);
  writeFileSync(join(dir, 'labels.json'), JSON.stringify(LABELS));
  assert.deepEqual(await modelLabels(dir), LABELS);
  mkdirSync(join(dir, 'bad'));
  writeFileSync(join(dir, 'bad', 'labels.json'), '{not json');
  assert.deepEqual(await modelLabels(join(dir, 'bad')), []);
});
