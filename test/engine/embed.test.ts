/**
 * Feature extraction (issue 17): the .npy writer, the PCA projection, the kNN / logistic baselines,
 * features equal to the cut layer's pooled output computed independently, the end-of-training
 * baselines in summary.json and embedding.json, and `finetune-guide embed` (csv, npy, bad --layer, no overwrite).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs';
import { decodeNpy, encodeNpy } from '../../src/engine/embed/npy';
import { pca2 } from '../../src/engine/embed/pca';
import { featureBaselines, knnPredict } from '../../src/engine/embed/baselines';
import { trainProject } from '../../src/engine/train/trainProject';
import { runCli } from '../../src/host/cli/main';
import type { CliIO } from '../../src/host/cli/io';
import { readSummary } from '../../src/runs';
import { EMBEDDING_FILE, type EmbeddingFile } from '../../src/engine/embed/runFeatureExtraction';
import { writeTinyProject } from '../fixtures/train/tinyProject';
import { loadLayersModelFromDir } from '../../src/engine/export';

function captureIO(): CliIO & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return { out: (t) => void (out += t), err: (t) => void (err += t), isTTY: false, stdout: () => out, stderr: () => err };
}

before(() => tf.setBackend('cpu'));

test('encodeNpy writes a v1.0 float32 header padded to 64 bytes and the values little-endian', () => {
  const data = Float32Array.from([1, -2.5, 3, 4.25, 0, 6]);
  const file = encodeNpy(data, 2, 3);
  const start = file.readUInt16LE(8) + 10;
  assert.equal(start % 64, 0, 'header block is a multiple of 64 bytes');
  assert.deepEqual([file[6], file[7]], [1, 0], 'version 1.0');
  assert.match(file.subarray(10, start).toString('latin1'), /^\{'descr': '<f4', 'fortran_order': False, 'shape': \(2, 3\), \} *\n$/);
  assert.equal(file.length, start + 24);
  assert.equal(file.readFloatLE(start + 4), -2.5);
  assert.deepEqual(decodeNpy(file), { shape: [2, 3], data });
});

test('pca2 finds the known principal axes of points on a tilted line with small noise', () => {
  // Points along (3, 4)/5 with a small perpendicular offset: the first axis is (0.6, 0.8), variance known.
  const ts = [-2, -1, 0, 1, 2];
  const rows = ts.map((t, i) => [0.6 * t - 0.8 * (i % 2 ? 0.1 : -0.1) + 10, 0.8 * t + 0.6 * (i % 2 ? 0.1 : -0.1) - 5]);
  const { components, variances, points } = pca2(rows);
  assert.ok(Math.abs(components[0][0] - 0.6) < 0.02 && Math.abs(components[0][1] - 0.8) < 0.02, `first axis ${components[0].join(', ')}`);
  assert.ok(Math.abs(components[0][0] * components[1][0] + components[0][1] * components[1][1]) < 1e-6, 'axes orthogonal');
  // Variance along the line: sum(t^2)/(n-1) = 10/4 = 2.5 (the offset adds almost nothing along it).
  assert.ok(Math.abs(variances[0] - 2.5) < 0.05, `variance ${variances[0]}`);
  assert.ok(variances[1] < 0.02);
  assert.ok(Math.abs(points[4][0] - points[0][0] - 4) < 0.05, 'projection keeps distances along the axis');
  // Exact case: 2-D points already centred on the axes.
  const exact = pca2([[2, 0], [-2, 0], [0, 1], [0, -1]]);
  assert.deepEqual(exact.components[0].map((v) => Math.round(Math.abs(v) * 1e6) / 1e6), [1, 0]);
  assert.ok(Math.abs(exact.variances[0] - 8 / 3) < 1e-9 && Math.abs(exact.variances[1] - 2 / 3) < 1e-9);
});

test('kNN and logistic regression beat chance on a small separable set of three classes', () => {
  const centres = [[5, 0, 0, 1], [0, 5, 0, 1], [0, 0, 5, 1]];
  let s = 7;
  const noise = (): number => ((s = (s * 16807) % 2147483647) / 2147483647 - 0.5) * 2;
  const make = (count: number) => {
    const features: number[][] = [];
    const labels: number[] = [];
    for (let i = 0; i < count; i++) for (const [label, c] of centres.entries()) {
      features.push(c.map((v) => v + noise()));
      labels.push(label);
    }
    return { features, labels };
  };
  const train = make(6);
  const validation = make(4);
  const result = featureBaselines(train, validation, 3, { k: 3 });
  assert.ok(result.knn.valAccuracy > 0.9, `kNN ${result.knn.valAccuracy}`);
  assert.ok(result.logistic.valAccuracy > 0.9, `logistic ${result.logistic.valAccuracy}`);
  // Random labels give chance-level results: the baselines read the features, not the order.
  assert.deepEqual(knnPredict({ features: [[1, 0], [0, 1]], labels: [0, 1] }, [[0.9, 0.1], [0.2, 0.8]], 1), [0, 1]);
});

describe('features of a tiny project', () => {
  let dir = '';
  let projectFile = '';
  let runDir = '';

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ftg-embed-'));
    projectFile = await writeTinyProject(dir, { epochs: 1 });
    const result = await trainProject(projectFile, { backend: 'cpu' });
    assert.equal(result.status, 'completed');
    assert.ok(result.summary.featureExtraction, 'the done summary carries the baselines');
    runDir = result.runDir;
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('embed of a project writes the base model\'s pooled cut-layer output, equal to tf computed on its own', async () => {
    const out = path.join(dir, 'base.csv');
    const io = captureIO();
    assert.equal(await runCli(['embed', dir, '--out', out], io), 0, io.stderr());
    assert.match(io.stdout(), /Wrote 10 feature vectors of 4 values \(layer "block_2_conv", the base model\)/);
    assert.match(io.stdout(), /kNN \(k=5\) \d+\.\d%, logistic regression \d+\.\d%/);
    const lines = (await readFile(out, 'utf8')).trim().split('\n');
    assert.equal(lines[0], 'path,class,split,f0,f1,f2,f3');
    assert.equal(lines.length, 11);
    const splits = lines.slice(1).map((l) => l.split(',')[2]);
    assert.equal(splits.filter((s) => s === 'validation').length, 4, 'validationSplit 0.4 of 5 per class -> 2 + 2');
    const row = lines.slice(1).find((l) => l.startsWith('light/3.png,light,'));
    assert.ok(row, lines.join('\n'));
    const csvVector = row.split(',').slice(3).map(Number);

    await tf.setBackend('cpu');
    const full = await loadLayersModelFromDir(path.join(dir, 'model'));
    const cut = tf.model({ inputs: full.inputs, outputs: full.getLayer('block_2_conv').output as tf.SymbolicTensor });
    const { data } = await sharp(path.join(dir, 'data', 'light', '3.png')).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const expected = tf.tidy(() => tf.mean(cut.predict(tf.tensor4d(Float32Array.from(data, (v) => v / 255), [1, 32, 32, 3])) as tf.Tensor, [1, 2]).arraySync() as number[][])[0];
    full.dispose();
    csvVector.forEach((v, j) => assert.ok(Math.abs(v - expected[j]) < 1e-4, `f${j}: ${v} vs ${expected[j]}`));
  });

  test('a completed run has the feature-extraction baselines in summary.json and both projections in embedding.json', async () => {
    const summary = await readSummary(runDir);
    assert.ok(summary?.featureExtraction, 'summary.featureExtraction');
    assert.equal(summary.featureExtraction.layer, 'block_2_conv');
    assert.ok(summary.featureExtraction.knn.valAccuracy >= 0.5, `kNN ${summary.featureExtraction.knn.valAccuracy}`);
    assert.ok(summary.featureExtraction.logistic.valAccuracy >= 0.5);
    const embedding = JSON.parse(await readFile(path.join(runDir, EMBEDDING_FILE), 'utf8')) as EmbeddingFile;
    assert.equal(embedding.images.length, 4);
    assert.equal(embedding.base.length, 4);
    assert.equal(embedding.adapted.length, 4);
    assert.deepEqual(embedding.classes, ['dark', 'light']);
    assert.match(await readFile(path.join(runDir, 'report.md'), 'utf8'), /\| feature extraction \| no training/);
  });

  test('embed of a run writes .npy with its sidecar, refuses to overwrite, and names a bad --layer with the nearest names', async () => {
    const out = path.join(dir, 'run.npy');
    const io = captureIO();
    assert.equal(await runCli(['embed', runDir, '--out', out, '--json'], io), 0, io.stderr());
    const result = JSON.parse(io.stdout()) as { source: string; images: number; dimensions: number };
    assert.equal(result.source, 'run');
    const npy = decodeNpy(await readFile(out));
    assert.deepEqual(npy.shape, [10, 4]);
    const sidecar = JSON.parse(await readFile(`${out}.json`, 'utf8')) as { layer: string; paths: string[]; classes: string[]; splits: string[] };
    assert.equal(sidecar.layer, 'block_2_conv');
    assert.equal(sidecar.paths.length, 10);
    assert.ok(sidecar.paths.every((p) => /^(dark|light)\/\d\.png$/.test(p)));

    await writeFile(path.join(dir, 'mine.csv'), 'keep');
    const again = captureIO();
    assert.equal(await runCli(['embed', runDir, '--out', path.join(dir, 'mine.csv')], again), 2);
    assert.match(again.stderr(), /mine\.csv.*already exists/s);
    assert.equal(await readFile(path.join(dir, 'mine.csv'), 'utf8'), 'keep');

    const bad = captureIO();
    assert.equal(await runCli(['embed', runDir, '--out', path.join(dir, 'bad.csv'), '--layer', 'block_2_cnv'], bad), 2);
    assert.match(bad.stderr(), /"block_2_cnv" is not a layer/);
    assert.match(bad.stderr(), /"block_2_conv"/);
    assert.doesNotMatch(bad.stderr(), /\n\s+at /);
  });
});
