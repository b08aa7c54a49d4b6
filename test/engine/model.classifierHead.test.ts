// The classifier at a model's end: where an MLP is cut, single-sigmoid binary heads, and the head/loss to train.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { isUserError } from '../../src/shared/userError';
import { binaryProbabilities, findClassifier, headTraining, penultimateLayer } from '../../src/engine/model/classifierHead';
import { graphLayersOfModel, graphLayersOfTopology } from '../../src/engine/model/graphLayers';

const require = createRequire(__filename);
const SOURCE = { file: 'finetune.json', field: 'model.keepClassifier' };

before(async () => {
  await tf.setBackend('cpu');
});

function layersOf(...stack: tf.layers.Layer[]) {
  const model = tf.sequential({ layers: stack });
  const layers = graphLayersOfModel(model);
  model.dispose();
  return layers;
}

test('an MLP is cut at its penultimate layer: the input of its last Dense, Dropout stepped over', () => {
  const layers = layersOf(
    tf.layers.flatten({ inputShape: [28, 28], name: 'flat' }),
    tf.layers.dense({ units: 16, activation: 'relu', name: 'hidden' }),
    tf.layers.dropout({ rate: 0.2, name: 'drop' }),
    tf.layers.dense({ units: 10, activation: 'softmax', name: 'out' }),
  );
  assert.deepEqual(findClassifier(layers), { dense: 'out', units: 10, activation: 'softmax', kind: 'softmax', cutLayer: 'hidden' });
  assert.equal(penultimateLayer(layers), 'hidden');
  // With one Dense only, the cut is the Flatten (the pixels as a vector).
  assert.equal(penultimateLayer(layersOf(tf.layers.flatten({ inputShape: [28, 28], name: 'flat' }), tf.layers.dense({ units: 10, name: 'out' }))), 'flat');
});

test('nsfwjs InceptionV3: its Dense head is found behind the Dropouts; the cut is dense_2', () => {
  const { modelTopology } = structuredClone(require(path.resolve(__dirname, '../../node_modules/nsfwjs/dist/models/inception_v3/model.min.js'))) as { modelTopology: unknown };
  const head = findClassifier(graphLayersOfTopology(modelTopology, 'model.min.js'));
  assert.deepEqual(head, { dense: 'dense_3', units: 5, activation: 'softmax', kind: 'softmax', cutLayer: 'dense_2' });
});

test('single-sigmoid binary heads: Dense(1, sigmoid), or Dense(1) then Activation(sigmoid); a linear unit is not one', () => {
  const base = () => tf.layers.dense({ inputShape: [4], units: 3, activation: 'relu', name: 'features' });
  const own = findClassifier(layersOf(base(), tf.layers.dense({ units: 1, activation: 'sigmoid', name: 'p' })));
  assert.deepEqual([own?.kind, own?.cutLayer], ['sigmoid-binary', 'features']);
  const separate = findClassifier(layersOf(base(), tf.layers.dense({ units: 1, name: 'logit' }), tf.layers.activation({ activation: 'sigmoid', name: 'sig' })));
  assert.deepEqual([separate?.kind, separate?.dense, separate?.activation], ['sigmoid-binary', 'logit', 'sigmoid']);
  assert.equal(findClassifier(layersOf(base(), tf.layers.dense({ units: 1, name: 'score' })))?.kind, 'other');
  assert.equal(findClassifier(layersOf(base(), tf.layers.dense({ units: 3, activation: 'sigmoid', name: 'multi' })))?.kind, 'other');
});

test('no classifier: a backbone ending in pooling; a Dense on the input has no layer to cut at', () => {
  assert.equal(findClassifier(layersOf(tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 2, kernelSize: 3 }), tf.layers.globalAveragePooling2d({}))), null);
  const input = tf.input({ shape: [784], name: 'pixels' });
  const model = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 10, activation: 'softmax', name: 'out' }).apply(input) as tf.SymbolicTensor });
  assert.equal(findClassifier(graphLayersOfModel(model))?.cutLayer, null);
  model.dispose();
});

test('headTraining: a new head is softmax; a kept sigmoid head needs 2 classes and binary cross-entropy', () => {
  const sigmoid = { dense: 'p', units: 1, activation: 'sigmoid', kind: 'sigmoid-binary' as const, cutLayer: 'features' };
  const softmax = { dense: 'out', units: 5, activation: 'softmax', kind: 'softmax' as const, cutLayer: 'features' };
  assert.deepEqual(headTraining(sigmoid, 2, false, SOURCE), { units: 2, activation: 'softmax', loss: 'categoricalCrossentropy', targets: 'oneHot' });
  assert.deepEqual(headTraining(sigmoid, 2, true, SOURCE), { units: 1, activation: 'sigmoid', loss: 'binaryCrossentropy', targets: 'secondClass' });
  assert.deepEqual(headTraining(softmax, 5, true, SOURCE), { units: 5, activation: 'softmax', loss: 'categoricalCrossentropy', targets: 'oneHot' });
  const refused = [
    () => headTraining(sigmoid, 3, true, SOURCE),
    () => headTraining(softmax, 4, true, SOURCE),
    () => headTraining({ ...softmax, activation: 'linear', kind: 'other' }, 5, true, SOURCE),
    () => headTraining(null, 2, true, SOURCE),
  ];
  for (const attempt of refused) {
    assert.throws(attempt, (error: unknown) => isUserError(error) && error.field === SOURCE.field && error.file === SOURCE.file);
  }
  assert.deepEqual(binaryProbabilities(0.25), [0.75, 0.25]);
});

test('a kept Dense(1, sigmoid) head trains with binary cross-entropy on the second class column', async () => {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [2], units: 4, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
      tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
    ],
  });
  const plan = headTraining(findClassifier(graphLayersOfModel(model)), 2, true, SOURCE);
  model.compile({ optimizer: tf.train.adam(0.05), loss: plan.loss });
  const xs = tf.tensor2d([[0, 1], [1, 0], [0, 2], [2, 0]]);
  const oneHot = tf.tensor2d([[1, 0], [0, 1], [1, 0], [0, 1]]);
  const ys = oneHot.slice([0, 1], [-1, 1]);
  const first = (await model.trainOnBatch(xs, ys)) as number;
  let last = first;
  for (let i = 0; i < 40; i++) last = (await model.trainOnBatch(xs, ys)) as number;
  assert.ok(last < first, `${first} -> ${last}`);
  tf.dispose([xs, oneHot, ys]);
  model.dispose();
});
