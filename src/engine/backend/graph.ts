/**
 * The layer graph of a functional LayersModel as a list of nodes in topological order, found by
 * walking back from the model's outputs (so only this model's nodes count, even when its layers
 * are also used by other models), and the places where it can be cut into prefix + suffix.
 */
import type * as tf from '@tensorflow/tfjs';

type TfNode = tf.layers.Layer['inboundNodes'][number];

/** One call of a layer in the model: which symbolic tensors went in and came out. */
export interface GraphNode {
  readonly layer: tf.layers.Layer;
  readonly inputs: readonly tf.SymbolicTensor[];
  readonly outputs: readonly tf.SymbolicTensor[];
  /** Keyword arguments of the original call (replayed when the layer is applied again). */
  readonly callArgs: Record<string, unknown>;
}

export interface ModelGraph {
  readonly nodes: readonly GraphNode[];
  readonly inputs: readonly tf.SymbolicTensor[];
  readonly outputs: readonly tf.SymbolicTensor[];
}

/** Nodes of `model` in topological order (inputs first). */
export function modelGraph(model: tf.LayersModel): ModelGraph {
  const seen = new Set<TfNode>();
  const nodes: GraphNode[] = [];
  const visit = (t: tf.SymbolicTensor): void => {
    const node = t.sourceLayer.inboundNodes[t.nodeIndex];
    if (node == null) throw new Error(`layer ${t.sourceLayer.name} has no node ${t.nodeIndex}`);
    if (seen.has(node)) return;
    seen.add(node);
    for (const input of node.inputTensors) visit(input);
    nodes.push({ layer: node.outboundLayer, inputs: node.inputTensors, outputs: node.outputTensors, callArgs: { ...(node.callArgs ?? {}) } });
  };
  for (const output of model.outputs) visit(output);
  return { nodes, inputs: model.inputs, outputs: model.outputs };
}

/** True for a layer whose weights the current freeze plan trains. */
export function trainsWeights(layer: tf.layers.Layer): boolean {
  return layer.trainable && layer.trainableWeights.length > 0;
}

/**
 * Tensors crossing the cut after node `index`: produced at or before it, consumed after it (or
 * model outputs). A single one means the suffix can be fed by that tensor alone.
 */
export function frontierAfter(graph: ModelGraph, index: number): tf.SymbolicTensor[] {
  const produced = new Set<number>();
  for (let i = 0; i <= index; i++) for (const t of graph.nodes[i].outputs) produced.add(t.id);
  const crossing = new Map<number, tf.SymbolicTensor>();
  for (let i = index + 1; i < graph.nodes.length; i++) {
    for (const t of graph.nodes[i].inputs) if (produced.has(t.id)) crossing.set(t.id, t);
  }
  for (const t of graph.outputs) if (produced.has(t.id)) crossing.set(t.id, t);
  return [...crossing.values()];
}
