/** Rows of the layer tree / `inspect` from a live tfjs model. */
import * as tf from '@tensorflow/tfjs';
import type { LayerInfo } from '../../protocol/host';
import { blockOf } from './blocks';
import { isBatchNormLayer } from './freezeApply';

function weightsSize(weights: readonly tf.LayerVariable[]): number {
  return weights.reduce((sum, w) => sum + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
}

export function layerInfo(layer: tf.layers.Layer, isNew: boolean): LayerInfo {
  return {
    name: layer.name,
    className: layer.getClassName(),
    outputShape: layer.outputShape,
    params: layer.countParams(),
    trainableParams: weightsSize(layer.trainableWeights),
    block: blockOf(layer.name),
    isNew,
    isBatchNorm: isBatchNormLayer(layer),
  };
}

/** One row per layer; `newNames` marks the head. */
export function layerInfos(model: tf.LayersModel, newNames: ReadonlySet<string> = new Set()): LayerInfo[] {
  return model.layers.map((layer) => layerInfo(layer, newNames.has(layer.name)));
}
