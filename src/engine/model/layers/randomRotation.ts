/**
 * Keras' RandomRotation: each image turned by an angle drawn from [lower, upper] x 2 pi (a single
 * `factor` f means [-f, f]), about its centre, in training only. Positive angles turn counter-clockwise.
 */
import * as tf from '@tensorflow/tfjs';
import { affineConfig, affineOptions, transformImages, type AffineOptions } from './affine';
import { factorRange, RandomImageLayer, type LayerConfig } from './imageLayer';

export class RandomRotation extends RandomImageLayer {
  static readonly className = 'RandomRotation';
  private readonly factor: number | [number, number];
  private readonly range: [number, number];
  private readonly options: AffineOptions;

  constructor(config: LayerConfig) {
    super(config);
    this.range = factorRange('RandomRotation', 'factor', config.factor);
    this.factor = config.factor as number | [number, number];
    this.options = affineOptions('RandomRotation', config);
  }

  protected augment(images: tf.Tensor4D): tf.Tensor4D {
    const [n, height, width] = images.shape;
    const [lower, upper] = this.range;
    const w = width - 1;
    const h = height - 1;
    // Keras' rotation matrix: the output centre samples the input centre.
    const transforms = this.uniform(n, lower * 2 * Math.PI, upper * 2 * Math.PI).map((angle) => {
      const cos = Math.cos(angle);
      const sin = Math.sin(angle);
      return [cos, -sin, (w - (cos * w - sin * h)) / 2, sin, cos, (h - (sin * w + cos * h)) / 2, 0, 0];
    });
    return transformImages(images, transforms, this.options);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return this.baseConfig({ factor: this.factor, ...affineConfig(this.options) });
  }
}
