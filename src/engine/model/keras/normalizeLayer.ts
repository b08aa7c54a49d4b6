/**
 * Rewrites one Keras layer config (Keras 2.2 to 3.x, or tfjs) into the form tfjs-layers 4.22's
 * `modelFromJSON` builds: it reads `batch_input_shape` only, a string `dtype`, and inbound nodes
 * as `[[layer, node, tensor, kwargs], ...]`.
 */
import { isRecord, isTensorRef, type Json } from './json';

export type TensorRef = [string, number, number];

/** Dtypes tfjs computes in; Keras 3 mixed or half-precision policies run as float32. */
const TFJS_DTYPES = new Set(['float32', 'int32', 'bool']);

/** Keras names tfjs spells differently (initializers keep working when a weight is missing). */
const CLASS_ALIASES: Readonly<Record<string, string>> = { LecunNormal: 'LeCunNormal', LecunUniform: 'LeCunUniform' };
const ACTIVATION_ALIASES: Readonly<Record<string, string>> = { silu: 'swish' };

/** `"float32"` or a Keras 3 `DTypePolicy` object -> a dtype tfjs has. */
export function plainDtype(dtype: unknown): string {
  const name = isRecord(dtype) ? (isRecord(dtype.config) ? dtype.config.name : dtype.name) : dtype;
  if (typeof name !== 'string') return 'float32';
  return TFJS_DTYPES.has(name) ? name : 'float32';
}

/** Recursively drops Keras 3's `module`/`registered_name`/`shared_object_id` and renames known aliases. */
function cleanValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cleanValue);
  if (!isRecord(value)) return value;
  const out: Json = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key === 'module' || key === 'registered_name' || key === 'shared_object_id') continue;
    if (key === 'class_name' && typeof inner === 'string') out[key] = CLASS_ALIASES[inner] ?? inner;
    else out[key] = cleanValue(inner);
  }
  return out;
}

/** The input shape a layer states: `batch_input_shape` (Keras 2, tfjs), `batch_shape` (Keras 3) or `build_config.input_shape`. */
export function statedInputShape(layer: Json): (number | null)[] | undefined {
  const config = isRecord(layer.config) ? layer.config : {};
  for (const shape of [config.batch_input_shape, config.batch_shape, isRecord(layer.build_config) ? layer.build_config.input_shape : undefined]) {
    if (Array.isArray(shape) && (shape.length === 0 || !Array.isArray(shape[0]))) return shape as (number | null)[];
  }
  if (Array.isArray(config.input_shape)) return [null, ...(config.input_shape as (number | null)[])];
  return undefined;
}

/** A leaf layer's config as tfjs reads it; `keepInputShape` is false for layers that are not the graph's input. */
export function normalizeLayerConfig(layer: Json, name: string, keepInputShape: boolean): Json {
  const config = cleanValue(isRecord(layer.config) ? layer.config : {}) as Json;
  const shape = statedInputShape(layer);
  delete config.batch_shape;
  delete config.input_shape;
  delete config.batch_input_shape;
  if (keepInputShape && shape) config.batch_input_shape = shape;
  config.name = name;
  config.dtype = plainDtype(config.dtype);
  if (typeof config.activation === 'string') config.activation = ACTIVATION_ALIASES[config.activation] ?? config.activation;
  return config;
}

/** Every `[layer, node, tensor]` in a Keras 3 call argument, in order (`__keras_tensor__` objects hold `keras_history`). */
function kerasTensors(value: unknown, into: TensorRef[]): TensorRef[] {
  if (Array.isArray(value)) {
    for (const item of value) kerasTensors(item, into);
  } else if (isRecord(value)) {
    const history = isRecord(value.config) ? value.config.keras_history : undefined;
    if (value.class_name === '__keras_tensor__' && isTensorRef(history)) into.push([history[0], history[1], history[2]]);
    else for (const inner of Object.values(value)) kerasTensors(inner, into);
  }
  return into;
}

/** One inbound node (one call of the layer) as the list of tensors it was called on. */
export function nodeInputs(node: unknown): TensorRef[] {
  if (isRecord(node)) {
    const fromArgs = kerasTensors(node.args, []);
    return fromArgs.length > 0 ? fromArgs : kerasTensors(node.kwargs, []);
  }
  if (Array.isArray(node)) {
    if (isTensorRef(node)) return [[node[0], node[1], node[2]]];
    return node.filter(isTensorRef).map((ref) => [ref[0], ref[1], ref[2]]);
  }
  return [];
}

/** A layer's inbound nodes, each as its input tensors (Keras 2/tfjs lists or Keras 3 `{args, kwargs}`). */
export function inboundNodes(layer: Json): TensorRef[][] {
  return Array.isArray(layer.inbound_nodes) ? layer.inbound_nodes.map(nodeInputs) : [];
}
