/** Keras' RandomFlip: each image flipped left-right and/or upside down with probability 1/2, in training only. */
import * as tf from '@tensorflow/tfjs';
import { choice, RandomImageLayer, type LayerConfig } from './imageLayer';

type FlipMode = 'horizontal' | 'vertical' | 'horizontal_and_vertical';

export class RandomFlip extends RandomImageLayer {
  static readonly className = 'RandomFlip';
  private readonly mode: FlipMode;

  constructor(config: LayerConfig) {
    super(config);
    this.mode = choice('RandomFlip', 'mode', config.mode, ['horizontal', 'vertical', 'horizontal_and_vertical'], 'horizontal_and_vertical');
  }

  /** Per image, picks the flipped or the original copy. */
  private flipSome(images: tf.Tensor4D, axis: 1 | 2): tf.Tensor4D {
    const n = images.shape[0];
    const flip = this.uniform(n, 0, 1).map((u) => (u < 0.5 ? 1 : 0));
    const mask = tf.tensor4d(flip, [n, 1, 1, 1], 'bool');
    return tf.where(mask, tf.reverse(images, axis), images);
  }

  protected augment(images: tf.Tensor4D): tf.Tensor4D {
    let out = images;
    if (this.mode !== 'vertical') out = this.flipSome(out, 2);
    if (this.mode !== 'horizontal') out = this.flipSome(out, 1);
    return out;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return this.baseConfig({ mode: this.mode });
  }
}
