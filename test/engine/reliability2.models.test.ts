/**
 * Issue 18 part A, in process: a phase that trains nothing is refused before phase 1, a reused pid is
 * not taken for a live run, a damaged checkpoint is named, a finetune.json with a BOM reads.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { applyEdits } from 'jsonc-parser';
import { planPhases } from '../../src/engine/train/phasePlan';
import { loadCheckpoint } from '../../src/engine/train/checkpoint';
import { parseProjectText } from '../../src/engine/config/load';
import { readProjectView, trainableEdits } from '../../src/extension/project/projectText';
import { effectiveStatus, processStartOf } from '../../src/runs/liveness';
import { isUserError } from '../../src/shared/userError';
import type { PhaseConfig } from '../../src/protocol/config';
import { withTempDir } from '../fixtures/tempDir';
import { saveModelFolder } from '../../src/engine/train/saveModel';
import { loadBaseModel } from '../../src/engine/model/load';
import { predictImages } from '../../src/engine/predict/predictImages';

test.before(() => tf.setBackend('cpu'));

function tinyModel(): tf.LayersModel {
  const input = tf.input({ shape: [4] });
  const flat = tf.layers.activation({ activation: 'relu', name: 'relu' }).apply(input) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 2, name: 'dense' }).apply(flat) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

const phase = (name: string): PhaseConfig => ({ name, epochs: 1, batchSize: 2, optimizer: 'adam', learningRate: 0.01, trainable: 'head' });

test('a later phase that trains no weights (empty list, or only weightless layers) is refused before phase 1, naming phases[i].trainable', () => {
  const model = tinyModel();
  try {
    for (const names of [[], ['relu']]) {
      const plans = (): unknown => planPhases(model, [phase('head'), phase('tune')], (_p, index) => new Set(index === 0 ? ['dense'] : names), '/p/finetune.json');
      assert.throws(plans, (error: unknown) => isUserError(error) && /phases\[1\]\.trainable/.test(error.message) && /\/p\/finetune\.json/.test(error.message) && /lastBlocks|head/.test(error.message));
    }
    assert.equal(planPhases(model, [phase('head')], () => new Set(['dense'])).length, 1);
  } finally {
    model.dispose();
  }
});

test('a running manifest whose pid is alive but was another process (wrong start time) is interrupted', () => {
  const own = processStartOf(process.pid);
  assert.ok(own, 'this machine has /proc');
  assert.equal(effectiveStatus({ status: 'running', pid: process.pid, processStart: own }), 'running');
  assert.equal(effectiveStatus({ status: 'running', pid: process.pid, processStart: 'another-boot:1' }), 'interrupted');
  assert.equal(effectiveStatus({ status: 'running', pid: 1, processStart: 'another-boot:1' }), 'interrupted');
});

test('a damaged checkpoint (missing or truncated weights, corrupt state.json) is named, with the choice', () =>
  withTempDir('ftg-r2-', async (runDir) => {
    const dir = path.join(runDir, 'checkpoint');
    await mkdir(dir, { recursive: true });
    const state = { version: 2, phaseIndex: 0, epochsDone: 1, best: null, epochsSinceBest: 0, last: null, phaseSeconds: 1, imagesPerSecond: 1, phases: [], inEpoch: null, runSeconds: 1, weightsFile: 'w.bin', bestWeightsFile: null, optimizerFile: null, savedAt: '' };
    await writeFile(path.join(dir, 'state.json'), JSON.stringify(state));
    const damaged = (what: RegExp) => (error: unknown): boolean => isUserError(error) && /checkpoint is damaged/.test(error.message) && what.test(error.message) && /without --resume/.test(error.message);
    await assert.rejects(loadCheckpoint(runDir), damaged(/w\.bin is missing/));
    await writeFile(path.join(dir, 'w.bin'), Buffer.from([200, 0, 0, 0, 1, 2]));
    await assert.rejects(loadCheckpoint(runDir), damaged(/w\.bin is truncated/));
    await writeFile(path.join(dir, 'state.json'), '{"version": 2, "weig');
    await assert.rejects(loadCheckpoint(runDir), damaged(/state\.json cannot be read/));
  }));

test('finetune.json with a UTF-8 BOM reads in the engine and the Layers view; edits keep the BOM', () => {
  const text = '\uFEFF{\r\n  "version": 1,\r\n  "phases": [{ "name": "a", "trainable": "head" }]\r\n}\r\n';
  assert.deepEqual((parseProjectText(text, 'f') as { version: number }).version, 1);
  readProjectView(text, 'f');
  const edited = applyEdits(text, trainableEdits(text, 0, { layers: ['x'] }));
  assert.ok(edited.startsWith('\uFEFF{'));
  assert.deepEqual((parseProjectText(edited, 'f') as { phases: { trainable: unknown }[] }).phases[0].trainable, { layers: ['x'] });
});

test('a model whose weights hold NaN is refused at load (exit 2 naming the layer), and predict never prints NaN%', () =>
  withTempDir('ftg-r2nan-', async (dir) => {
    const model = tinyModel();
    const dense = model.getLayer('dense');
    const [kernel] = dense.getWeights();
    dense.setWeights([kernel, tf.tensor1d([Number.NaN, 0])]);
    await saveModelFolder(path.join(dir, 'm'), model, ['a', 'b'], { inputSize: 4, scale: '0..1' });
    model.dispose();
    await assert.rejects(loadBaseModel('m/model.json', dir), (error: unknown) => isUserError(error) && /NaN or infinite/.test(error.message) && /"dense"/.test(error.message));
    await assert.rejects(predictImages(path.join(dir, 'm'), [path.join(dir, 'x.png')]), (error: unknown) => isUserError(error) && /"dense"/.test(error.message));
  }));
