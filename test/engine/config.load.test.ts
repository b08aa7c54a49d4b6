// finetune.json: parsing, validation messages (field, value, what is allowed), defaults, semantic checks.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { ConfigValidationError, defaultProject, loadProjectConfig, validateProjectJson } from '../../src/engine/config';
import { isUserError } from '../../src/shared/userError';

const validText = readFileSync(path.join(__dirname, '../fixtures/configs/valid.jsonc'), 'utf8');

/** A project folder with a data folder and the given finetune.json text. */
function project(text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ftg-config-'));
  mkdirSync(path.join(dir, 'data'));
  writeFileSync(path.join(dir, 'finetune.json'), text);
  return path.join(dir, 'finetune.json');
}

/** The valid project with `edit` applied to its parsed JSON. */
function edited(edit: (json: Record<string, unknown> & { phases: Record<string, unknown>[] }) => void): string {
  const json = structuredClone(defaultProject()) as unknown as Record<string, unknown> & { phases: Record<string, unknown>[] };
  edit(json);
  return project(JSON.stringify(json));
}

async function messageOf(file: string): Promise<string> {
  try {
    await loadProjectConfig(file);
  } catch (error) {
    assert.ok(isUserError(error), `not a UserError: ${String(error)}`);
    assert.ok(error.message.includes(file), `does not name the file: ${error.message}`);
    return error.message;
  }
  assert.fail('expected the project to be rejected');
}

test('a valid JSONC project loads with defaults filled and paths resolved', async () => {
  const file = project(validText);
  const { config, projectDir, dataDir, runsDir, projectFile } = await loadProjectConfig(path.dirname(file));
  assert.equal(projectFile, file);
  assert.equal(dataDir, path.join(projectDir, 'data'));
  assert.equal(runsDir, path.join(projectDir, 'runs'));
  assert.deepEqual(config.head, { pooling: 'avg', hiddenUnits: [], dropout: 0.2, keepClassifier: false });
  assert.equal(config.model.pixelRange, '0..1', 'the built-in model states 0..1');
  assert.deepEqual(config.augmentation, { horizontalFlip: true, shift: 0.1, brightness: 0.1, views: 4 });
  assert.equal(config.data.validationSplit, 0.2);
  assert.equal(config.phases[1]?.batchSize, 32);
  assert.equal(config.phases[1]?.batchNorm, 'inference');
  assert.equal(config.phases[1]?.earlyStoppingPatience, 0);
  assert.equal(config.backend, 'auto');
  assert.equal(config.checkpointEverySeconds, 60, 'a checkpoint at most every minute within an epoch');
});

test('the default project is valid against the schema and follows the classic recipe', () => {
  const config = defaultProject();
  assert.deepEqual(validateProjectJson(structuredClone(config)), []);
  const [head, fine] = config.phases;
  assert.equal(head?.trainable, 'head');
  assert.deepEqual(fine?.trainable, { lastBlocks: 2 });
  // The head learns 100x faster than the unfrozen top; earlier blocks slower still (discriminative rates), both cosine.
  const fineRange = fine?.learningRate as { from: number; to: number } | undefined;
  assert.ok(head && fineRange && Math.abs(Number(head.learningRate) / fineRange.to - 100) < 1e-9);
  assert.ok(fineRange.from < fineRange.to);
  assert.deepEqual([head.schedule, fine?.schedule], ['cosine', 'cosine']);
  assert.equal(config.model.inputSize, 96);
});

test('a syntax error names line and column', async () => {
  const message = await messageOf(project('{\n  "version": 1,\n  "model": { "base": "x" "cutLayer": "y" }\n}'));
  assert.match(message, /line 3, column 26/);
  assert.match(message, /a comma "," is expected here/, 'plain words');
  assert.doesNotMatch(message, /CommaExpected/, 'never the parser\'s code');
});

test('an empty file says so', async () => {
  assert.match(await messageOf(project('')), /is empty/);
});

const cases: readonly [string, (json: Record<string, unknown> & { phases: Record<string, unknown>[] }) => void, RegExp][] = [
  ['negative learning rate', (j) => { (j.phases[1] as Record<string, unknown>).learningRate = -0.001; }, /phases\[1\]\.learningRate: -0\.001 is not allowed; use a number > 0 .*typical 1e-5 \.\. 1e-2/],
  ['zero epochs', (j) => { (j.phases[0] as Record<string, unknown>).epochs = 0; }, /phases\[0\]\.epochs: 0 is not allowed; use a whole number >= 1/],
  ['wrong type', (j) => { (j.phases[0] as Record<string, unknown>).batchSize = '32'; }, /phases\[0\]\.batchSize: "32" is not allowed; use a whole number >= 1/],
  ['unknown field', (j) => { j.modle = {}; }, /modle: unknown field "modle"; remove it or use one of .*model/],
  ['unknown enum value', (j) => { (j.phases[0] as Record<string, unknown>).optimizer = 'adamw'; }, /phases\[0\]\.optimizer: "adamw" is not allowed; use one of "adam", "sgd", "rmsprop"/],
  ['missing field', (j) => { delete (j.model as Record<string, unknown>).cutLayer; }, /model\.cutLayer: is missing; add it/],
  ['bad trainable form', (j) => { (j.phases[1] as Record<string, unknown>).trainable = { lastBlock: 2 }; }, /phases\[1\]\.trainable: \{"lastBlock":2\} is not allowed; use "head", "all", \{"fromLayer"/],
  ['bad lastBlocks value', (j) => { (j.phases[1] as Record<string, unknown>).trainable = { lastBlocks: 0 }; }, /phases\[1\]\.trainable\.lastBlocks: 0 is not allowed; use a whole number >= 1/],
  ['dropout out of range', (j) => { (j.head as Record<string, unknown>).dropout = 1; }, /head\.dropout: 1 is not allowed; use a number >= 0 and < 1/],
  ['wrong version', (j) => { j.version = 2; }, /version: 2 is not allowed; use 1/],
  ['no phases', (j) => { j.phases = []; }, /phases: \[\] is not allowed; use at least 1 item/],
  ['negative checkpoint interval', (j) => { j.checkpointEverySeconds = -5; }, /checkpointEverySeconds: -5 is not allowed; use a number >= 0/],
  ['checkpoint interval not a number', (j) => { j.checkpointEverySeconds = '60'; }, /checkpointEverySeconds: "60" is not allowed; use a number >= 0/],
  ['duplicate phase names', (j) => { (j.phases[1] as Record<string, unknown>).name = 'train head'; }, /phases\[1\]\.name: "train head" is already the name of phases\[0\]/],
];

for (const [name, edit, expected] of cases) {
  test(`invalid project: ${name}`, async () => {
    assert.match(await messageOf(edited(edit)), expected);
  });
}

test('every bad field is reported at once, with its path', async () => {
  const file = edited((j) => {
    (j.phases[0] as Record<string, unknown>).epochs = 0;
    (j.phases[1] as Record<string, unknown>).learningRate = 0;
  });
  await assert.rejects(loadProjectConfig(file), (error: unknown) => {
    assert.ok(error instanceof ConfigValidationError);
    assert.deepEqual(error.problems.map((p) => p.field).sort(), ['phases[0].epochs', 'phases[1].learningRate']);
    return true;
  });
});

test('a missing data folder is named with its resolved path', async () => {
  const file = edited((j) => { j.data = { folder: 'no-such-images' }; });
  const message = await messageOf(file);
  assert.match(message, /data\.folder: "no-such-images" does not exist/);
  assert.ok(message.includes(path.join(path.dirname(file), 'no-such-images')));
});

test('a data folder that is a file is rejected', async () => {
  const file = edited((j) => { j.data = { folder: 'finetune.json' }; });
  assert.match(await messageOf(file), /data\.folder: "finetune\.json" is a file, not a folder/);
});

test('a runs folder that cannot be written is rejected', async () => {
  // Under a file: unwritable even for root.
  const file = edited((j) => { j.runsFolder = 'finetune.json/runs'; });
  assert.match(await messageOf(file), /runsFolder: .* is a file, not a folder/);
});

test('a model path that does not exist is named', async () => {
  const file = edited((j) => { j.model = { base: 'models/missing/model.json', cutLayer: 'x', inputSize: 96 }; });
  assert.match(await messageOf(file), /model\.base: "models\/missing\/model\.json" does not exist \(resolved to .*models\/missing\/model\.json\)/);
});

test('a missing project file says how to create one', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ftg-config-'));
  assert.match(await messageOf(path.join(dir, 'finetune.json')), /was not found.*finetune-guide init/);
});

test('model.pixelRange and head.keepClassifier: a bad value names the field and what is allowed', async () => {
  const range = await messageOf(edited((json) => ((json.model as Record<string, unknown>).pixelRange = '0..100')));
  assert.match(range, /model\.pixelRange: "0\.\.100" is not allowed; use one of "0\.\.1", "-1\.\.1", "0\.\.255"/);
  const keep = await messageOf(edited((json) => ((json.head as Record<string, unknown>).keepClassifier = 'yes')));
  assert.match(keep, /head\.keepClassifier: "yes" is not allowed; use true or false/);
  const { config } = await loadProjectConfig(edited((json) => ((json.model as Record<string, unknown>).pixelRange = '0..255')));
  assert.equal(config.model.pixelRange, '0..255', 'a stated range is kept, not replaced by the model\'s');
});
