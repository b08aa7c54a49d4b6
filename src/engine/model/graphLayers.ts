/** The input of `graphBlocks`, read from a model.json topology or from a live tfjs model. */
import type * as tf from '@tensorflow/tfjs';
import type { GraphLayer } from './graphBlocks';
import { inboundNames, layerName, viewTopology } from './topology';

/** Layers of a topology in model order; a Sequential's layers each feed the next. */
export function graphLayersOfTopology(topology: unknown, file: string): GraphLayer[] {
  const view = viewTopology(topology, file);
  return view.layers.map((layer, i) => ({
    name: layerName(layer),
    className: layer.class_name,
    config: layer.config,
    inbound: view.kind === 'sequential' ? (i > 0 ? [layerName(view.layers[i - 1] as typeof layer)] : []) : inboundNames(layer.inbound_nodes),
  }));
}

/** Layers of a built model in model order, with every node's inbound layers. */
export function graphLayersOfModel(model: tf.LayersModel): GraphLayer[] {
  return model.layers.map((layer) => ({
    name: layer.name,
    className: layer.getClassName(),
    config: layer.getConfig(),
    inbound: layer.inboundNodes.flatMap((node) => node.inboundLayers.map((source) => source.name)),
  }));
}
