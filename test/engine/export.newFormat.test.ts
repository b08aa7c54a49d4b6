/**
 * The "new export format" path: a writer registered at run time (here, a one-file JSON bundle made by
 * this test) is a `--format` choice of `finetune-guide export`, writes beside labels/preprocessing/README,
 * and goes through the same reload check; an unknown `--format` exits 2 naming the flag and the choices.
 */
import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { exportFormatIds, registerExportWriter, type ExportWriter } from '../../src/engine/export';
import { runCli } from '../../src/host/cli/main';
import type { CliIO } from '../../src/host/cli/io';
import { branchyModel, saveRunModel } from '../fixtures/export/savedRun';
import { withTempDir } from '../fixtures/tempDir';

const BUNDLE = 'model-bundle.json';

/** Topology, weight specs and weights (base64) in one JSON file. */
const bundleWriter: ExportWriter = {
  id: 'json-bundle',
  label: 'one-file JSON bundle (test)',
  purpose: 'A format made up by this test.',
  async write({ model }, dir) {
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        const weights = Buffer.from(tf.io.CompositeArrayBuffer.join(artifacts.weightData)).toString('base64');
        await fs.writeFile(path.join(dir, BUNDLE), JSON.stringify({ modelTopology: artifacts.modelTopology, weightSpecs: artifacts.weightSpecs, weights }));
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    return [BUNDLE];
  },
  async reload(dir) {
    const bundle = JSON.parse(await fs.readFile(path.join(dir, BUNDLE), 'utf8')) as { modelTopology: object; weightSpecs: tf.io.WeightsManifestEntry[]; weights: string };
    const bytes = Buffer.from(bundle.weights, 'base64');
    const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    return tf.loadLayersModel({ load: async () => ({ modelTopology: bundle.modelTopology, weightSpecs: bundle.weightSpecs, weightData }) });
  },
  usage: () => ({ files: [[`\`${BUNDLE}\``, 'the model in one JSON file']], sections: ['## Loading the bundle\n\nParse it and hand it to tf.loadLayersModel.'] }),
};

function captureIO(): CliIO & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return { out: (t) => void (out += t), err: (t) => void (err += t), isTTY: false, stdout: () => out, stderr: () => err };
}

describe('a registered export writer', () => {
  let root = '';
  let runDir = '';
  let model: tf.LayersModel;

  before(async () => {
    await tf.setBackend('cpu');
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'ftg-new-format-'));
    runDir = path.join(root, 'run');
    model = branchyModel(13);
    await saveRunModel(model, runDir);
    registerExportWriter(bundleWriter);
  });
  after(async () => {
    model.dispose();
    await fs.rm(root, { recursive: true, force: true });
  });

  it('is a --format choice, writes its file beside labels, preprocessing and README, and passes the reload check', async () => {
    assert.deepEqual(exportFormatIds(), ['tfjs', 'keras', 'h5', 'json-bundle']);
    const dest = path.join(root, 'bundled');
    const io = captureIO();
    assert.equal(await runCli(['export', runDir, '--out', dest, '--format', 'json-bundle'], io), 0, io.stderr());
    assert.deepEqual((await fs.readdir(dest)).sort(), ['README.md', 'labels.json', BUNDLE, 'preprocessing.json'].sort());
    assert.match(io.stdout(), /Exported \(json-bundle\) to .*model-bundle\.json, labels\.json, preprocessing\.json, README\.md/);
    assert.match(io.stdout(), /Checked: the reloaded model predicts like the trained one on 4 generated inputs/);
    const readme = await fs.readFile(path.join(dest, 'README.md'), 'utf8');
    assert.match(readme, /Format: one-file JSON bundle \(test\)\./);
    assert.match(readme, /\| `model-bundle\.json` \| the model in one JSON file \|/);
    assert.match(readme, /## Loading the bundle/);
  });

  it('an unknown --format exits 2 naming the flag and every choice, and writes nothing', async () => {
    await withTempDir('ftg-bad-format-', async (dir) => {
      const dest = path.join(dir, 'out');
      const io = captureIO();
      assert.equal(await runCli(['export', runDir, '--out', dest, '--format', 'onnx'], io), 2);
      assert.equal(io.stderr(), 'command line (--format): "onnx" is not an export format. Use one of: tfjs, keras, h5, json-bundle.\n');
      await assert.rejects(fs.access(dest));
      assert.deepEqual(await fs.readdir(dir), []);
    });
  });
});
