/**
 * Keras' RandomZoom: each image zoomed about its centre by 1 + a factor drawn from `height_factor`
 * (and `width_factor`; when absent the same draw keeps the aspect ratio), in training only. A
 * positive factor zooms out (the image shrinks inside the frame), a negative one zooms in.
 */
import * as tf from '@tensorflow/tfjs';
import { affineConfig, affineOptions, transformImages, type AffineOptions } from './affine';
import { factorRange, RandomImageLayer, type LayerConfig } from './imageLayer';

export class RandomZoom extends RandomImageLayer {
  static readonly className = 'RandomZoom';
  private readonly heightFactor: number | [number, number];
  private readonly widthFactor: number | [number, number] | null;
  private readonly heightRange: [number, number];
  private readonly widthRange: [number, number] | null;
  private readonly options: AffineOptions;

  constructor(config: LayerConfig) {
    super(config);
    this.heightFactor = config.heightFactor as number | [number, number];
    this.heightRange = factorRange('RandomZoom', 'height_factor', config.heightFactor);
    this.widthFactor = (config.widthFactor ?? null) as number | [number, number] | null;
    this.widthRange = this.widthFactor === null ? null : factorRange('RandomZoom', 'width_factor', this.widthFactor);
    for (const [lower] of [this.heightRange, this.widthRange ?? this.heightRange]) {
      if (lower < -1) throw new Error(`RandomZoom: a factor below -1 (${lower}) would zoom in past the image.`);
    }
    this.options = affineOptions('RandomZoom', config);
  }

  protected augment(images: tf.Tensor4D): tf.Tensor4D {
    const [n, height, width] = images.shape;
    const zoomY = this.uniform(n, 1 + this.heightRange[0], 1 + this.heightRange[1]);
    const zoomX = this.widthRange ? this.uniform(n, 1 + this.widthRange[0], 1 + this.widthRange[1]) : zoomY;
    // Keras' zoom matrix: scale about the centre ((size - 1) / 2 stays in place).
    const transforms = zoomY.map((zy, i) => {
      const zx = zoomX[i] as number;
      return [zx, 0, ((width - 1) / 2) * (1 - zx), 0, zy, ((height - 1) / 2) * (1 - zy), 0, 0];
    });
    return transformImages(images, transforms, this.options);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return this.baseConfig({ heightFactor: this.heightFactor, widthFactor: this.widthFactor, ...affineConfig(this.options) });
  }
}
