/**
 * `--format h5`: a Keras 2 style HDF5 file, as `model.save('model.h5')` in TensorFlow 2.x writes it.
 * Root attributes `keras_version`, `backend`, `model_config` (the topology, which tfjs already writes in
 * Keras 2's layout); `model_weights/<layer>/<layer>/<var>:0` datasets, with `layer_names` and each
 * layer's `weight_names` attributes in model order (Keras loads weights by that order, not by name).
 */
import * as path from 'node:path';
import { H5_FORMAT } from '../../../shared/exportFormats';
import { MODEL_JSON } from '../modelFolder';
import type { ExportWriter } from './exportWriter';
import { writeFloat32, writeHdf5, writeNames } from './hdf5File';
import { kerasObjectsOf, layerWeights, modelTopology, type JsonObject, type LayerJson } from './kerasLayers';
import { pythonUsage } from './pythonUsage';
import { reloadKerasFile } from './reloadKeras';

export const H5_FILE = 'model.h5';

/** The Keras 2 release whose HDF5 layout these files follow (the last before Keras 3). */
export const KERAS2_VERSION = '2.15.0';
const BACKEND = 'tensorflow';

export const h5Writer: ExportWriter = {
  ...H5_FORMAT,
  async write({ folder, model }, dir) {
    const modelConfig = keras2ModelConfig(modelTopology(model, path.join(folder.dir, MODEL_JSON)));
    const layers = layerWeights(model);
    await writeHdf5(path.join(dir, H5_FILE), (root) => {
      root.create_attribute('keras_version', KERAS2_VERSION);
      root.create_attribute('backend', BACKEND);
      root.create_attribute('model_config', JSON.stringify(modelConfig));
      const weights = root.create_group('model_weights');
      writeNames(weights, 'layer_names', layers.map((layer) => layer.name));
      weights.create_attribute('backend', BACKEND);
      weights.create_attribute('keras_version', KERAS2_VERSION);
      for (const layer of layers) {
        const group = weights.create_group(layer.name);
        writeNames(group, 'weight_names', layer.variables.map((v) => `${layer.name}/${v.name}:0`));
        if (layer.variables.length === 0) continue;
        const scope = group.create_group(layer.name);
        for (const v of layer.variables) writeFloat32(scope, `${v.name}:0`, v.shape, v.values);
      }
    });
    return [H5_FILE];
  },
  reload: (dir) => reloadKerasFile(path.join(dir, H5_FILE)),
  usage: () => ({
    files: [[`\`${H5_FILE}\``, 'the model: Keras HDF5 (topology and weights, Keras 2 layout)']],
    sections: pythonUsage(H5_FILE, [
      'import tensorflow as tf  # TensorFlow 2.x (Keras 2)',
      '',
      `model = tf.keras.models.load_model("${H5_FILE}")`,
      `# With Keras 3 instead: import keras; model = keras.models.load_model("${H5_FILE}")`,
    ]),
  }),
};

/** `{ class_name, config }` as Keras 2 stores it: a tfjs "Model" is Keras 2's "Functional". */
function keras2ModelConfig(topology: { className: string; config: JsonObject }): JsonObject {
  const layers = (topology.config.layers as unknown as LayerJson[]).map((layer) => ({ ...layer, config: kerasObjectsOf(layer.config, false) }));
  return {
    class_name: topology.className === 'Model' ? 'Functional' : topology.className,
    config: { ...topology.config, layers: layers as unknown as JsonObject[] },
  };
}
