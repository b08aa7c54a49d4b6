/**
 * Dropout whose mask is drawn from the training step (./trainingStep): tfjs 4.22's Dropout draws from
 * Math.random when unseeded and, when seeded, the same mask at every step. Registered as `Dropout`
 * in place of tfjs' own, so imported models and the new head both use it; same config as tfjs'/Keras'.
 */
import * as tf from '@tensorflow/tfjs';
import type { Kwargs, LayerConfig } from './imageLayer';
import { stepSeed } from './trainingStep';

export class StepDropout extends tf.layers.Layer {
  static readonly className = 'Dropout';
  readonly rate: number;
  readonly noiseShape: (number | null)[] | null;
  readonly seed: number | null;
  private outsideLoopCalls = 0;

  constructor(config: LayerConfig & { rate: number; noiseShape?: (number | null)[] | null; seed?: number | null }) {
    super(config);
    this.rate = Math.max(Math.min(config.rate, 1), 0);
    this.noiseShape = config.noiseShape ?? null;
    this.seed = typeof config.seed === 'number' ? config.seed : null;
    this.supportsMasking = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const input = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    if (kwargs.training !== true || !(this.rate > 0 && this.rate < 1)) return input;
    const seed = stepSeed('dropout', this.name, () => (this.seed ?? 0) + this.outsideLoopCalls++);
    return tf.tidy(() => {
      const shape = this.noiseShape ? this.noiseShape.map((size, i) => size ?? input.shape[i] ?? 1) : input.shape;
      // As tfjs' dropout: keep where uniform + keep >= 1, scaled by 1 / keep.
      const keep = 1 - this.rate;
      const mask = tf.floor(tf.add(tf.randomUniform(shape, 0, 1, 'float32', seed), keep));
      return tf.mul(input, tf.div(mask, keep));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { rate: this.rate, noiseShape: this.noiseShape, seed: this.seed, ...super.getConfig() };
  }
}
