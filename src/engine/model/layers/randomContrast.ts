/**
 * Keras' RandomContrast: per image, a factor drawn from [1 - lower, 1 + upper] (a single `factor` f
 * means [1 - f, 1 + f]); each channel becomes (x - mean) * factor + mean, its mean taken over the
 * image, then clipped to `value_range` (default [0, 255], as Keras). Training only.
 */
import * as tf from '@tensorflow/tfjs';
import { factorRange, RandomImageLayer, type LayerConfig } from './imageLayer';

export class RandomContrast extends RandomImageLayer {
  static readonly className = 'RandomContrast';
  private readonly factor: number | [number, number];
  private readonly range: [number, number];
  private readonly valueRange: [number, number];

  constructor(config: LayerConfig) {
    super(config);
    this.factor = config.factor as number | [number, number];
    this.range = factorRange('RandomContrast', 'factor', config.factor, false);
    if (this.range[0] < 0 || this.range[0] > 1 || this.range[1] < 0) {
      throw new Error(`RandomContrast: factor ${JSON.stringify(this.factor)} must be between 0 and 1 (its lower bound).`);
    }
    this.valueRange = config.valueRange === undefined ? [0, 255] : factorRange('RandomContrast', 'value_range', config.valueRange, false);
  }

  protected augment(images: tf.Tensor4D): tf.Tensor4D {
    const n = images.shape[0];
    const factors = tf.tensor4d(this.uniform(n, 1 - this.range[0], 1 + this.range[1]), [n, 1, 1, 1]);
    const mean = tf.mean(images, [1, 2], true);
    const adjusted = tf.add(tf.mul(tf.sub(images, mean), factors), mean);
    return tf.clipByValue(adjusted, this.valueRange[0], this.valueRange[1]) as tf.Tensor4D;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return this.baseConfig({ factor: this.factor, valueRange: this.valueRange });
  }
}
