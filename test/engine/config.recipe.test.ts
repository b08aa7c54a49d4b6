// The recipe fields of a phase in finetune.json: accepted forms, and every bad value rejected naming its field (CLI exit 2).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { defaultProject, loadProjectConfig } from '../../src/engine/config';
import { runCli } from '../../src/host/cli/main';
import { EXIT } from '../../src/host/cli/io';
import { isUserError } from '../../src/shared/userError';

type Json = Record<string, unknown> & { phases: Record<string, unknown>[] };

/** A project folder (with a data folder) holding the default project with `edit` applied. */
function edited(edit: (json: Json) => void): string {
  const json = structuredClone(defaultProject()) as unknown as Json;
  edit(json);
  const dir = mkdtempSync(path.join(tmpdir(), 'ftg-recipe-'));
  mkdirSync(path.join(dir, 'data'));
  writeFileSync(path.join(dir, 'finetune.json'), JSON.stringify(json));
  return path.join(dir, 'finetune.json');
}

async function messageOf(file: string): Promise<string> {
  try {
    await loadProjectConfig(file);
  } catch (error) {
    assert.ok(isUserError(error), `not a UserError: ${String(error)}`);
    return error.message;
  }
  assert.fail('expected the project to be rejected');
}

test('every recipe field loads in its documented forms', async () => {
  const file = edited((j) => {
    Object.assign(j.phases[0] as object, { schedule: 'onecycle', warmupEpochs: 1, weightDecay: 0.01, labelSmoothing: 0.1 });
    Object.assign(j.phases[1] as object, { schedule: 'cosine', learningRate: { from: 1e-5, to: 1e-3 } });
  });
  const { config } = await loadProjectConfig(file);
  assert.deepEqual(config.phases[0] && [config.phases[0].schedule, config.phases[0].warmupEpochs, config.phases[0].weightDecay, config.phases[0].labelSmoothing], ['onecycle', 1, 0.01, 0.1]);
  assert.deepEqual(config.phases[1]?.learningRate, { from: 1e-5, to: 1e-3 });
});

const cases: readonly [string, (j: Json) => void, RegExp][] = [
  ['unknown schedule', (j) => { j.phases[1].schedule = 'linear'; }, /phases\[1\]\.schedule: "linear" is not allowed; use one of "constant", "cosine", "onecycle"/],
  ['negative warmup', (j) => { j.phases[0].warmupEpochs = -1; }, /phases\[0\]\.warmupEpochs: -1 is not allowed; use a number >= 0/],
  ['warmup longer than the phase', (j) => { j.phases[0].epochs = 2; j.phases[0].warmupEpochs = 3; }, /phases\[0\]\.warmupEpochs: 3 is not allowed; use a number >= 0 and <= the phase's epochs \(2\)/],
  ['negative weight decay', (j) => { j.phases[0].weightDecay = -0.1; }, /phases\[0\]\.weightDecay: -0\.1 is not allowed; use a number >= 0/],
  ['label smoothing 1', (j) => { j.phases[0].labelSmoothing = 1; }, /phases\[0\]\.labelSmoothing: 1 is not allowed; use a number >= 0 and < 1/],
  ['learning rate a string', (j) => { j.phases[1].learningRate = 'fast'; }, /phases\[1\]\.learningRate: "fast" is not allowed; use a number > 0 .*or \{"from": lo, "to": hi\}/],
  ['range from 0', (j) => { j.phases[1].learningRate = { from: 0, to: 1e-3 }; }, /phases\[1\]\.learningRate\.from: 0 is not allowed; use a number > 0/],
  ['range missing to', (j) => { j.phases[1].learningRate = { from: 1e-5 }; }, /phases\[1\]\.learningRate\.to: is missing/],
  ['range with an unknown key', (j) => { j.phases[1].learningRate = { from: 1e-5, to: 1e-3, step: 2 }; }, /phases\[1\]\.learningRate\.step: unknown field/],
  ['range downwards', (j) => { j.phases[1].learningRate = { from: 1e-3, to: 1e-5 }; }, /phases\[1\]\.learningRate: \{"from": 0\.001, "to": 0\.00001\} is not allowed; "from" .* must be <= "to"/],
];

for (const [name, edit, expected] of cases) {
  test(`invalid recipe: ${name}`, async () => {
    assert.match(await messageOf(edited(edit)), expected);
  });
}

test('the CLI exits 2 on a bad recipe value and names the field', async () => {
  const file = edited((j) => { j.phases[1].labelSmoothing = 2; });
  let err = '';
  const code = await runCli(['train', file], { out: () => undefined, err: (text) => { err += text; }, isTTY: false });
  assert.equal(code, EXIT.userError);
  assert.equal(code, 2);
  assert.match(err, /phases\[1\]\.labelSmoothing: 2 is not allowed/);
  assert.doesNotMatch(err, /\n\s+at /, 'no stack trace');
});
