/**
 * Exact resume with discriminative rates: the checkpoint holds every group optimizer's state (Adam's
 * moments per block), so a phase-2 run stopped mid-epoch and resumed ends with the uninterrupted
 * run's weights. The resumed model starts from other weights, so a lost group state would show.
 */
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { PhaseConfig } from '../../src/protocol/config';
import type { TrainingEvent } from '../../src/protocol/run';
import { trainRun, type RunInput } from '../../src/engine/train/trainRun';
import { phase, tinyModel, tinyPlans, tinyRunInput, tinySetup, weightValues } from '../fixtures/train/tiny';
import { withTempDir } from '../fixtures/tempDir';

test.before(async () => {
  await tf.setBackend('cpu');
});

const PHASES: PhaseConfig[] = [
  phase({ name: 'head', epochs: 1, batchSize: 8 }),
  phase({ name: 'tune', epochs: 2, batchSize: 8, trainable: 'all', learningRate: { from: 0.001, to: 0.01 }, schedule: 'cosine', weightDecay: 0.01 }),
];

function input(runsDir: string, model: tf.LayersModel, overrides: Partial<RunInput> = {}): RunInput {
  const base = tinyRunInput(runsDir, { model });
  return { ...base, config: { ...base.config, phases: PHASES, checkpointEverySeconds: 0 }, plans: tinyPlans(model, PHASES), setupPhase: tinySetup(8), ...overrides, model };
}

async function finalWeights(runsDir: string, seed: number, overrides: Partial<RunInput> = {}): Promise<{ status: string; runDir: string; weights: Map<string, Float32Array> }> {
  const model = tinyModel(seed);
  const result = await trainRun(input(runsDir, model, overrides));
  const weights = weightValues(model);
  model.dispose();
  return { status: result.status, runDir: result.runDir, weights };
}

test('a discriminative phase stopped mid-epoch and resumed ends with the uninterrupted weights', () =>
  withTempDir('ftg-resume-groups-', async (dir) => {
    const expected = await finalWeights(path.join(dir, 'fresh'), 1);
    assert.equal(expected.status, 'completed');
    const runsDir = path.join(dir, 'interrupted');
    const controller = new AbortController();
    const stopped = await finalWeights(runsDir, 1, {
      signal: controller.signal,
      onEvent: (event: TrainingEvent) => { if (event.type === 'batch' && event.phaseIndex === 1 && event.epoch === 1 && event.batch === 2) controller.abort(); },
    });
    assert.equal(stopped.status, 'cancelled');
    const warnings: string[] = [];
    const resumed = await finalWeights(runsDir, 77, { resume: stopped.runDir, onEvent: (event: TrainingEvent) => { if (event.type === 'warning') warnings.push(event.message); } });
    assert.equal(resumed.status, 'completed');
    assert.deepEqual(warnings.filter((w) => /optimizer state/.test(w)), [], 'the group optimizers\' state fits');
    let max = 0;
    for (const [name, values] of expected.weights) {
      const other = resumed.weights.get(name) as Float32Array;
      values.forEach((v, i) => { max = Math.max(max, Math.abs(v - (other[i] as number))); });
    }
    assert.ok(max <= 1e-6, `max |diff| ${max}`);
  }));
