/**
 * Round trip: export a run in every format, import the files with the project's readers (chosen by
 * content, as an import would), predict on the same inputs: the same probabilities (max |diff| <= 1e-5).
 */
import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { exportModel, loadLayersModelFromDir } from '../../src/engine/export';
import { kerasH5Source } from '../../src/engine/model/sources/kerasH5';
import { kerasV3Source } from '../../src/engine/model/sources/kerasV3';
import { branchyModel, saveRunModel, sequentialModel } from '../fixtures/export/savedRun';

const IMPORTED_FILE: Readonly<Record<string, string>> = { keras: 'model.keras', h5: 'model.h5' };

/** Imports an exported folder the way a user's import would read its model file. */
async function importExport(dir: string, format: string): Promise<tf.LayersModel> {
  if (format === 'tfjs') return loadLayersModelFromDir(dir);
  const file = path.join(dir, IMPORTED_FILE[format]);
  const head = new Uint8Array((await fs.readFile(file)).subarray(0, 512));
  const source = [kerasH5Source, kerasV3Source].find((s) => s.accepts(head));
  assert.ok(source, `a reader accepts ${file}`);
  assert.equal(source.id, format === 'keras' ? 'keras-v3' : 'keras-h5');
  const { artifacts } = await source.read(file);
  return tf.loadLayersModel({ load: async () => artifacts });
}

describe('export -> import -> predict', () => {
  let root = '';
  before(async () => {
    await tf.setBackend('cpu');
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'ftg-roundtrip-'));
  });
  after(() => fs.rm(root, { recursive: true, force: true }));

  for (const [kind, make] of [
    ['functional (conv, BatchNorm, ReLU6, branches, depthwise, Add)', () => branchyModel(31)],
    ['Sequential MLP', () => sequentialModel(37)],
  ] as const) {
    for (const format of ['tfjs', 'keras', 'h5']) {
      it(`${format}: ${kind} predicts the same probabilities after the round trip`, async () => {
        const model = make();
        const runDir = path.join(root, `run-${format}-${model.name}`);
        await saveRunModel(model, runDir);
        const dest = path.join(root, `export-${format}-${model.name}`);
        const result = await exportModel(runDir, dest, { format });
        assert.equal(result.format, format);
        assert.ok(result.verification.maxAbsDifference <= 1e-5, 'the export checked itself');
        const imported = await importExport(dest, format);
        const x = tf.randomUniform([6, 8, 8, 3], 0, 1, 'float32', 41);
        const [expected, actual] = tf.tidy(() => [(model.predict(x) as tf.Tensor).arraySync() as number[][], (imported.predict(x) as tf.Tensor).arraySync() as number[][]]);
        const spread = Math.max(...expected.flat()) - Math.min(...expected.flat());
        assert.ok(spread > 0.05, `the probabilities differ between inputs and classes (spread ${spread}), so a wrong weight would show`);
        const maxDiff = Math.max(...actual.flat().map((p, i) => Math.abs(p - expected.flat()[i])));
        console.log(`round trip ${format} ${model.name}: max |diff| ${maxDiff.toExponential(2)}`);
        assert.ok(maxDiff <= 1e-5, `max |diff| ${maxDiff}`);
        tf.dispose(x);
        imported.dispose();
        model.dispose();
      });
    }
  }
});
