// The "new model format" path: a source registered by the test is chosen by the file's content, never
// by its name; content no source reads gets a message naming the file and the formats read.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { isUserError } from '../../src/shared/userError';
import { inspectModel, loadBaseModel, modelSources, readModelFile, registerModelSource, type ModelSource } from '../../src/engine/model';
import { savedTinyClassifier, tempDir } from '../fixtures/models/tinyModels';

/** A made-up single-file format: magic, then the JSON length (uint32 LE), the JSON, and the weight bytes. */
const MAGIC = Buffer.from('TINYMDL\0', 'latin1');

async function writeMadeUp(file: string, artifacts: tf.io.ModelArtifacts): Promise<void> {
  const json = Buffer.from(JSON.stringify({ modelTopology: artifacts.modelTopology, weightSpecs: artifacts.weightSpecs }));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length);
  const weights = Buffer.from(tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? new ArrayBuffer(0)));
  await writeFile(file, Buffer.concat([MAGIC, length, json, weights]));
}

const madeUpSource: ModelSource = {
  id: 'made-up',
  label: 'Made-up test format',
  extensions: ['tiny'],
  accepts: (head) => Buffer.from(head.subarray(0, MAGIC.length)).equals(MAGIC),
  async read(file) {
    const bytes = await readFile(file);
    const length = bytes.readUInt32LE(MAGIC.length);
    const start = MAGIC.length + 4;
    const { modelTopology, weightSpecs } = JSON.parse(bytes.subarray(start, start + length).toString('utf8')) as tf.io.ModelArtifacts;
    const weights = bytes.subarray(start + length);
    return { artifacts: { modelTopology, weightSpecs, weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) }, formatLabel: 'Made-up test format' };
  },
};

let unregister: () => void = () => undefined;
before(async () => {
  await tf.setBackend('cpu');
  unregister = registerModelSource(madeUpSource);
});
after(() => unregister());

test('a registered source reads its format, chosen by content even under a Keras name', async () => {
  const { dir, model, modelFile } = await savedTinyClassifier();
  const { artifacts, sourceId } = await readModelFile(modelFile);
  assert.equal(sourceId, 'tfjs-layers');
  // `.h5` is the name; the content is the made-up format.
  const madeUp = path.join(dir, 'model.h5');
  await writeMadeUp(madeUp, artifacts);
  assert.equal((await readModelFile(madeUp)).sourceId, 'made-up');

  const { model: loaded } = await loadBaseModel(madeUp, dir);
  const x = tf.randomUniform([2, 8, 8, 3], 0, 1, 'float32', 5);
  assert.deepEqual(await (loaded.predict(x) as tf.Tensor).array(), await (model.predict(x) as tf.Tensor).array());
  x.dispose();
  loaded.dispose();
  model.dispose();
  const inspected = await inspectModel(madeUp);
  assert.ok(inspected.layers.some((l) => l.name === 'block_2_conv'));

  // And a model.json renamed `.keras` is still read as what it is.
  const renamed = path.join(dir, 'model.keras');
  await copyFile(modelFile, renamed);
  assert.equal((await readModelFile(renamed)).sourceId, 'tfjs-layers');
});

test('content no source reads is refused naming the file and every format read', async () => {
  const file = path.join(tempDir(), 'model.bin');
  await writeFile(file, Buffer.from([0x00, 0x01, 0x02, 0x03, 0xff, 0xfe]));
  await assert.rejects(readModelFile(file), (error: unknown) => {
    assert.ok(isUserError(error), String(error));
    assert.ok(error.message.startsWith(file), error.message);
    for (const source of modelSources()) assert.ok(error.message.includes(source.label), `${source.label} not in: ${error.message}`);
    return true;
  });
});
