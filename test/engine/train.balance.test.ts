/** data.balance and data.testSplit through training: recall of a small class, test accuracy, warnings, bad values. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs';
import { runCli } from '../../src/host/cli/main';
import { trainProject } from '../../src/engine/train/trainProject';
import type { PhaseConfig } from '../../src/protocol/config';
import { modelDirOf, readEvaluation, readManifest, readSummary, runFile } from '../../src/runs';
import { writeUnbalancedProject } from '../fixtures/train/unbalancedProject';
import { withTempDir } from '../fixtures/tempDir';

test.before(() => tf.setBackend('cpu'));

const HEAD: PhaseConfig = { name: 'head', epochs: 2, batchSize: 8, optimizer: 'adam', learningRate: 0.01, trainable: 'head' };

async function cli(argv: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (text) => (out += text), err: (text) => (err += text), isTTY: false });
  return { code, out, err };
}

function smallRecall(evaluation: Awaited<ReturnType<typeof readEvaluation>>): number {
  const small = evaluation?.phases[0]?.perClass.find((c) => c.className === 'small');
  assert.ok(small, 'the evaluation has the small class');
  return small.recall;
}

test('balance "weights" raises the small class\'s recall on an unbalanced tiny set (same seed as "none")', () =>
  withTempDir('ftg-balance-train-', async (dir) => {
    const recalls: Record<string, number> = {};
    for (const balance of ['none', 'weights'] as const) {
      const project = await writeUnbalancedProject(`${dir}/${balance}`, { big: 40, small: 8, data: { validationSplit: 0.5, balance }, phases: [HEAD] });
      const result = await trainProject(project, { backend: 'cpu' });
      assert.equal(result.status, 'completed');
      recalls[balance] = smallRecall(await readEvaluation(result.runDir));
    }
    assert.ok(recalls.weights > recalls.none, `small-class recall: none ${recalls.none}, weights ${recalls.weights}`);
    assert.ok(recalls.weights >= 0.5, `weights find the small class: recall ${recalls.weights}`);
  }));

test('data.testSplit: summary testAccuracy, evaluation.json test, the test images out of train/validation counts', () =>
  withTempDir('ftg-test-split-', async (dir) => {
    const project = await writeUnbalancedProject(dir, { big: 20, small: 10, data: { validationSplit: 0.2, testSplit: 0.2 }, phases: [HEAD] });
    const result = await trainProject(project, { backend: 'cpu' });
    assert.equal(result.status, 'completed');
    const summary = await readSummary(result.runDir);
    assert.equal(typeof summary?.testAccuracy, 'number');
    assert.equal(summary?.testImages, 6);
    const evaluation = await readEvaluation(result.runDir);
    assert.ok(evaluation?.test, 'evaluation.json has a test section');
    assert.equal(evaluation.test.samples, 6);
    assert.equal(evaluation.test.phase, 'head');
    assert.equal(evaluation.test.accuracy, summary?.testAccuracy);
    assert.equal(evaluation.test.confusion.flat().reduce((a, b) => a + b, 0), 6);
    assert.deepEqual(evaluation.test.perClass.map((c) => c.support), [4, 2]);
    assert.equal(evaluation.phases[0].samples, 6, 'validation: round(0.2 n) per class, as without a test split');
    const manifest = await readManifest(result.runDir);
    assert.equal(manifest?.trainImages, 18);
    assert.equal(manifest?.testImages, 6);
    const report = await readFile(runFile(result.runDir, 'report'), 'utf8');
    assert.match(report, /\*\*Test accuracy:\*\* \d+\.\d% \(held out, evaluated once\)/);
    assert.match(report, /## Test set[\s\S]*on 6 test images/);
    assert.match(report, /on 6 validation images/);
    // Without a test split: no testAccuracy, no test section.
    const config = JSON.parse(await readFile(project, 'utf8'));
    config.data.testSplit = 0;
    await writeFile(project, JSON.stringify(config));
    const plain = await trainProject(project, { backend: 'cpu' });
    assert.equal((await readSummary(plain.runDir))?.testAccuracy, undefined);
    assert.equal((await readEvaluation(plain.runDir))?.test, undefined);
  }));

test('100:2 data: the CLI warns about the small class and the accuracy that hides it, and summary.json keeps the warnings', () =>
  withTempDir('ftg-balance-warn-', async (dir) => {
    const project = await writeUnbalancedProject(dir, { big: 100, small: 2, data: { validationSplit: 0.2 }, phases: [{ ...HEAD, epochs: 1, batchSize: 16 }] });
    const { code, out, err } = await cli(['train', project, '--backend', 'cpu']);
    assert.equal(code, 0, err);
    assert.match(err, /warning: Class "small" has 1 training image\(s\), under 10% of the largest class's 80.*data\.balance/);
    assert.match(err, /warning: Phase "head": The validation accuracy \d+\.\d% hides class "small": its recall is 0\.0% \(0 of 1 found\).*data\.balance/);
    assert.match(out, /Completed: validation accuracy/);
    const runDir = /Model saved to (.*)\/model/.exec(out)?.[1];
    assert.ok(runDir, out);
    const summary = await readSummary(runDir);
    assert.equal(summary?.warnings?.length, 2, JSON.stringify(summary?.warnings));
    assert.doesNotMatch(out, /Test accuracy/);
    const report = await readFile(runFile(runDir, 'report'), 'utf8');
    assert.match(report, /> \*\*Warnings\*\*\n> - Class "small" has 1 training image/);
    assert.match(report, /hides class "small"/);
    assert.doesNotMatch(report, /## Test set/);
  }));

test('the CLI prints the test accuracy apart from the validation accuracy', () =>
  withTempDir('ftg-test-cli-', async (dir) => {
    const project = await writeUnbalancedProject(dir, { big: 10, small: 10, data: { validationSplit: 0.2, testSplit: 0.3 }, phases: [{ ...HEAD, epochs: 1 }] });
    const { code, out, err } = await cli(['train', project, '--backend', 'cpu']);
    assert.equal(code, 0, err);
    assert.match(out, /Completed: validation accuracy \d+\.\d%.*\nTest accuracy \(6 held-out images, evaluated once\): \d+\.\d%/);
  }));

test('bad data.testSplit / data.balance values exit 2 naming the field', () =>
  withTempDir('ftg-balance-bad-', async (dir) => {
    const project = await writeUnbalancedProject(dir, { big: 4, small: 4, phases: [HEAD] });
    const original = JSON.parse(await readFile(project, 'utf8'));
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ testSplit: 1 }, /data\.testSplit/],
      [{ testSplit: -0.1 }, /data\.testSplit/],
      [{ testSplit: 'a lot' }, /data\.testSplit/],
      [{ validationSplit: 0.5, testSplit: 0.5 }, /data\.testSplit.*validationSplit/],
      [{ balance: 'oversample' }, /data\.balance.*"none".*"weights".*"sampling"|data\.balance.*none.*weights.*sampling/],
    ];
    for (const [data, pattern] of cases) {
      await writeFile(project, JSON.stringify({ ...original, data: { ...original.data, ...data } }));
      const { code, err } = await cli(['train', project, '--backend', 'cpu']);
      assert.equal(code, 2, `${JSON.stringify(data)}: ${err}`);
      assert.match(err, pattern);
      assert.doesNotMatch(err, /\n\s+at .+:\d+:\d+/, 'no stack trace');
    }
  }));

test('balance "sampling" trains on other batches than "none", and the same seed gives byte-identical weights', () =>
  withTempDir('ftg-sampling-train-', async (dir) => {
    const weights: Record<string, Buffer[]> = {};
    for (const balance of ['none', 'sampling'] as const) {
      const project = await writeUnbalancedProject(`${dir}/${balance}`, { big: 24, small: 4, data: { validationSplit: 0.25, balance }, phases: [HEAD] });
      weights[balance] = [];
      for (let i = 0; i < (balance === 'sampling' ? 2 : 1); i++) {
        const result = await trainProject(project, { backend: 'cpu' });
        weights[balance].push(await readFile(`${modelDirOf(result.runDir)}/weights.bin`));
      }
    }
    assert.ok(weights.sampling[0].equals(weights.sampling[1]), 'same seed, same balanced batches, same weights');
    assert.ok(!weights.sampling[0].equals(weights.none[0]), 'sampling changes training');
  }));
