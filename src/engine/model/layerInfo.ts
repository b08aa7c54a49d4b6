/** Rows of the layer tree / `inspect` from a live tfjs model. */
import * as tf from '@tensorflow/tfjs';
import type { LayerContainer, LayerInfo } from '../../protocol/host';
import { HEAD_BLOCK } from './blockNames';
import { isBatchNormLayer } from './freezeApply';
import { blockByLayer } from './graphBlocks';
import { graphLayersOfModel } from './graphLayers';

/** Each leaf layer's nested models, outermost first (`ImportedModel.containers`). */
export type LayerContainers = Readonly<Record<string, readonly LayerContainer[]>>;

function weightsSize(weights: readonly tf.LayerVariable[]): number {
  return weights.reduce((sum, w) => sum + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
}

export function layerInfo(layer: tf.layers.Layer, isNew: boolean, block: string | null, containers?: readonly LayerContainer[]): LayerInfo {
  return {
    name: layer.name,
    className: layer.getClassName(),
    outputShape: layer.outputShape,
    params: layer.countParams(),
    trainableParams: weightsSize(layer.trainableWeights),
    block,
    isNew,
    isBatchNorm: isBatchNormLayer(layer),
    ...(containers && containers.length > 0 ? { containers } : {}),
  };
}

/**
 * One row per layer; `newNames` marks the head (block `head`). Blocks come from the graph's
 * structure (graphBlocks.ts), so models without `block_N_` names get them too.
 */
export function layerInfos(model: tf.LayersModel, newNames: ReadonlySet<string> = new Set(), containers: LayerContainers = {}): LayerInfo[] {
  const base = graphLayersOfModel(model).filter((layer) => !newNames.has(layer.name));
  const blocks = blockByLayer(base);
  return model.layers.map((layer) => {
    const isNew = newNames.has(layer.name);
    return layerInfo(layer, isNew, isNew ? HEAD_BLOCK : (blocks.get(layer.name) ?? null), containers[layer.name]);
  });
}
