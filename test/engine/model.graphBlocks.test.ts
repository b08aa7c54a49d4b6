// Blocks from the graph's structure: MobileNetV2 (names agree), InceptionV3 (no block names), synthetic graphs.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { blockOf } from '../../src/engine/model/blocks';
import { resolveTrainable, type FreezeLayer } from '../../src/engine/model/freeze';
import { blockByLayer, graphBlocks, sharedPrefix, type GraphLayer } from '../../src/engine/model/graphBlocks';
import { graphLayersOfModel, graphLayersOfTopology } from '../../src/engine/model/graphLayers';
import { cutTopology } from '../../src/engine/model/topology';

const require = createRequire(__filename);
const root = path.resolve(__dirname, '../..');

interface Manifest { weightsManifest: { weights: { name: string; shape: number[] }[] }[] }

function mobileNet(): { modelTopology: unknown } & Manifest {
  return structuredClone(require(path.join(root, 'assets/models/mobilenet_v2/model.json')));
}

/** nsfwjs 4.4.0 ships its InceptionV3 LayersModel as a UMD script exporting { modelTopology, weightsManifest }. */
function inception(): { modelTopology: unknown } & Manifest {
  return structuredClone(require(path.join(root, 'node_modules/nsfwjs/dist/models/inception_v3/model.min.js')));
}

/** Freeze rows from a topology: params from the weights manifest, blocks from `block`. */
function freezeRows(layers: readonly GraphLayer[], manifest: Manifest, block: (name: string) => string | null): FreezeLayer[] {
  const params = new Map<string, number>();
  for (const group of manifest.weightsManifest) {
    for (const w of group.weights) {
      const layer = w.name.slice(0, w.name.lastIndexOf('/'));
      params.set(layer, (params.get(layer) ?? 0) + w.shape.reduce((a, b) => a * b, 1));
    }
  }
  return layers.map((l) => ({ name: l.name, isNew: false, params: params.get(l.name) ?? 0, isBatchNorm: l.className === 'BatchNormalization', block: block(l.name) }));
}

before(async () => {
  await tf.setBackend('cpu');
});

test('MobileNetV2: the graph gives the same stem, block_0..block_16 and top as the name rule', () => {
  const layers = graphLayersOfTopology(mobileNet().modelTopology, 'model.json');
  const blocks = graphBlocks(layers);
  assert.deepEqual(blocks.map((b) => b.name), ['stem', ...Array.from({ length: 17 }, (_, i) => `block_${i}`), 'top']);
  const byLayer = blockByLayer(layers);
  for (const layer of layers) {
    const named = blockOf(layer.name);
    if (named !== null) assert.equal(byLayer.get(layer.name), named, layer.name);
  }
  assert.equal(byLayer.get('input_1'), 'stem', 'the input joins the first block');
  // block_2 is a residual region: its Add closes it.
  assert.equal(byLayer.get('block_2_add'), 'block_2');
});

test('InceptionV3 (nsfwjs): one block per mixed module, closed by its Concatenate; inner concats stay inside', () => {
  const layers = graphLayersOfTopology(inception().modelTopology, 'model.min.js');
  const blocks = graphBlocks(layers);
  const names = blocks.map((b) => b.name);
  const mixed = ['mixed0', 'mixed1', 'mixed2', 'mixed3', 'mixed4', 'mixed5', 'mixed6', 'mixed7', 'mixed8', 'mixed9', 'mixed10'];
  assert.deepEqual(names.filter((n) => n.startsWith('mixed')), mixed);
  // The stem is a chain: one group per convolution with its BatchNorm and activation (and pooling).
  assert.deepEqual(names.slice(0, 5), ['conv2d_1', 'conv2d_2', 'conv2d_3', 'conv2d_4', 'conv2d_5']);
  assert.deepEqual(blocks[0]?.layers, ['input_1', 'conv2d_1', 'batch_normalization_1', 'activation_1']);
  const byLayer = blockByLayer(layers);
  assert.equal(byLayer.get('mixed9_0'), 'mixed9');
  assert.equal(byLayer.get('mixed9_1'), 'mixed10');
  assert.equal(byLayer.get('max_pooling2d_2'), 'conv2d_5');
  // Every block is contiguous in model order and every layer is in one.
  const flat = blocks.flatMap((b) => b.layers);
  assert.deepEqual(flat, layers.map((l) => l.name));
});

test('InceptionV3 cut at mixed10: lastBlocks 2 trains the convolutions of mixed9 and mixed10, where the name rule trained two layers', () => {
  const model = inception();
  cutTopology(model.modelTopology, 'mixed10', 'model.min.js');
  const layers = graphLayersOfTopology(model.modelTopology, 'model.min.js');
  const byLayer = blockByLayer(layers);
  const rows = freezeRows(layers, model, (name) => byLayer.get(name) ?? null);
  const trained = resolveTrainable(rows, { lastBlocks: 2 });
  const convs = layers.filter((l) => l.className === 'Conv2D');
  const trainedConvs = convs.filter((l) => trained.has(l.name));
  const expected = convs.filter((l) => byLayer.get(l.name) === 'mixed9' || byLayer.get(l.name) === 'mixed10');
  assert.deepEqual(trainedConvs.map((l) => l.name), expected.map((l) => l.name));
  assert.equal(trainedConvs.length, 18, 'mixed9 and mixed10 have 9 convolutions each');
  assert.ok(!trained.has('conv2d_76'), 'mixed8 stays frozen');
  // Today's name rule finds no block in InceptionV3: lastBlocks counts single layers with weights.
  const byName = resolveTrainable(freezeRows(layers, model, blockOf), { lastBlocks: 2 });
  assert.equal(layers.filter((l) => l.className === 'Conv2D' && byName.has(l.name)).length, 0);
});

test('a residual model without block names: each region is named by its shared prefix, else by its Add', () => {
  const input = tf.input({ shape: [8, 8, 3], name: 'image' });
  const conv = (name: string, filters = 4) => tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', name });
  const stem = tf.layers.reLU({ name: 'stem_relu' }).apply(tf.layers.batchNormalization({ name: 'stem_bn' }).apply(conv('stem_conv').apply(input))) as tf.SymbolicTensor;
  const a = conv('res1_b').apply(tf.layers.reLU({ name: 'res1_relu' }).apply(conv('res1_a').apply(stem))) as tf.SymbolicTensor;
  const add1 = tf.layers.add({ name: 'res1_add' }).apply([stem, a]) as tf.SymbolicTensor;
  const b = conv('second').apply(conv('first').apply(add1)) as tf.SymbolicTensor;
  const join = tf.layers.add({ name: 'join' }).apply([add1, b]) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 2, name: 'classifier' }).apply(tf.layers.globalAveragePooling2d({ name: 'pool' }).apply(join)) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out });
  try {
    const blocks = graphBlocks(graphLayersOfModel(model));
    assert.deepEqual(blocks, [
      { name: 'stem', layers: ['image', 'stem_conv', 'stem_bn', 'stem_relu'] },
      { name: 'res1', layers: ['res1_a', 'res1_relu', 'res1_b', 'res1_add'] },
      { name: 'join', layers: ['first', 'second', 'join', 'pool'] },
      { name: 'classifier', layers: ['classifier'] },
    ]);
  } finally {
    model.dispose();
  }
});

test('a plain Sequential chain: one block per convolution with its BatchNorm, activation and pooling', () => {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [16, 16, 1], filters: 4, kernelSize: 3, name: 'c1' }),
      tf.layers.batchNormalization({ name: 'n1' }),
      tf.layers.activation({ activation: 'relu', name: 'a1' }),
      tf.layers.maxPooling2d({ poolSize: 2, name: 'p1' }),
      tf.layers.conv2d({ filters: 4, kernelSize: 3, name: 'c2' }),
      tf.layers.activation({ activation: 'relu', name: 'a2' }),
      tf.layers.flatten({ name: 'flat' }),
      tf.layers.dense({ units: 8, activation: 'relu', name: 'd1' }),
      tf.layers.dropout({ rate: 0.5, name: 'drop' }),
      tf.layers.dense({ units: 2, name: 'd2' }),
    ],
  });
  try {
    assert.deepEqual(graphBlocks(graphLayersOfModel(model)).map((b) => [b.name, b.layers.join(',')]), [
      ['c1', 'c1,n1,a1,p1'],
      ['c2', 'c2,a2,flat'],
      ['d1', 'd1,drop'],
      ['d2', 'd2'],
    ]);
  } finally {
    model.dispose();
  }
});

test('Keras 3 inbound nodes (keras_history) and a model order that is not topological', () => {
  const node = (...from: string[]) => [{ args: [from.length === 1 ? tensor(from[0] as string) : from.map(tensor)], kwargs: {} }];
  const tensor = (name: string) => ({ class_name: '__keras_tensor__', config: { shape: [null, 4], keras_history: [name, 0, 0] } });
  const topology = {
    class_name: 'Functional',
    config: {
      layers: [
        { class_name: 'InputLayer', name: 'x', config: { name: 'x', batch_shape: [null, 4] }, inbound_nodes: [] },
        { class_name: 'Dense', name: 'u', config: { name: 'u' }, inbound_nodes: node('x') },
        { class_name: 'Add', name: 'sum', config: { name: 'sum' }, inbound_nodes: node('x', 'v') },
        { class_name: 'Dense', name: 'v', config: { name: 'v' }, inbound_nodes: node('u') },
        { class_name: 'Dense', name: 'out', config: { name: 'out' }, inbound_nodes: node('sum') },
      ],
    },
  };
  const blocks = graphBlocks(graphLayersOfTopology(topology, 'config.json'));
  assert.deepEqual(blocks, [
    { name: 'sum', layers: ['x', 'u', 'v', 'sum'] },
    { name: 'out', layers: ['out'] },
  ]);
});

test('sharedPrefix stops at a name boundary', () => {
  assert.equal(sharedPrefix(['conv2_block1_1_conv', 'conv2_block1_add']), 'conv2_block1');
  assert.equal(sharedPrefix(['conv2d_1', 'conv2d_12']), null);
  assert.equal(sharedPrefix(['model/a', 'model/b']), 'model');
  assert.equal(sharedPrefix(['alone']), null);
});
