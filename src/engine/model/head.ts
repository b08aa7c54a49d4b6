/** The new classifier head: pooling, optional hidden Dense+ReLU layers, dropout, softmax Dense. */
import * as tf from '@tensorflow/tfjs';
import type { HeadConfig } from '../../protocol/config';
import { seedFrom } from '../data/random';
import { HEAD_PREFIX } from './blockNames';
import { StepDropout } from './layers/dropout';

/** Every head layer's name starts with this, so it is recognisable in the tree and in saved models. */
export { HEAD_PREFIX };

/** A Dense layer whose kernel starts from (seed, its name): one `data.seed`, one set of starting weights. */
function seededDense(units: number, activation: 'relu' | 'softmax', name: string, seed: number): tf.layers.Layer {
  const kernelInitializer = tf.initializers.glorotUniform({ seed: seedFrom(seed, 'head', name) });
  return tf.layers.dense({ units, activation, name, kernelInitializer, biasInitializer: 'zeros' });
}

/**
 * Layers of the head, in order, for `numClasses` classes and a feature map (or vector) of `rank`;
 * `seed` (the project's `data.seed`) fixes the initial weights, and the dropout draws its masks per step.
 */
export function makeHeadLayers(head: HeadConfig, numClasses: number, featureRank: number, seed: number): tf.layers.Layer[] {
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
    layers.push(seededDense(units, 'relu', `${HEAD_PREFIX}dense_${i + 1}`, seed));
  });
  if (head.dropout > 0) layers.push(new StepDropout({ rate: head.dropout, name: `${HEAD_PREFIX}dropout` }));
  layers.push(seededDense(numClasses, 'softmax', `${HEAD_PREFIX}classifier`, seed));
  return layers;
}

/** Applies the head to the base's output and returns one flat functional model. */
export function attachHead(base: tf.LayersModel, head: HeadConfig, numClasses: number, seed: number, name = 'finetune'): tf.LayersModel {
  const features = base.outputs[0] as tf.SymbolicTensor;
  let x = features;
  for (const layer of makeHeadLayers(head, numClasses, features.shape.length, seed)) x = layer.apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: base.inputs, outputs: x, name });
}
