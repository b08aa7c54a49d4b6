/**
 * Where to cut a model into a frozen prefix (computed once per image, in inference mode) and a
 * suffix that trains: after the last node that is frozen and deterministic, at a place where a
 * single tensor crosses the cut.
 */
import type * as tf from '@tensorflow/tfjs';
import { frontierAfter, type GraphNode, type ModelGraph, trainsWeights } from './graph';

/** Layers whose output during training differs from inference (random or batch-dependent). */
const TRAINING_ONLY_BEHAVIOUR = new Set(['Dropout', 'SpatialDropout1D', 'SpatialDropout2D', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout']);

export type PrefixCut =
  | { readonly kind: 'cut'; readonly lastIndex: number; readonly boundary: tf.SymbolicTensor; readonly stopReason: string }
  | { readonly kind: 'none'; readonly reason: string };

/**
 * @param bnInference whether a BatchNormalization layer runs in inference mode during training
 *   (part of the freeze plan); one that does not uses batch statistics and cannot be cached.
 */
export function findPrefixCut(graph: ModelGraph, bnInference: (layer: tf.layers.Layer) => boolean): PrefixCut {
  const stop = graph.nodes.findIndex((node) => whyNotCacheable(node, bnInference) != null);
  const stopReason = stop < 0 ? 'no layer trains' : (whyNotCacheable(graph.nodes[stop], bnInference) as string);
  if (stop < 0) return { kind: 'none', reason: 'no layer trains in this phase, so there is nothing to train on cached activations' };
  for (let i = stop - 1; i >= 0; i--) {
    if (graph.nodes[i].layer.getClassName() === 'InputLayer') break;
    const frontier = frontierAfter(graph, i);
    if (frontier.length === 1 && !graph.inputs.some((t) => t.id === frontier[0].id)) {
      return { kind: 'cut', lastIndex: i, boundary: frontier[0], stopReason };
    }
  }
  return { kind: 'none', reason: `the first layer that needs recomputing every step comes straight after the input (${stopReason})` };
}

/** Why this node cannot be part of a cached prefix, or null when it can. */
function whyNotCacheable(node: GraphNode, bnInference: (layer: tf.layers.Layer) => boolean): string | null {
  const { layer } = node;
  if (trainsWeights(layer)) return `layer ${layer.name} trains`;
  const cls = layer.getClassName();
  if (TRAINING_ONLY_BEHAVIOUR.has(cls)) return `layer ${layer.name} (${cls}) is random while training`;
  if (cls === 'BatchNormalization' && !bnInference(layer)) return `BatchNorm layer ${layer.name} uses batch statistics while training`;
  return null;
}
