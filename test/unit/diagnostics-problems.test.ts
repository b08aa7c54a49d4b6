// The Problems view's entries for finetune.json: spans of the bad value, plain words, quick fixes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseTree } from 'jsonc-parser';
import type { LayerInfo } from '../../src/protocol/host';
import { parseErrorWords } from '../../src/engine/config/parseErrorWords';
import { clampIntoBounds } from '../../src/extension/diagnostics/clamp';
import { parseFieldPath, spanOfField } from '../../src/extension/diagnostics/fieldRange';
import { editDistance, nearestName } from '../../src/extension/diagnostics/nearestName';
import { projectProblems, type FileProblem } from '../../src/extension/diagnostics/projectProblems';
import { pathProblems } from '../../src/extension/diagnostics/pathProblems';
import { mkdir } from 'node:fs/promises';
import { withTempDir } from '../fixtures/tempDir';

const valid = readFileSync(path.join(__dirname, '../fixtures/configs/valid.jsonc'), 'utf8');
const FILE = '/p/finetune.json';
const at = (text: string, p: FileProblem): string => text.slice(p.span.offset, p.span.offset + p.span.length);

function layer(name: string, params = 10, extra: Partial<LayerInfo> = {}): LayerInfo {
  return { name, className: 'Conv2D', outputShape: [null, 7, 7, 32], params, trainableParams: params, block: null, isNew: false, isBatchNorm: false, ...extra };
}

test('a field path becomes jsonc segments and the span of its value', () => {
  assert.deepEqual(parseFieldPath('phases[1].learningRate'), ['phases', 1, 'learningRate']);
  assert.deepEqual(parseFieldPath('(root)'), []);
  assert.deepEqual(parseFieldPath('phases[0].trainable.layers[2]'), ['phases', 0, 'trainable', 'layers', 2]);
  const root = parseTree(valid, [], { allowTrailingComma: true });
  assert.ok(root);
  const span = spanOfField(root, 'phases[1].learningRate');
  assert.equal(valid.slice(span.offset, span.offset + span.length), '1e-5');
  const model = spanOfField(root, 'model');
  assert.equal(valid.slice(model.offset, model.offset + model.length), '"model"', 'an object underlines its key, not every line');
  const missing = spanOfField(root, 'phases[0].warmupEpochs');
  assert.equal(valid.slice(missing.offset, missing.offset + 1), '{', 'a missing field underlines the object it belongs in');
});

test('the valid fixture has no problems', () => {
  assert.deepEqual(projectProblems(valid, FILE), []);
});

test('a value out of range: the span is the value, the words name the field and range, the fix clamps', () => {
  const text = valid.replace('"inputSize": 96', '"inputSize": 4000');
  const [problem, ...rest] = projectProblems(text, FILE);
  assert.equal(rest.length, 0);
  assert.equal(at(text, problem), '4000');
  assert.match(problem.message, /^model\.inputSize: 4000 is not allowed; use a whole number >= 8 and <= 1024/);
  assert.deepEqual(problem.fix, { title: 'Change to 1024', newText: '1024' });
});

test('a learning rate below its exclusive minimum gets no fix: there is no nearest allowed value', () => {
  const text = valid.replace('"learningRate": 1e-5', '"learningRate": -0.001');
  const [problem] = projectProblems(text, FILE);
  assert.equal(at(text, problem), '-0.001');
  assert.match(problem.message, /^phases\[1\]\.learningRate: /);
  assert.equal(problem.fix, undefined);
});

test('a syntax error is in plain words at its place, never the parser code', () => {
  const text = valid.replace('"version": 1,', '"version": 1,,');
  const problems = projectProblems(text, FILE);
  assert.equal(problems.length, 1, `one problem at the stray comma: ${problems.map((p) => p.message).join(' | ')}`);
  assert.equal(problems[0].span.offset, text.indexOf(',,') + 1);
  assert.equal(problems[0].message, 'Not valid JSON: a property name in double quotes is expected here.');
  for (const p of problems) assert.doesNotMatch(p.message, /[A-Z][a-z]+[A-Z][a-z]+Expected|Invalid[A-Z]/);
});

test('every jsonc-parser error code has its own words', () => {
  const words = new Set<string>();
  for (let code = 1; code <= 16; code++) words.add(parseErrorWords(code));
  assert.equal(words.size, 16);
  for (const w of words) assert.doesNotMatch(w, /Expected|Invalid|Unexpected/);
});

test('a key given twice underlines the second one (the one JSON would keep)', () => {
  const text = valid.replace('"version": 1,', '"version": 1, "version": 2,');
  const [problem] = projectProblems(text, FILE);
  assert.equal(problem.span.offset, text.lastIndexOf('"version"'));
  assert.match(problem.message, /"version" is given twice/);
  assert.equal(problem.field, 'version');
});

test('an unknown layer name in a plan is underlined and fixed with the nearest real name', () => {
  const layers = [layer('block_15_project'), layer('block_16_project'), layer('Conv_1'), layer('dense', 10, { isNew: true })];
  const text = valid.replace('{ "lastBlocks": 2 }', '{ "layers": ["Conv_1", "block_16_projcet"] }');
  assert.deepEqual(projectProblems(text, FILE), [], 'without the model\'s layers, names are not judged');
  const [problem, ...rest] = projectProblems(text, FILE, layers);
  assert.equal(rest.length, 0);
  assert.equal(at(text, problem), '"block_16_projcet"');
  assert.equal(problem.field, 'phases[1].trainable.layers[1]');
  assert.match(problem.message, /is not a layer of the prepared model/);
  assert.deepEqual(problem.fix && [problem.fix.title, problem.fix.newText], ['Change to "block_16_project"', '"block_16_project"']);
  const from = valid.replace('{ "lastBlocks": 2 }', '{ "fromLayer": "conv_1" }');
  assert.equal(projectProblems(from, FILE, layers)[0]?.fix?.newText, '"Conv_1"');
});

test('nearest name: edit distance, and no guess when nothing is near', () => {
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(nearestName('block_1_expnd', ['block_1_expand', 'block_2_expand']), 'block_1_expand');
  assert.equal(nearestName('zzzzzzzz', ['block_1_expand', 'Conv1']), undefined);
});

test('clamping respects inclusive and integer-exclusive bounds', () => {
  assert.equal(clampIntoBounds(1.5, { minimum: 0, maximum: 1, integer: false }), 1);
  assert.equal(clampIntoBounds(-2, { minimum: 0, integer: false }), 0);
  assert.equal(clampIntoBounds(0, { exclusiveMinimum: 0, integer: true }), 1);
  assert.equal(clampIntoBounds(-1, { exclusiveMinimum: 0, maximum: 10, integer: false }), undefined);
  assert.equal(clampIntoBounds(1.2, { minimum: 0, exclusiveMaximum: 1, integer: false }), undefined);
});

test('a data folder that is not on disk is underlined on data.folder, by the engine\'s own check', () =>
  withTempDir('diag-paths-', async (dir) => {
    const file = path.join(dir, 'finetune.json');
    const [problem, ...rest] = await pathProblems(valid, file);
    assert.equal(rest.length, 0);
    assert.equal(at(valid, problem), '"data"');
    assert.equal(problem.field, 'data.folder');
    assert.match(problem.message, /^data\.folder: "data" does not exist/);
    await mkdir(path.join(dir, 'data'));
    assert.deepEqual(await pathProblems(valid, file), [], 'with the folder there, nothing is wrong');
  }));
