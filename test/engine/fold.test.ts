/**
 * BatchNorm folded into the frozen convolutions gives the same prefix output as running the layers
 * in inference mode: on a small MobileNetV2-like graph (residual add, depthwise with multiplier 2,
 * conv with bias, BN without scale, ReLU and ReLU6, zero padding) with non-trivial BN statistics.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend, shutdownBackend } from '../../src/engine/backend';
import { frontierAfter, modelGraph } from '../../src/engine/backend/graph';
import { buildPrefixExecutor } from '../../src/engine/backend/prefixExecutor';

before(async () => {
  await initBackend('wasm', { threads: 2 });
});
after(() => shutdownBackend());

function tinyMobileNet(size = 17): tf.LayersModel {
  let seed = 10;
  const init = () => tf.initializers.glorotUniform({ seed: seed++ });
  const input = tf.input({ shape: [size, size, 3] });
  const bn = (opts: { scale?: boolean } = {}): tf.layers.Layer => tf.layers.batchNormalization({ epsilon: 1e-3, ...opts });
  const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]): tf.SymbolicTensor => layer.apply(x) as tf.SymbolicTensor;
  let x = apply(tf.layers.zeroPadding2d({ padding: [[0, 1], [0, 1]] }), input);
  x = apply(tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'valid', useBias: false, kernelInitializer: init() }), x);
  x = apply(tf.layers.reLU({ maxValue: 6 }), apply(bn(), x));
  const skip = x;
  let y = apply(tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', useBias: false, depthwiseInitializer: init() }), x);
  y = apply(tf.layers.reLU({ maxValue: 6 }), apply(bn(), y));
  y = apply(tf.layers.conv2d({ filters: 8, kernelSize: 1, useBias: false, kernelInitializer: init() }), y);
  y = apply(bn({ scale: false }), y); // projection: BN without activation
  x = apply(tf.layers.add(), [skip, y]);
  x = apply(tf.layers.depthwiseConv2d({ kernelSize: 3, strides: 2, depthMultiplier: 2, padding: 'same', useBias: false, depthwiseInitializer: init() }), x);
  x = apply(tf.layers.reLU({ maxValue: 6 }), apply(bn(), x));
  x = apply(tf.layers.conv2d({ filters: 12, kernelSize: 1, useBias: true, kernelInitializer: init(), biasInitializer: 'ones' }), x);
  x = apply(tf.layers.activation({ activation: 'relu' }), apply(bn(), x));
  const out = apply(tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: init() }), apply(tf.layers.globalAveragePooling2d({}), x));
  const model = tf.model({ inputs: input, outputs: out });
  // Pre-trained BN layers have statistics far from the defaults (0 mean, 1 variance).
  let s = 1;
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'BatchNormalization') continue;
    layer.setWeights(layer.getWeights().map((w, i, all) => {
      const isVariance = i === all.length - 1;
      return tf.tidy(() => (isVariance ? tf.randomUniform(w.shape, 0.3, 2, 'float32', s++) : tf.randomNormal(w.shape, 0.2, 0.5, 'float32', s++)));
    }));
  }
  return model;
}

for (const size of [17, 16]) {
  // Keras pads [[0,1],[0,1]] before stride-2 convs: `same` padding for even sizes only.
  const merged = size % 2 === 0 ? 1 : 0;
  test(`folded prefix output equals the layers run in inference mode (${size}x${size}, ${merged} padding merged)`, () => {
    const model = tinyMobileNet(size);
    const graph = modelGraph(model);
    const pool = graph.nodes.findIndex((n) => n.layer.getClassName() === 'GlobalAveragePooling2D');
    const frontier = frontierAfter(graph, pool);
    assert.equal(frontier.length, 1);
    const folded = buildPrefixExecutor(graph, pool, frontier[0], { fold: true });
    const plain = buildPrefixExecutor(graph, pool, frontier[0], { fold: false });
    assert.equal(folded.folded, 5, 'every conv+BN pair folds');
    assert.equal(folded.paddingsMerged, merged);
    assert.equal(plain.folded, 0);
    const reference = tf.model({ inputs: model.inputs, outputs: frontier[0] });
    const x = tf.randomUniform([4, size, size, 3], 0, 1, 'float32', 3);
    const expected = reference.predict(x) as tf.Tensor;
    const a = folded.run(x);
    const b = plain.run(x);
    const scale = expected.abs().max().dataSync()[0];
    assert.ok(scale > 0.1, 'the prefix output is not trivially zero');
    const diffFolded = a.sub(expected).abs().max().dataSync()[0] / scale;
    const diffPlain = b.sub(expected).abs().max().dataSync()[0] / scale;
    assert.ok(diffFolded < 1e-5, `folded relative difference ${diffFolded}`);
    assert.ok(diffPlain < 1e-6, `plain relative difference ${diffPlain}`);
    tf.dispose([x, expected, a, b]);
    folded.dispose();
    plain.dispose();
    model.dispose();
  });
}

test('the executor frees every intermediate tensor and its folded weights', () => {
  const model = tinyMobileNet();
  const graph = modelGraph(model);
  const last = graph.nodes.length - 2;
  const [boundary] = frontierAfter(graph, last);
  const x = tf.randomUniform([2, 17, 17, 3]);
  const before = tf.memory().numTensors;
  const executor = buildPrefixExecutor(graph, last, boundary, { fold: true });
  for (let i = 0; i < 3; i++) executor.run(x).dispose();
  executor.dispose();
  assert.equal(tf.memory().numTensors, before);
  x.dispose();
  model.dispose();
});
