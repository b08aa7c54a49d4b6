/**
 * The student: a base cut at its layer (frozen: its pooled features are computed once per image),
 * global average pooling and a seeded softmax Dense. The head-only model shares the Dense layer with
 * the full model, so training the head on cached features trains the model that is saved.
 */
import * as tf from '@tensorflow/tfjs';
import type { HeadConfig } from '../../protocol/config';
import { HEAD_PREFIX, makeHeadLayers } from '../model/head';

const LINEAR_HEAD: HeadConfig = { pooling: 'avg', hiddenUnits: [], dropout: 0 };

export interface StudentModel {
  /** base -> pooling -> classifier: the model saved and measured. */
  readonly full: tf.LayersModel;
  /** pooled features -> classifier: the part trained. */
  readonly head: tf.LayersModel;
  readonly channels: number;
}

/** Builds the student on `base` (consumed: disposing `full` disposes it). */
export function buildStudent(base: tf.LayersModel, classes: number, seed: number, name: string): StudentModel {
  const features = base.outputs[0] as tf.SymbolicTensor;
  if (features.shape.length !== 4) {
    throw new Error(`the student's cut layer gives a ${features.shape.length}-D output; a 4-D feature map is needed`);
  }
  const channels = features.shape[3] as number;
  const pooled = tf.layers.globalAveragePooling2d({ name: `${HEAD_PREFIX}pool` }).apply(features) as tf.SymbolicTensor;
  const dense = makeHeadLayers(LINEAR_HEAD, classes, 2, seed);
  let x = pooled;
  for (const layer of dense) x = layer.apply(x) as tf.SymbolicTensor;
  const full = tf.model({ inputs: base.inputs, outputs: x, name });
  const input = tf.input({ shape: [channels], name: `${HEAD_PREFIX}features` });
  let y: tf.SymbolicTensor = input;
  for (const layer of dense) y = layer.apply(y) as tf.SymbolicTensor;
  return { full, head: tf.model({ inputs: input, outputs: y, name: `${name}_head` }), channels };
}

/** Pooled features of the frozen base for a batch (inference mode). */
export function pooledFeatures(base: tf.LayersModel, xs: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => tf.mean(base.predict(xs) as tf.Tensor4D, [1, 2]) as tf.Tensor2D);
}
