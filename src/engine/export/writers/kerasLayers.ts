/**
 * What both Keras writers need from a TensorFlow.js model: its topology as Keras-style JSON (tfjs already
 * serialises layers as Keras 2 does), checked to be flat, and each layer's weights in the layer's order.
 */
import * as tf from '@tensorflow/tfjs';
import { UserError } from '../../../shared/userError';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** `[layer name, node index, tensor index, call kwargs]`, as tfjs and Keras 2 write an inbound tensor. */
export type InboundTensor = [string, number, number, JsonObject?];

export interface LayerJson {
  readonly name: string;
  readonly class_name: string;
  readonly config: JsonObject;
  /** One entry per call of the layer inside the model; each lists the tensors it was called on. */
  readonly inbound_nodes: InboundTensor[][];
}

/** A model's topology in functional form: a Sequential is given its input layer and chain. */
export interface FunctionalJson {
  readonly name: string;
  readonly layers: readonly LayerJson[];
  readonly input_layers: [string, number, number][];
  readonly output_layers: [string, number, number][];
}

export interface LayerVariableValue {
  /** The variable's own name, e.g. `kernel`, `moving_mean`. */
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

export interface LayerWeights {
  readonly name: string;
  readonly className: string;
  /** In the layer's weight order (kernel before bias; gamma, beta, moving mean, moving variance). */
  readonly variables: readonly LayerVariableValue[];
}

const CONTAINER_CLASSES = new Set(['Sequential', 'Model', 'Functional']);

/** The model's topology as tfjs serialises it (snake_case keys, Keras 2 layout), checked to be flat. */
export function modelTopology(model: tf.LayersModel, modelFile: string): { className: string; config: JsonObject } {
  const json = model.toJSON(null, false) as unknown as { class_name: string; config: JsonObject };
  const layers = (json.config.layers ?? []) as unknown as LayerJson[];
  const nested = layers.find((layer) => CONTAINER_CLASSES.has(layer.class_name));
  if (nested) {
    throw new UserError(
      `has a layer "${nested.config.name}" that is itself a ${nested.class_name} model; Keras export writes flat models only.`,
      modelFile,
      'Export with --format tfjs, or import the model again so that its nested models are flattened.',
    );
  }
  return { className: json.class_name, config: json.config };
}

/** The topology as a functional graph; a Sequential gets an explicit input layer, as Keras 3 keeps it. */
export function functionalTopology(model: tf.LayersModel, modelFile: string): FunctionalJson {
  const { className, config } = modelTopology(model, modelFile);
  const name = String(config.name ?? 'model');
  if (className !== 'Sequential') {
    return {
      name,
      layers: config.layers as unknown as LayerJson[],
      input_layers: config.input_layers as unknown as [string, number, number][],
      output_layers: config.output_layers as unknown as [string, number, number][],
    };
  }
  const chain = config.layers as unknown as { class_name: string; config: JsonObject }[];
  const first = chain[0]?.config ?? {};
  const taken = new Set(chain.map((layer) => String(layer.config.name)));
  let inputName = 'input_layer';
  for (let i = 1; taken.has(inputName); i++) inputName = `input_layer_${i}`;
  const input: LayerJson = {
    name: inputName,
    class_name: 'InputLayer',
    config: { batch_input_shape: first.batch_input_shape ?? null, dtype: first.dtype ?? 'float32', sparse: false, name: inputName },
    inbound_nodes: [],
  };
  const layers: LayerJson[] = [input];
  for (const layer of chain) {
    const previous = layers[layers.length - 1].name;
    layers.push({ name: String(layer.config.name), class_name: layer.class_name, config: layer.config, inbound_nodes: [[[previous, 0, 0, {}]]] });
  }
  return { name, layers, input_layers: [[inputName, 0, 0]], output_layers: [[layers[layers.length - 1].name, 0, 0]] };
}

/** Each layer of `model.layers` (tfjs and Keras list them in the same depth order) with its weight values. */
export function layerWeights(model: tf.LayersModel): LayerWeights[] {
  return model.layers.map((layer) => ({
    name: layer.name,
    className: layer.getClassName(),
    variables: layer.weights.map((variable) => ({
      name: variable.originalName.split('/').pop() ?? variable.originalName,
      shape: variable.shape.map((d) => d ?? 0),
      // read() is the variable itself (not a copy): nothing to dispose.
      values: Float32Array.from(variable.read().dataSync() as Float32Array),
    })),
  }));
}

const KERAS_OBJECT_MODULES: readonly (readonly [string, string])[] = [
  ['_initializer', 'keras.initializers'],
  ['_regularizer', 'keras.regularizers'],
  ['_constraint', 'keras.constraints'],
];

/**
 * A layer config with its initializer/regularizer/constraint objects as Keras writes them. tfjs calls a
 * truncated normal "normal"; Keras 3 refuses that word, Keras 2 reads both.
 */
export function kerasObjectsOf(config: JsonObject, withModule: boolean): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(config)) {
    const module = KERAS_OBJECT_MODULES.find(([suffix]) => key.endsWith(suffix))?.[1];
    if (module && value !== null && typeof value === 'object' && !Array.isArray(value) && typeof value.class_name === 'string') {
      const inner = { ...((value.config ?? {}) as JsonObject) };
      if (value.class_name === 'VarianceScaling' && inner.distribution === 'normal') inner.distribution = 'truncated_normal';
      out[key] = withModule ? { module, class_name: value.class_name, config: inner, registered_name: null } : { class_name: value.class_name, config: inner };
    } else {
      out[key] = value;
    }
  }
  return out;
}
