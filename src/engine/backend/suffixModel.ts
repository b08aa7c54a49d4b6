/**
 * The part of a model after a cut, as its own LayersModel fed by the cut tensor. It is built by
 * applying the model's own layer objects again, so it shares their weights: what the suffix
 * learns is in the full model. `detach` removes the extra nodes those calls added to the layers,
 * leaving the full model as it was (tfjs' `layer.output` refuses layers with several nodes).
 */
import * as tf from '@tensorflow/tfjs';
import { ConvBatchNormLayer, convBatchNormObstacle } from './convBatchNormLayer';
import type { GraphNode, ModelGraph } from './graph';

export interface SuffixModel {
  readonly model: tf.LayersModel;
  /** How many conv + inference-mode BatchNorm pairs run as one layer (ConvBatchNormLayer). */
  readonly foldedPairs: number;
  /** Removes the suffix's nodes from the shared layers; the suffix model is unusable afterwards. */
  detach(): void;
}

let counter = 0;

/**
 * The BatchNorm node to fold into `node` (a conv whose output only that BN reads, in inference
 * mode per `bnInference`), or null.
 */
function foldableBatchNorm(node: GraphNode, nodes: readonly GraphNode[], graph: ModelGraph, bnInference: (layer: tf.layers.Layer) => boolean): GraphNode | null {
  if (node.outputs.length !== 1 || node.inputs.length !== 1) return null;
  const out = node.outputs[0];
  if (graph.outputs.some((t) => t.id === out.id)) return null;
  const readers = nodes.filter((n) => n.inputs.some((t) => t.id === out.id));
  if (readers.length !== 1 || readers[0].inputs.length !== 1) return null;
  const bn = readers[0];
  if (!bnInference(bn.layer) || convBatchNormObstacle(node.layer, bn.layer, out.rank) != null) return null;
  return bn;
}

/**
 * Builds the model of nodes (lastPrefixIndex, end] fed by `boundary`. With `bnInference`, each
 * conv followed by a BatchNorm in inference mode runs as one ConvBatchNormLayer.
 */
export function buildSuffixModel(
  graph: ModelGraph,
  lastPrefixIndex: number,
  boundary: tf.SymbolicTensor,
  name: string,
  bnInference?: (layer: tf.layers.Layer) => boolean,
): SuffixModel {
  const nodes = graph.nodes.slice(lastPrefixIndex + 1);
  const layers = [...new Set(nodes.map((n) => n.layer))];
  const inboundBefore = new Map(layers.map((l) => [l, l.inboundNodes.length]));
  const outboundBefore = new Map(layers.map((l) => [l, l.outboundNodes.length]));
  counter += 1;
  const input = tf.input({ shape: boundary.shape.slice(1) as number[], dtype: boundary.dtype, name: `${name}_cut_input_${counter}` });
  const mapped = new Map<number, tf.SymbolicTensor>([[boundary.id, input]]);
  const lookup = (t: tf.SymbolicTensor): tf.SymbolicTensor => {
    const m = mapped.get(t.id);
    if (!m) throw new Error(`suffix model: ${t.name} comes from before the cut but is not the cut tensor`);
    return m;
  };
  const detach = (): void => {
    for (const layer of layers) {
      layer.inboundNodes.splice(inboundBefore.get(layer) ?? layer.inboundNodes.length);
      layer.outboundNodes.splice(outboundBefore.get(layer) ?? layer.outboundNodes.length);
    }
  };
  let model: tf.LayersModel;
  let foldedPairs = 0;
  const absorbed = new Set<GraphNode>();
  try {
    for (const node of nodes) {
      if (absorbed.has(node)) continue;
      const bn = bnInference ? foldableBatchNorm(node, nodes, graph, bnInference) : null;
      if (bn) {
        // The suffix's input is data (images or cached activations): no gradient is needed for it.
        const readsInput = node.inputs[0].id === boundary.id;
        const out = new ConvBatchNormLayer(node.layer, bn.layer, readsInput).apply(lookup(node.inputs[0])) as tf.SymbolicTensor;
        mapped.set(bn.outputs[0].id, out);
        absorbed.add(bn);
        foldedPairs += 1;
        continue;
      }
      const inputs = node.inputs.map(lookup);
      const out = node.layer.apply(inputs.length === 1 ? inputs[0] : inputs, node.callArgs) as tf.SymbolicTensor | tf.SymbolicTensor[];
      const outs = Array.isArray(out) ? out : [out];
      node.outputs.forEach((t, i) => mapped.set(t.id, outs[i]));
    }
    model = tf.model({ inputs: input, outputs: graph.outputs.map(lookup), name: `${name}_suffix_${counter}` });
  } catch (error) {
    detach();
    throw error;
  }
  return { model, foldedPairs, detach };
}
