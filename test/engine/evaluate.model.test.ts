import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import {
  computeEvaluation,
  evaluateModel,
  readEvaluation,
  writeEvaluation,
  type EvaluationDataset,
  type LabelledBatch,
} from '../../src/engine/evaluate';
import { isUserError } from '../../src/shared/userError';
import { openDataset } from '../../src/engine/data';
import sharp from 'sharp';

// Each "image" is 1x1 with 3 channels; the model is softmax over them, so the predicted class is the
// channel with the largest pixel value and the expected results are known by reading the pixels.
const pixels = [
  [5, 0, 0], // true 0 -> 0
  [0, 5, 0], // true 1 -> 1
  [0, 0, 5], // true 2 -> 2
  [4, 0, 1], // true 2 -> 0
  [0, 3, 0], // true 0 -> 1
  [0, 0, 2], // true 2 -> 2
  [1, 0, 0], // true 0 -> 0
];
const truth = [0, 1, 2, 2, 0, 2, 0];
const files = pixels.map((_, i) => `img${i}.png`);

function fakeDataset(): EvaluationDataset & { requested: { split: string; augment: boolean; shuffle: boolean }[] } {
  const requested: { split: string; augment: boolean; shuffle: boolean }[] = [];
  return {
    classes: ['r', 'g', 'b'],
    requested,
    async *batches(split, batchSize, options): AsyncGenerator<LabelledBatch> {
      requested.push({ split, augment: options?.augment ?? true, shuffle: options?.shuffle ?? true });
      for (let start = 0; start < pixels.length; start += batchSize) {
        const end = Math.min(start + batchSize, pixels.length);
        const rows = pixels.slice(start, end);
        yield {
          xs: tf.tensor4d(rows.flat(), [rows.length, 1, 1, 3]),
          ys: tf.tidy(() => tf.oneHot(tf.tensor1d(truth.slice(start, end), 'int32'), 3) as tf.Tensor2D),
          files: files.slice(start, end),
        };
      }
    },
  };
}

function softmaxModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.flatten({ inputShape: [1, 1, 3] }));
  model.add(tf.layers.activation({ activation: 'softmax' }));
  return model;
}

describe('evaluateModel', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  it('predicts every validation sample in order, un-augmented, and computes the metrics', async () => {
    const model = softmaxModel();
    const dataset = fakeDataset();
    const ev = await evaluateModel(model, dataset, 'validation', 3);
    assert.deepEqual(dataset.requested, [{ split: 'validation', augment: false, shuffle: false }]);
    assert.equal(ev.samples, 7);
    assert.deepEqual(ev.confusion, [
      [2, 1, 0],
      [0, 1, 0],
      [1, 0, 2],
    ]);
    assert.ok(Math.abs(ev.accuracy - 5 / 7) < 1e-12);
    assert.deepEqual(
      ev.worst.map((w) => [w.file, w.trueClass, w.predictedClass]),
      [
        ['img3.png', 'b', 'r'], // softmax([4,0,1])[0] = e^4 / (e^4 + 1 + e) = 0.936
        ['img4.png', 'r', 'g'], // softmax([0,3,0])[1] = e^3 / (e^3 + 2) = 0.909
      ],
    );
    assert.ok(Math.abs(ev.worst[0].confidence - Math.exp(4) / (Math.exp(4) + 1 + Math.E)) < 1e-6);
    assert.ok(Math.abs(ev.worst[1].confidence - Math.exp(3) / (Math.exp(3) + 2)) < 1e-6);
    model.dispose();
  });

  it('gives the same metrics whatever the batch size', async () => {
    const model = softmaxModel();
    const a = await evaluateModel(model, fakeDataset(), 'validation', 1);
    const b = await evaluateModel(model, fakeDataset(), 'validation', 32);
    assert.deepEqual(a.confusion, b.confusion);
    assert.deepEqual(a.topK, b.topK);
    model.dispose();
  });

  it('leaks no tensors: batches and predictions are disposed', async () => {
    const model = softmaxModel();
    await evaluateModel(model, fakeDataset(), 'validation', 2); // first call may build lasting state
    const before = tf.memory().numTensors;
    await evaluateModel(model, fakeDataset(), 'validation', 2);
    await evaluateModel(model, fakeDataset(), 'validation', 3);
    assert.equal(tf.memory().numTensors, before);
    model.dispose();
  });
});

describe('writeEvaluation', () => {
  let runDir = '';
  before(async () => {
    runDir = await fs.mkdtemp(path.join(os.tmpdir(), 'ftg-eval-'));
  });
  after(async () => {
    await fs.rm(runDir, { recursive: true, force: true });
  });

  const evaluation = computeEvaluation({ classes: ['x', 'y'], labels: [0, 1], probabilities: [[0.9, 0.1], [0.6, 0.4]], files: ['1', '2'] });

  it('adds one entry per phase, replaces a phase written again, and leaves no temp files', async () => {
    await writeEvaluation(runDir, 'train-head', evaluation);
    await writeEvaluation(runDir, 'fine-tune', { ...evaluation, accuracy: 1 });
    await writeEvaluation(runDir, 'train-head', { ...evaluation, accuracy: 0.25 });
    const file = await readEvaluation(runDir);
    assert.deepEqual(
      file?.phases.map((p) => [p.phase, p.accuracy]),
      [
        ['train-head', 0.25],
        ['fine-tune', 1],
      ],
    );
    assert.deepEqual(await fs.readdir(runDir), ['evaluation.json']);
    const raw = JSON.parse(await fs.readFile(path.join(runDir, 'evaluation.json'), 'utf8'));
    assert.deepEqual(raw.phases[1].confusion, [
      [1, 0],
      [1, 0],
    ]);
  });

  it('reads null when there is no evaluation yet', async () => {
    const empty = await fs.mkdtemp(path.join(os.tmpdir(), 'ftg-eval-'));
    assert.equal(await readEvaluation(empty), null);
    await fs.rm(empty, { recursive: true });
  });

  it('refuses to merge into a damaged evaluation.json and names it', async () => {
    const broken = await fs.mkdtemp(path.join(os.tmpdir(), 'ftg-eval-'));
    await fs.writeFile(path.join(broken, 'evaluation.json'), '{"phases": ');
    await assert.rejects(writeEvaluation(broken, 'p', evaluation), (error: unknown) => {
      assert.ok(isUserError(error));
      assert.match(error.message, /evaluation\.json: is not valid JSON\. Delete it/);
      return true;
    });
    assert.equal(await fs.readFile(path.join(broken, 'evaluation.json'), 'utf8'), '{"phases": ');
    await fs.rm(broken, { recursive: true });
  });
});

// Compile-time check: the data module's Dataset can be passed to evaluateModel as it is.
export type DatasetFitsEvaluation = import('../../src/engine/data/types').Dataset extends EvaluationDataset ? true : never;
const _datasetFits: DatasetFitsEvaluation = true;
void _datasetFits;

describe('evaluateModel on openDataset', () => {
  it("evaluates the data module's validation split with its real files", async () => {
    const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'ftg-eval-data-'));
    try {
      const colours = { blue: [20, 30, 220], red: [230, 25, 20] } as const;
      for (const [name, rgb] of Object.entries(colours)) {
        await fs.mkdir(path.join(folder, name));
        for (let i = 0; i < 4; i++) {
          const background = { r: rgb[0], g: rgb[1] + i, b: rgb[2] };
          await sharp({ create: { width: 8, height: 8, channels: 3, background } }).png().toFile(path.join(folder, name, `${i}.png`));
        }
      }
      const dataset = await openDataset({
        folder,
        inputSize: 8,
        validationSplit: 0.5,
        seed: 1,
        augmentation: { horizontalFlip: true, shift: 0.2, brightness: 0.5 },
      });
      // Mean colour -> logits (10 * blue, 10 * red): class 0 = 'blue', class 1 = 'red' (sorted folder names).
      const model = tf.sequential();
      model.add(tf.layers.globalAveragePooling2d({ inputShape: [8, 8, 3] }));
      model.add(tf.layers.dense({ units: 2, activation: 'softmax', useBias: false }));
      model.layers[1].setWeights([tf.tensor2d([[0, 10], [0, 0], [10, 0]])]);
      const ev = await evaluateModel(model, dataset, 'validation', 3);
      assert.deepEqual(ev.classes, ['blue', 'red']);
      assert.deepEqual(ev.confusion, [
        [2, 0],
        [0, 2],
      ]);
      // Always 'red': both blue validation images become mistakes, named by their files.
      model.layers[1].setWeights([tf.tensor2d([[0, 10], [0, 10], [0, 10]])]);
      const wrong = await evaluateModel(model, dataset, 'validation', 3);
      const blueValidation = dataset.validation.filter((sample) => sample.label === 0).map((sample) => sample.file);
      assert.deepEqual(wrong.worst.map((w) => w.file).sort(), blueValidation.sort());
      assert.ok(wrong.worst.every((w) => w.trueClass === 'blue' && w.predictedClass === 'red' && w.confidence > 0.99));
      model.dispose();
    } finally {
      await fs.rm(folder, { recursive: true, force: true });
    }
  });
});
