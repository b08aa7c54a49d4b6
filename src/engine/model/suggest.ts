/**
 * Picks where to cut a user's own model (pure): just before its final classifier run, i.e. the
 * last layer with a feature-map output before the trailing Dense / Softmax / Flatten / pooling /
 * Dropout layers.
 */
import type { LayerInfo } from '../../protocol/host';
import { UserError } from '../../shared/userError';
import { builtinRef, DEFAULT_BUILTIN } from './builtins';
import { penultimateLayer } from './classifierHead';
import type { GraphLayer } from './graphBlocks';

const CLASSIFIER_CLASSES = new Set([
  'Dense',
  'Softmax',
  'Flatten',
  'Dropout',
  'SpatialDropout2D',
  'GlobalAveragePooling2D',
  'GlobalMaxPooling2D',
  'AveragePooling2D',
  'MaxPooling2D',
]);

function rank(shape: LayerInfo['outputShape']): number {
  const first = shape[0];
  return Array.isArray(first) ? first.length : shape.length;
}

/**
 * The suggested cut layer of an (uncut) model, and the classifier layers it drops. Without a feature
 * map (an MLP: Flatten + Dense), the input of its last Dense (`penultimateLayer` of `graph`).
 */
export function suggestCutLayer(layers: readonly Pick<LayerInfo, 'name' | 'className' | 'outputShape'>[], file: string, graph?: readonly GraphLayer[]): { cutLayer: string; dropped: string[] } {
  let end = layers.length;
  while (end > 0 && CLASSIFIER_CLASSES.has(layers[end - 1]?.className ?? '')) end--;
  // The head is pooled, so the cut must give a feature map (rank 4).
  let cut = end - 1;
  while (cut >= 0 && (rank(layers[cut]?.outputShape ?? []) !== 4 || layers[cut]?.className === 'InputLayer')) cut--;
  if (cut < 0 && graph) {
    const penultimate = penultimateLayer(graph);
    const index = layers.findIndex((l) => l.name === penultimate);
    if (index >= 0) cut = index;
  }
  const chosen = layers[cut];
  if (!chosen) {
    throw new UserError(
      'has no layer to cut at: no layer before its classifier outputs a feature map (height x width x channels), and no layer feeds a final Dense classifier.',
      file,
      `Use a convolutional image model (for example ${builtinRef(DEFAULT_BUILTIN)}).`,
    );
  }
  return { cutLayer: chosen.name, dropped: layers.slice(cut + 1).map((l) => l.name) };
}
