/**
 * The part of a model after a cut, as its own LayersModel fed by the cut tensor. It is built by
 * applying the model's own layer objects again, so it shares their weights: what the suffix
 * learns is in the full model. `detach` removes the extra nodes those calls added to the layers,
 * leaving the full model as it was (tfjs' `layer.output` refuses layers with several nodes).
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelGraph } from './graph';

export interface SuffixModel {
  readonly model: tf.LayersModel;
  /** Removes the suffix's nodes from the shared layers; the suffix model is unusable afterwards. */
  detach(): void;
}

let counter = 0;

/** Builds the model of nodes (lastPrefixIndex, end] fed by `boundary`. */
export function buildSuffixModel(graph: ModelGraph, lastPrefixIndex: number, boundary: tf.SymbolicTensor, name: string): SuffixModel {
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
  try {
    for (const node of nodes) {
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
  return { model, detach };
}
