/**
 * `config.json` of a Keras 3 `.keras` archive, from a TensorFlow.js model: every object in Keras 3's
 * serialisation (`module`, `class_name`, `config`, `registered_name`), layers with a `build_config`,
 * calls as `{ args, kwargs }` over `__keras_tensor__` objects that carry their shape, as
 * `keras.saving.save_model` writes them.
 */
import type * as tf from '@tensorflow/tfjs';
import { functionalTopology, kerasObjectsOf, type InboundTensor, type Json, type JsonObject, type LayerJson } from './kerasLayers';

type Shape = (number | null)[];

/** The Keras 3 release whose saving layout these files follow. */
export const KERAS3_VERSION = '3.5.0';

const FLOAT32_POLICY: JsonObject = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };

/** Keys tfjs writes that Keras 3 layers refuse or call differently. */
const INPUT_KEYS = ['batch_input_shape', 'input_shape', 'input_dim'];
const RENAMED_KEYS: Readonly<Record<string, Readonly<Record<string, string>>>> = { LeakyReLU: { alpha: 'negative_slope' } };

export function keras3Config(model: tf.LayersModel, modelFile: string): JsonObject {
  const graph = functionalTopology(model, modelFile);
  // Output shapes per layer and call (node), filled in graph order: tfjs lists layers inputs-first.
  const shapes = new Map<string, Shape[][]>();
  const shapeOf = ([name, node, tensor]: InboundTensor): Shape => {
    const shape = shapes.get(name)?.[node]?.[tensor];
    if (!shape) throw new Error(`keras export: the output shape of ${name} (call ${node}) is not known before its use`);
    return shape;
  };
  const kerasTensor = (inbound: InboundTensor): JsonObject => ({
    class_name: '__keras_tensor__',
    config: { shape: shapeOf(inbound), dtype: 'float32', keras_history: [inbound[0], inbound[1], inbound[2]] },
  });

  const layers = graph.layers.map((layer): JsonObject => {
    if (layer.class_name === 'InputLayer') {
      const batchShape = (layer.config.batch_input_shape ?? layer.config.batch_shape) as Shape;
      shapes.set(layer.name, [[batchShape]]);
      return {
        module: 'keras.layers',
        class_name: 'InputLayer',
        config: { batch_shape: batchShape, dtype: typeof layer.config.dtype === 'string' ? layer.config.dtype : 'float32', sparse: false, name: layer.name },
        registered_name: null,
        name: layer.name,
        inbound_nodes: [],
      };
    }
    const live = model.getLayer(layer.name);
    const outputs: Shape[][] = [];
    const inputShapes: Json[] = [];
    const nodes = layer.inbound_nodes.map((node): JsonObject => {
      const inputs = node.map(shapeOf);
      const output = live.computeOutputShape(inputs.length === 1 ? inputs[0] : inputs) as Shape | Shape[];
      outputs.push(Array.isArray(output[0]) ? (output as Shape[]) : [output as Shape]);
      inputShapes.push(inputs.length === 1 ? inputs[0] : inputs);
      return { args: [node.length === 1 ? kerasTensor(node[0]) : node.map(kerasTensor)], kwargs: { ...(node[0][3] ?? {}) } };
    });
    shapes.set(layer.name, outputs);
    return {
      module: 'keras.layers',
      class_name: layer.class_name,
      config: keras3LayerConfig(layer),
      registered_name: null,
      ...(inputShapes.length > 0 ? { build_config: { input_shape: inputShapes[0] } } : {}),
      name: layer.name,
      inbound_nodes: nodes,
    };
  });

  return {
    module: 'keras.src.models.functional',
    class_name: 'Functional',
    config: { name: graph.name, trainable: true, layers, input_layers: graph.input_layers, output_layers: graph.output_layers },
    registered_name: 'Functional',
    build_config: { input_shape: null },
    compile_config: null,
  };
}

function keras3LayerConfig(layer: LayerJson): JsonObject {
  const config = kerasObjectsOf(layer.config, true);
  for (const key of INPUT_KEYS) delete config[key];
  for (const [from, to] of Object.entries(RENAMED_KEYS[layer.class_name] ?? {})) {
    if (from in config) {
      config[to] = config[from];
      delete config[from];
    }
  }
  const dtype = layer.config.dtype;
  return {
    ...config,
    name: layer.name,
    trainable: config.trainable ?? true,
    dtype: typeof dtype === 'string' && dtype !== 'float32' ? { ...FLOAT32_POLICY, config: { name: dtype } } : FLOAT32_POLICY,
  };
}
