/**
 * Optional: the exported Keras files opened as Keras opens them, with Python's zipfile and h5py (Debian's
 * python3-h5py), reading names the way Keras's loaders do. Skipped, with a note, when no python3 has h5py.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { exportWriter, loadLayersModelFromDir, readModelFolder } from '../../src/engine/export';
import { branchyModel, saveRunModel } from '../fixtures/export/savedRun';
import { withTempDir } from '../fixtures/tempDir';

/** Prints what Keras's loaders see: HDF5 (legacy) or .keras, every weight as base64 float32 bytes. */
const READER = String.raw`
import base64, io, json, sys, zipfile
import h5py, numpy as np

def text(v):
    return v.decode("utf8") if hasattr(v, "decode") else str(v)

def names(attrs, key):
    return [text(n) for n in attrs[key]] if key in attrs else []

def b64(dataset):
    return {"shape": list(dataset.shape), "dtype": str(dataset.dtype), "data": base64.b64encode(np.asarray(dataset, dtype="<f4").tobytes()).decode()}

kind, file = sys.argv[1], sys.argv[2]
if kind == "h5":
    f = h5py.File(file, "r")
    g = f["model_weights"]
    layers = []
    for layer in names(g.attrs, "layer_names"):
        weight_names = names(g[layer].attrs, "weight_names")
        layers.append({"name": layer, "weights": [dict(name=w, **b64(g[layer][w])) for w in weight_names]})
    print(json.dumps({"keras_version": text(f.attrs["keras_version"]), "backend": text(f.attrs["backend"]),
                      "model_config": json.loads(text(f.attrs["model_config"])), "layers": layers}))
else:
    z = zipfile.ZipFile(file)
    infos = z.infolist()
    w = h5py.File(io.BytesIO(z.read("model.weights.h5")), "r")
    groups = {}
    for layer in w["layers"]:
        vars_ = w["layers"][layer]["vars"]
        groups[layer] = [b64(vars_[k]) for k in sorted(vars_, key=int)]
    print(json.dumps({"entries": [[i.filename, i.compress_type] for i in infos], "config": json.loads(z.read("config.json")),
                      "metadata": json.loads(z.read("metadata.json")), "root_vars": len(w["vars"]), "layers": groups}))
`;

function pythonWithH5py(): string | undefined {
  for (const candidate of ['python3', '/usr/bin/python3']) {
    const probe = spawnSync(candidate, ['-c', 'import h5py, numpy'], { encoding: 'utf8' });
    if (probe.status === 0) return candidate;
  }
  return undefined;
}

function base64Of(variable: tf.LayerVariable): string {
  const values = variable.read().dataSync() as Float32Array;
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

const python = pythonWithH5py();

describe('export writers: read by Python h5py as Keras reads them', { skip: python ? false : 'no python3 with h5py (apt-get install python3-h5py): skipped' }, () => {
  let model: tf.LayersModel;
  let saved: tf.LayersModel;
  let folder: Awaited<ReturnType<typeof readModelFolder>>;
  let runDir = '';

  before(async () => {
    await tf.setBackend('cpu');
    model = branchyModel(21);
    runDir = await fs.mkdtemp(path.join(os.tmpdir(), 'ftg-h5py-run-'));
    await saveRunModel(model, runDir);
    folder = await readModelFolder(path.join(runDir, 'model'));
    saved = await loadLayersModelFromDir(folder.dir);
  });
  after(async () => {
    model.dispose();
    saved.dispose();
    await fs.rm(runDir, { recursive: true, force: true });
  });

  function read(kind: 'h5' | 'keras', file: string): Record<string, unknown> {
    const result = spawnSync(python as string, ['-c', READER, kind, file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    assert.equal(result.status, 0, result.stderr);
    return JSON.parse(result.stdout) as Record<string, unknown>;
  }

  it('model.h5: Keras 2 attributes and weights, by layer_names and weight_names', async () => {
    await withTempDir('ftg-h5py-', async (dir) => {
      await exportWriter('h5').write({ folder, model: saved }, dir);
      const seen = read('h5', path.join(dir, 'model.h5')) as { keras_version: string; backend: string; model_config: { class_name: string }; layers: { name: string; weights: { name: string; shape: number[]; dtype: string; data: string }[] }[] };
      assert.deepEqual([seen.keras_version, seen.backend, seen.model_config.class_name], ['2.15.0', 'tensorflow', 'Functional']);
      assert.deepEqual(seen.layers.map((l) => l.name), model.layers.map((l) => l.name));
      for (const [i, layer] of model.layers.entries()) {
        assert.deepEqual(seen.layers[i].weights.map((w) => [w.shape, w.dtype, w.data]), layer.weights.map((v) => [v.shape, 'float32', base64Of(v)]), layer.name);
      }
    });
  });

  it('model.keras: stored zip entries, config and metadata JSON, layers/<name>/vars/<i> bit-equal', async () => {
    await withTempDir('ftg-h5py-', async (dir) => {
      await exportWriter('keras').write({ folder, model: saved }, dir);
      const seen = read('keras', path.join(dir, 'model.keras')) as { entries: [string, number][]; config: { class_name: string }; metadata: Record<string, string>; root_vars: number; layers: Record<string, { shape: number[]; data: string }[]> };
      assert.deepEqual(seen.entries, [['metadata.json', 0], ['config.json', 0], ['model.weights.h5', 0]]);
      assert.equal(seen.config.class_name, 'Functional');
      assert.equal(seen.root_vars, 0);
      const convs = model.layers.filter((l) => l.getClassName() === 'Conv2D');
      assert.deepEqual(seen.layers.conv2d.map((v) => v.data), convs[0].weights.map(base64Of));
      assert.deepEqual(seen.layers.conv2d_1.map((v) => v.data), convs[1].weights.map(base64Of));
      assert.deepEqual(seen.layers.conv2d_2.map((v) => v.data), convs[2].weights.map(base64Of));
      assert.deepEqual(seen.layers.batch_normalization.map((v) => v.data), model.getLayer('stem_bn').weights.map(base64Of));
      assert.deepEqual(seen.layers.input_layer, []);
    });
  });
});
