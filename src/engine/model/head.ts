/** The new classifier head: pooling, optional hidden Dense+ReLU layers, dropout, softmax Dense. */
import * as tf from '@tensorflow/tfjs';
import type { HeadConfig } from '../../protocol/config';
import { HEAD_PREFIX } from './blockNames';

/** Every head layer's name starts with this, so it is recognisable in the tree and in saved models. */
export { HEAD_PREFIX };

/** Layers of the head, in order, for `numClasses` classes and a feature map (or vector) of `rank`. */
export function makeHeadLayers(head: HeadConfig, numClasses: number, featureRank: number): tf.layers.Layer[] {
  const layers: tf.layers.Layer[] = [];
  // A cut at a vector output (rank 2) needs no pooling.
  if (featureRank > 2) {
    const name = `${HEAD_PREFIX}pool`;
    layers.push(
      head.pooling === 'avg'
        ? tf.layers.globalAveragePooling2d({ name })
        : head.pooling === 'max'
          ? tf.layers.globalMaxPooling2d({ name })
          : tf.layers.flatten({ name: `${HEAD_PREFIX}flatten` }),
    );
  }
  head.hiddenUnits.forEach((units, i) => {
    layers.push(tf.layers.dense({ units, activation: 'relu', name: `${HEAD_PREFIX}dense_${i + 1}` }));
  });
  if (head.dropout > 0) layers.push(tf.layers.dropout({ rate: head.dropout, name: `${HEAD_PREFIX}dropout` }));
  layers.push(tf.layers.dense({ units: numClasses, activation: 'softmax', name: `${HEAD_PREFIX}classifier` }));
  return layers;
}

/** Applies the head to the base's output and returns one flat functional model. */
export function attachHead(base: tf.LayersModel, head: HeadConfig, numClasses: number, name = 'finetune'): tf.LayersModel {
  const features = base.outputs[0] as tf.SymbolicTensor;
  let x = features;
  for (const layer of makeHeadLayers(head, numClasses, features.shape.length)) x = layer.apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: base.inputs, outputs: x, name });
}
