/**
 * Distillation on a subset of the demo data (3 classes x 24 images, 64 px): a MobileNetV2 teacher
 * trained head-only, then the default student (the base cut earlier, picked automatically). The student
 * must have at most half the teacher's parameters and lose at most 5 points of validation accuracy.
 */
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { before, test } from 'node:test';
import type { ProjectConfig } from '../../src/protocol/config';
import { distillProject, trainProject } from '../../src/engine';
import { withTempDir } from '../fixtures/tempDir';

const DEMO = path.resolve(__dirname, '../../assets/demo-data/fashion');
const CLASSES = ['trouser', 'sneaker', 'bag'];
const PER_CLASS = 24;

before(async () => {
  await tf.setBackend('cpu');
});

test('the default student on the demo subset: at most half the parameters, at most 5 points less accuracy', { timeout: 600_000 }, () =>
  withTempDir('ftg-distill-demo-', async (dir) => {
    for (const name of CLASSES) {
      await mkdir(path.join(dir, 'data', name), { recursive: true });
      const files = (await readdir(path.join(DEMO, name))).filter((f) => f.endsWith('.png')).sort().slice(0, PER_CLASS);
      for (const file of files) await copyFile(path.join(DEMO, name, file), path.join(dir, 'data', name, file));
    }
    const config: ProjectConfig = {
      version: 1,
      model: { base: 'builtin:mobilenet_v2', cutLayer: 'out_relu', inputSize: 64 },
      head: { pooling: 'avg', hiddenUnits: [], dropout: 0 },
      data: { folder: 'data', validationSplit: 0.5, seed: 1 },
      augmentation: { horizontalFlip: false, shift: 0, brightness: 0 },
      phases: [{ name: 'head', epochs: 15, batchSize: 12, optimizer: 'adam', learningRate: 0.01, trainable: 'head' }],
      runsFolder: 'runs',
      distill: { epochs: 30, batchSize: 12, learningRate: 0.02 },
    };
    const project = path.join(dir, 'finetune.json');
    await writeFile(project, JSON.stringify(config));
    const teacherRun = await trainProject(project, { backend: 'cpu' });
    assert.equal(teacherRun.status, 'completed');
    const logs: string[] = [];
    const result = await distillProject(project, { backend: 'cpu', onEvent: (e) => void (e.type === 'log' && logs.push(e.message)) });
    assert.equal(result.status, 'completed');
    const { teacher, student, baseline } = result.summary;
    assert.ok(teacher && student && baseline);
    console.log(JSON.stringify({ teacher, student, baseline, picked: logs.find((l) => l.startsWith('student:')) }));
    assert.ok(logs.some((l) => /student: default: builtin:mobilenet_v2 cut at "block_\d+_add"/.test(l)), logs.join('\n'));
    assert.ok(student.params <= teacher.params / 2, `student ${student.params} vs teacher ${teacher.params}`);
    assert.ok(student.valAccuracy >= teacher.valAccuracy - 0.05, `student ${student.valAccuracy} vs teacher ${teacher.valAccuracy}`);
    // The teacher's accuracy as measured here is the run's own (same split, same weights).
    assert.ok(Math.abs(teacher.valAccuracy - teacherRun.summary.valAccuracy) < 1e-6);
  }));
