// What the host sends for predict and export is checked before the extension shows it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExportModelResult, parsePredictResult } from '../../src/protocol/host';

const prediction = { file: '/a.png', top: [{ label: 'cat', probability: 0.7 }, { label: 'dog', probability: 0.3 }] };

test('a predict result needs one entry per image with probabilities in [0, 1]', () => {
  assert.deepEqual(parsePredictResult({ predictions: [prediction] }, 1).predictions[0].top[0], { label: 'cat', probability: 0.7 });
  assert.throws(() => parsePredictResult({ predictions: [prediction] }, 2), /1 predictions for 2 images/);
  assert.throws(() => parsePredictResult([prediction], 1), /expected \{predictions/);
  assert.throws(() => parsePredictResult({ predictions: [{ file: '/a.png', top: [{ label: 'cat', probability: 1.5 }] }] }, 1), /class 0/);
  assert.throws(() => parsePredictResult({ predictions: [{ file: '/a.png', top: [{ label: 3, probability: 0.5 }] }] }, 1), /class 0/);
  assert.throws(() => parsePredictResult({ predictions: [{ top: [] }] }, 1), /prediction 0/);
});

test('an export result needs its folder, files, classes and a complete verification', () => {
  const good = {
    dir: '/out',
    files: ['model.json', 'weights.bin', 'labels.json', 'preprocessing.json', 'README.md'],
    classes: ['cat', 'dog'],
    verification: { samples: 4, maxAbsDifference: 0, tolerance: 1e-5, inputs: 'images' },
  };
  assert.equal(parseExportModelResult(good).verification.samples, 4);
  assert.throws(() => parseExportModelResult({ ...good, dir: 3 }), /"dir" should be string/);
  assert.throws(() => parseExportModelResult({ ...good, verification: { ...good.verification, maxAbsDifference: 'small' } }), /maxAbsDifference/);
  assert.throws(() => parseExportModelResult({ ...good, verification: { ...good.verification, inputs: 'guesses' } }), /verification inputs/);
  assert.throws(() => parseExportModelResult({ ...good, files: [1] }), /files should be strings/);
  assert.throws(() => parseExportModelResult(null), /malformed export result/);
});
