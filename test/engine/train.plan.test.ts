// Phase plans are described from the model's variables, without setting any `layer.trainable`,
// and give the numbers the live model shows once the plan is applied.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import type { PhaseConfig, TrainableSpec } from '../../src/protocol/config';
import type { PhasePlanInfo } from '../../src/protocol/run';
import { defaultProject } from '../../src/engine/config';
import { prepareModel, resolveTrainable } from '../../src/engine/model';
import { applyPhasePlan, countParams, planPhases } from '../../src/engine/train/phasePlan';
import { phase, tinyModel, tinyPlans } from '../fixtures/train/tiny';

test.before(async () => {
  await tf.setBackend('cpu');
});

/** What the CLI and panel showed before plans existed: counted on the model with the plan applied. */
function describeLive(model: tf.LayersModel, p: PhaseConfig): PhasePlanInfo {
  const withWeights = model.layers.filter((layer) => layer.weights.length > 0);
  return {
    name: p.name, epochs: p.epochs, batchSize: p.batchSize, optimizer: p.optimizer, learningRate: Number(p.learningRate),
    trainableParams: countParams(model.trainableWeights), totalParams: countParams(model.weights),
    trainableLayers: withWeights.filter((layer) => layer.trainableWeights.length > 0).length, totalLayers: withWeights.length,
    batchNorm: p.batchNorm ?? 'inference',
  };
}

/** Freezes every other layer, so a description that read the current flags would be wrong. */
function scramble(model: tf.LayersModel): boolean[] {
  model.layers.forEach((layer, i) => { layer.trainable = i % 2 === 0; });
  return model.layers.map((layer) => layer.trainable);
}

test('planning a tiny BatchNorm model leaves every trainable flag as it was, and matches the applied plan', () => {
  const model = tinyModel(1, true);
  const phases = [phase({ trainable: 'head' }), phase({ name: 'all', trainable: 'all', batchNorm: 'train' }), phase({ name: 'bn', trainable: { layers: ['base_bn'] } })];
  const flags = scramble(model);
  const plans = tinyPlans(model, phases);
  assert.deepEqual(model.layers.map((layer) => layer.trainable), flags, 'planning set no flag');
  for (const plan of plans) {
    applyPhasePlan(model, plan);
    assert.deepEqual(plan.info, describeLive(model, plan.phase), plan.phase.name);
  }
  assert.deepEqual(plans.map((p) => p.info.trainableParams), [18, 74, 16]);
  model.dispose();
});

test('planning the prepared MobileNetV2 sets no flag, and every plan matches the live model once applied', async () => {
  const prepared = await prepareModel(defaultProject({ inputSize: 96 }), '/', 3);
  const { model, layers } = prepared;
  const specs: TrainableSpec[] = ['head', { lastBlocks: 2 }, { fromLayer: 'block_12_expand' }, 'all'];
  const phases = specs.map((trainable, i) => phase({ name: `p${i}`, trainable, batchNorm: i === 3 ? 'train' : 'inference' }));
  const flags = scramble(model);
  const plans = planPhases(model, phases, (p) => resolveTrainable(layers, p.trainable));
  assert.deepEqual(model.layers.map((layer) => layer.trainable), flags, 'planning set no flag');
  for (const plan of plans) {
    applyPhasePlan(model, plan);
    assert.deepEqual(plan.info, describeLive(model, plan.phase), plan.phase.name);
  }
  assert.ok(plans[0].info.trainableParams < plans[1].info.trainableParams && plans[1].info.trainableParams < plans[3].info.trainableParams);
  model.dispose();
});
