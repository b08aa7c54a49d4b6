/**
 * Edits a LayersModel topology (the JSON in model.json) before any layer is built: rewrite the
 * input size, cut after a layer. Working on JSON means a Flatten/Dense classifier that would not fit
 * the new input size is dropped before its weights are ever checked.
 */
import { UserError } from '../../shared/userError';
import { inputLayoutOf } from '../data/inputLayout';

type Json = Record<string, unknown>;

export interface LayerJson {
  readonly class_name: string;
  readonly name?: string;
  readonly config: Json;
  readonly inbound_nodes?: unknown;
}

interface TopologyView {
  readonly kind: 'functional' | 'sequential';
  /** The object holding `layers` (and `input_layers`/`output_layers` when functional). */
  readonly config: Json;
  readonly layers: LayerJson[];
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The model config inside a topology: converter output nests it under `model_config`. */
export function viewTopology(topology: unknown, file: string): TopologyView {
  const root = isRecord(topology) && isRecord(topology.model_config) ? topology.model_config : topology;
  if (!isRecord(root) || typeof root.class_name !== 'string') {
    throw new UserError('has no readable model topology (no class_name).', file, 'Use the model.json written by tfjs `model.save()` or tensorflowjs_converter.');
  }
  const kind = root.class_name === 'Sequential' ? 'sequential' : 'functional';
  const config = Array.isArray(root.config) ? { layers: root.config } : root.config;
  if (!isRecord(config) || !Array.isArray(config.layers)) {
    throw new UserError('has a topology without a list of layers.', file, 'Use the model.json written by tfjs `model.save()` or tensorflowjs_converter.');
  }
  if (Array.isArray(root.config)) root.config = config;
  return { kind, config, layers: config.layers as LayerJson[] };
}

export function layerName(layer: LayerJson): string {
  return String(layer.name ?? layer.config.name ?? '');
}

function inputShapeKey(config: Json): 'batch_input_shape' | 'batch_shape' | undefined {
  if (Array.isArray(config.batch_input_shape)) return 'batch_input_shape';
  if (Array.isArray(config.batch_shape)) return 'batch_shape';
  return undefined;
}

/** Rewrites every image input to `size` x `size` (channels kept); returns the new input shape. */
export function rewriteInputSize(topology: unknown, size: number, file: string): (number | null)[] {
  const view = viewTopology(topology, file);
  const inputs = view.kind === 'sequential' ? view.layers.slice(0, 1) : view.layers.filter((l) => l.class_name === 'InputLayer');
  let shape: (number | null)[] | undefined;
  for (const layer of inputs) {
    const key = inputShapeKey(layer.config);
    if (!key) continue;
    const old = layer.config[key] as (number | null)[];
    if (old.length === 4) shape = [null, size, size, old[3] ?? 3];
    else if (old.length === 3) shape = [null, size, size]; // channel-less grey (a 28x28 model)
    else {
      const flat = old.length === 2 ? inputLayoutOf(old) : null;
      if (flat?.size === size) shape = old; // flat pixels: the size is the model's own
      else {
        throw new UserError(
          flat ? `takes ${String(old[1])} flat pixel values (${flat.size} x ${flat.size}), so its input size cannot be ${size}.` : `takes input of shape ${JSON.stringify(old)}, not images ([null, height, width, channels]).`,
          file,
          flat ? `Set "model.inputSize" to ${flat.size} in finetune.json.` : 'Fine-Tune Guide fine-tunes image models; use a model whose input is an image.',
          flat ? 'model.inputSize' : undefined,
        );
      }
    }
    layer.config[key] = shape;
  }
  if (!shape) throw new UserError('does not state its input shape.', file, 'Save the model with a fixed input shape (an InputLayer with batch_input_shape).');
  return shape;
}

/** Names of the layers an inbound-nodes structure refers to (Keras 2 and Keras 3 formats). */
export function inboundNames(nodes: unknown, into: string[] = []): string[] {
  if (Array.isArray(nodes)) {
    if (typeof nodes[0] === 'string' && typeof nodes[1] === 'number' && typeof nodes[2] === 'number') into.push(nodes[0]);
    else for (const item of nodes) inboundNames(item, into);
  } else if (isRecord(nodes)) {
    for (const value of Object.values(nodes)) inboundNames(value, into);
  }
  return into;
}

/** A few valid names to suggest (the last ones with weights are the usual cut points). */
export function someLayerNames(names: readonly string[]): string {
  const tail = names.slice(-6);
  return `${tail.map((n) => `"${n}"`).join(', ')}${names.length > tail.length ? ` (and ${names.length - tail.length} more: run \`finetune-guide inspect\`)` : ''}`;
}

/** Keeps `cutLayer` and everything it depends on; it becomes the only output. */
export function cutTopology(topology: unknown, cutLayer: string, file: string): void {
  const view = viewTopology(topology, file);
  const names = view.layers.map(layerName);
  const index = names.indexOf(cutLayer);
  if (index < 0) {
    throw new UserError(`"${cutLayer}" is not a layer of the base model.`, file, `Use one of ${someLayerNames(names)}.`, 'model.cutLayer');
  }
  if (view.kind === 'sequential') {
    view.config.layers = view.layers.slice(0, index + 1);
    return;
  }
  const byName = new Map(view.layers.map((l) => [layerName(l), l]));
  const keep = new Set<string>();
  const stack = [cutLayer];
  while (stack.length > 0) {
    const name = stack.pop() as string;
    if (keep.has(name)) continue;
    keep.add(name);
    stack.push(...inboundNames(byName.get(name)?.inbound_nodes));
  }
  view.config.layers = view.layers.filter((l) => keep.has(layerName(l)));
  view.config.output_layers = [[cutLayer, 0, 0]];
  if (Array.isArray(view.config.input_layers)) {
    view.config.input_layers = (view.config.input_layers as unknown[][]).filter((entry) => keep.has(String(entry[0])));
  }
}
