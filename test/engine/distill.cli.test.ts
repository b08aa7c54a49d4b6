/**
 * `finetune-guide distill` in process on the tiny project: a trained teacher, then a distill run whose
 * summary.json has kind "distill" with teacher, student and baseline facts; bad distill fields exit 2.
 */
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { before, test } from 'node:test';
import type { RunSummary } from '../../src/protocol/run';
import { trainProject } from '../../src/engine';
import { cli } from '../fixtures/cli/runInProcess';
import { writeTinyProject } from '../fixtures/train/tinyProject';
import { withTempDir } from '../fixtures/tempDir';

before(async () => {
  await tf.setBackend('cpu');
});

test('distill writes a run folder with summary kind distill, teacher/student/baseline facts, model and report', () =>
  withTempDir('ftg-distill-', async (dir) => {
    const project = await writeTinyProject(dir);
    const config = JSON.parse(await readFile(project, 'utf8'));
    config.distill = { epochs: 3, batchSize: 4, learningRate: 0.05 };
    await writeFile(project, JSON.stringify(config));
    const teacher = await trainProject(project, { backend: 'cpu' });
    assert.equal(teacher.status, 'completed');
    const run = await cli('distill', dir, '--backend', 'cpu');
    assert.equal(run.code, 0, run.err);
    // The default student is picked automatically and the output says which.
    assert.match(run.out, /student: default: .* cut at "block_1_conv"/);
    const runDir = /Distilled into (\S+)/.exec(run.out)?.[1] ?? '';
    const summary = JSON.parse(await readFile(path.join(runDir, 'summary.json'), 'utf8')) as RunSummary;
    assert.equal(summary.kind, 'distill');
    assert.equal(summary.status, 'completed');
    assert.equal(summary.teacherRun, teacher.runDir);
    for (const facts of [summary.teacher, summary.student, summary.baseline]) {
      assert.ok(facts && facts.params > 0 && facts.imagesPerSecond > 0 && facts.valAccuracy >= 0 && facts.valAccuracy <= 1, JSON.stringify(facts));
    }
    assert.ok(summary.student!.params <= summary.teacher!.params / 2, `${summary.student!.params} vs ${summary.teacher!.params}`);
    assert.equal(summary.baseline!.params, summary.student!.params);
    const metrics = (await readFile(path.join(runDir, 'metrics.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { phase: string });
    assert.equal(metrics.length, 3);
    assert.ok(metrics.every((row) => row.phase === 'distill'));
    for (const file of ['model/model.json', 'model/labels.json', 'evaluation.json', 'manifest.json', 'report.md']) assert.ok(existsSync(path.join(runDir, file)), file);
    assert.match(await readFile(path.join(runDir, 'report.md'), 'utf8'), /Distill/);
    // The student is a normal adapted model: it exports (and the export is verified to predict alike).
    const exported = await cli('export', runDir, '--out', path.join(dir, 'student-export'));
    assert.equal(exported.code, 0, exported.err);
    // The next distill takes the latest *training* run as teacher, not the distilled student.
    const again = await cli('distill', dir, '--backend', 'cpu', '--json');
    assert.equal(again.code, 0, again.err);
    const done = JSON.parse(again.out.trim().split('\n').pop()!) as { type: string; summary: RunSummary };
    assert.equal(done.type, 'done');
    assert.equal(done.summary.teacherRun, teacher.runDir);
  }));

test('bad distill fields exit 2 naming the field; no teacher yet exits 2', () =>
  withTempDir('ftg-distill-bad-', async (dir) => {
    const project = await writeTinyProject(dir);
    const config = JSON.parse(await readFile(project, 'utf8'));
    const noTeacher = await cli('distill', dir, '--backend', 'cpu');
    assert.equal(noTeacher.code, 2, noTeacher.err);
    assert.match(noTeacher.err, /no finished training run/);
    const notARun = await cli('distill', dir, '--teacher', path.join(dir, 'data'), '--backend', 'cpu');
    assert.equal(notARun.code, 2, notARun.err);
    assert.match(notARun.err, /not a finished run/);
    for (const [distill, field] of [
      [{ temperature: 0 }, /distill\.temperature/],
      [{ alpha: 1.5 }, /distill\.alpha/],
      [{ epochs: 0 }, /distill\.epochs/],
      [{ student: { base: 'model/model.json', cutLayer: 'block_1_conv' } }, /distill\.student/],
      [{ colour: 'blue' }, /distill/],
    ] as const) {
      await writeFile(project, JSON.stringify({ ...config, distill }));
      const run = await cli('distill', dir, '--backend', 'cpu');
      assert.equal(run.code, 2, run.err);
      assert.match(run.err, field);
      assert.match(run.err, /finetune\.json/);
      assert.doesNotMatch(run.err, /\n\s+at .+:\d+:\d+/, 'no stack trace');
    }
    // A student cut layer that is not a layer names distill.student.cutLayer.
    await writeFile(project, JSON.stringify({ ...config, distill: { epochs: 1 } }));
    assert.equal((await trainProject(project, { backend: 'cpu' })).status, 'completed');
    await writeFile(project, JSON.stringify({ ...config, distill: { epochs: 1, student: { base: 'model/model.json', cutLayer: 'nope', inputSize: 32 } } }));
    const badCut = await cli('distill', dir, '--backend', 'cpu');
    assert.equal(badCut.code, 2, badCut.err);
    assert.match(badCut.err, /distill\.student\.cutLayer/);
  }));
