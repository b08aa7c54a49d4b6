/**
 * Flattens a Keras or tfjs model config, with models nested in it (Sequential, Functional, Model,
 * any depth), into ONE functional graph of leaf layers that tfjs-layers 4.22 builds. Leaves keep
 * their own names unless two clash; then the later one is prefixed with its containers' path.
 * Each leaf remembers its containers (for the Layers view) and where Keras saved its weights.
 */
import type { ModelContainer } from '../sources/modelSource';
import { UserError } from '../../../shared/userError';
import { isRecord, refList, type Json } from './json';
import { inboundNodes, normalizeLayerConfig, statedInputShape, type TensorRef } from './normalizeLayer';
import { checkReadable, isContainerClass } from './readableLayers';

export interface FlatLeaf {
  /** Name in the flat graph (the original unless it clashed). */
  readonly name: string;
  readonly originalName: string;
  readonly className: string;
  /** Containers, outermost first; empty for a layer of the top model. */
  readonly containers: readonly ModelContainer[];
  /** Where a Keras 3 `.keras` file keeps this layer's variables: `layers/sequential/layers/conv2d`. */
  readonly savedPath: string;
}

export interface FlatModel {
  /** `modelTopology` for `tf.models.modelFromJSON`. */
  readonly topology: Json;
  /** Every layer of the flat graph, in graph order (InputLayers included). */
  readonly leaves: readonly FlatLeaf[];
  readonly containers: Record<string, readonly ModelContainer[]>;
  /** True when some layer was inside a nested model. */
  readonly nested: boolean;
}

/** A called layer's outputs: tensor index -> reference in the flat graph. */
type Outputs = (tensorIndex: number) => TensorRef | undefined;

interface Scope {
  readonly containers: readonly ModelContainer[];
  readonly savedPath: string;
  /** Identifies the container instance, so a model called twice reuses its leaves. */
  readonly key: string;
}

/** Keras 3 names saved layers by class (`naming.to_snake_case`: `Conv2D` -> `conv2d`, `ReLU` -> `re_lu`), numbered per container; the .keras reader and writer both use it. */
export function snakeCase(className: string): string {
  return className
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

function savedNames(children: readonly Json[]): string[] {
  const used = new Map<string, number>();
  return children.map((child) => {
    const base = snakeCase(String(child.class_name));
    const count = used.get(base);
    used.set(base, count === undefined ? 0 : count + 1);
    return count === undefined ? base : `${base}_${count + 1}`;
  });
}

function childrenOf(container: Json): Json[] {
  const config = container.config;
  const layers = Array.isArray(config) ? config : isRecord(config) ? config.layers : undefined;
  return Array.isArray(layers) ? layers.filter(isRecord) : [];
}

function nameOf(layer: Json): string {
  const config = isRecord(layer.config) ? layer.config : {};
  return String(config.name ?? layer.name ?? '');
}

/** The input shape of a layer or container (looking into its first layer when it does not say). */
export function inputShapeOf(layer: Json): (number | null)[] | undefined {
  const own = statedInputShape(layer);
  if (own || !isContainerClass(String(layer.class_name))) return own;
  const config = isRecord(layer.config) ? layer.config : {};
  if (Array.isArray(config.build_input_shape)) return config.build_input_shape as (number | null)[];
  const children = childrenOf(layer);
  const inputs = refList(config.input_layers);
  const first = inputs.length > 0 ? children.find((c) => nameOf(c) === inputs[0][0]) : children[0];
  return first ? inputShapeOf(first) : undefined;
}

class Flattener {
  readonly layers: Json[] = [];
  readonly leaves: FlatLeaf[] = [];
  private readonly used = new Set<string>();
  private readonly defined = new Map<string, Json>();
  nested = false;

  constructor(private readonly file: string) {}

  private uniqueName(original: string, containers: readonly ModelContainer[]): string {
    let name = original;
    if (this.used.has(name)) name = [...containers.map((c) => c.name), original].join('/');
    for (let i = 1; this.used.has(name); i++) name = `${original}_${i}`;
    this.used.add(name);
    return name;
  }

  /** Adds an InputLayer to the flat graph; returns its output. */
  addInput(original: string, shape: (number | null)[] | undefined, dtype: unknown, scope: Scope): TensorRef {
    if (!shape) {
      throw new UserError(`does not state the input shape of "${original}".`, this.file, 'Save the model after building it with a fixed input shape (keras.Input(shape=...)).');
    }
    const name = this.uniqueName(original, scope.containers);
    const config = normalizeLayerConfig({ config: { batch_input_shape: shape, dtype, sparse: false } }, name, true);
    this.layers.push({ class_name: 'InputLayer', name, config, inbound_nodes: [] });
    this.leaves.push({ name, originalName: original, className: 'InputLayer', containers: scope.containers, savedPath: '' });
    return [name, 0, 0];
  }

  /** Calls a leaf layer on `inputs` (defining it on its first call); returns its outputs. */
  private callLeaf(layer: Json, savedName: string, inputs: TensorRef[], scope: Scope): Outputs {
    const original = nameOf(layer);
    const className = String(layer.class_name);
    const key = `${scope.key}/${original}`;
    let flat = this.defined.get(key);
    if (!flat) {
      checkReadable(original, className, this.file);
      const name = this.uniqueName(original, scope.containers);
      flat = { class_name: className, name, config: normalizeLayerConfig(layer, name, false), inbound_nodes: [] };
      this.defined.set(key, flat);
      this.layers.push(flat);
      this.leaves.push({ name, originalName: original, className, containers: scope.containers, savedPath: `${scope.savedPath}layers/${savedName}` });
    }
    const nodes = flat.inbound_nodes as unknown[][];
    nodes.push(inputs.map((ref) => [...ref, {}]));
    const name = String(flat.name);
    const nodeIndex = nodes.length - 1;
    return (tensorIndex) => [name, nodeIndex, tensorIndex];
  }

  /** Calls a layer or a nested model on `inputs`. */
  call(layer: Json, savedName: string, inputs: TensorRef[], scope: Scope): Outputs {
    if (!isContainerClass(String(layer.class_name))) return this.callLeaf(layer, savedName, inputs, scope);
    this.nested = true;
    const name = nameOf(layer);
    const inner: Scope = {
      containers: [...scope.containers, { name, className: String(layer.class_name) }],
      savedPath: `${scope.savedPath}layers/${savedName}/`,
      key: `${scope.key}/${name}`,
    };
    const outputs = this.expand(layer, inputs, inner);
    return (tensorIndex) => outputs[tensorIndex];
  }

  /** Expands a container; `inputs` undefined means it is the top model, whose InputLayers stay. */
  expand(container: Json, inputs: TensorRef[] | undefined, scope: Scope): TensorRef[] {
    return String(container.class_name) === 'Sequential'
      ? this.expandSequential(container, inputs, scope)
      : this.expandFunctional(container, inputs, scope);
  }

  private expandSequential(container: Json, inputs: TensorRef[] | undefined, scope: Scope): TensorRef[] {
    const children = childrenOf(container);
    const saved = savedNames(children);
    let current = inputs;
    children.forEach((child, i) => {
      if (child.class_name === 'InputLayer') {
        const config = isRecord(child.config) ? child.config : {};
        current ??= [this.addInput(nameOf(child), statedInputShape(child), config.dtype, scope)];
        return;
      }
      current ??= [this.addInput(`${nameOf(container) || 'sequential'}_input`, inputShapeOf(child) ?? inputShapeOf(container), 'float32', scope)];
      const outputs = this.call(child, saved[i], current, scope);
      const isModel = isContainerClass(String(child.class_name));
      current = [];
      for (let t = 0; isModel ? outputs(t) !== undefined : t < 1; t++) current.push(outputs(t) as TensorRef);
    });
    if (!current) throw new UserError(`has an empty model "${nameOf(container)}".`, this.file, 'Save a model that has layers.');
    return current;
  }

  private expandFunctional(container: Json, inputs: TensorRef[] | undefined, scope: Scope): TensorRef[] {
    const config = isRecord(container.config) ? container.config : {};
    const children = childrenOf(container);
    const saved = savedNames(children);
    const produced = new Map<string, Outputs>();
    const inputRefs = refList(config.input_layers);
    const pending: { child: Json; index: number; node: number; refs: TensorRef[] }[] = [];
    children.forEach((child, index) => {
      const name = nameOf(child);
      if (child.class_name === 'InputLayer') {
        const position = inputRefs.findIndex((ref) => ref[0] === name);
        const outer = inputs?.[position];
        const ref = inputs ? outer : this.addInput(name, statedInputShape(child), isRecord(child.config) ? child.config.dtype : undefined, scope);
        if (ref) produced.set(`${name}:0`, (t) => (t === 0 ? ref : undefined));
        return;
      }
      inboundNodes(child).forEach((refs, node) => pending.push({ child, index, node, refs }));
    });
    const calls = new Map<string, number>();
    for (const p of pending) calls.set(nameOf(p.child), (calls.get(nameOf(p.child)) ?? 0) + 1);
    // Keras numbers a layer's calls within this model; tfjs keeps the global number (a nested Sequential's
    // own first call is node 0), so a layer called once here is that call whatever its number.
    const resolve = (ref: TensorRef): TensorRef | undefined => {
      const exact = produced.get(`${ref[0]}:${ref[1]}`);
      if (exact) return exact(ref[2]);
      return calls.get(ref[0]) === 1 ? produced.get(`${ref[0]}:0`)?.(ref[2]) : undefined;
    };
    // Keras lists layers in an order that lets each call's inputs be known; loop until all calls are placed.
    while (pending.length > 0) {
      const ready = pending.findIndex((p) => p.refs.every((ref) => resolve(ref) !== undefined));
      if (ready < 0) {
        const stuck = pending[0];
        throw new UserError(
          `has a layer "${nameOf(stuck.child)}" whose inputs (${stuck.refs.map((r) => r[0]).join(', ')}) are not in model "${nameOf(container)}".`,
          this.file,
          'Save the model again from Keras; its configuration is incomplete.',
        );
      }
      const [call] = pending.splice(ready, 1);
      const outputs = this.call(call.child, saved[call.index], call.refs.map((ref) => resolve(ref) as TensorRef), scope);
      produced.set(`${nameOf(call.child)}:${call.node}`, outputs);
    }
    return refList(config.output_layers).map((ref) => {
      const flat = resolve(ref);
      if (!flat) throw new UserError(`names the output "${ref[0]}", which is not a layer of model "${nameOf(container)}".`, this.file, 'Save the model again from Keras.');
      return flat;
    });
  }
}

/** Flattens `modelConfig` (`{class_name, config}`) into one tfjs functional model of leaf layers. */
export function flattenModelConfig(modelConfig: unknown, file: string): FlatModel {
  if (!isRecord(modelConfig) || typeof modelConfig.class_name !== 'string') {
    throw new UserError('has no readable model configuration (no class_name).', file, 'Save the whole model from Keras (model.save), not only its weights.');
  }
  if (!isContainerClass(modelConfig.class_name)) {
    throw new UserError(
      `holds a model of class ${modelConfig.class_name} (a subclassed model), whose layers are not saved as a graph.`,
      file,
      'Build the model with keras.Sequential or the functional API (keras.Model(inputs, outputs)) and save it again.',
    );
  }
  const flattener = new Flattener(file);
  const outputs = flattener.expand(modelConfig, undefined, { containers: [], savedPath: '', key: '' });
  const inputs = flattener.leaves.filter((leaf) => leaf.className === 'InputLayer').map((leaf): TensorRef => [leaf.name, 0, 0]);
  const containers: Record<string, readonly ModelContainer[]> = {};
  for (const leaf of flattener.leaves) if (leaf.containers.length > 0) containers[leaf.name] = leaf.containers;
  return {
    topology: {
      class_name: 'Model',
      config: { name: nameOf(modelConfig) || 'model', layers: flattener.layers, input_layers: inputs, output_layers: outputs },
      keras_version: 'tfjs-layers (flattened by Fine-Tune Guide)',
      backend: 'tensor_flow.js',
    },
    leaves: flattener.leaves,
    containers,
    nested: flattener.nested,
  };
}
