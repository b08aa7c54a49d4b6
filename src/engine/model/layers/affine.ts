/** The fill and interpolation options of Keras' RandomRotation and RandomZoom, applied with tf.image.transform. */
import * as tf from '@tensorflow/tfjs';
import { choice, type LayerConfig } from './imageLayer';

export type FillMode = 'reflect' | 'wrap' | 'constant' | 'nearest';
export type Interpolation = 'bilinear' | 'nearest';

export interface AffineOptions {
  readonly fillMode: FillMode;
  readonly interpolation: Interpolation;
  readonly fillValue: number;
}

/** Keras' defaults: fill_mode 'reflect', interpolation 'bilinear', fill_value 0. */
export function affineOptions(layer: string, config: LayerConfig): AffineOptions {
  return {
    fillMode: choice(layer, 'fill_mode', config.fillMode, ['reflect', 'wrap', 'constant', 'nearest'], 'reflect'),
    interpolation: choice(layer, 'interpolation', config.interpolation, ['bilinear', 'nearest'], 'bilinear'),
    fillValue: typeof config.fillValue === 'number' ? config.fillValue : 0,
  };
}

export function affineConfig(options: AffineOptions): tf.serialization.ConfigDict {
  return { fillMode: options.fillMode, interpolation: options.interpolation, fillValue: options.fillValue };
}

/**
 * Applies one projective transform per image: rows [a0, a1, a2, b0, b1, b2, c0, c1] map an output
 * pixel (x, y) to the input pixel it samples, as Keras' (and TensorFlow's) `transform`.
 */
export function transformImages(images: tf.Tensor4D, transforms: readonly number[][], options: AffineOptions): tf.Tensor4D {
  // One image per call: tfjs-backend-cpu 4.22's Transform returns after the first image of a batch
  // (the rest stay fill_value).
  const single = tf.split<tf.Tensor4D>(images, images.shape[0], 0).map((image, i) => {
    const matrix = tf.tensor2d(transforms[i] as number[], [1, 8], 'float32');
    return tf.image.transform(image, matrix, options.interpolation, options.fillMode, options.fillValue);
  });
  return tf.concat(single, 0);
}
