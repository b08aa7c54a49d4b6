/**
 * Keras' Resizing, replacing tfjs-layers 4.22's (which resizes with align_corners instead of
 * TensorFlow's half-pixel centres, ignores crop_to_aspect_ratio, and computes a wrong output shape
 * for batched input). Like Keras: bilinear or nearest with half-pixel centres, no antialiasing,
 * optional centre crop to the target aspect ratio first; applied in training and inference.
 */
import * as tf from '@tensorflow/tfjs';
import { choice, type LayerConfig } from './imageLayer';

export class Resizing extends tf.layers.Layer {
  static readonly className = 'Resizing';
  private readonly height: number;
  private readonly width: number;
  private readonly interpolation: 'bilinear' | 'nearest';
  private readonly cropToAspectRatio: boolean;

  constructor(config: LayerConfig) {
    super(config);
    const { height, width } = config;
    if (typeof height !== 'number' || typeof width !== 'number' || !(height >= 1 && width >= 1)) {
      throw new Error(`Resizing: height and width must be positive integers, got ${JSON.stringify([height, width])}.`);
    }
    if (config.padToAspectRatio === true) throw new Error('Resizing: pad_to_aspect_ratio is not supported; use crop_to_aspect_ratio or resize the images beforehand.');
    this.height = height;
    this.width = width;
    this.interpolation = choice('Resizing', 'interpolation', config.interpolation, ['bilinear', 'nearest'], 'bilinear');
    this.cropToAspectRatio = config.cropToAspectRatio === true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return shape.length === 3 ? [this.height, this.width, shape[2] ?? null] : [shape[0] ?? null, this.height, this.width, shape[3] ?? null];
  }

  /** Keras' largest centred window of the target aspect ratio. */
  private crop(images: tf.Tensor4D): tf.Tensor4D {
    const [, height, width] = images.shape;
    const cropHeight = Math.max(Math.min(height, Math.trunc((width * this.height) / this.width)), 1);
    const cropWidth = Math.max(Math.min(width, Math.trunc((height * this.width) / this.height)), 1);
    const top = Math.trunc((height - cropHeight) / 2);
    const left = Math.trunc((width - cropWidth) / 2);
    return tf.slice(images, [0, top, left, 0], [-1, cropHeight, cropWidth, -1]);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const input = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
      let images = (input.rank === 3 ? input.expandDims(0) : input).toFloat() as tf.Tensor4D;
      if (this.cropToAspectRatio) images = this.crop(images);
      const size: [number, number] = [this.height, this.width];
      const out = this.interpolation === 'bilinear' ? tf.image.resizeBilinear(images, size, false, true) : tf.image.resizeNearestNeighbor(images, size, false, true);
      return input.rank === 3 ? out.squeeze([0]) : out;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), height: this.height, width: this.width, interpolation: this.interpolation, cropToAspectRatio: this.cropToAspectRatio };
  }
}
