/**
 * The Keras writers' files, read back with h5wasm and fflate (not with the project's Keras readers): the
 * layouts Keras writes, names and their order, shapes, and every weight bit-equal to the model's.
 */
import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { unzipSync, strFromU8 } from 'fflate';
import type { Dataset, Group } from 'h5wasm/node' with { 'resolution-mode': 'import' };
import { loadLayersModelFromDir, readModelFolder } from '../../src/engine/export';
import { exportWriter, exportWriters } from '../../src/engine/export/writers';
import { EXPORT_FORMATS } from '../../src/shared/exportFormats';
import { h5wasm } from '../../src/engine/export/writers/hdf5File';
import { snakeCase } from '../../src/engine/model/keras/flatten';
import { isUserError } from '../../src/shared/userError';
import { branchyModel, saveRunModel, sequentialModel } from '../fixtures/export/savedRun';
import { withTempDir } from '../fixtures/tempDir';

interface Exported {
  readonly model: tf.LayersModel;
  readonly dir: string;
}

/** Saves `model` as a run, then runs the writer `format` on the folder into a new `<root>/<format>-<model>-N`. */
async function writeWith(format: string, model: tf.LayersModel, root: string): Promise<Exported> {
  const dir = await fs.mkdtemp(path.join(root, `${format}-${model.name}-`));
  const runDir = `${dir}.run`;
  await saveRunModel(model, runDir);
  const folder = await readModelFolder(path.join(runDir, 'model'));
  const saved = await loadLayersModelFromDir(folder.dir);
  try {
    const files = await exportWriter(format).write({ folder, model: saved }, dir);
    assert.deepEqual((await fs.readdir(dir)).sort(), [...files].sort(), 'the writer lists exactly what it wrote (no temporary file left)');
  } finally {
    saved.dispose();
  }
  return { model, dir };
}

function bytesOf(values: ArrayLike<number> & { buffer: ArrayBufferLike; byteOffset: number; byteLength: number }): Buffer {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}

/** The dataset's values are the variable's, bit for bit, in the same shape. */
function assertSameWeight(dataset: Dataset | null, variable: tf.LayerVariable, where: string): void {
  assert.ok(dataset, `${where} exists`);
  assert.deepEqual(dataset.shape, variable.shape, `${where} shape`);
  assert.equal(dataset.dtype, '<f', `${where} is float32`);
  const expected = variable.read().dataSync() as Float32Array;
  assert.ok(bytesOf(dataset.value as Float32Array).equals(bytesOf(expected)), `${where} is bit-equal to ${variable.originalName}`);
}

function names(group: Group): string[] {
  return group.keys();
}

describe('export writers: Keras files as Keras writes them', () => {
  let root = '';
  let h5: Awaited<ReturnType<typeof h5wasm>>;
  const models: tf.LayersModel[] = [];

  before(async () => {
    await tf.setBackend('cpu');
    h5 = await h5wasm();
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'ftg-writers-'));
    models.push(branchyModel(), sequentialModel());
  });
  after(async () => {
    for (const model of models) model.dispose();
    await fs.rm(root, { recursive: true, force: true });
  });

  it('h5: root attributes, layer_names and weight_names in model order, model_weights/<layer>/<layer>/<var>:0 bit-equal', async () => {
    for (const source of models) {
      const { model, dir } = await writeWith('h5', source, root);
      const file = new h5.File(path.join(dir, 'model.h5'), 'r');
      try {
        assert.equal(file.attrs.keras_version.value, '2.15.0');
        assert.equal(file.attrs.backend.value, 'tensorflow');
        const config = JSON.parse(String(file.attrs.model_config.value)) as { class_name: string; config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
        assert.equal(config.class_name, model instanceof tf.Sequential ? 'Sequential' : 'Functional');
        assert.deepEqual(config.config.layers.map((l) => l.config.name), model.layers.map((l) => l.name));
        assert.doesNotMatch(JSON.stringify(config), /"distribution":"normal"/, 'tfjs "normal" is Keras\'s truncated_normal');
        const weights = file.get('model_weights') as Group;
        assert.deepEqual(weights.attrs.layer_names.value, model.layers.map((l) => l.name), 'layer_names in model order');
        for (const layer of model.layers) {
          const group = weights.get(layer.name) as Group;
          const expectedNames = layer.weights.map((w) => `${layer.name}/${w.originalName.split('/').pop()}:0`);
          assert.deepEqual([...((group.attrs.weight_names.value as string[]) ?? [])], expectedNames, `${layer.name} weight_names`);
          layer.weights.forEach((w, i) => assertSameWeight(weights.get(`${layer.name}/${expectedNames[i]}`) as Dataset, w, `model_weights/${layer.name}/${expectedNames[i]}`));
        }
      } finally {
        file.close();
      }
    }
  });

  it('keras: a stored zip of metadata.json, config.json, model.weights.h5 in that order', async () => {
    const { dir } = await writeWith('keras', models[0], root);
    const bytes = new Uint8Array(await fs.readFile(path.join(dir, 'model.keras')));
    const entries = unzipSync(bytes);
    assert.deepEqual(Object.keys(entries), ['metadata.json', 'config.json', 'model.weights.h5']);
    // Local file header: signature PK\3\4, compression method at offset 8 (0 = stored, as Python's zipfile writes).
    assert.equal(Buffer.from(bytes.subarray(0, 4)).toString('latin1'), 'PK\x03\x04');
    assert.equal(bytes[8] | (bytes[9] << 8), 0);
    const metadata = JSON.parse(strFromU8(entries['metadata.json'])) as Record<string, string>;
    assert.deepEqual(Object.keys(metadata), ['keras_version', 'date_saved']);
    assert.match(metadata.keras_version, /^3\.\d+\.\d+$/);
    assert.match(metadata.date_saved, /^\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d$/);
  });

  it('keras: config.json in Keras 3 serialisation, calls as {args, kwargs} over __keras_tensor__ with shapes', async () => {
    for (const source of models) {
      const { model, dir } = await writeWith('keras', source, root);
      const config = JSON.parse(strFromU8(unzipSync(new Uint8Array(await fs.readFile(path.join(dir, 'model.keras'))))['config.json']));
      assert.deepEqual([config.module, config.class_name, config.registered_name], ['keras.src.models.functional', 'Functional', 'Functional']);
      const layers = config.config.layers as {
        module: string;
        class_name: string;
        config: Record<string, unknown>;
        registered_name: null;
        name: string;
        build_config?: { input_shape: unknown };
        inbound_nodes: { args: unknown[]; kwargs: object }[];
      }[];
      const byName = new Map(layers.map((l) => [l.name, l]));
      assert.equal(layers[0].class_name, 'InputLayer');
      assert.deepEqual(layers[0].config.batch_shape, [null, 8, 8, 3]);
      assert.deepEqual(layers[0].inbound_nodes, []);
      assert.deepEqual(config.config.input_layers, [[layers[0].name, 0, 0]]);
      assert.deepEqual(config.config.output_layers, [[model.layers[model.layers.length - 1].name, 0, 0]]);
      for (const layer of layers.slice(1)) {
        assert.deepEqual([layer.module, layer.registered_name], ['keras.layers', null], layer.name);
        assert.deepEqual(layer.config.dtype, { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null });
        assert.equal(layer.config.name, layer.name);
        assert.equal('batch_input_shape' in layer.config, false, `${layer.name}: no tfjs input keys`);
        for (const [key, value] of Object.entries(layer.config)) {
          if (key.endsWith('_initializer')) assert.equal((value as { module: string }).module, 'keras.initializers', `${layer.name}.${key}`);
        }
        assert.equal(layer.inbound_nodes.length, 1);
        const [node] = layer.inbound_nodes;
        assert.deepEqual(node.kwargs, {});
        const inputs = (Array.isArray(node.args[0]) ? node.args[0] : [node.args[0]]) as { class_name: string; config: { shape: unknown; dtype: string; keras_history: [string, number, number] } }[];
        for (const tensor of inputs) {
          assert.equal(tensor.class_name, '__keras_tensor__');
          const producer = tensor.config.keras_history[0];
          assert.ok(byName.has(producer), `${layer.name} is called on ${producer}, a layer of the model`);
          const expectedShape = producer === layers[0].name ? [null, 8, 8, 3] : model.getLayer(producer).outputShape;
          assert.deepEqual(tensor.config.shape, expectedShape, `${layer.name}: shape of ${producer}'s output`);
        }
        const built = inputs.length === 1 ? inputs[0].config.shape : inputs.map((t) => t.config.shape);
        assert.deepEqual(layer.build_config, { input_shape: built }, `${layer.name} build_config`);
      }
      if (!(model instanceof tf.Sequential)) {
        assert.equal((byName.get('join')?.inbound_nodes[0].args[0] as unknown[]).length, 3, 'Add is called on a list of its three inputs');
      }
    }
  });

  it('keras: model.weights.h5 has layers/<class in snake case, counted>/vars/<i>, bit-equal, in each layer\'s weight order', async () => {
    for (const source of models) {
      const { model, dir } = await writeWith('keras', source, root);
      const weightsFile = path.join(dir, 'weights.h5');
      await fs.writeFile(weightsFile, unzipSync(new Uint8Array(await fs.readFile(path.join(dir, 'model.keras'))))['model.weights.h5']);
      const file = new h5.File(weightsFile, 'r');
      try {
        assert.deepEqual(names(file.get('vars') as Group), [], 'the model itself has no variables');
        const layers = file.get('layers') as Group;
        // The config's layer order (input layer first), each named as Keras's saving_lib names list entries.
        const ordered = model instanceof tf.Sequential ? [null, ...model.layers] : model.layers;
        const expected =
          model instanceof tf.Sequential
            ? ['input_layer', 'flatten', 'dense', 'dense_1']
            : ['input_layer', 'conv2d', 'batch_normalization', 're_lu', 'conv2d_1', 'conv2d_2', 'depthwise_conv2d', 'add', 'global_average_pooling2d', 'dropout', 'dense'];
        assert.deepEqual([...names(layers)].sort(), [...expected].sort());
        ordered.forEach((layer, index) => {
          const vars = layers.get(`${expected[index]}/vars`) as Group;
          assert.ok(vars, `layers/${expected[index]}/vars exists`);
          const variables = layer?.weights ?? [];
          assert.deepEqual(names(vars).sort((a, b) => Number(a) - Number(b)), variables.map((_, i) => String(i)));
          variables.forEach((v, i) => assertSameWeight(vars.get(String(i)) as Dataset, v, `layers/${expected[index]}/vars/${i}`));
        });
        if (!(model instanceof tf.Sequential)) {
          // conv2d_1 is left_conv (1x1) and conv2d_2 right_conv (3x3): numbered in the model's layer order.
          assert.deepEqual((layers.get('conv2d_1/vars/0') as Dataset).shape, [1, 1, 4, 4]);
          assert.deepEqual((layers.get('conv2d_2/vars/0') as Dataset).shape, [3, 3, 4, 4]);
        }
      } finally {
        file.close();
      }
    }
  });

  it('has one built-in writer per format the pickers offer, described the same', () => {
    assert.deepEqual(
      exportWriters().map((w) => [w.id, w.label, w.purpose]),
      EXPORT_FORMATS.map((f) => [f.id, f.label, f.purpose]),
    );
  });

  it("names layer groups with Keras's to_snake_case", () => {
    const cases: [string, string][] = [
      ['Conv2D', 'conv2d'],
      ['BatchNormalization', 'batch_normalization'],
      ['ReLU', 're_lu'],
      ['DepthwiseConv2D', 'depthwise_conv2d'],
      ['GlobalAveragePooling2D', 'global_average_pooling2d'],
      ['InputLayer', 'input_layer'],
      ['ZeroPadding2D', 'zero_padding2d'],
    ];
    for (const [className, snake] of cases) assert.equal(snakeCase(className), snake, className);
  });

  it('refuses a nested model, naming the layer and the fix; nothing is left behind', async () => {
    const inner = sequentialModel(9);
    const input = tf.input({ shape: [8, 8, 3] });
    const outer = tf.model({ inputs: input, outputs: inner.apply(input) as tf.SymbolicTensor, name: 'outer' });
    await withTempDir('ftg-nested-', async (dir) => {
      for (const format of ['keras', 'h5']) {
        await assert.rejects(writeWith(format, outer, dir), (error: unknown) => {
          assert.ok(isUserError(error), String(error));
          assert.match(error.message, /model\.json: has a layer "mlp" that is itself a Sequential model.*--format tfjs/);
          return true;
        });
        const [written] = (await fs.readdir(dir)).filter((name) => name.startsWith(`${format}-outer-`) && !name.endsWith('.run'));
        assert.deepEqual(await fs.readdir(path.join(dir, written)), [], `${format}: no partial file`);
      }
    });
    inner.dispose();
  });
});
