import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { trainProject } from '../../src/engine/train/trainProject';
import { modelDirOf, runFile } from '../../src/runs';
import { writeRandomProject } from '../fixtures/train/randomProject';
import { withTempDir } from '../fixtures/tempDir';

test.before(async () => {
  await tf.setBackend('cpu');
});

/** Every file of the run's model/ folder, name -> bytes. */
async function modelFiles(runDir: string): Promise<Map<string, Buffer>> {
  const dir = modelDirOf(runDir);
  const names = (await readdir(dir)).sort();
  return new Map(await Promise.all(names.map(async (name) => [name, await readFile(path.join(dir, name))] as const)));
}

/** metrics.jsonl without what depends on the clock. */
async function metricNumbers(runDir: string): Promise<unknown[]> {
  const clock = new Set(['time', 'elapsed', 'seconds', 'imagesPerSecond', 'timestamp', 'at']);
  const lines = (await readFile(runFile(runDir, 'metrics'), 'utf8')).trim().split('\n');
  return lines.map((line) => JSON.parse(line, (key, value: unknown) => (clock.has(key) ? undefined : value)) as unknown);
}

test('one data.seed, one result: the same project trained twice gives byte-identical weights, metrics and evaluation', () =>
  withTempDir('ftg-determinism-', async (dir) => {
    const project = await writeRandomProject(dir);
    const first = await trainProject(project, { backend: 'cpu' });
    const second = await trainProject(project, { backend: 'cpu' });
    assert.equal(first.status, 'completed');
    assert.equal(second.status, 'completed');
    assert.notEqual(first.runDir, second.runDir);
    const [a, b] = [await modelFiles(first.runDir), await modelFiles(second.runDir)];
    assert.deepEqual([...a.keys()], [...b.keys()]);
    for (const [name, bytes] of a) assert.ok(bytes.equals(b.get(name) as Buffer), `model/${name} differs between the two runs`);
    const metrics = await metricNumbers(first.runDir);
    assert.ok(metrics.length > 8, 'metrics.jsonl has batches and epochs of both phases');
    assert.deepEqual(await metricNumbers(second.runDir), metrics);
    const evaluation = await readFile(runFile(first.runDir, 'evaluation'), 'utf8');
    assert.equal(await readFile(runFile(second.runDir, 'evaluation'), 'utf8'), evaluation);
  }));
