/**
 * `--format keras`: a Keras 3 `.keras` archive as `keras.saving.save_model` writes it: a stored
 * (uncompressed) zip of `metadata.json`, `config.json` and `model.weights.h5`. In the weights file each
 * layer's variables are `layers/<name>/vars/<i>`, where Keras 3 names a layer by its class in snake case
 * with a per-class counter (`conv2d`, `conv2d_1`, ...) in the model's layer order, not by its own name.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { KERAS_FORMAT } from '../../../shared/exportFormats';
import { MODEL_JSON } from '../modelFolder';
import type { ExportWriter } from './exportWriter';
import { writeFloat32, writeHdf5 } from './hdf5File';
import { keras3Config, KERAS3_VERSION } from './keras3Config';
import { layerWeights, type JsonObject, type LayerWeights } from './kerasLayers';
import { pythonUsage } from './pythonUsage';
import { reloadKerasFile } from './reloadKeras';
import { snakeCase } from '../../model/keras/flatten';

export const KERAS_FILE = 'model.keras';
export const KERAS_CONFIG = 'config.json';
export const KERAS_METADATA = 'metadata.json';
export const KERAS_WEIGHTS = 'model.weights.h5';

export const kerasWriter: ExportWriter = {
  ...KERAS_FORMAT,
  async write({ folder, model }, dir) {
    const config = keras3Config(model, path.join(folder.dir, MODEL_JSON));
    const byName = new Map(layerWeights(model).map((layer) => [layer.name, layer]));
    const layers = ((config.config as JsonObject).layers as JsonObject[]).map(
      (layer): LayerWeights => byName.get(String(layer.name)) ?? { name: String(layer.name), className: String(layer.class_name), variables: [] },
    );
    const weightsFile = path.join(dir, `.${KERAS_WEIGHTS}`);
    try {
      await writeHdf5(weightsFile, (root) => {
        root.create_group('vars'); // the model's own variables: none
        const group = root.create_group('layers');
        for (const [name, layer] of kerasLayerPaths(layers)) {
          const vars = group.create_group(name).create_group('vars');
          layer.variables.forEach((v, i) => writeFloat32(vars, String(i), v.shape, v.values));
        }
      });
      const archive = zipSync(
        {
          [KERAS_METADATA]: strToU8(JSON.stringify({ keras_version: KERAS3_VERSION, date_saved: kerasDate(new Date()) })),
          [KERAS_CONFIG]: strToU8(JSON.stringify(config)),
          [KERAS_WEIGHTS]: new Uint8Array(await fs.readFile(weightsFile)),
        },
        { level: 0 },
      );
      await fs.writeFile(path.join(dir, KERAS_FILE), archive, { flag: 'wx' });
    } finally {
      await fs.rm(weightsFile, { force: true });
    }
    return [KERAS_FILE];
  },
  reload: (dir) => reloadKerasFile(path.join(dir, KERAS_FILE)),
  usage: () => ({
    files: [[`\`${KERAS_FILE}\``, 'the model: Keras 3 archive (config.json, metadata.json, model.weights.h5)']],
    sections: pythonUsage(KERAS_FILE, ['import keras  # Keras 3, with TensorFlow, JAX or PyTorch', '', `model = keras.saving.load_model("${KERAS_FILE}")`]),
  }),
};

/** `[group name, layer]` in model order, named as Keras 3's saving_lib names the entries of a layer list. */
export function kerasLayerPaths(layers: readonly LayerWeights[]): [string, LayerWeights][] {
  const used = new Map<string, number>();
  return layers.map((layer) => {
    const base = snakeCase(layer.className);
    const count = used.get(base);
    used.set(base, count === undefined ? 0 : count + 1);
    return [count === undefined ? base : `${base}_${count + 1}`, layer];
  });
}


/** `date_saved` as Keras writes it: local time, `%Y-%m-%d@%H:%M:%S`. */
function kerasDate(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}@${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}
