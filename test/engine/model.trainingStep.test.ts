import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { StepDropout } from '../../src/engine/model/layers/dropout';
import { RandomContrast } from '../../src/engine/model/layers/randomContrast';
import { setTrainingStep, type TrainingStep } from '../../src/engine/model/layers/trainingStep';

test.before(async () => {
  await tf.setBackend('cpu');
});

const at = (batch: number): TrainingStep => ({ seed: 7, phaseIndex: 1, epoch: 2, batch });

/** The layer's training output at `step`, after `before` other steps have drawn. */
function drawAt(layer: tf.layers.Layer, input: tf.Tensor, step: TrainingStep, before: readonly TrainingStep[]): number[] {
  for (const other of before) {
    setTrainingStep(other);
    tf.dispose(layer.apply(input, { training: true }) as tf.Tensor);
  }
  setTrainingStep(step);
  const out = layer.apply(input, { training: true }) as tf.Tensor;
  setTrainingStep(null);
  const values = Array.from(out.dataSync());
  out.dispose();
  return values;
}

for (const [name, make] of [
  ['dropout', () => new StepDropout({ rate: 0.5, name: 'head_dropout' })],
  ['RandomContrast', () => new RandomContrast({ factor: 0.5, name: 'random_contrast' })],
] as const) {
  test(`${name}: the draw at a step depends only on (seed, phase, epoch, batch), not on the steps before it`, () => {
    const input = tf.randomUniform([4, 4, 4, 3], 0, 1, 'float32', 3);
    const fresh = drawAt(make(), input, at(5), []);
    assert.deepEqual(drawAt(make(), input, at(5), [at(0), at(1), at(4)]), fresh, 'a resumed run draws what the uninterrupted one drew');
    assert.notDeepEqual(drawAt(make(), input, at(6), []), fresh, 'another batch, another draw');
    assert.notDeepEqual(drawAt(make(), input, { ...at(5), seed: 8 }, []), fresh, 'another seed, another draw');
    input.dispose();
  });
}

test('dropout keeps its Keras config and is the identity outside training', () => {
  const layer = new StepDropout({ rate: 0.25, name: 'drop' });
  const input = tf.ones([2, 6]);
  const out = layer.apply(input) as tf.Tensor;
  assert.deepEqual(Array.from(out.dataSync()), Array.from(input.dataSync()));
  assert.equal(StepDropout.className, 'Dropout');
  assert.equal(layer.getConfig().rate, 0.25);
  tf.dispose([input, out]);
});
