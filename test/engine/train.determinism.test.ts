import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { trainProject } from '../../src/engine/train/trainProject';
import { configHashOf } from '../../src/engine/config/configHash';
import { dataHashOf } from '../../src/engine/data/dataHash';
import { PACKAGE_VERSION } from '../../src/engine/packageVersion';
import { modelDirOf, readManifest, runFile } from '../../src/runs';
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
    // What the manifest records to repeat the run, equal for both.
    const [m1, m2] = [await readManifest(first.runDir), await readManifest(second.runDir)];
    for (const key of ['seed', 'configHash', 'dataHash', 'splitHash', 'backend', 'threads', 'versions'] as const) {
      assert.deepEqual(m2?.[key], m1?.[key], `manifest ${key}`);
    }
    assert.equal(m1?.seed, 7);
    assert.match(m1?.configHash ?? '', /^[0-9a-f]{64}$/);
    assert.match(m1?.dataHash ?? '', /^[0-9a-f]{64}$/);
    assert.equal(m1?.versions['finetune-guide'], PACKAGE_VERSION);
    assert.equal(m1?.versions.tfjs, tf.version.tfjs);
    assert.equal(m1?.versions.node, process.version);
  }));

test('the config hash ignores key order; the data hash changes when one image changes, not when it is only touched', () =>
  withTempDir('ftg-datahash-', async (dir) => {
    assert.equal(configHashOf({ a: 1, b: { c: [1, { d: 2, e: 3 }] } }), configHashOf({ b: { c: [1, { e: 3, d: 2 }] }, a: 1 }));
    assert.notEqual(configHashOf({ a: 1 }), configHashOf({ a: 2 }));
    const files = ['cat/1.png', 'cat/2.png', 'dog/1.png'];
    const samples = files.map((relPath, label) => ({ id: relPath, file: path.join(dir, relPath), relPath, label }));
    await Promise.all(['cat', 'dog'].map((name) => mkdir(path.join(dir, name))));
    for (const [i, file] of files.entries()) await writeFile(path.join(dir, file), Buffer.from([1, 2, 3, i]));
    const hash = await dataHashOf(samples);
    assert.equal(await dataHashOf([...samples].reverse()), hash, 'the order the files come in does not count');
    await utimes(path.join(dir, files[1]), new Date(0), new Date(0));
    assert.equal(await dataHashOf(samples), hash, 'a touched file is the same data');
    await writeFile(path.join(dir, files[1]), Buffer.from([1, 2, 3, 9]));
    assert.notEqual(await dataHashOf(samples), hash, 'one changed byte is other data');
  }));
